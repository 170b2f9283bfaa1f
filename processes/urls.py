from django.urls import path

from processes import views

app_name = "processes"

urlpatterns = [
    path("", views.process_list, name="list"),
    path("target-groups/<slug:slug>/", views.target_group_detail, name="target-group"),
    path("<slug:slug>/", views.process_detail, name="detail"),
    path("<slug:slug>/edit/", views.process_edit, name="edit"),
    path("<slug:slug>/history/", views.process_history, name="history"),
]
