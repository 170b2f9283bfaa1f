"""The start page: for a signed-in person, what they should do now (``goals.todo``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from goals.todo import SHOWN_PER_TASK, todo_rows


def home(request: HttpRequest) -> HttpResponse:
    """The portal's introduction for everyone; above it, for a signed-in person, their to-do list
    (the menu counts all of it: ``goals.context_processors``)."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    context = {"todo": todo_rows(request.user), "shown_per_task": SHOWN_PER_TASK}
    return render(request, "home.html", context)
