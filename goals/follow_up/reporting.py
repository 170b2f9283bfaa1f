"""What the follow-up pages and the report show beside a person's grade: the grade a goal's indicators
suggest and the roll-up of the goals that break it down, for many goals in a fixed number of queries.
The rules themselves are in ``goals.follow_up.grading``; ``docs/follow-up.md`` explains them to users."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce, JSONObject, RowNumber
from django.utils.translation import gettext

from goals.chain.levels import Level
from goals.chain.models import Goal, ReportingPeriod, ReportingPeriodKind
from goals.chain.queries import of_units_under
from goals.chain.workflow import PUBLIC_STATUSES
from goals.follow_up.deadlines import with_overdue_in
from goals.follow_up.grading import Attainment, Reading, combined_grade, indicator_grade
from goals.follow_up.models import FollowUp
from goals.follow_up.workflow import REPORTED_LEVELS, ReviewStatus
from goals.indicators.models import Gender, Indicator, Measurement, Target
from orgunits.models import Organisations, OrgUnit
from orgunits.trees import parent_path_of
from processes.models import Process


def with_readings(goals, reporting_period: ReportingPeriod | None = None):
    """Prefetch what a reading needs: with ``reporting_period``, each goal's indicators read in that
    period by the database (one query, however many goals and values); without it, each goal's
    indicators with all their targets and total values, to read them in any period (three queries)."""
    return goals.prefetch_related(readings_prefetch(reporting_period))


def readings_prefetch(reporting_period: ReportingPeriod | None = None) -> Prefetch:
    """The ``Prefetch`` of ``with_readings``, also for goals fetched already
    (``prefetch_related_objects``)."""
    if reporting_period is not None:
        return Prefetch("indicators", queryset=_indicators_read_in(reporting_period))
    totals = Measurement.objects.filter(gender=Gender.TOTAL).select_related("reporting_period")
    indicators = Indicator.objects.prefetch_related("targets", Prefetch("measurements", queryset=totals))
    return Prefetch("indicators", queryset=indicators)


def _indicators_read_in(reporting_period: ReportingPeriod):
    """Indicators annotated with their target, value and last year's value in the reporting period,
    by the rules of ``reading_of`` (three subqueries, no query more)."""
    year, kind = reporting_period.period.year, reporting_period.kind
    targets = Target.objects.filter(indicator=OuterRef("pk"), year=year).order_by()
    totals = Measurement.objects.filter(indicator=OuterRef("pk"), gender=Gender.TOTAL).order_by()

    def value_in(year: int):
        of_kind = Subquery(totals.filter(year=year, reporting_period__kind=kind).values("value")[:1])
        if kind != ReportingPeriodKind.ANNUAL:
            return of_kind
        # The year's own value first, as the indicator's trend takes it.
        return Coalesce(
            Subquery(totals.filter(year=year, reporting_period=None).values("value")[:1]), of_kind
        )

    return Indicator.objects.annotate(
        read_in=Value(reporting_period.pk),
        target_in_period=Subquery(targets.values("value")[:1]),
        value_in_period=value_in(year),
        value_a_year_earlier=value_in(year - 1),
    )


def reading_of(indicator: Indicator, reporting_period: ReportingPeriod) -> Reading:
    """The indicator in a reporting period, from what ``with_readings`` prefetched.

    The value is the one measured for the reporting period; for the annual report, the whole year's
    value, or the annual report's where the year has none. The reference is the value of the same
    reporting period a year earlier, else the baseline, if it is from an earlier year.
    """
    year, kind = reporting_period.period.year, reporting_period.kind
    if getattr(indicator, "read_in", None) == reporting_period.pk:  # read by the database
        target, value = indicator.target_in_period, indicator.value_in_period
        reference = indicator.value_a_year_earlier
    else:
        target = next((target.value for target in indicator.targets.all() if target.year == year), None)
        value, reference = _value_in(indicator, year, kind), _value_in(indicator, year - 1, kind)
    if reference is None and indicator.baseline_year is not None and indicator.baseline_year < year:
        reference = indicator.baseline_value
    return Reading(value=value, target=target, reference=reference, direction=indicator.direction)


def _value_in(indicator: Indicator, year: int, kind: str) -> Decimal | None:
    values = {
        measurement.reporting_period.kind if measurement.reporting_period else None: measurement.value
        for measurement in indicator.measurements.all()
        if measurement.year == year
    }
    if kind == ReportingPeriodKind.ANNUAL and None in values:
        return values[None]  # the year's own value, as the indicator's trend takes it
    return values.get(kind)


@dataclass(frozen=True)
class IndicatorResult:
    indicator: Indicator
    reading: Reading
    grade: Attainment


@dataclass
class Assessment:
    """A goal in a reporting period: the person's follow-up (if any), what the indicators suggest,
    and the roll-up of the grades reported for the goals that break it down."""

    goal: Goal
    follow_up: FollowUp | None
    indicators: list[IndicatorResult]
    suggested: Attainment
    roll_up: Attainment
    # How many of the goals below have each grade reported, in the order of ``Attainment``.
    below: list[tuple[Attainment, int]] = field(default_factory=list)

    @property
    def grade(self) -> str:
        return self.follow_up.attainment if self.follow_up else Attainment.NOT_ASSESSED


def follow_ups_visible_to(user):
    """The follow-ups someone may read: the reviewed ones are public, the rest are work in progress
    for signed-in users."""
    if not user.is_authenticated:
        return FollowUp.objects.filter(status=ReviewStatus.REVIEWED)
    return FollowUp.objects.all()


def assess(goals, reporting_period: ReportingPeriod, user) -> list[Assessment]:
    """Each goal (a list, or a queryset, prefetched ``with_readings``) assessed in the reporting
    period: one query more for the follow-ups of the goals and of the goals that break them down,
    which give the roll-ups."""
    if isinstance(goals, QuerySet):  # read the follow-ups by a subquery, however many goals
        ids, paths = goals.values("pk"), goals.values("path")
    else:
        ids, paths = [goal.pk for goal in goals], [goal.path for goal in goals]
    follow_ups = list(
        follow_ups_visible_to(user)
        .filter(reporting_period=reporting_period)
        .alias(parent_path=parent_path_of(Goal, "goal__path"))
        .filter(Q(goal__in=ids) | Q(parent_path__in=paths))
        .select_related("goal", "reported_by", "reviewed_by")
    )
    by_goal = {follow_up.goal_id: follow_up for follow_up in follow_ups}
    # The grades reported (not mere drafts) for the goals below each goal, by the parent's path.
    below: dict[str, Counter] = {}
    for follow_up in follow_ups:
        if follow_up.status != ReviewStatus.DRAFT:
            below.setdefault(follow_up.goal.parent_path, Counter())[follow_up.attainment] += 1
    assessments = []
    for goal in goals:
        results = [
            IndicatorResult(indicator, reading, indicator_grade(reading))
            for indicator in goal.indicators.all()
            for reading in [reading_of(indicator, reporting_period)]
        ]
        grades_below = below.get(goal.path, Counter())
        assessments.append(
            Assessment(
                goal=goal,
                follow_up=by_goal.get(goal.pk),
                indicators=results,
                suggested=combined_grade(result.grade for result in results),
                roll_up=combined_grade(grades_below.elements()),
                below=[(grade, grades_below[grade]) for grade in Attainment if grades_below[grade]],
            )
        )
    return assessments


@dataclass(frozen=True)
class SummaryRow:
    """How many goals of a level or an organisation have each grade, in the order of ``Attainment``."""

    name: str
    counts: tuple[int, ...]

    @classmethod
    def of(cls, name: str, grades: Counter) -> SummaryRow:
        return cls(name, tuple(grades[grade] for grade in Attainment))

    @property
    def total(self) -> int:
        return sum(self.counts)


# How many goals a page of the report assesses; the summary and the Excel export hold them all.
REPORT_PAGE_SIZE = 25


@dataclass
class Report:
    """The follow-up of one reporting period for the group, a unit's part of it or a process: the
    grades of all its goals counted per level and per organisation, and its goals assessed (all of
    them, or one page of them)."""

    reporting_period: ReportingPeriod
    assessments: list[Assessment]
    by_level: list[SummaryRow]
    by_organisation: list[SummaryRow]
    # The page of goals assessed, when the report was asked for one page.
    page: Page | None = None

    @property
    def count(self) -> int:
        """How many goals the report holds (on every page)."""
        return sum(row.total for row in self.by_level)


def report_goals(
    *, reporting_period: ReportingPeriod, unit: OrgUnit | None = None, process: Process | None = None
):
    """The decided strategic, body and operational goals of the reporting period's year, in the
    order of the steering chain; ``unit`` narrows them to the unit's part of the organisation,
    ``process`` to the goals serving the process."""
    goals = Goal.objects.filter(
        period=reporting_period.period_id, status__in=PUBLIC_STATUSES, level__in=REPORTED_LEVELS
    )
    if unit is not None:
        # Through the goals' index of unit and year, not across the join, for which PostgreSQL read
        # every goal of the year (an administration's report: its two goal queries 1.8 to 0.4 ms).
        goals = goals.filter(of_units_under(unit))
    if process is not None:
        goals = goals.filter(processes=process)
    return goals.order_by("path")


def follow_up_report(
    *,
    reporting_period: ReportingPeriod,
    user,
    unit: OrgUnit | None = None,
    process: Process | None = None,
    page: int | str | None = None,
    organisations: Organisations | None = None,
) -> Report:
    """The goals of ``report_goals``, each assessed, with their grades counted per level and per
    organisation. With ``page`` (a page number, which may be wrong), only that page's goals are
    assessed; the counts are always the whole report's. Each goal assessed is annotated
    ``follow_up_overdue``. Five queries, however many goals; four with ``organisations`` read
    already."""
    goals = report_goals(reporting_period=reporting_period, unit=unit, process=process)
    by_level, by_organisation = _grade_counts(goals, reporting_period, user, organisations)
    report = Report(reporting_period, [], by_level, by_organisation)
    goals = with_readings(
        with_overdue_in(goals.select_related("org_unit"), reporting_period), reporting_period
    )
    if page is None:
        report.assessments = assess(goals, reporting_period, user)
    else:
        # The counts say how many goals there are, so the paginator need not count them again.
        report.page = Paginator(_Counted(goals, report.count), REPORT_PAGE_SIZE).get_page(page)
        report.assessments = assess(list(report.page.object_list), reporting_period, user)
    return report


def _grade_counts(
    goals, reporting_period: ReportingPeriod, user, organisations: Organisations | None = None
) -> tuple[list[SummaryRow], list[SummaryRow]]:
    """The goals' grades (the grade of the follow-up the user may read, else not assessed) counted
    per level and per organisation by the database, per unit (two queries, with the organisations)."""
    grade = Subquery(
        follow_ups_visible_to(user)
        .filter(goal=OuterRef("pk"), reporting_period=reporting_period)
        .order_by()
        .values("attainment")[:1]
    )
    per_unit = (
        goals.order_by()
        .annotate(grade=Coalesce(grade, Value(Attainment.NOT_ASSESSED.value)))
        .values_list("level", "org_unit__path", "grade")
        .annotate(count=Count("pk"))
    )
    by_level = {level: Counter() for level in REPORTED_LEVELS}
    by_unit: dict[str, Counter] = {}
    for level, path, attainment, count in per_unit:
        by_level[level][attainment] += count
        by_unit.setdefault(path, Counter())[attainment] += count
    if organisations is None:
        organisations = Organisations()
    by_organisation: dict[str, tuple[OrgUnit | None, Counter]] = {}
    for path, grades in by_unit.items():
        organisation = organisations.of(path)
        key = organisation.path if organisation else ""  # the political bodies first
        by_organisation.setdefault(key, (organisation, Counter()))[1].update(grades)
    return (
        [SummaryRow.of(str(Level(level).label), grades) for level, grades in by_level.items() if grades],
        [
            SummaryRow.of(
                organisation.name if organisation else gettext("The council and the committees"), grades
            )
            for _path, (organisation, grades) in sorted(by_organisation.items())
        ],
    )


class _Counted:
    """A queryset whose length is known already, for a paginator."""

    def __init__(self, queryset, count: int):
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.queryset[index]


# The grades' colours in charts, as in the badges (the badges also say the grade in words).
GRADE_COLOURS = {
    Attainment.ACHIEVED: "#2e8b57",
    Attainment.PARTLY: "#e0a800",
    Attainment.NOT_ACHIEVED: "#c0392b",
    Attainment.NOT_ASSESSED: "#9aa5b1",
}


def grade_chart_config(rows: list[SummaryRow]) -> dict:
    """A Chart.js stacked bar chart of how many goals have each grade, one bar per row."""
    return {
        "type": "bar",
        "data": {
            "labels": [row.name for row in rows],
            "datasets": [
                {
                    "label": str(grade.label),
                    "data": [row.counts[index] for row in rows],
                    "backgroundColor": GRADE_COLOURS[grade],
                }
                for index, grade in enumerate(Attainment)
            ],
        },
        "options": {
            "indexAxis": "y",
            # The page gives the chart a height by its number of bars, so every bar keeps its label.
            "maintainAspectRatio": False,
            "scales": {
                "x": {"stacked": True, "ticks": {"precision": 0}},
                "y": {"stacked": True, "ticks": {"autoSkip": False}},
            },
        },
    }


def readable_statuses(user) -> list[str]:
    """The statuses of the follow-ups whose grade ``user`` may read: the public reads reviewed
    follow-ups; signed-in users also those waiting for review. Drafts are nobody's grade yet."""
    if not user.is_authenticated:
        return [ReviewStatus.REVIEWED]
    return [ReviewStatus.REVIEWED, ReviewStatus.SUBMITTED]


