"""Each steering-chain rule, allowed and refused, on the paths that place and edit goals."""

import pytest
from django.core.exceptions import ValidationError

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Goal, Period
from orgunits.kinds import Kind
from tests.kit.chain import add_goal, this_year_number
from tests.kit.organisation import add_unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# The activities' dates lie in the chain's year (its term of office), whatever year the suite runs in.
THIS_YEAR = this_year_number()


def refused(level, title, unit, parent=None, period=None) -> list[str]:
    count = Goal.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        add_goal(level, title, unit, parent, period=period)
    assert Goal.objects.count() == count, "a refused goal must not be saved"
    return excinfo.value.messages


def test_the_whole_chain_runs_from_the_vision_to_the_activity(chain):
    assert list(Goal.objects.get_ancestors(chain.activity)) == [
        chain.vision,
        chain.strategic,
        chain.body,
        chain.operational,
        chain.department_goal,
    ]
    assert Goal.objects.find_problems() == ([], [], [], [], [])


# The vision --------------------------------------------------------------------------------


def test_a_vision_is_set_only_by_a_council(chain, group):
    other_period = Period.objects.create(year=chain.period.year + 1)
    assert refused(Level.VISION, "Egen vision", group.committee, period=other_period) == [
        "“Utbildningsnämnden” (committee) cannot set a goal of level “Vision”. That level is set by: “Council”."
    ]


def test_one_vision_per_period_and_municipal_group(chain, group):
    assert refused(Level.VISION, "En andra vision", group.council, period=chain.period) == [
        f"“Kommunfullmäktige” already has a vision for {chain.period.year}: “Sjöstad – hållbart och nära”."
    ]
    next_year = Period.objects.create(year=chain.period.year + 1)
    assert add_goal(Level.VISION, "Vision för nästa år", group.council, period=next_year).is_root()


def test_a_vision_breaks_down_no_other_goal(chain, group):
    assert refused(Level.VISION, "Vision under mål", group.council, chain.strategic) == [
        "“Vision” of “Kommunfullmäktige” cannot break down “Strategic goal” of “Kommunfullmäktige”. "
        "“Vision” breaks down: “the top of the chain”."
    ]


def test_every_other_goal_breaks_down_a_goal(chain, group):
    assert refused(Level.STRATEGIC, "Fristående mål", group.council, period=chain.period) == [
        "“Strategic goal” cannot break down “the top of the chain”. “Strategic goal” breaks down: “Vision”."
    ]


# Strategic goals ---------------------------------------------------------------------------


def test_strategic_goals_are_set_by_the_council_under_the_vision(chain, group):
    assert add_goal(Level.STRATEGIC, "Trygg och säker kommun", group.council, chain.vision).depth == 2
    assert refused(Level.STRATEGIC, "Nämndens inriktning", group.committee, chain.vision) == [
        "“Utbildningsnämnden” (committee) cannot set a goal of level “Strategic goal”. That level is set by: “Council”."
    ]
    assert refused(Level.STRATEGIC, "Delmål", group.council, chain.strategic) == [
        "“Strategic goal” of “Kommunfullmäktige” cannot break down “Strategic goal” of “Kommunfullmäktige”. "
        "“Strategic goal” breaks down: “Vision”."
    ]


# Body goals --------------------------------------------------------------------------------


def test_body_goals_are_set_by_a_political_body_under_a_strategic_goal(chain, group):
    assert add_goal(Level.BODY, "Attraktiv arbetsgivare", group.board, chain.strategic).depth == 3
    assert refused(Level.BODY, "Förvaltningens mål", group.administration, chain.strategic) == [
        "“Utbildningsförvaltningen” (administration) cannot set a goal of level “Body goal”. That level is set by: "
        "“Executive board”, “Committee”, “Joint committee”, “Company”, “Federation”."
    ]


def test_a_subsidiary_breaks_down_its_parent_companys_body_goal(chain):
    assert list(Goal.objects.get_ancestors(chain.subsidiary_goal))[-1] == chain.company_goal


def test_a_body_goal_does_not_break_down_one_of_its_own_bodys(chain, group):
    assert refused(Level.BODY, "Delmål", group.committee, chain.body) == [
        "“Body goal” breaks down a goal of a unit above “Utbildningsnämnden”, not one of its own."
    ]


def test_a_body_goal_does_not_break_down_a_goal_of_a_body_beside_it(chain, group):
    assert refused(Level.BODY, "Omsorgens mål", group.other_committee, chain.body) == [
        "“Omsorgsnämnden” does not stand under “Utbildningsnämnden”: a goal breaks down only goals of its own "
        "unit or of the units above it."
    ]


# Operational goals -------------------------------------------------------------------------


def test_operational_goals_break_down_the_goals_of_the_body_that_steers_them(chain, group):
    # The department's steering body is the committee above its administration.
    goal = add_goal(Level.OPERATIONAL, "Fler behöriga lärare", group.department, chain.body)
    assert Goal.objects.get_parent(goal) == chain.body


def test_operational_goals_do_not_skip_the_body_that_steers_them(chain, group):
    bostader = group.subsidiary
    office = add_unit(Kind.UNIT, "Förvaltningsområde centrum", bostader)
    assert refused(Level.OPERATIONAL, "Nöjda hyresgäster", office, chain.company_goal) == [
        "“Förvaltningsområde centrum” is steered by “Bostäder AB”: its operational goals break down the goals of "
        "“Bostäder AB”, not of “Stadshus AB”."
    ]
    assert add_goal(Level.OPERATIONAL, "Nöjda hyresgäster", office, chain.subsidiary_goal).depth == 5


