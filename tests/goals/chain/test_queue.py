"""The approval queue: the submitted goals a person decides, approved or sent back in one go."""

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.services import goal_revise, goal_submit
from goals.chain.workflow import Status
from goals.models import Decision, Goal, Revision
from processes.models import Process
from tests.kit.chain import add_goal, grow_chain
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(workflow_chain):
    return workflow_chain  # the workflow's starting point, under the name every test here uses


QUEUE_URL = reverse("goals:queue")


@pytest.fixture
def submitted(chain, group):
    """Two body goals of the committee, and the administration's operational goal, submitted."""
    other = add_goal(Level.BODY, "Förskolan ger alla en god start", group.committee, chain.strategic)
    for goal in (chain.body, other, chain.operational):
        goal_submit(goal=goal, by=None)
    return [chain.body, other, chain.operational]


def queue(client, user):
    client.force_login(user)
    return [
        (unit, [goal for goal, _chain, _changes, _waits_for in items])
        for unit, items, _form in client.get(QUEUE_URL).context["groups"]
    ]


def test_a_politician_sees_the_submitted_goals_of_their_body(client, chain, group, submitted):
    eva = member_of(group.committee, "eva", role="politician", position="chair")
    assert queue(client, eva) == [(group.committee, [chain.body, submitted[1]])]


def test_a_manager_sees_the_goals_decided_by_delegation(client, chain, group, submitted):
    karin = member_of(group.administration, "karin")
    assert queue(client, karin) == [(group.administration, [chain.operational])]


def test_the_organisation_above_decides_the_goals_of_its_departments_and_units(client, chain, group):
    for goal in (chain.operational, chain.department_goal, chain.activity):
        goal_submit(goal=goal, by=None)
    karin = member_of(group.administration, "karin")
    assert queue(client, karin) == [
        (group.administration, [chain.operational, chain.department_goal, chain.activity])
    ]
    assert queue(client, member_of(group.department, "dan")) == []  # below the deciding organisation


def test_a_proposed_change_shows_what_it_changes_in_the_processes_served(client, chain, group):
    Goal.objects.filter(pk=chain.operational.pk).update(status=Status.APPROVED)
    goal = Goal.objects.get(pk=chain.operational.pk)
    reading = Process.objects.create(kind="main", name="Läsning", owning_unit=group.committee)
    learning = Process.objects.create(kind="main", name="Lärande", owning_unit=group.committee)
    goal.processes.add(reading)
    content = {name: getattr(goal, name) for name in Revision.CONTENT_FIELDS}
    goal_revise(version=None, goal=goal, by=None, content=content, processes=[reading, learning])
    goal_submit(goal=goal, by=None)
    client.force_login(member_of(group.administration, "karin"))
    [(_unit, [(_goal, _chain, changes, _waits_for)], _form)] = client.get(QUEUE_URL).context["groups"]
    assert changes == [("processer som målet bidrar till", "Läsning", "Lärande, Läsning")]


def test_others_see_nothing_to_decide(client, chain, group, submitted):
    anna = member_of(group.other_committee, "anna", role="politician", position="member")
    assert queue(client, anna) == []
    assert (
        "Inga mål eller föreslagna ändringar väntar på ditt beslut det här året."
        in client.get(QUEUE_URL).content.decode()
    )


def test_approving_two_goals_under_one_decision(client, chain, group, submitted):
    client.force_login(member_of(group.committee, "maria", role="secretary"))
    prefix = f"unit-{group.committee.pk}"
    response = client.post(
        QUEUE_URL,
        {
            "unit": group.committee.pk,
            f"{prefix}-goals": [chain.body.pk, submitted[1].pk],
            f"{prefix}-meeting_date": "2026-02-12",
            f"{prefix}-paragraph": "§ 14",
            f"{prefix}-registry_number": "UN 2026/00031",
            f"{prefix}-action": "approve",
        },
    )
    assert response["Location"] == QUEUE_URL
    decision = Decision.objects.get()
    assert (decision.deciding_unit, decision.paragraph, set(decision.goals.all())) == (
        group.committee,
        "§ 14",
        {chain.body, submitted[1]},
    )
    assert Goal.objects.get(pk=chain.body.pk).status == Status.APPROVED


def test_approving_needs_the_meeting_and_paragraph(client, chain, group, submitted):
    client.force_login(member_of(group.committee, "eva", role="politician", position="chair"))
    prefix = f"unit-{group.committee.pk}"
    response = client.post(
        QUEUE_URL,
        {"unit": group.committee.pk, f"{prefix}-goals": [chain.body.pk], f"{prefix}-action": "approve"},
    )
    [(_unit, _items, form)] = response.context["groups"]
    assert form.errors["paragraph"] == ["Ett beslut behöver sammanträdesdatum och paragraf."]
    assert not Decision.objects.exists()


def test_sending_back_needs_a_reason(client, chain, group, submitted):
    client.force_login(member_of(group.committee, "eva", role="politician", position="chair"))
    prefix = f"unit-{group.committee.pk}"
    data = {"unit": group.committee.pk, f"{prefix}-goals": [chain.body.pk], f"{prefix}-action": "return"}
    response = client.post(QUEUE_URL, data)
    assert response.context["groups"][0][2].errors["comment"] == ["Skriv varför målen återremitteras."]
    client.post(QUEUE_URL, {**data, f"{prefix}-comment": "Målvärde saknas."})
    goal = Goal.objects.get(pk=chain.body.pk)
    assert (goal.status, goal.return_comment) == (Status.RETURNED, "Målvärde saknas.")


