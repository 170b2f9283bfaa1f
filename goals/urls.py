from django.urls import path

from goals import follow_up_views, import_views, indicator_views, views

app_name = "goals"

urlpatterns = [
    path("", views.chain_tree, name="chain"),
    path("mine/", views.my_goals, name="mine"),
    path("mine/unit/", views.choose_my_unit, name="choose-my-unit"),
    path("period/", views.choose_period, name="choose-period"),
    path("new/", views.goal_create, name="create"),
    path("matrix/", views.process_matrix, name="matrix"),
    path("queue/", views.approval_queue, name="queue"),
    path("indicators/", indicator_views.indicator_list, name="indicators"),
    path("indicators/<int:pk>/", indicator_views.indicator_detail, name="indicator"),
    path("measurements/import/", import_views.measurement_import, name="import-measurements"),
    path("report/", follow_up_views.report, name="report"),
    path("<int:pk>/follow-up/<int:reporting_period>/", follow_up_views.follow_up_detail, name="follow-up"),
    path("<int:pk>/", views.goal_detail, name="detail"),
    path("<int:pk>/edit/", views.goal_edit, name="edit"),
    path("<int:pk>/history/", views.goal_history, name="history"),
    path("<int:pk>/submit/", views.goal_submit_view, name="submit"),
    path("<int:pk>/revision/discard/", views.revision_discard_view, name="discard-revision"),
]
