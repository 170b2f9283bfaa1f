"""Shortcuts that every app's views share (this is the bottom app, so all of them may use it)."""

from __future__ import annotations

from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Manager, Model, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404

M = TypeVar("M", bound=Model)


def permitted_object_or_404(
    request: HttpRequest, queryset: type[M] | Manager[M] | QuerySet[M], perm: str, **lookup
) -> M:
    """The object of ``queryset`` (a model, a manager or a queryset, as for ``get_object_or_404``)
    that ``lookup`` finds, if ``request.user`` has ``perm`` on it.

    ``Http404`` when there is none: pass the queryset of what the user may see (``visible_to``), so
    that what they may not see is not found either. ``PermissionDenied`` (a 403) when the user lacks
    the permission, an anonymous visitor too; a view that sends anonymous visitors to sign in says
    so with ``login_required``, which runs first. Fetch with the ``select_related`` the rule and the
    page need: the check itself reads only the user's memberships, once per request.
    """
    obj = get_object_or_404(queryset, **lookup)
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied
    return obj
