"""Carrying a period's goals over to the next year keeps every chain, in one action."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.services import CarryOverResult, goal_carry_over
from goals.models import Goal, Indicator, Period
from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from orgunits.services import orgunit_dissolve
from processes.models import Process
from tests.kit.chain import Chain, add_goal
from tests.kit.organisation import add_unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

CHANGELIST = reverse("admin:goals_period_changelist")


def chains(period: Period) -> list[tuple[str, str | None, str, str]]:
    """Each goal of the period in tree order: its title, its parent's title, its unit and its level."""
    rows = []
    for goal in Goal.objects.filter(period=period).select_related("org_unit"):
        parent = Goal.objects.get_parent(goal)
        rows.append((goal.title, parent.title if parent else None, goal.org_unit.name, goal.level))
    return rows


def move_school_to_another_administration(group) -> None:
    """Reorganise after a past year: the school leaves the department its past goals ran through."""
    elsewhere = add_unit(Kind.ADMINISTRATION, "Omsorgsförvaltningen", group.other_committee)
    OrgUnit.objects.move(group.school, elsewhere, "last-child")
    group.refresh()


def refused(**periods) -> list[str]:
    count = Goal.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        goal_carry_over(**periods)
    assert Goal.objects.count() == count, "a refused carry-over must not write anything"
    return excinfo.value.messages


def test_every_chain_is_carried_over_to_the_next_year(chain, this_year):
    next_year = Period.objects.create(year=this_year + 1)
    assert goal_carry_over(from_period=chain.period, to_period=next_year) == CarryOverResult(
        copied=8, skipped=0
    )
    assert chains(next_year) == chains(chain.period)
    assert chains(next_year)[:3] == [
        ("Sjöstad – hållbart och nära", None, "Kommunfullmäktige", Level.VISION),
        ("Alla barn lyckas i skolan", "Sjöstad – hållbart och nära", "Kommunfullmäktige", Level.STRATEGIC),
        ("Fler elever klarar kunskapskraven", "Alla barn lyckas i skolan", "Utbildningsnämnden", Level.BODY),
    ]
    assert Goal.objects.filter(period=chain.period).count() == 8, "the year carried over keeps its goals"
    assert Goal.objects.find_problems() == ([], [], [], [], [])


def test_a_copy_keeps_its_description_and_owner(chain, this_year, django_user_model):
    owner = django_user_model.objects.create_user("karin")
    chain.body.description = "Mäts med betygsstatistiken."
    chain.body.owner = owner
    chain.body.save()
    next_year = Period.objects.create(year=this_year + 1)
    goal_carry_over(from_period=chain.period, to_period=next_year)
    copy = Goal.objects.get(period=next_year, title=chain.body.title)
    assert (copy.description, copy.owner) == ("Mäts med betygsstatistiken.", owner)


def test_a_copy_serves_the_same_processes_and_keeps_its_indicators(chain, group, this_year):
    process = Process.objects.create(kind="main", name="Lärande", owning_unit=group.committee)
    chain.body.processes.add(process)
    indicator = Indicator.objects.create(code="UN-1", name="Andel elever med godkända betyg")
    indicator.goals.add(chain.body, chain.operational)
    next_year = Period.objects.create(year=this_year + 1)
    goal_carry_over(from_period=chain.period, to_period=next_year)
    copies = Goal.objects.filter(period=next_year)
    assert list(copies.get(title=chain.body.title).processes.all()) == [process]
    assert set(indicator.goals.filter(period=next_year)) == {
        copies.get(title=chain.body.title),
        copies.get(title=chain.operational.title),
    }


def test_activity_dates_move_to_the_new_year_and_progress_starts_again(group):
    chain = Chain(group, 2024)
    chain.activity.start_date = date(2024, 2, 29)
    chain.activity.due_date = date(2024, 12, 15)
    chain.activity.progress = 60
    chain.activity.save()
    next_year = Period.objects.create(year=2025)
    goal_carry_over(from_period=chain.period, to_period=next_year)
    copies = Goal.objects.filter(period=next_year)
    assert [(goal.title, goal.start_date, goal.due_date, goal.progress) for goal in copies] == [
        ("Sjöstad – hållbart och nära", None, None, None),
        ("Alla barn lyckas i skolan", None, None, None),
        ("Fler elever klarar kunskapskraven", None, None, None),
        ("Tidiga insatser i läsning", None, None, None),
        ("Läsfrämjande i grundskolan", None, None, None),
        ("Läsveckor i årskurs 1–3", date(2025, 2, 28), date(2025, 12, 15), 0),
        ("Koncernen bidrar till bostadsbyggandet", None, None, None),
        ("500 nya hyresrätter", None, None, None),
    ]


