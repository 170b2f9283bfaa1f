from django.urls import path

from goals import views

app_name = "goals"

urlpatterns = [
    path("", views.chain_tree, name="chain"),
    path("mine/", views.my_goals, name="mine"),
    path("mine/unit/", views.choose_my_unit, name="choose-my-unit"),
    path("period/", views.choose_period, name="choose-period"),
    path("new/", views.goal_create, name="create"),
    path("matrix/", views.process_matrix, name="matrix"),
    path("queue/", views.approval_queue, name="queue"),
    path("<int:pk>/", views.goal_detail, name="detail"),
    path("<int:pk>/edit/", views.goal_edit, name="edit"),
    path("<int:pk>/history/", views.goal_history, name="history"),
    path("<int:pk>/submit/", views.goal_submit_view, name="submit"),
    path("<int:pk>/revision/discard/", views.revision_discard_view, name="discard-revision"),
]
