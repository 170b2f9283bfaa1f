"""Each rule of a goal's write is the service's: asked of ``goal_save`` and ``goal_revise`` directly,
with no form and no API in front, it refuses with its message on the field it is about."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from goals.chain.levels import Level
from goals.chain.placement import UnitAsMoved, organisation_problem, unit_change_problems
from goals.chain.services import goal_revise, goal_save
from goals.chain.workflow import Status
from goals.models import Goal, Revision
from orgunits.concurrency import Conflict
from orgunits.models import OrgUnit
from processes.models import Process, ProcessKind
from tests.kit.chain import this_year_number

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NOT_PART = (
    "“Utbildningsförvaltningen” does not take part in “Lokaler”. Add the unit as a participant, or "
    "choose another process."
)
ONLY_ACTIVITIES = "Only activities have a start date, a due date and progress."
DUE_BEFORE_START = "The due date comes before the start date."

# The activities' dates lie in the chain's year (its term of office), whatever year the suite runs in.
THIS_YEAR = this_year_number()


@pytest.fixture
def premises(group) -> Process:
    """A support process the administration does not take part in."""
    return Process.objects.create(kind=ProcessKind.SUPPORT, name="Lokaler", owning_unit=group.company)


def new_goal(chain, **fields) -> Goal:
    """An operational goal of the administration, not saved yet."""
    values = {"level": Level.OPERATIONAL, "title": "Nytt mål", "org_unit": chain.group.administration}
    return Goal(period=chain.period, **values | fields)


def refused(service, **arguments) -> dict[str, list[str]]:
    """The messages, by field, with which ``service`` refuses ``arguments``."""
    with pytest.raises(ValidationError) as refusal:
        service(**arguments)
    return refusal.value.message_dict


# The processes a goal serves ------------------------------------------------------------------


def test_a_new_goal_serves_only_processes_its_unit_takes_part_in(draft_chain, premises):
    goal = new_goal(draft_chain)
    assert refused(goal_save, goal=goal, parent=draft_chain.body, processes=[premises]) == {
        "processes": [NOT_PART]
    }
    assert not Goal.objects.filter(title="Nytt mål").exists()


def test_a_new_goal_whose_unit_joins_serves_the_process(chain, premises, group):
    # Under the committee's decided goal: a new goal breaks down a decided one (test_chosen_parents).
    goal = goal_save(goal=new_goal(chain), parent=chain.body, processes=[premises], join_processes=True)
    assert list(goal.processes.all()) == [premises]
    assert list(premises.participants.all()) == [group.administration]


def test_a_strategic_goal_serves_main_processes_only(draft_chain, premises, group):
    premises.participants.set([group.council])
    goal = new_goal(draft_chain, level=Level.STRATEGIC, org_unit=group.council)
    assert refused(goal_save, goal=goal, parent=draft_chain.vision, processes=[premises]) == {
        "processes": ["A strategic goal serves main processes; “Lokaler” is a support process."]
    }
    assert not Goal.objects.filter(title="Nytt mål").exists()


def test_an_edited_goal_serves_only_processes_its_unit_takes_part_in(draft_chain, premises):
    goal = draft_chain.operational
    goal.title = "Ändrad rubrik"
    assert refused(goal_save, goal=goal, processes=[premises]) == {"processes": [NOT_PART]}
    assert Goal.objects.get(pk=goal.pk).title == "Tidiga insatser i läsning"


def test_a_change_proposed_serves_only_processes_the_unit_takes_part_in(chain, premises):
    content = {name: getattr(chain.operational, name) for name in Revision.CONTENT_FIELDS}
    assert refused(
        goal_revise, goal=chain.operational, by=None, content=content, processes=[premises], version=None
    ) == {"processes": [NOT_PART]}
    assert not Revision.objects.exists()


# Dates and progress ----------------------------------------------------------------------------


def test_a_new_goal_that_is_not_an_activity_has_no_dates(draft_chain):
    goal = new_goal(draft_chain, start_date=f"{THIS_YEAR}-02-01")
    assert refused(goal_save, goal=goal, parent=draft_chain.body) == {NON_FIELD_ERRORS: [ONLY_ACTIVITIES]}
    assert not Goal.objects.filter(title="Nytt mål").exists()


def test_an_edited_goal_that_is_not_an_activity_has_no_progress(draft_chain):
    goal = draft_chain.operational
    goal.progress = 30
    assert refused(goal_save, goal=goal) == {NON_FIELD_ERRORS: [ONLY_ACTIVITIES]}
    assert Goal.objects.get(pk=goal.pk).progress is None


def test_an_activitys_due_date_does_not_come_before_its_start(draft_chain):
    activity = draft_chain.activity
    activity.start_date, activity.due_date = f"{THIS_YEAR}-03-01", f"{THIS_YEAR}-02-01"
    assert refused(goal_save, goal=activity) == {NON_FIELD_ERRORS: [DUE_BEFORE_START]}
    assert Goal.objects.get(pk=activity.pk).due_date is None


def test_a_change_proposed_to_an_activity_keeps_its_dates_in_order(chain):
    content = {name: getattr(chain.activity, name) for name in Revision.CONTENT_FIELDS}
    content |= {"start_date": f"{THIS_YEAR}-03-01", "due_date": f"{THIS_YEAR}-02-01"}
    assert refused(
        goal_revise, goal=chain.activity, by=None, content=content, processes=[], version=None
    ) == {NON_FIELD_ERRORS: [DUE_BEFORE_START]}
    assert not Revision.objects.exists()


# The lock ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "locked"),
    [
        (Status.DRAFT, False),
        (Status.RETURNED, False),
        (Status.SUBMITTED, True),
        (Status.APPROVED, True),
        (Status.ARCHIVED, True),
    ],
)
def test_a_goal_is_locked_while_it_waits_for_its_decision_and_once_decided(status, locked):
    assert Goal(status=status).is_locked is locked


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (
            Status.SUBMITTED,
            "“Tidiga insatser i läsning” waits for the decision of Utbildningsförvaltningen and cannot be "
            "changed now; they can send it back.",
        ),
        (
            Status.APPROVED,
            "“Tidiga insatser i läsning” is approved: its content changes only through a decided revision.",
        ),
        (
            Status.ARCHIVED,
            "“Tidiga insatser i läsning” is archived with its closed year and is not changed any more.",
        ),
    ],
    ids=["submitted", "approved", "archived"],
)
def test_a_locked_goals_edit_is_a_conflict_named_by_the_goal_as_saved(draft_chain, status, message):
    goal = draft_chain.operational
    Goal.objects.filter(pk=goal.pk).update(status=status)  # meanwhile, the edit being made on a draft
    goal.title = "Ändrad rubrik"
    with pytest.raises(Conflict) as refusal:
        goal_save(goal=goal)
    assert refusal.value.messages == [message]
    assert Goal.objects.get(pk=goal.pk).title == "Tidiga insatser i läsning"


# The place in the chain -------------------------------------------------------------------------


def test_an_edited_goal_moved_to_the_top_is_refused_by_the_chain_rules(draft_chain):
    goal = draft_chain.operational
    with pytest.raises(ValidationError) as refusal:
        goal_save(goal=goal, parent=None)
    assert refusal.value.messages == [
        "“Operational goal” cannot break down “the top of the chain”. “Operational goal” breaks down: "
        "“Body goal”, “Operational goal”."
    ]
    assert Goal.objects.get_parent(Goal.objects.get(pk=goal.pk)) == draft_chain.body


def test_an_edited_goal_stays_where_it_stands_unless_told(draft_chain):
    goal = draft_chain.operational
    goal.title = "Ändrad rubrik"
    goal_save(goal=goal)
    assert Goal.objects.get_parent(Goal.objects.get(pk=goal.pk)) == draft_chain.body


# The organisation as a change leaves it ---------------------------------------------------------


def test_a_unit_move_is_asked_of_the_organisation_as_it_will_be_and_writes_nothing(chain, group):
    problems = unit_change_problems(group.administration, parent=group.board, goals=Goal.objects.all())
    assert problems == [
        "Moving “Utbildningsförvaltningen” would break the steering chain of these goals: "
        f"“Tidiga insatser i läsning” ({chain.period.year})."
    ]
    assert OrgUnit.objects.get_parent(OrgUnit.objects.get(pk=group.administration.pk)) == group.committee


def test_the_steering_body_is_read_from_the_units_above_as_they_will_stand(chain, group):
    # The administration under the board instead of the committee: the committee's goals no longer
    # stand above it, and the board would steer it.
    under_board = UnitAsMoved(group.administration, [group.council, group.board])
    assert organisation_problem(Level.OPERATIONAL, under_board, chain.body) == (
        "“Utbildningsförvaltningen” does not stand under “Utbildningsnämnden”: a goal breaks down only "
        "goals of its own unit or of the units above it."
    )
    board_goal = Goal(level=Level.BODY, title="Styrelsens mål", org_unit=group.board)
    under_both = UnitAsMoved(group.administration, [group.council, group.committee, group.board])
    assert organisation_problem(Level.OPERATIONAL, under_both, chain.body) == (
        "“Utbildningsförvaltningen” is steered by “Kommunstyrelsen”: its operational goals break down "
        "the goals of “Kommunstyrelsen”, not of “Utbildningsnämnden”."
    )
    assert organisation_problem(Level.OPERATIONAL, under_both, board_goal) is None
