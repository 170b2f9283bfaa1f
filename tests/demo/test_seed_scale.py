"""``manage.py seed_scale``: a large generated group, written in bulk past the trees' managers, so
these tests check on a small run, over three years, that every row keeps the rules the managers
would have asked."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from demo.scale import seed_scale
from goals.chain.levels import Level
from goals.chain.placement import chain_problems, process_problems
from goals.chain.workflow import Status
from goals.models import (
    Decision,
    FollowUp,
    Gender,
    Goal,
    Indicator,
    Measurement,
    Period,
    ReportingPeriod,
    ReportingPeriodKind,
    Target,
)
from orgunits.kinds import Kind, is_political
from orgunits.models import Organisations, OrgUnit
from processes.models import Process, ProcessKind, TargetGroup

pytestmark = pytest.mark.django_db

SMALL = {
    "units": 40,
    "goals": 300,
    "indicators": 20,
    "measurements": 700,
    "processes": 6,
    "year": 2026,
    "years": 3,
}
YEARS = [2024, 2025, 2026]

EXECUTING = (Kind.ADMINISTRATION, Kind.DEPARTMENT, Kind.UNIT)


def seed(**parameters) -> str:
    out = StringIO()
    options = SMALL | parameters
    call_command("seed_scale", *(f"--{name}={value}" for name, value in options.items()), stdout=out)
    return out.getvalue()


def dump() -> list:
    """What was made, by names and paths (not ids, which another run numbers on)."""
    return [
        list(OrgUnit.objects.order_by("path").values_list("path", "kind", "name", "short_name", "slug")),
        list(
            Goal.objects.order_by("path").values_list(
                "path",
                "level",
                "title",
                "org_unit__path",
                "period__year",
                "start_date",
                "due_date",
                "progress",
            )
        ),
        list(
            Goal.processes.through.objects.order_by("goal__path", "process__name").values_list(
                "goal__path", "process__name"
            )
        ),
        list(Process.objects.order_by("name").values_list("name", "kind", "slug", "owning_unit__path")),
        list(
            Process.participants.through.objects.order_by("process__name", "orgunit__path").values_list(
                "process__name", "orgunit__path"
            )
        ),
        list(
            Indicator.objects.order_by("code").values_list(
                "code", "name", "source", "kolada_kpi", "direction"
            )
        ),
        list(
            Indicator.goals.through.objects.order_by("indicator__code", "goal__path").values_list(
                "indicator__code", "goal__path"
            )
        ),
        list(
            Target.objects.order_by("indicator__code", "year").values_list("indicator__code", "year", "value")
        ),
        list(
            Measurement.objects.order_by(
                "indicator__code", "year", "reporting_period__kind", "gender"
            ).values_list("indicator__code", "year", "reporting_period__kind", "gender", "value")
        ),
        # A goal of an earlier year has a follow-up in each report, and a unit a decision each year.
        list(
            FollowUp.objects.order_by("goal__path", "reporting_period__kind").values_list(
                "goal__path", "reporting_period__kind", "attainment"
            )
        ),
        list(
            Decision.objects.order_by("deciding_unit__path", "meeting_date").values_list(
                "deciding_unit__path", "meeting_date", "paragraph"
            )
        ),
    ]


def empty_the_database() -> None:
    for model in (
        FollowUp,
        Measurement,
        Target,
        Indicator,
        Decision,
        Goal,
        Process,
        TargetGroup,
        ReportingPeriod,
        Period,
        OrgUnit,
    ):
        model.objects.all().delete()


def test_a_seed_gives_the_same_rows_and_another_seed_other_rows():
    seed(seed=3)
    first = dump()
    empty_the_database()
    seed(seed=3)
    assert dump() == first
    empty_the_database()
    seed(seed=4)
    other = dump()
    assert other != first
    assert other[0] != first[0] and other[1] != first[1]


def test_it_makes_what_was_asked_for_and_says_so():
    out = seed(seed=5)
    assert OrgUnit.objects.count() == SMALL["units"]
    assert Goal.objects.count() == SMALL["goals"]
    assert Indicator.objects.count() == SMALL["indicators"]
    assert Measurement.objects.count() == SMALL["measurements"]
    assert Process.objects.count() == SMALL["processes"]
    for line in ("40  units", "300  goals", "20  indicators", "700  measurements", "6  processes"):
        assert line in out
    for line in ("100  goals of 2024", "100  goals of 2025", "100  goals of 2026", "Seeded 2024–2026"):
        assert line in out
    # Each year its own chain of a third of the goals, most of it in the lower levels.
    for year in YEARS:
        levels = list(Goal.objects.filter(period__year=year).values_list("level", flat=True))
        assert len(levels) == 100
        assert levels.count(Level.VISION) == 1
        assert levels.count(Level.ACTIVITY) > levels.count(Level.OPERATIONAL) > levels.count(Level.BODY)
        assert levels.count(Level.ACTIVITY) + levels.count(Level.OPERATIONAL) > 0.8 * len(levels)


def test_what_does_not_divide_goes_to_the_latest_years():
    seed(goals=302, seed=5)
    counts = {year: Goal.objects.filter(period__year=year).count() for year in YEARS}
    assert counts == {2024: 100, 2025: 101, 2026: 101}


def test_one_year_is_a_single_open_years_chain():
    out = seed(years=1, seed=5)
    assert set(Goal.objects.values_list("period__year", flat=True)) == {2026}
    assert Goal.objects.filter(level=Level.VISION).count() == 1
    assert set(Goal.objects.values_list("status", flat=True)) == {Status.APPROVED}
    assert "goals of" not in out and "Seeded 2026 " in out


def test_the_default_sized_shape_at_a_smaller_scale_is_realistic():
    seed(units=300, goals=2000, indicators=30, measurements=3000, processes=12, seed=6)
    kinds = list(OrgUnit.objects.values_list("kind", flat=True))
    assert kinds.count(Kind.COUNCIL) == 1 and kinds.count(Kind.EXECUTIVE_BOARD) == 1
    assert kinds.count(Kind.COMMITTEE) >= 2 and kinds.count(Kind.FEDERATION) >= 1
    assert kinds.count(Kind.COMPANY) >= 5 and kinds.count(Kind.ADMINISTRATION) >= 3
    assert kinds.count(Kind.UNIT) > kinds.count(Kind.DEPARTMENT) > kinds.count(Kind.ADMINISTRATION)
    assert 6 <= max(OrgUnit.objects.values_list("depth", flat=True)) <= 8


def test_the_trees_are_sound():
    seed(seed=7)
    no_problems = ([], [], [], [], [])
    assert OrgUnit.objects.find_problems() == no_problems
    assert Goal.objects.find_problems() == no_problems
    assert TargetGroup.objects.find_problems() == no_problems
    assert OrgUnit.objects.filter(depth=1).count() == 1
    # Each year's vision roots its chain, the earliest year first.
    roots = Goal.objects.filter(depth=1).order_by("path")
    assert [(goal.level, goal.period.year) for goal in roots] == [(Level.VISION, year) for year in YEARS]
    for root in roots:
        assert set(Goal.objects.get_tree(root).values_list("period__year", flat=True)) == {root.period.year}
    # check_chains fails on any problem and writes each to stderr.
    problems = StringIO()
    call_command("check_chains", stdout=StringIO(), stderr=problems)
    assert problems.getvalue() == ""
    assert 6 <= max(OrgUnit.objects.values_list("depth", flat=True)) <= 8


def test_every_unit_and_goal_keeps_the_rules_the_managers_ask():
    seed(seed=8)
    # full_clean runs the placement rules against the parent and children (``check_placement``),
    # as an edit in the admin would; and the slugs, lengths and choices.
    for unit in OrgUnit.objects.all():
        assert unit.placement_problems(parent=OrgUnit.objects.get_parent(unit)) == [], unit
        unit.full_clean()
    for goal in Goal.objects.select_related("org_unit", "period").prefetch_related("processes"):
        parent = Goal.objects.get_parent(goal)
        assert chain_problems(goal, parent=parent) == [], goal
        assert process_problems(goal, goal.processes.all()) == [], goal
        goal.full_clean()
    for model in (Process, Indicator, Target, Measurement, FollowUp):
        for row in model.objects.all():
            row.full_clean()
    # Nobody recorded the generated decisions: the one field the generator leaves empty.
    for decision in Decision.objects.all():
        decision.full_clean(exclude=["recorded_by"])


@pytest.mark.parametrize("year", YEARS)
def test_the_chains_are_complete(year):
    seed(seed=9)
    goals = list(Goal.objects.filter(period__year=year).select_related("org_unit"))
    (vision,) = [goal for goal in goals if goal.depth == 1]
    assert vision.level == Level.VISION and vision.org_unit.is_root()
    # Every goal's chain reaches the vision; every goal but an activity is broken down, down to
    # activities, and no activity is.
    assert all(goal.path.startswith(vision.path) for goal in goals)
    for goal in goals:
        assert (goal.numchild == 0) == (goal.level == Level.ACTIVITY), goal
    # Every political body sets body goals, and every administration, department and unit
    # operational goals, each with its activities.
    by_unit = {}
    for goal in goals:
        by_unit.setdefault(goal.org_unit_id, set()).add(goal.level)
    for unit in OrgUnit.objects.all():
        if unit.is_root():
            assert by_unit[unit.pk] == {Level.VISION, Level.STRATEGIC}
        elif is_political(unit.kind):
            assert by_unit[unit.pk] == {Level.BODY}, unit
        else:
            assert by_unit[unit.pk] == {Level.OPERATIONAL, Level.ACTIVITY}, unit
    # An administration's goals break down the body goals of the committee or board above it.
    by_path = {goal.path: goal for goal in goals}
    for goal in goals:
        if goal.org_unit.kind == Kind.ADMINISTRATION and goal.level == Level.OPERATIONAL:
            parent = by_path[goal.path[: -Goal.steplen]]
            assert parent.level == Level.BODY and parent.org_unit == goal.org_unit.steering_body


def test_goals_are_decided_and_followed_up_and_serve_processes():
    seed(seed=10)
    organisations = Organisations()
    goals = list(Goal.objects.select_related("org_unit", "period").prefetch_related("decisions"))
    for goal in goals:
        (decision,) = goal.decisions.all()
        assert decision.deciding_unit_id == goal.deciding_unit_among(organisations).pk
        assert decision.meeting_date.year in (goal.period.year - 1, goal.period.year)
    # This year's goals are in force; the closed years' were archived when their years closed.
    statuses = {(goal.period.year, goal.status) for goal in goals}
    assert statuses == {(2024, Status.ARCHIVED), (2025, Status.ARCHIVED), (2026, Status.APPROVED)}
    for year in YEARS:
        serving = Goal.objects.filter(period__year=year, processes__isnull=False)
        assert serving.filter(level=Level.STRATEGIC, processes__kind=ProcessKind.MAIN).exists()
        assert serving.filter(level=Level.ACTIVITY).exists()
    assert all(process.participants.exists() for process in Process.objects.all())
    assert FollowUp.objects.filter(goal__level=Level.ACTIVITY).count() == 0
    # Each follow-up is of its goal's year; this year's goals all in the four-month report, an
    # earlier year's most of them in each of its three reports.
    assert not FollowUp.objects.exclude(reporting_period__period=F("goal__period")).exists()
    for year in YEARS:
        reported = Goal.objects.filter(period__year=year).exclude(level__in=(Level.VISION, Level.ACTIVITY))
        follow_ups = FollowUp.objects.filter(goal__period__year=year)
        for kind in ReportingPeriodKind:
            count = follow_ups.filter(reporting_period__kind=kind).count()
            if year == 2026:
                assert count == (reported.count() if kind == ReportingPeriodKind.FOUR_MONTHS else 0)
            else:
                assert 0.8 * reported.count() <= count <= reported.count(), (year, kind)


def test_indicators_have_targets_and_values_over_several_years():
    seed(seed=11)
    assert not Indicator.objects.filter(goals__isnull=True).exists()
    # An indicator measures goals of every year's chain.
    for indicator in Indicator.objects.prefetch_related("goals__period"):
        assert {goal.period.year for goal in indicator.goals.all()} == set(YEARS), indicator
    assert all(indicator.targets.count() == 5 for indicator in Indicator.objects.all())
    years = set(Measurement.objects.values_list("year", flat=True))
    assert len(years) >= 3 and max(years) == 2026
    genders = list(Measurement.objects.values_list("gender", flat=True))
    assert genders.count(Gender.TOTAL) > genders.count(Gender.WOMEN) > 0
    assert (
        genders.count(Gender.WOMEN) == genders.count(Gender.MEN)
        or abs(genders.count(Gender.WOMEN) - genders.count(Gender.MEN)) <= SMALL["indicators"]
    )
    # The values of a reporting period belong to its year, whose period exists with its reporting
    # periods; the years before the chain's are closed.
    assert Measurement.objects.filter(reporting_period__isnull=False).exists()
    assert not (
        Measurement.objects.filter(reporting_period__isnull=False)
        .exclude(reporting_period__period__year=F("year"))
        .exists()
    )
    assert all(period.reporting_periods.count() == 3 for period in Period.objects.all())
    assert list(Period.objects.filter(is_closed=False).values_list("year", flat=True)) == [2026]
    open_reporting = ReportingPeriod.objects.filter(is_open=True).values_list("period__year", flat=True)
    assert set(open_reporting) == {2026}


def test_it_refuses_a_database_that_holds_an_organisation():
    OrgUnit.objects.add_root(instance=OrgUnit(name="Kommunfullmäktige", kind=Kind.COUNCIL))
    with pytest.raises(CommandError, match="already holds an organisation"):
        seed()
    assert OrgUnit.objects.count() == 1 and not Goal.objects.exists()


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"units": 10}, "needs at least"),
        ({"goals": 50}, "complete chain"),
        ({"goals": 150}, "150 over 3 years, 50 a year"),
        ({"years": 0}, "At least one year"),
        ({"years": 30}, "before 2000"),
        ({"measurements": 10**7}, "hold at most"),
    ],
)
def test_it_refuses_what_the_shape_cannot_hold(parameters, message):
    with pytest.raises(CommandError, match=message):
        seed(**parameters)
    assert not OrgUnit.objects.exists()


def test_the_function_defaults_to_four_years_up_to_this_one():
    made = seed_scale(units=30, goals=240, indicators=5, measurements=50, processes=3)
    assert made["units"] == 30 and made["goals"] == 240
    this_year = timezone.localdate().year
    assert list(Period.objects.filter(is_closed=False).values_list("year", flat=True)) == [this_year]
    chain_years = Goal.objects.filter(level=Level.VISION).values_list("period__year", flat=True)
    assert sorted(chain_years) == list(range(this_year - 3, this_year + 1))


def test_this_years_pages_show_this_years_chain(client, admin_user):
    seed(seed=12)
    client.force_login(admin_user)
    visions = {goal.period.year: goal for goal in Goal.objects.filter(level=Level.VISION)}
    chain = client.get(reverse("goals:chain"))
    assert chain.status_code == 200
    assert chain.context["period"].year == 2026
    assert visions[2026].title in chain.content.decode()
    assert f'href="{visions[2025].get_absolute_url()}"' not in chain.content.decode()
    # The matrix counts this year's goals serving each process, not the earlier years'.
    matrix = client.get(reverse("goals:matrix"))
    assert matrix.context["period"].year == 2026
    counted = sum(cell.count for _process, cells in matrix.context["rows"] for cell in cells)
    serving = Goal.processes.through.objects
    assert counted == serving.filter(goal__period__year=2026).count() < serving.count()
