"""The start page: for a signed-in person, what they should do now (``goals.todo``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from goals.todo import todo_rows


def home(request: HttpRequest) -> HttpResponse:
    """The portal's introduction for everyone; above it, for a signed-in person, their to-do list.
    The menu's count is the list's length here, not counted again (``goals.context_processors``)."""
    if not request.user.is_authenticated:
        return render(request, "home.html")
    todo = todo_rows(request.user)
    return render(request, "home.html", {"todo": todo, "todo_count": len(todo)})
