"""The fixed cast tried on every view that changes something: each allowed, each refused.

Refusals are a 403 for a signed-in user and a redirect to the sign-in page for an anonymous
visitor, never a 500, and a refused POST changes nothing.
"""

import pytest
from django.urls import reverse

from goals.models import Goal
from orgunits.kinds import Kind
from processes.models import Process, ProcessKind
from tests.conftest import add_unit, member_of

pytestmark = pytest.mark.django_db

CAST = [
    "admin",
    "manager_inside",
    "manager_outside",
    "editor",
    "politician",
    "other_politician",
    "secretary",
    "anonymous",
]


@pytest.fixture
def cast(group, django_user_model):
    care_administration = add_unit(Kind.ADMINISTRATION, "Omsorgsförvaltningen", group.other_committee)
    return {
        "admin": django_user_model.objects.create_superuser("alva", password="x"),
        "manager_inside": member_of(group.administration, "karin"),
        "manager_outside": member_of(care_administration, "per"),
        "editor": member_of(group.department, "lars", role="editor"),
        "politician": member_of(group.committee, "eva", role="politician", position="chair"),
        "other_politician": member_of(group.other_committee, "anna", role="politician", position="member"),
        "secretary": member_of(group.committee, "maria", role="secretary"),
        "anonymous": None,
    }


def outcome(client, cast, who, url, method="get", data=None) -> str:
    if cast[who] is not None:
        client.force_login(cast[who])
    response = getattr(client, method)(url, data or {})
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return "sign in"
    return {200: "allowed", 302: "allowed", 403: "refused"}[response.status_code]


def expected(allowed: set[str], who: str) -> str:
    if who in allowed:
        return "allowed"
    return "sign in" if who == "anonymous" else "refused"


@pytest.mark.parametrize("who", CAST)
def test_editing_an_administrations_goal(client, cast, chain, who):
    url = reverse("goals:edit", args=[chain.operational.pk])
    assert outcome(client, cast, who, url) == expected({"admin", "manager_inside"}, who)


@pytest.mark.parametrize("who", CAST)
def test_editing_a_departments_goal(client, cast, chain, who):
    url = reverse("goals:edit", args=[chain.department_goal.pk])
    assert outcome(client, cast, who, url) == expected({"admin", "manager_inside", "editor"}, who)


@pytest.mark.parametrize("who", CAST)
def test_a_refused_edit_changes_nothing(client, cast, chain, who):
    url = reverse("goals:edit", args=[chain.operational.pk])
    data = {"title": "Ändrad", "parent": chain.body.pk}
    result = outcome(client, cast, who, url, "post", data)
    assert result == expected({"admin", "manager_inside"}, who)
    changed = Goal.objects.get(pk=chain.operational.pk).title == "Ändrad"
    assert changed == (result == "allowed")


@pytest.mark.parametrize("who", CAST)
def test_adding_a_goal_at_an_administration(client, cast, chain, group, who):
    url = f"{reverse('goals:create')}?unit={group.administration.slug}"
    assert outcome(client, cast, who, url) == expected({"admin", "manager_inside"}, who)


@pytest.mark.parametrize("who", CAST)
def test_breaking_down_an_administrations_goal(client, cast, chain, who):
    # The editor of a department below may break it down at the department.
    url = f"{reverse('goals:create')}?parent={chain.operational.pk}"
    assert outcome(client, cast, who, url) == expected({"admin", "manager_inside", "editor"}, who)


def test_a_break_down_offers_only_the_units_the_user_may_add_to(client, cast, chain, group):
    client.force_login(cast["editor"])
    response = client.get(reverse("goals:create"), {"parent": chain.operational.pk})
    assert list(response.context["form"].fields["org_unit"].queryset) == [group.department, group.school]


@pytest.mark.parametrize("who", [*CAST, "process_owner"])
def test_editing_a_process(client, cast, group, who):
    cast["process_owner"] = member_of(group.other_committee, "olle", role="viewer")
    process = Process.objects.create(
        kind=ProcessKind.MAIN, name="Omsorg", owning_unit=group.other_committee, owner=cast["process_owner"]
    )
    url = reverse("processes:edit", args=[process.slug])
    assert outcome(client, cast, who, url) == expected({"admin", "process_owner"}, who)


@pytest.mark.parametrize(
    ("who", "shown"), [("manager_inside", True), ("politician", False), ("anonymous", False)]
)
def test_the_goal_page_shows_only_the_buttons_the_user_may_use(client, cast, chain, who, shown):
    if cast[who] is not None:
        client.force_login(cast[who])
    html = client.get(chain.operational.get_absolute_url()).content.decode()
    assert ("Redigera" in html) == shown
    assert ("Bryt ned" in html) == shown
