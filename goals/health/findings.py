"""The findings of a year's steering chain in a part of the group: one query per kind of finding
(``goals.health.kinds``), and two more (the organisations, the year's reporting periods), however
large the group.

``chain_health(period=..., user=..., unit=None)`` is what the page, the API and the export read:
the findings the user may see, each with where it is mended, counted per organisation and per kind.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from goals.chain.levels import LEVEL_KINDS, Level
from goals.chain.models import Goal, Period, ReportingPeriod, Revision
from goals.chain.workflow import PUBLIC_STATUSES, Status
from goals.follow_up.deadlines import DELIVERED_STATUSES, overdue_follow_ups
from goals.follow_up.grading import Attainment
from goals.follow_up.models import FollowUp
from goals.follow_up.workflow import REPORTED_LEVELS, ReviewStatus
from goals.health.kinds import KIND_OF, FindingKind, KindOfFinding, kinds_for
from goals.indicators.models import Indicator, Target
from orgunits.kinds import Kind
from orgunits.models import Organisations, OrgUnit
from orgunits.trees import below_outer, subtree_of
from processes.models import Process, ProcessKind

# The level of goal each steering unit sets for the year: a political body below the council its
# body goals, an administration its operational goals. Departments and front-line units set goals
# when their administration asks them to, so their lack is no finding.
STEERING_LEVELS: dict[str, Level] = {
    **{kind: Level.BODY for kind in LEVEL_KINDS[Level.BODY]},
    Kind.ADMINISTRATION: Level.OPERATIONAL,
}

# Goals assessed by an indicator (or by the goals breaking them down): what the report grades,
# without the council's strategic goals, which their bodies' goals carry out.
MEASURED_LEVELS = (Level.BODY, Level.OPERATIONAL)

# The levels that carry out a process for the council: every goal but the vision and the strategic
# goals, which only say which main process matters.
CARRYING_OUT_LEVELS = (Level.BODY, Level.OPERATIONAL, Level.ACTIVITY)


@dataclass(frozen=True)
class Finding:
    """One thing wrong with the chain: what (``subject``), where it is mended (``url``), the unit it
    is about and the organisation it is counted under (the administration, company or federation
    the unit belongs to, or the political body itself), what exactly (``detail``) and, for kinds
    about time, the date that matters (a deadline passed, or the day a thing began to wait)."""

    kind: KindOfFinding
    subject: str
    link: Callable[[], str] = field(compare=False)
    unit: OrgUnit
    organisation: OrgUnit
    detail: str = ""
    date: datetime.date | None = None

    @cached_property
    def url(self) -> str:
        # Made when first asked (``link``): a whole group's findings are thousands, all counted and
        # only some shown, and reversing a URL costs more than the rest of a finding.
        return self.link()


@dataclass(frozen=True)
class OrganisationCounts:
    """How many findings of each kind shown are about one organisation, in the order of the kinds."""

    organisation: OrgUnit
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class ChainHealth:
    """The findings of a year in a part of the group (``unit``; None: the whole group), of the kinds
    the user may see (``kinds``), in the order of the kinds, then of the organisation."""

    period: Period
    unit: OrgUnit | None
    kinds: tuple[KindOfFinding, ...]
    findings: list[Finding]

    @property
    def count(self) -> int:
        return len(self.findings)

    def of_kind(self, code: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.kind.code == code]

    @property
    def by_kind(self) -> list[tuple[KindOfFinding, list[Finding]]]:
        """Every kind shown with its findings, an empty list for a kind without any."""
        return [(kind, self.of_kind(kind.code)) for kind in self.kinds]

    @property
    def count_per_kind(self) -> dict[str, int]:
        counted = Counter(finding.kind.code for finding in self.findings)
        return {kind.code: counted[kind.code] for kind in self.kinds}

    @property
    def by_organisation(self) -> list[OrganisationCounts]:
        """Each organisation with findings, in the order of the organisation tree, with its count of
        each kind shown; an organisation without findings is left out."""
        counted = Counter((finding.organisation.pk, finding.kind.code) for finding in self.findings)
        organisations = {finding.organisation.pk: finding.organisation for finding in self.findings}
        return [
            OrganisationCounts(
                organisation, tuple(counted[organisation.pk, kind.code] for kind in self.kinds)
            )
            for organisation in sorted(organisations.values(), key=lambda unit: unit.path)
        ]


def chain_health(
    *, period: Period, user, unit: OrgUnit | None = None, today: datetime.date | None = None
) -> ChainHealth:
    """Every finding of the kinds ``user`` may see (``kinds_for``) about the goals of ``period`` in
    ``unit``'s part of the group (None: the whole group), as of ``today`` (in the portal's time zone
    by default). An anonymous visitor gets the public kinds, about decided goals only.

    One query per kind shown, one for the organisations and one for the year's reporting periods.
    """
    today = today or timezone.localdate()
    kinds = kinds_for(user)
    search = _Search(period=period, unit=unit, today=today, public=not (user and user.is_authenticated))
    organisations = Organisations()
    found = []
    for kind in kinds:
        for subject, link, subject_unit, detail, date in getattr(search, kind.code)():
            organisation = organisations.of(subject_unit.path) or subject_unit
            found.append(Finding(kind, subject, link, subject_unit, organisation, detail, date))
    return ChainHealth(period=period, unit=unit, kinds=kinds, findings=found)


def _goal_link(goal: Goal) -> Callable[[], str]:
    return partial(reverse, "goals:detail", args=[goal.pk])


def _follow_up_link(goal_pk: int, reporting_period_pk: int) -> Callable[[], str]:
    return partial(reverse, "goals:follow-up", args=[goal_pk, reporting_period_pk])


class _Search:
    """The query of each kind, named by its code. Each returns rows of (subject, link, unit, detail,
    date), ordered by where their unit stands in the organisation."""

    def __init__(self, *, period: Period, unit: OrgUnit | None, today: datetime.date, public: bool):
        self.period, self.unit, self.today, self.public = period, unit, today, public
        self.goals = Goal.objects.filter(period=period)
        if unit is not None:
            self.goals = self.goals.in_subtree_of(unit)
        self.decided = self.goals.filter(status__in=PUBLIC_STATUSES)
        # The goals of the kinds that are about any goal: the public sees those about decided goals.
        self.seen = self.decided if public else self.goals

    def _in_scope(self, through: str) -> Q:
        """The goals of the year in the part of the group, as a filter across the relation ``through``."""
        scope = Q(**{f"{through}period": self.period})
        return scope & subtree_of(self.unit, f"{through}org_unit__") if self.unit is not None else scope

    def _waiting_since(self, model) -> Subquery:
        """When each row of ``model`` (a follow-up or a revision) last changed, from its history: for a
        submitted one, the day it was submitted, as the workflow allows no edit while it waits."""
        versions = model.history.model.objects.filter(id=OuterRef("pk")).order_by("-history_date")
        return Subquery(versions.values("history_date")[:1])

    def _before_day(self, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    def _goal_rows(self, goals, detail=None):
        # The level's name, translated once per level rather than once per goal (thousands at scale).
        levels = {value: str(label) for value, label in Level.choices}
        detail = detail or (lambda goal: levels[goal.level])
        return [
            (goal.title, _goal_link(goal), goal.org_unit, detail(goal), None)
            for goal in goals.select_related("org_unit").order_by("org_unit__path", "path")
        ]

    # The chain ---------------------------------------------------------------------------------

    def decided_under_undecided(self):
        def detail(goal):
            return gettext("Breaks down “%(parent)s”, which is %(status)s.") % {
                "parent": goal.parent_title,
                "status": Status(goal.parent_status).label.lower(),
            }

        return self._goal_rows(self.goals.decided_under_undecided(), detail)

    def dissolved_unit(self):
        return self._goal_rows(
            self.seen.filter(org_unit__is_active=False).exclude(status=Status.ARCHIVED),
            lambda goal: gettext("%(unit)s is dissolved.") % {"unit": goal.org_unit.name},
        )

    def strategic_not_broken_down(self):
        broken_down = Goal.objects.filter(below_outer(Goal), level=Level.BODY, status__in=PUBLIC_STATUSES)
        return self._goal_rows(self.decided.filter(level=Level.STRATEGIC).filter(~Exists(broken_down)))

    def unit_without_goals(self):
        def decided_goals_of(level):
            return Exists(
                Goal.objects.filter(
                    org_unit=OuterRef("pk"), period=self.period, level=level, status__in=PUBLIC_STATUSES
                )
            )

        lacking = Q()
        for level in set(STEERING_LEVELS.values()):
            kinds = [kind for kind, its_level in STEERING_LEVELS.items() if its_level == level]
            lacking |= Q(kind__in=kinds) & ~decided_goals_of(level)
        units = OrgUnit.objects.active().filter(lacking)
        if self.unit is not None:
            units = units.filter(subtree_of(self.unit))
        return [
            (
                unit.name,
                unit.get_absolute_url,
                unit,
                gettext("No decided %(level)s in %(year)s.")
                % {"level": Level(STEERING_LEVELS[unit.kind]).label.lower(), "year": self.period.year},
                None,
            )
            for unit in units.order_by("path")
        ]

    # What measures it -------------------------------------------------------------------------

    def goal_without_indicator(self):
        measured = Indicator.goals.through.objects.filter(goal=OuterRef("pk"))
        broken_down = Goal.objects.filter(
            below_outer(Goal),
            depth=OuterRef("depth") + 1,
            level__in=REPORTED_LEVELS,
            status__in=PUBLIC_STATUSES,
        )
        return self._goal_rows(
            self.decided.filter(level__in=MEASURED_LEVELS).filter(~Exists(measured), ~Exists(broken_down))
        )

    def indicator_without_target(self):
        # One row per indicator and decided goal it measures, read from the goals' side so that the
        # indicator comes with the unit it is counted under: the first of its goals' units.
        without_target = ~Exists(
            Target.objects.filter(indicator=OuterRef("indicator_id"), year=self.period.year)
        )
        links = (
            Indicator.goals.through.objects.filter(self._in_scope("goal__"), goal__status__in=PUBLIC_STATUSES)
            .filter(without_target)
            .select_related("indicator", "goal__org_unit")
            .order_by("goal__org_unit__path", "goal__path", "indicator__name")
        )
        rows, seen = [], set()
        for link in links:
            if link.indicator_id not in seen:
                seen.add(link.indicator_id)
                detail = gettext("No target for %(year)s; it measures “%(goal)s”.") % {
                    "year": self.period.year,
                    "goal": link.goal.title,
                }
                rows.append(
                    (link.indicator.name, link.indicator.get_absolute_url, link.goal.org_unit, detail, None)
                )
        return rows

    def goal_without_owner(self):
        return self._goal_rows(self.decided.filter(level__in=REPORTED_LEVELS, owner__isnull=True))

    # Follow-up --------------------------------------------------------------------------------

    def follow_up_overdue(self):
        reporting_periods = {each.pk: each for each in ReportingPeriod.objects.filter(period=self.period)}
        overdue = (
            overdue_follow_ups(self.goals, today=self.today)
            .select_related("org_unit")
            .order_by("undelivered_deadline", "org_unit__path", "path")
        )
        rows = []
        details = {}  # the same few sentences for thousands of goals: each written once
        for goal in overdue:
            reporting_period = reporting_periods[goal.undelivered_reporting_period]
            key = (reporting_period.pk, goal.undelivered_deadline)
            if key not in details:
                details[key] = gettext("%(report)s, due %(deadline)s.") % {
                    "report": reporting_period.get_kind_display(),
                    "deadline": _day(goal.undelivered_deadline),
                }
            detail = details[key]
            rows.append(
                (
                    goal.title,
                    _follow_up_link(goal.pk, reporting_period.pk),
                    goal.org_unit,
                    detail,
                    goal.undelivered_deadline,
                )
            )
        return rows

    def follow_up_not_reviewed(self):
        # Waiting days count from the later of the submission and the deadline: before the deadline
        # the deciders wait for the other reports of the period.
        cutoff = self.today - datetime.timedelta(
            days=KIND_OF[FindingKind.FOLLOW_UP_NOT_REVIEWED].threshold_days
        )
        waiting = (
            FollowUp.objects.filter(self._in_scope("goal__"), status=ReviewStatus.SUBMITTED)
            .annotate(submitted_at=self._waiting_since(FollowUp))
            .filter(reporting_period__deadline__lt=cutoff, submitted_at__lt=self._before_day(cutoff))
            .select_related("goal__org_unit", "reporting_period")
            .order_by("reporting_period__deadline", "goal__org_unit__path", "goal__path")
        )
        rows = []
        for follow_up in waiting:
            since = max(timezone.localdate(follow_up.submitted_at), follow_up.reporting_period.deadline)
            detail = gettext("%(report)s, submitted %(submitted)s, waiting since %(since)s.") % {
                "report": follow_up.reporting_period.get_kind_display(),
                "submitted": _day(timezone.localdate(follow_up.submitted_at)),
                "since": _day(since),
            }
            rows.append(
                (follow_up.goal.title, follow_up.get_absolute_url, follow_up.goal.org_unit, detail, since)
            )
        return rows

    def graded_without_commentary(self):
        graded = (
            FollowUp.objects.filter(self._in_scope("goal__"), status__in=DELIVERED_STATUSES)
            .exclude(attainment=Attainment.NOT_ASSESSED)
            .filter(commentary__regex=r"^\s*$")
            .select_related("goal__org_unit", "reporting_period")
            .order_by("reporting_period__deadline", "goal__org_unit__path", "goal__path")
        )
        return [
            (
                follow_up.goal.title,
                follow_up.get_absolute_url,
                follow_up.goal.org_unit,
                gettext("%(report)s: %(grade)s, without a word on why.")
                % {
                    "report": follow_up.reporting_period.get_kind_display(),
                    "grade": follow_up.get_attainment_display().lower(),
                },
                None,
            )
            for follow_up in graded
        ]

    # The processes ----------------------------------------------------------------------------

    def goal_serves_no_process(self):
        serving = Goal.processes.through.objects.filter(goal=OuterRef("pk"))
        return self._goal_rows(self.decided.filter(level__in=REPORTED_LEVELS).filter(~Exists(serving)))

    def main_process_without_goals(self):
        carried_out = Goal.processes.through.objects.filter(
            process=OuterRef("pk"),
            goal__period=self.period,
            goal__status__in=PUBLIC_STATUSES,
            goal__level__in=CARRYING_OUT_LEVELS,
        )
        processes = Process.objects.active().filter(kind=ProcessKind.MAIN).filter(~Exists(carried_out))
        if self.unit is not None:
            processes = processes.filter(subtree_of(self.unit, "owning_unit__"))
        return [
            (
                process.name,
                process.get_absolute_url,
                process.owning_unit,
                gettext("No decided goal of an organisation serves it in %(year)s.")
                % {"year": self.period.year},
                None,
            )
            for process in processes.select_related("owning_unit").order_by("owning_unit__path", "name")
        ]

    # Proposed changes -------------------------------------------------------------------------

    def revision_waiting(self):
        cutoff = self.today - datetime.timedelta(days=KIND_OF[FindingKind.REVISION_WAITING].threshold_days)
        waiting = (
            Revision.objects.filter(self._in_scope("goal__"), status=Status.SUBMITTED)
            .annotate(submitted_at=self._waiting_since(Revision))
            .filter(submitted_at__lt=self._before_day(cutoff))
            .select_related("goal__org_unit")
            .order_by("submitted_at")
        )
        rows = []
        for revision in waiting:
            since = timezone.localdate(revision.submitted_at)
            detail = gettext("“%(proposed)s”, submitted %(since)s.") % {
                "proposed": revision.title,
                "since": _day(since),
            }
            rows.append(
                (revision.goal.title, _goal_link(revision.goal), revision.goal.org_unit, detail, since)
            )
        return rows


def _day(day: datetime.date) -> str:
    return date_format(day, "j F Y")