def test_operational_goals_are_set_by_executing_units(chain, group):
    assert refused(Level.OPERATIONAL, "Nämndens verksamhetsmål", group.committee, chain.body) == [
        "“Utbildningsnämnden” (committee) cannot set a goal of level “Operational goal”. That level is set by: "
        "“Administration”, “Department”, “Unit”."
    ]


def test_operational_goals_break_down_an_operational_goal_of_a_unit_above(chain, group):
    assert (
        add_goal(Level.OPERATIONAL, "Läsning på Västra skolan", group.school, chain.department_goal).depth
        == 6
    )
    assert refused(Level.OPERATIONAL, "Delmål", group.department, chain.department_goal) == [
        "“Operational goal” breaks down a goal of a unit above “Avdelning grundskola”, not one of its own."
    ]


def test_operational_goals_do_not_break_down_a_strategic_goal(chain, group):
    assert refused(Level.OPERATIONAL, "Genväg", group.administration, chain.strategic) == [
        "“Operational goal” of “Utbildningsförvaltningen” cannot break down “Strategic goal” of "
        "“Kommunfullmäktige”. “Operational goal” breaks down: "
        "“Body goal”, “Operational goal”."
    ]


# Activities --------------------------------------------------------------------------------


def test_activities_break_down_an_operational_goal_of_their_unit_or_one_above(chain, group):
    same_unit = add_goal(
        Level.ACTIVITY, "Läsombud på varje avdelning", group.department, chain.department_goal
    )
    unit_above = add_goal(Level.ACTIVITY, "Läsveckor", group.school, chain.operational)
    assert (same_unit.depth, unit_above.depth) == (6, 5)
    assert refused(Level.ACTIVITY, "Aktivitet direkt under nämndmål", group.administration, chain.body) == [
        "“Activity” of “Utbildningsförvaltningen” cannot break down “Body goal” of “Utbildningsnämnden”. "
        "“Activity” breaks down: “Operational goal”."
    ]


def test_only_activities_have_dates_and_progress(chain, group):
    goal = Goal(
        level=Level.OPERATIONAL,
        title="Mål med datum",
        org_unit=group.school,
        period=chain.period,
        progress=20,
    )
    goal.destination = chain.department_goal
    with pytest.raises(ValidationError) as excinfo:
        goal.full_clean()
    assert excinfo.value.messages == ["Only activities have a start date, a due date and progress."]


def test_an_activitys_due_date_comes_after_its_start(chain):
    chain.activity.start_date = f"{THIS_YEAR}-03-01"
    chain.activity.due_date = f"{THIS_YEAR}-02-01"
    with pytest.raises(ValidationError) as excinfo:
        chain.activity.full_clean()
    assert excinfo.value.messages == ["The due date comes before the start date."]


# Periods, direction, cycles ----------------------------------------------------------------


def test_parent_and_child_belong_to_the_same_period(chain, group):
    next_year = Period.objects.create(year=chain.period.year + 1)
    assert refused(Level.BODY, "Nästa års mål", group.committee, chain.strategic, period=next_year) == [
        f"“Alla barn lyckas i skolan” belongs to {chain.period.year}: a goal breaks down only goals of its own "
        f"period ({next_year.year})."
    ]


def test_the_chain_never_runs_sideways_in_the_organisation(chain, group):
    assert refused(Level.ACTIVITY, "Aktivitet i fel förvaltning", group.other_committee, chain.operational)[
        -1
    ] == (
        "“Omsorgsnämnden” does not stand under “Utbildningsförvaltningen”: a goal breaks down only goals of its own "
        "unit or of the units above it."
    )


def test_a_goal_cannot_move_under_itself_or_a_goal_below_it(chain):
    with pytest.raises(ValidationError) as excinfo:
        Goal.objects.move(chain.operational, chain.activity, "last-child")
    assert (
        "“Tidiga insatser i läsning” cannot break down itself or a goal below it (“Läsveckor i årskurs 1–3”)."
        in excinfo.value.messages
    )


def test_editing_a_goal_checks_it_against_its_parent_and_its_children(chain, group):
    chain.operational.org_unit = group.board
    with pytest.raises(ValidationError) as excinfo:
        chain.operational.full_clean()
    assert excinfo.value.messages == [
        "“Kommunstyrelsen” (executive board) cannot set a goal of level “Operational goal”. That level is set by: "
        "“Administration”, “Department”, “Unit”.",
        "“Kommunstyrelsen” does not stand under “Utbildningsnämnden”: a goal breaks down only goals of its own "
        "unit or of the units above it.",
        "Below it, “Läsfrämjande i grundskolan”: “Avdelning grundskola” does not stand under “Kommunstyrelsen”: "
        "a goal breaks down only goals of its own unit or of the units above it.",
    ]


def test_a_valid_move_of_a_goal_to_another_parent(chain, group):
    second = add_goal(
        Level.OPERATIONAL, "Digitala lärresurser", group.administration, chain.body, status=Status.APPROVED
    )
    Goal.objects.move(chain.department_goal, second, "last-child")
    chain.refresh()
    assert Goal.objects.get_parent(chain.department_goal) == second
    assert Goal.objects.get_parent(chain.activity) == chain.department_goal


def test_a_decided_goal_is_not_moved_under_an_undecided_one(chain, group):
    draft = add_goal(Level.OPERATIONAL, "Digitala lärresurser", group.administration, chain.body)
    with pytest.raises(ValidationError) as refused:
        Goal.objects.move(chain.department_goal, draft, "last-child")
    assert refused.value.messages == [
        "“Läsfrämjande i grundskolan” is decided, and a decided goal breaks down only a decided goal; "
        "“Digitala lärresurser” is draft."
    ]
    assert Goal.objects.get_parent(chain.department_goal) == chain.operational
