from django.urls import path

from orgunits import views

app_name = "orgunits"

urlpatterns = [
    path("", views.tree, name="tree"),
    path("<slug:slug>/", views.unit_detail, name="detail"),
    path("<slug:slug>/members/", views.unit_members, name="members"),
    path("<slug:slug>/history/", views.unit_history, name="history"),
]