def test_goals_of_dissolved_units_and_the_goals_below_them_stay_behind(group, this_year):
    # Past years' goals do not keep a unit from being dissolved, so the chain is drawn last year.
    chain = Chain(group, this_year - 1)
    move_school_to_another_administration(group)
    orgunit_dissolve(unit=group.department)
    orgunit_dissolve(unit=group.subsidiary)
    period = Period.objects.create(year=this_year)
    assert goal_carry_over(from_period=chain.period, to_period=period) == CarryOverResult(copied=5, skipped=3)
    left_behind = {"Läsfrämjande i grundskolan", "Läsveckor i årskurs 1–3", "500 nya hyresrätter"}
    assert chains(period) == [row for row in chains(chain.period) if row[0] not in left_behind]
    assert Goal.objects.find_problems() == ([], [], [], [], [])


def test_a_chain_the_organisation_no_longer_fits_refuses_the_whole_carry_over(group, this_year):
    chain = Chain(group, this_year - 1)
    move_school_to_another_administration(group)
    period = Period.objects.create(year=this_year)
    assert refused(from_period=chain.period, to_period=period) == [
        "“Läsveckor i årskurs 1–3” cannot be carried over: “Västra skolan” does not stand under "
        "“Avdelning grundskola”: a goal breaks down only goals of its own unit or of the units above it."
    ]
    assert not Goal.objects.filter(period=period).exists()


def test_a_year_that_already_has_goals_is_refused(chain, group, this_year):
    next_year = Period.objects.create(year=this_year + 1)
    add_goal(Level.VISION, "Redan beslutad vision", group.council, period=next_year)
    assert refused(from_period=chain.period, to_period=next_year) == [
        f"{this_year + 1} already has goals: carry-over only fills an empty year."
    ]


def test_goals_are_carried_over_only_to_a_later_year(chain, this_year):
    last_year = Period.objects.create(year=this_year - 1)
    assert refused(from_period=chain.period, to_period=last_year) == [
        f"{this_year - 1} is not after {this_year}: goals are carried over only to a later year."
    ]
    assert refused(from_period=chain.period, to_period=chain.period) == [
        f"{this_year} is not after {this_year}: goals are carried over only to a later year."
    ]


# The admin action ------------------------------------------------------------------------------


def carry_over_in_admin(admin, *periods: Period) -> list[str]:
    response = admin.post(
        CHANGELIST,
        {"action": "carry_over", "_selected_action": [period.pk for period in periods]},
        follow=True,
    )
    return [str(message) for message in response.context["messages"]]


def test_the_admin_carries_a_period_over_to_the_next_year(admin, chain, this_year):
    assert carry_over_in_admin(admin, chain.period) == [f"8 goals carried over to {this_year + 1}."]
    assert chains(Period.objects.get(year=this_year + 1)) == chains(chain.period)


def test_the_admin_says_which_goals_stayed_behind(admin, group, this_year):
    chain = Chain(group, this_year - 1)
    orgunit_dissolve(unit=group.subsidiary)
    assert carry_over_in_admin(admin, chain.period) == [
        f"7 goals carried over to {this_year}.",
        f"1 goal of {this_year - 1} was left behind: its unit, or the unit of a goal above it, is dissolved.",
    ]


def test_the_admin_reports_a_refusal_and_carries_nothing_over(admin, chain, this_year):
    assert carry_over_in_admin(admin, chain.period) == [f"8 goals carried over to {this_year + 1}."]
    assert carry_over_in_admin(admin, chain.period) == [
        f"{this_year + 1} already has goals: carry-over only fills an empty year."
    ]
    assert Goal.objects.filter(period__year=this_year + 1).count() == 8


def test_a_refusal_in_the_admin_leaves_no_empty_year_behind(admin, group, this_year):
    chain = Chain(group, this_year - 1)
    move_school_to_another_administration(group)
    assert carry_over_in_admin(admin, chain.period) == [
        "“Läsveckor i årskurs 1–3” cannot be carried over: “Västra skolan” does not stand under "
        "“Avdelning grundskola”: a goal breaks down only goals of its own unit or of the units above it."
    ]
    assert not Period.objects.filter(year=this_year).exists()
