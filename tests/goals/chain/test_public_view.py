"""Decided goals are public documents; nothing undecided ever reaches an anonymous visitor."""

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from processes.models import Process
from tests.kit.chain import add_goal
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(chain, group):
    """A draft operational goal under the approved chain, serving a process."""
    goal = add_goal(Level.OPERATIONAL, "Hemligt utkast", group.administration, chain.body)
    process = Process.objects.create(kind="main", name="Lärande", owning_unit=group.administration)
    goal.processes.add(process)
    chain.operational.processes.add(process)
    return goal


def everything_an_anonymous_visitor_can_open(client, chain, group, draft) -> str:
    pages = [
        reverse("goals:chain"),
        chain.body.get_absolute_url(),
        group.administration.get_absolute_url(),
        reverse("processes:detail", args=["larande"]),
        reverse("goals:matrix"),
        reverse("goals:matrix") + "?format=csv",
    ]
    return "".join(client.get(page).content.decode() for page in pages)


def test_an_anonymous_visitor_sees_no_draft_anywhere(client, chain, group, draft):
    seen = everything_an_anonymous_visitor_can_open(client, chain, group, draft)
    assert "Tidiga insatser i läsning" in seen  # the approved goals are there
    assert "Hemligt utkast" not in seen
    assert client.get(draft.get_absolute_url()).status_code == 404
    # A goal's history holds its drafts: it is for signed-in users only.
    assert client.get(reverse("goals:history", args=[chain.body.pk]))["Location"].startswith(reverse("login"))


def test_counts_shown_to_an_anonymous_visitor_leave_drafts_out(client, chain, group, draft):
    response = client.get(chain.body.get_absolute_url())
    assert response.context["cascade_size"] == 3  # the operational goal, the department's and the activity
    section = client.get(group.committee.get_absolute_url()).context["sections"]
    [(_label, [(body_goal, _parent)])] = section[0].context["by_level"]
    assert body_goal.cascade_size == 3
    matrix = client.get(reverse("goals:matrix")).context["rows"]
    assert [cell.count for cell in matrix[0][1]] == [0, 1, 0, 0, 0]


def test_a_signed_in_user_sees_the_drafts_too(client, chain, group, draft):
    client.force_login(member_of(group.other_committee, "anna", role="viewer"))
    assert "Hemligt utkast" in client.get(reverse("goals:chain")).content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(chain.body.get_absolute_url()).context["cascade_size"] == 4
