from django.urls import path

from goals.views import chain, decided_document, follow_up, health, indicators, measurement_import, unit_chain

app_name = "goals"

urlpatterns = [
    path("", chain.chain_tree, name="chain"),
    path("mine/", chain.my_goals, name="mine"),
    path("mine/unit/", chain.choose_my_unit, name="choose-my-unit"),
    path("period/", chain.choose_period, name="choose-period"),
    path("new/", chain.goal_create, name="create"),
    path("matrix/", chain.process_matrix, name="matrix"),
    path("chain/<slug:slug>/", unit_chain.unit_chain, name="unit-chain"),
    path("queue/", chain.approval_queue, name="queue"),
    path("decided/<slug:slug>/", decided_document.decided_goals_document, name="decided-document"),
    path("indicators/", indicators.indicator_list, name="indicators"),
    path("indicators/<int:pk>/", indicators.indicator_detail, name="indicator"),
    path("measurements/import/", measurement_import.measurement_import, name="import-measurements"),
    path("report/", follow_up.report, name="report"),
    path("health/", health.chain_health_page, name="health"),
    path("health/export/", health.chain_health_export, name="health-export"),
    path("<int:pk>/follow-up/<int:reporting_period>/", follow_up.follow_up_detail, name="follow-up"),
    path(
        "<int:pk>/follow-up/<int:reporting_period>/submit/",
        follow_up.follow_up_submit_view,
        name="follow-up-submit",
    ),
    path(
        "<int:pk>/follow-up/<int:reporting_period>/review/",
        follow_up.follow_up_review_view,
        name="follow-up-review",
    ),
    path(
        "<int:pk>/follow-up/<int:reporting_period>/return/",
        follow_up.follow_up_return_view,
        name="follow-up-return",
    ),
    path("<int:pk>/", chain.goal_detail, name="detail"),
    path("<int:pk>/edit/", chain.goal_edit, name="edit"),
    path("<int:pk>/history/", chain.goal_history, name="history"),
    path("<int:pk>/submit/", chain.goal_submit_view, name="submit"),
    path("<int:pk>/revision/discard/", chain.revision_discard_view, name="discard-revision"),
]