def _latest_readable_follow_ups(user) -> QuerySet:
    """The follow-ups of the goal of the outer query that ``user`` may read (``readable_statuses``),
    latest first: the first gives the goal's latest grade."""
    return FollowUp.objects.filter(goal=OuterRef("pk"), status__in=readable_statuses(user)).order_by(
        "-reporting_period__ends"
    )


def with_latest_grade(goals, user, *, with_its_report: bool = True):
    """Annotate each goal with ``latest_grade``: the grade of its latest follow-up that the user may
    read, and, ``with_its_report``, which report gave it (``latest_grade_kind``,
    ``latest_grade_year``: a grade without its report reads as this year's), as subqueries, no extra
    query (the API shows the grade alone: two subqueries fewer for the ORM to compile). For a page
    of goals; ``with_latest_grade_row`` reads the three in one subquery, and to count the grades of
    many goals, ``latest_grades`` reads them all at once."""
    latest = _latest_readable_follow_ups(user)
    goals = goals.annotate(latest_grade=Subquery(latest.values("attainment")[:1]))
    if not with_its_report:
        return goals
    return goals.annotate(
        latest_grade_kind=Subquery(latest.values("reporting_period__kind")[:1]),
        latest_grade_year=Subquery(latest.values("reporting_period__period__year")[:1]),
    )


