"""Every change to a goal, a unit, a membership or a process is recorded: who, when and what."""

import datetime

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.services import goal_revise, revision_discard
from goals.models import Goal, Revision
from orgunits.models import Membership, OrgUnit
from tests.kit.chain import add_goal
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


def test_a_web_edit_records_who_changed_what(client, draft_chain, group):
    chain = draft_chain
    karin = member_of(group.administration, "karin")
    karin.first_name, karin.last_name = "Karin", "Lind"
    karin.save()
    client.force_login(karin)
    client.post(
        reverse("goals:edit", args=[chain.operational.pk]),
        {"title": "Tidiga insatser i läsning och räkning", "parent": chain.body.pk},
    )
    newest = chain.operational.history.order_by("-history_date", "-history_id").first()
    assert newest.history_user == karin
    response = client.get(reverse("goals:history", args=[chain.operational.pk]))
    [newest_entry, *_older] = response.context["entries"]
    assert newest_entry.changes == [
        ("Rubrik", "Tidiga insatser i läsning", "Tidiga insatser i läsning och räkning")
    ]
    html = response.content.decode()
    assert "Karin Lind" in html
    assert "<del>Tidiga insatser i läsning</del>" in html


def test_moving_a_goal_is_recorded(client, draft_chain, group):
    chain = draft_chain
    second = add_goal(Level.OPERATIONAL, "Digitala lärresurser", group.administration, chain.body)
    client.force_login(member_of(group.administration, "karin"))
    client.post(
        reverse("goals:edit", args=[chain.department_goal.pk]),
        {"title": chain.department_goal.title, "parent": second.pk},
    )
    response = client.get(reverse("goals:history", args=[chain.department_goal.pk]))
    # Where it stood before and after, by the names of the goals it broke down, and why.
    [moved, *_older] = response.context["entries"]
    assert (moved.changes, moved.reason) == (
        [("Placerad under", chain.operational.title, "Digitala lärresurser")],
        "flyttad i trädet",
    )
    assert moved.version.history_change_reason == "moved"


def test_dates_owners_and_levels_read_as_on_the_goal_page(client, draft_chain, group):
    """The history shows what a person reads elsewhere: a localized date, the owner's name, a
    choice's label; never an ISO date, an id or a code."""
    chain = draft_chain
    karin = member_of(group.administration, "karin")
    karin.first_name, karin.last_name = "Karin", "Lind"
    karin.save()
    activity = Goal.objects.get(pk=chain.activity.pk)
    activity.due_date, activity.owner = datetime.date(2026, 3, 1), karin
    activity.save()
    client.force_login(karin)
    response = client.get(reverse("goals:history", args=[activity.pk]))
    [newest, *_older] = response.context["entries"]
    assert sorted(newest.changes) == [("Målansvarig", "", "Karin Lind"), ("Slutdatum", "", "1 mars 2026")]
    html = response.content.decode()
    assert "<ins>1 mars 2026</ins>" in html and "2026-03-01" not in html


def test_moving_a_unit_is_recorded(group):
    OrgUnit.objects.move(group.administration, group.board, "last-child")
    newest = group.administration.history.order_by("-history_date", "-history_id").first()
    assert (newest.history_change_reason, newest.path) == (
        "moved",
        OrgUnit.objects.get(pk=group.administration.pk).path,
    )


def test_memberships_have_history(group):
    user = member_of(group.school, "sara")
    membership = Membership.objects.get(user=user)
    membership.delete()
    assert [
        version.history_type
        for version in Membership.history.filter(user_id=user.pk).order_by("history_date")
    ] == ["+", "-"]


@pytest.mark.parametrize("edits", [1, 20])
def test_the_history_page_has_the_same_query_count_at_any_length(
    client, chain, group, django_assert_num_queries, edits
):
    for number in range(edits):
        chain.activity.progress = number
        chain.activity.save()
        change = {name: getattr(chain.activity, name) for name in Revision.CONTENT_FIELDS}
        revision = goal_revise(version=None, goal=chain.activity, by=None, content=change, processes=[])
        revision_discard(revision=revision, by=None)
    client.force_login(member_of(group.school, "sara"))
    # 1: the session, 2: the user, 3: the goal, 4: every version with its user, unit, period and
    # owner, 5: every step of the changes proposed to it, with the user and the decision; for the
    # menu's count of the to-do list, 6: the user's memberships, 7: the count.
    with django_assert_num_queries(7):
        response = client.get(reverse("goals:history", args=[chain.activity.pk]))
    assert len(response.context["entries"]) == 3 * edits + 1
