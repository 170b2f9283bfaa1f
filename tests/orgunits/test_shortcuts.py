"""Fetching an object and checking a permission on it in one call (``orgunits.shortcuts``)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.test import RequestFactory

from orgunits.kinds import Kind
from orgunits.models import Membership, OrgUnit, Role
from orgunits.shortcuts import permitted_object_or_404

pytestmark = pytest.mark.django_db

PERM = "orgunits.manage_memberships"  # a unit's managers, within their subtree, and staff


@pytest.fixture
def as_user(django_user_model):
    """A request from a new user who has ``role`` in ``unit`` (no role without one), or from an
    anonymous visitor."""

    def request_from(unit=None, role=Role.MANAGER, *, anonymous=False, staff=False):
        request = RequestFactory().get("/")
        if anonymous:
            request.user = AnonymousUser()
            return request
        username = f"user{django_user_model.objects.count()}"
        create = (
            django_user_model.objects.create_superuser if staff else django_user_model.objects.create_user
        )
        request.user = create(username, password="x")
        if unit is not None:
            Membership.objects.create(user=request.user, org_unit=unit, role=role)
        return request

    return request_from


def test_it_returns_the_object_to_a_user_with_the_permission(group, as_user):
    request = as_user(group.administration)
    assert permitted_object_or_404(request, OrgUnit.objects.all(), PERM, slug=group.department.slug) == (
        group.department
    )
    # A model and a manager are taken as get_object_or_404 takes them.
    assert permitted_object_or_404(request, OrgUnit, PERM, pk=group.school.pk) == group.school
    assert permitted_object_or_404(request, OrgUnit.objects, PERM, pk=group.administration.pk) == (
        group.administration
    )


@pytest.mark.parametrize(
    "who",
    [
        {"unit_name": "other_committee"},  # a manager outside the unit's subtree
        {"unit_name": "department"},  # a manager below the unit
        {"unit_name": "administration", "role": Role.EDITOR},  # an editor is no manager
        {"unit_name": None},  # a user without a role
        {"anonymous": True},
    ],
)
def test_it_refuses_a_user_without_the_permission(group, as_user, who):
    unit_name = who.pop("unit_name", None)
    request = as_user(getattr(group, unit_name) if unit_name else None, **who)
    with pytest.raises(PermissionDenied):
        permitted_object_or_404(request, OrgUnit.objects.all(), PERM, slug=group.administration.slug)


def test_what_is_not_there_is_not_found_before_the_permission_is_asked(group, as_user):
    with pytest.raises(Http404):
        permitted_object_or_404(as_user(staff=True), OrgUnit.objects.all(), PERM, slug="finns-inte")
    with pytest.raises(Http404):  # not a 403: a refused user learns nothing of what does not exist
        permitted_object_or_404(as_user(), OrgUnit.objects.all(), PERM, slug="finns-inte")


def test_what_the_queryset_leaves_out_is_not_found_even_by_staff(group, as_user):
    committees = OrgUnit.objects.filter(kind=Kind.COMMITTEE)
    request = as_user(staff=True)
    assert permitted_object_or_404(request, committees, PERM, slug=group.committee.slug) == group.committee
    with pytest.raises(Http404):
        permitted_object_or_404(request, committees, PERM, slug=group.administration.slug)