def with_latest_grade_row(goals, user):
    """``with_latest_grade``'s three annotations from one subquery per goal rather than three, as one
    JSON object (``latest_grade_row``) that ``parted_latest_grade`` parts for each goal read: for a
    page of a hundred goals, the database finds each one's latest follow-up once (a goal's page at
    the default scale: its slowest query 2.9 to 1.5 ms). The goals can then no longer be filtered or
    ordered by their grade."""
    grade = JSONObject(
        attainment="attainment", kind="reporting_period__kind", year="reporting_period__period__year"
    )
    return goals.annotate(latest_grade_row=Subquery(_latest_readable_follow_ups(user).values(row=grade)[:1]))


def parted_latest_grade(goal: Goal) -> Goal:
    """``goal``, read ``with_latest_grade_row``, with ``with_latest_grade``'s three attributes."""
    row = goal.latest_grade_row or {}
    goal.latest_grade = row.get("attainment")
    goal.latest_grade_kind = row.get("kind")
    goal.latest_grade_year = row.get("year")
    return goal


def latest_grades(goals, user) -> dict[int, str]:
    """The grade of each goal's latest follow-up that ``user`` may read, by the goal's pk (goals
    without one are missing), by the rule of ``with_latest_grade``. One query, which reads the goals'
    follow-ups once and keeps each goal's latest (a window): the subqueries of ``with_latest_grade``
    run once per goal, which for thousands of goals costs more than reading them all."""
    latest_first = Window(RowNumber(), partition_by=F("goal_id"), order_by=F("reporting_period__ends").desc())
    follow_ups = (
        FollowUp.objects.filter(goal__in=goals.order_by().values("pk"), status__in=readable_statuses(user))
        .annotate(rank=latest_first)
        .filter(rank=1)
    )
    return dict(follow_ups.values_list("goal_id", "attainment"))
