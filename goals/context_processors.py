"""What every page's template may show of goals: the count of the signed-in person's to-do list."""

from __future__ import annotations

from functools import cache, partial

from goals.todo import todo_count


def todo(request) -> dict:
    """``todo_count`` for the menu: counted only when a template shows it, and once however often
    it does (one query, and the person's memberships where the page has not read them for its
    permissions); nothing for an anonymous visitor."""
    # A request refused before AuthenticationMiddleware ran (a host not in ALLOWED_HOSTS) has no user,
    # and still gets the styled 400 page.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # A template calls a callable it finds in its context; the cache keeps it to one query.
    return {"todo_count": cache(partial(todo_count, request.user))}
