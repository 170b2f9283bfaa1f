"""Draft, submitted, approved or sent back: the goal workflow and who decides."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.services import goal_approve, goal_return, goal_submit, period_close
from goals.chain.workflow import Status, Step, open_steps
from goals.models import Decision, DecisionGoal, Goal, Period
from tests.kit.chain import add_goal
from tests.kit.people import member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def chain(workflow_chain):
    return workflow_chain  # the workflow's starting point, under the name every test here uses


MEETING = {
    "meeting_date": datetime.date(2026, 2, 12),
    "paragraph": "§ 14",
    "registry_number": "UN 2026/00031",
}


def status_of(goal) -> str:
    return Goal.objects.get(pk=goal.pk).status


def test_a_new_goal_is_a_draft(chain):
    assert status_of(chain.body) == Status.DRAFT


def test_submit_then_approve_two_goals_under_one_decision(chain, group):
    eva = member_of(group.committee, "eva", role="politician", position="chair")
    other = add_goal(Level.BODY, "Förskolan ger alla en god start", group.committee, chain.strategic)
    for goal in (chain.body, other):
        goal_submit(goal=goal, by=eva)
    decision = goal_approve(goals=[chain.body, other], by=eva, **MEETING)
    decision = Decision.objects.get(pk=decision.pk)
    assert (decision.deciding_unit, decision.recorded_by, decision.paragraph) == (
        group.committee,
        eva,
        "§ 14",
    )
    assert set(decision.goals.all()) == {chain.body, other}
    assert {status_of(chain.body), status_of(other)} == {Status.APPROVED}
    newest = chain.body.history.order_by("-history_date", "-history_id").first()
    assert (newest.status, newest.history_user) == (Status.APPROVED, eva)


def test_a_goal_is_sent_back_with_a_reason_and_can_be_submitted_again(chain, group):
    goal_submit(goal=chain.body, by=None)
    with pytest.raises(ValidationError) as excinfo:
        goal_return(goal=chain.body, by=None, comment="  ")
    assert excinfo.value.messages == ["Say why the goal is sent back."]
    goal_return(goal=chain.body, by=None, comment="Målet behöver ett mätbart målvärde.")
    assert (status_of(chain.body), Goal.objects.get(pk=chain.body.pk).return_comment) == (
        Status.RETURNED,
        "Målet behöver ett mätbart målvärde.",
    )
    goal_submit(goal=chain.body, by=None)
    assert (status_of(chain.body), Goal.objects.get(pk=chain.body.pk).return_comment) == (
        Status.SUBMITTED,
        "",
    )


@pytest.mark.parametrize(
    ("status", "action"),
    [
        (Status.SUBMITTED, "submit"),
        (Status.APPROVED, "submit"),
        (Status.DRAFT, "return"),
        (Status.APPROVED, "return"),
        (Status.DRAFT, "approve"),
        (Status.RETURNED, "approve"),
    ],
)
def test_illegal_transitions_are_refused_and_change_nothing(chain, status, action):
    Goal.objects.filter(pk=chain.body.pk).update(status=status)
    goal = Goal.objects.get(pk=chain.body.pk)
    act = {
        "submit": lambda: goal_submit(goal=goal, by=None),
        "return": lambda: goal_return(goal=goal, by=None, comment="Nej."),
        "approve": lambda: goal_approve(goals=[goal], by=None, **MEETING),
    }[action]
    with pytest.raises(ValidationError):
        act()
    assert status_of(chain.body) == status
    assert not Decision.objects.exists()


def test_one_decision_is_one_bodys(chain):
    for goal in (chain.body, chain.company_goal):
        goal_submit(goal=goal, by=None)
    with pytest.raises(ValidationError) as excinfo:
        goal_approve(goals=[chain.body, chain.company_goal], by=None, **MEETING)
    assert excinfo.value.messages == [
        "One decision covers the goals of one deciding body or unit, not of: Stadshus AB, Utbildningsnämnden."
    ]
    assert status_of(chain.body) == Status.SUBMITTED


def test_who_decides_which_goal(chain, group):
    assert chain.body.deciding_unit == group.committee  # a body goal: its own political body
    assert chain.strategic.deciding_unit == group.council
    assert chain.department_goal.deciding_unit == group.administration  # by delegation
    assert chain.activity.deciding_unit == group.administration


@pytest.mark.parametrize(
    ("who", "goal_name", "decides"),
    [
        (("committee", "politician", "chair"), "body", True),
        # Every politician of the body decides its goals, whatever their position: the vice chairs
        # as members of it, a deputy because the portal cannot tell when one stands in.
        (("committee", "politician", "first_vice_chair"), "body", True),
        (("committee", "politician", "second_vice_chair"), "body", True),
        (("committee", "politician", "member"), "body", True),
        (("committee", "politician", "deputy"), "body", True),
        (("other_committee", "politician", "first_vice_chair"), "body", False),
        (("committee", "secretary", ""), "body", True),
        (("other_committee", "politician", "member"), "body", False),
        (("administration", "manager", ""), "body", False),
        (("administration", "manager", ""), "department_goal", True),
        (("administration", "editor", ""), "department_goal", False),
        (("department", "manager", ""), "department_goal", False),
        (("committee", "politician", "chair"), "department_goal", False),
    ],
)
def test_the_decide_permission(chain, group, who, goal_name, decides):
    unit_name, role, position = who
    user = member_of(getattr(group, unit_name), "someone", role=role, position=position)
    assert user.has_perm("goals.decide_goal", getattr(chain, goal_name)) == decides


def test_the_submit_button_sends_the_goal_for_decision(client, chain, group):
    client.force_login(member_of(group.administration, "karin"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    html = client.get(chain.operational.get_absolute_url()).content.decode()
    assert "Send to Utbildningsförvaltningen for decision" in html
    response = client.post(reverse("goals:submit", args=[chain.operational.pk]), follow=True)
    assert status_of(chain.operational) == Status.SUBMITTED
    assert "The goal was sent to Utbildningsförvaltningen for decision." in response.content.decode()
    response = client.post(reverse("goals:submit", args=[chain.operational.pk]), follow=True)
    assert "Only a draft or a goal sent back can be submitted; “Tidiga insatser i läsning” is submitted." in (
        response.content.decode()
    )


@pytest.mark.parametrize(
    ("unit_name", "role", "position"),
    [("committee", "politician", "chair"), ("other_committee", "manager", "")],
)
def test_only_those_who_edit_a_goal_submit_it(client, chain, group, unit_name, role, position):
    client.force_login(member_of(getattr(group, unit_name), "someone", role=role, position=position))
    assert client.post(reverse("goals:submit", args=[chain.operational.pk])).status_code == 403
    assert status_of(chain.operational) == Status.DRAFT


def close_in_the_admin(admin_client, period) -> list[str]:
    """Close ``period`` with the admin's action; the messages it answers with."""
    response = admin_client.post(
        reverse("admin:goals_period_changelist"),
        {"action": "close", "_selected_action": [period.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    return [str(message) for message in response.context["messages"]]


def test_closing_a_year_archives_its_decided_goals(chain, admin_client):
    goal_submit(goal=chain.body, by=None)
    goal_approve(goals=[chain.body], by=None, **MEETING)
    goal_submit(goal=chain.operational, by=None)
    assert close_in_the_admin(admin_client, chain.period) == [
        f"{chain.period.year} is closed; 3 goals archived."  # the body goal, and the council's two
    ]
    assert (status_of(chain.body), status_of(chain.operational)) == (Status.ARCHIVED, Status.SUBMITTED)
    assert close_in_the_admin(admin_client, chain.period) == [f"{chain.period.year} is already closed."]


def test_archived_goals_stay_public(client, chain):
    goal_submit(goal=chain.body, by=None)
    goal_approve(goals=[chain.body], by=None, **MEETING)
    period_close(period=chain.period, by=None)
    assert client.get(chain.body.get_absolute_url()).status_code == 200


def test_the_database_refuses_a_second_decision_for_one_goal(chain, group):
    # Behind the workflow's locks: whatever code path tried it, a goal is first decided once.
    goal_submit(goal=chain.body, by=None)
    first = goal_approve(goals=[chain.body], by=None, **MEETING)
    second = Decision.objects.create(
        deciding_unit=group.committee, meeting_date=datetime.date(2026, 3, 1), paragraph="§ 40"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        DecisionGoal.objects.create(decision=second, goal=chain.body)
    assert list(Goal.objects.get(pk=chain.body.pk).decisions.all()) == [first]


def test_a_goal_under_an_undecided_goal_is_approved_only_with_it(chain, group):
    # Next year's plan: the council decides its vision and strategic goals.
    next_year = Period.objects.create(year=chain.period.year + 1)
    vision = add_goal(Level.VISION, "Sjöstad 2040", group.council, period=next_year)
    strategic = add_goal(Level.STRATEGIC, "Fler jobb", group.council, vision)
    for goal in (vision, strategic):
        goal_submit(goal=goal, by=None)
    with pytest.raises(ValidationError) as refused:
        goal_approve(goals=[strategic], by=None, **MEETING)
    assert refused.value.messages == [
        "“Fler jobb” breaks down “Sjöstad 2040”, which is submitted: "
        "a goal is decided after the goal it breaks down, or in the same decision."
    ]
    goal_approve(goals=[strategic, vision], by=None, **MEETING)
    assert {status_of(vision), status_of(strategic)} == {Status.APPROVED}


@pytest.mark.parametrize(
    ("goal_status", "revision_status", "offered"),
    [
        (Status.DRAFT, None, {Step.EDIT, Step.SUBMIT}),
        (Status.RETURNED, None, {Step.EDIT, Step.SUBMIT}),
        (Status.SUBMITTED, None, set()),
        (Status.APPROVED, None, {Step.EDIT}),  # propose a change
        (Status.APPROVED, Status.DRAFT, {Step.EDIT, Step.SUBMIT, Step.DISCARD}),
        (Status.APPROVED, Status.RETURNED, {Step.EDIT, Step.SUBMIT, Step.DISCARD}),
        (Status.APPROVED, Status.SUBMITTED, set()),
        (Status.ARCHIVED, None, set()),
    ],
)
def test_a_goal_page_offers_the_steps_the_workflow_allows(goal_status, revision_status, offered):
    assert open_steps(goal_status, revision_status) == offered
