"""What the follow-up pages and the report show beside a person's grade: the grade a goal's indicators
suggest and the roll-up of the goals that break it down, for many goals in a fixed number of queries.
The rules themselves are in ``goals.grading``; ``docs/follow-up.md`` explains them to users."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.utils.translation import gettext

from goals.grading import Attainment, Reading, combined_grade, indicator_grade
from goals.levels import Level
from goals.models import (
    PUBLIC_STATUSES,
    FollowUp,
    Gender,
    Goal,
    Indicator,
    Measurement,
    ReportingPeriod,
    ReportingPeriodKind,
    ReviewStatus,
)
from orgunits.models import Organisations, OrgUnit
from processes.models import Process

# The levels an annual report grades: the vision is its heading, activities report their progress.
REPORTED_LEVELS = (Level.STRATEGIC, Level.BODY, Level.OPERATIONAL)


def with_readings(goals):
    """Prefetch what a reading needs: each goal's indicators with their targets and total values
    (three queries, however many goals)."""
    totals = Measurement.objects.filter(gender=Gender.TOTAL).select_related("reporting_period")
    indicators = Indicator.objects.prefetch_related("targets", Prefetch("measurements", queryset=totals))
    return goals.prefetch_related(Prefetch("indicators", queryset=indicators))


def reading_of(indicator: Indicator, reporting_period: ReportingPeriod) -> Reading:
    """The indicator in a reporting period, from its prefetched targets and total values.

    The value is the one measured for the reporting period; for the annual report, the whole year's
    value, or the annual report's where the year has none. The reference is the value of the same reporting period a year earlier, else the
    baseline, if it is from an earlier year.
    """
    year, kind = reporting_period.period.year, reporting_period.kind
    target = next((target.value for target in indicator.targets.all() if target.year == year), None)
    reference = _value_in(indicator, year - 1, kind)
    if reference is None and indicator.baseline_year is not None and indicator.baseline_year < year:
        reference = indicator.baseline_value
    return Reading(
        value=_value_in(indicator, year, kind),
        target=target,
        reference=reference,
        direction=indicator.direction,
    )


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


def assess(goals: list[Goal], reporting_period: ReportingPeriod, user) -> list[Assessment]:
    """Each goal (prefetched ``with_readings``) assessed in the reporting period: one query more for
    every follow-up of the period, which also gives the roll-ups."""
    follow_ups = list(
        follow_ups_visible_to(user)
        .filter(reporting_period=reporting_period)
        .select_related("goal", "reported_by", "reviewed_by")
    )
    by_goal = {follow_up.goal_id: follow_up for follow_up in follow_ups}
    # The grades reported (not mere drafts) for the goals below each goal, by the parent's path.
    below: dict[str, Counter] = {}
    for follow_up in follow_ups:
        if follow_up.status != ReviewStatus.DRAFT:
            parent_path = follow_up.goal.path[: -Goal.steplen]
            below.setdefault(parent_path, Counter())[follow_up.attainment] += 1
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


@dataclass
class Report:
    """The follow-up of one reporting period for the group, a unit's part of it or a process."""

    reporting_period: ReportingPeriod
    assessments: list[Assessment]
    by_level: list[SummaryRow]
    by_organisation: list[SummaryRow]


def follow_up_report(
    *, reporting_period: ReportingPeriod, user, unit: OrgUnit | None = None, process: Process | None = None
) -> Report:
    """The decided strategic, body and operational goals of the reporting period's year, in the
    order of the steering chain, each assessed; with the grades counted per level and per
    organisation. ``unit`` narrows it to the unit's part of the organisation, ``process`` to the
    goals serving the process."""
    goals = Goal.objects.filter(
        period=reporting_period.period_id, status__in=PUBLIC_STATUSES, level__in=REPORTED_LEVELS
    )
    if unit is not None:
        goals = goals.in_subtree_of(unit)
    if process is not None:
        goals = goals.filter(processes=process)
    goals = list(with_readings(goals.select_related("org_unit")).order_by("path"))
    assessments = assess(goals, reporting_period, user)

    by_level = {level: Counter() for level in REPORTED_LEVELS}
    organisations = Organisations()
    by_organisation: dict[OrgUnit | None, Counter] = {}
    for assessment in assessments:
        by_level[assessment.goal.level][assessment.grade] += 1
        organisation = organisations.of(assessment.goal.org_unit.path)
        by_organisation.setdefault(organisation, Counter())[assessment.grade] += 1
    return Report(
        reporting_period=reporting_period,
        assessments=assessments,
        by_level=[
            SummaryRow.of(str(Level(level).label), counts) for level, counts in by_level.items() if counts
        ],
        by_organisation=[
            SummaryRow.of(
                organisation.name if organisation else gettext("The council and the committees"), counts
            )
            for organisation, counts in sorted(
                by_organisation.items(), key=lambda item: item[0].path if item[0] else ""
            )
        ],
    )


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