def test_a_goal_someone_else_decides_cannot_be_slipped_in(client, chain, group, submitted):
    client.force_login(member_of(group.committee, "eva", role="politician", position="chair"))
    prefix = f"unit-{group.committee.pk}"
    client.post(
        QUEUE_URL,
        {
            "unit": group.committee.pk,
            f"{prefix}-goals": [chain.operational.pk],
            f"{prefix}-meeting_date": "2026-02-12",
            f"{prefix}-paragraph": "§ 14",
            f"{prefix}-action": "approve",
        },
    )
    assert Goal.objects.get(pk=chain.operational.pk).status == Status.SUBMITTED
    assert not Decision.objects.exists()


def test_a_goal_decided_meanwhile_is_reported_not_decided_twice(client, chain, group, submitted):
    # Two members of the committee read the queue; one approves, then the other sends back.
    prefix = f"unit-{group.committee.pk}"
    approval = {
        "unit": group.committee.pk,
        f"{prefix}-goals": [chain.body.pk, submitted[1].pk],
        f"{prefix}-meeting_date": "2026-02-12",
        f"{prefix}-paragraph": "§ 88",
        f"{prefix}-action": "approve",
    }
    client.force_login(member_of(group.committee, "maria", role="secretary"))
    client.post(QUEUE_URL, approval, follow=True)  # she reads the queue, and that it is approved
    client.force_login(member_of(group.committee, "eva", role="politician", position="chair"))
    response = client.post(
        QUEUE_URL,
        {
            "unit": group.committee.pk,
            f"{prefix}-goals": [chain.body.pk],
            f"{prefix}-comment": "Mätbart målvärde saknas.",
            f"{prefix}-action": "return",
        },
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert [str(message) for message in response.context["messages"]] == [
        "Only a submitted goal can be sent back; “Fler elever klarar kunskapskraven” is approved. "
        "Utbildningsnämnden decided it on 2026-02-12 under § 88."
    ]
    assert Goal.objects.get(pk=chain.body.pk).status == Status.APPROVED
    assert Decision.objects.count() == 1


def test_the_queue_says_which_goal_must_be_decided_first(client, chain, group, submitted):
    # The administration's operational goal breaks down the committee's body goal, still submitted.
    client.force_login(member_of(group.administration, "karin"))
    response = client.get(QUEUE_URL, HTTP_ACCEPT_LANGUAGE="en")
    [(_unit, [(goal, _chain, _changes, waits_for)], _form)] = response.context["groups"]
    assert (goal, waits_for) == (chain.operational, chain.body)
    assert (
        "It breaks down “Fler elever klarar kunskapskraven”, which is submitted: it can be approved "
        "after that goal, or in the same decision."
    ) in response.content.decode()
    prefix = f"unit-{group.administration.pk}"
    response = client.post(
        QUEUE_URL,
        {
            "unit": group.administration.pk,
            f"{prefix}-goals": [chain.operational.pk],
            f"{prefix}-meeting_date": "2026-02-12",
            f"{prefix}-paragraph": "§ 3",
            f"{prefix}-action": "approve",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    [(_unit, _items, form)] = response.context["groups"]
    assert form.non_field_errors() == [
        "“Tidiga insatser i läsning” breaks down “Fler elever klarar kunskapskraven”, which is submitted: "
        "a goal is decided after the goal it breaks down, or in the same decision."
    ]
    assert not Decision.objects.exists()


def test_visitors_are_asked_to_sign_in(client, submitted):
    assert client.get(QUEUE_URL)["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("size", [20, 200])
def test_the_queue_has_the_same_query_count_at_any_size(
    client, chain, group, django_assert_num_queries, size
):
    grow_chain(chain, size)
    operational = list(Goal.objects.filter(org_unit=group.administration, level=Level.OPERATIONAL))
    # Every other goal is new; the rest are approved goals with a change proposed to them.
    for index, goal in enumerate(operational):
        if index % 2:
            Goal.objects.filter(pk=goal.pk).update(status=Status.APPROVED)
            goal.refresh_from_db()
            change = {name: getattr(goal, name) for name in Revision.CONTENT_FIELDS} | {"title": "Ny"}
            goal_revise(version=None, goal=goal, by=None, content=change, processes=[])
        goal_submit(goal=goal, by=None)
    client.force_login(member_of(group.administration, "karin"))
    # 1: the session, 2: the user, 3: the period preference, 4: the period, 5: the organisations,
    # 6: the goals awaiting a decision with their proposed changes, 7: their processes, 8: the
    # changes' processes, 9: the user's memberships, 10: the chains up, 11: the follow-ups to
    # review, 12: every period, 13: the count of the menu's to-do list. (The decision form's goals
    # are asked for only when it is posted.)
    with django_assert_num_queries(13):
        response = client.get(QUEUE_URL)
    items = response.context["groups"][0][1]
    assert len(items) == len(operational)
    assert [changes for _goal, _chain, changes, _waits_for in items[:2]] == [
        None,
        [("rubrik", "Verksamhetsmål 10", "Ny")],
    ]
