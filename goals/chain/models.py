"""Goals and the planning periods they belong to."""

from __future__ import annotations

import calendar
from datetime import date

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from goals.chain.full_text import SwedishSearchWords
from goals.chain.levels import POLITICALLY_DECIDED_LEVELS, Level
from goals.chain.placement import (
    activity_date_problems,
    chain_problems,
    chosen_parent_problem,
    meeting_date_problems,
)
from goals.chain.workflow import GOAL_STEPS, PUBLIC_STATUSES, Status, Step, allows
from orgunits.addresses import address_around
from orgunits.client_address import ClientAddressHistory
from orgunits.concurrency import Versioned
from orgunits.models import Membership, Organisations, OrgUnit
from orgunits.rules import manages_from_above, seats_on_body
from orgunits.trees import (
    CURRENT_PLACE,
    GuardedNode,
    GuardedNodeManager,
    GuardedNodeQuerySet,
    parent_path_of,
    subtree_of,
)
from processes.models import Process

# Swedish terms of office are four years and start the year after an election: 2023–2026,
# 2027–2030, and so on back and forth.
A_TERM_START = 2023
TERM_YEARS = 4


class PeriodQuerySet(models.QuerySet):
    def current_and_later(self) -> PeriodQuerySet:
        return self.filter(year__gte=timezone.localdate().year)


class Period(models.Model):
    """A budget year. Goals are planned, decided and followed up one year at a time."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    is_closed = models.BooleanField(
        _("closed"), default=False, help_text=_("A closed year's decided goals are archived.")
    )

    objects = PeriodQuerySet.as_manager()

    class Meta:
        ordering = ["year"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")

    def __str__(self) -> str:
        return str(self.year)

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        year_may_change = not self._state.adding and (update_fields is None or "year" in update_fields)
        super().save(*args, **kwargs)
        if year_may_change:
            # Each goal keeps a copy of its year (``GoalYearField``), which follows a changed year.
            self.goals.exclude(year=self.year).update(year=self.year)

    @property
    def term_start(self) -> int:
        return A_TERM_START + TERM_YEARS * ((self.year - A_TERM_START) // TERM_YEARS)

    @property
    def term_end(self) -> int:
        return self.term_start + TERM_YEARS - 1

    @property
    def term_label(self) -> str:
        return f"{self.term_start}–{self.term_end}"


# A revision being worked on or waiting for its decision; a goal has at most one at a time.
OPEN_REVISION_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.RETURNED)


class GoalYearField(models.PositiveSmallIntegerField):
    """A goal's year, copied from its period whenever the goal is written (``save`` and
    ``bulk_create`` alike; ``Period.save`` follows a changed year), so that a list in year and chain
    order reads one index of goals, ``(year, path)``, instead of sorting every goal joined to its
    period (the API's goal list). Never set by hand."""

    def pre_save(self, model_instance, add):
        year = model_instance.period.year
        setattr(model_instance, self.attname, year)
        return year


class GoalQuerySet(GuardedNodeQuerySet):
    def visible_to(self, user) -> GoalQuerySet:
        """All goals for a signed-in user; only the decided ones for an anonymous visitor."""
        return self if user.is_authenticated else self.filter(status__in=PUBLIC_STATUSES)

    def in_subtree_of(self, unit: OrgUnit) -> GoalQuerySet:
        """Goals of the unit and of every unit under it: one query across the join."""
        return self.filter(subtree_of(unit, "org_unit__"))

    def with_open_revision(self) -> GoalQuerySet:
        """Prefetch each goal's open revision with its processes, and the goal's own processes, to
        show what the revision changes (``Revision.changes``) without a query per goal."""
        open_revisions = (
            Revision.objects.filter(status__in=OPEN_REVISION_STATUSES)
            .select_related("owner")
            .prefetch_related("processes")
        )
        return self.prefetch_related(
            "processes", models.Prefetch("revisions", queryset=open_revisions, to_attr="open_revisions")
        )

    def decided_under_undecided(self) -> GoalQuerySet:
        """Decided goals whose parent is not decided: a break in the public chain, which the
        workflow never makes (``goals.chain.placement``) but older data may hold. Each annotated with its
        parent's title and status (``parent_title``, ``parent_status``). One query."""
        parent = Goal.objects.filter(path=parent_path_of(Goal, models.OuterRef("path")))
        return (
            self.filter(status__in=PUBLIC_STATUSES, depth__gt=1)
            .annotate(
                parent_title=models.Subquery(parent.values("title")[:1]),
                parent_status=models.Subquery(parent.values("status")[:1]),
            )
            .exclude(parent_status__in=PUBLIC_STATUSES)
        )

    def awaiting_decision(self) -> GoalQuerySet:
        """Goals submitted for decision, and approved goals with a revision submitted for decision."""
        # The ids of both kinds as one small set, the submitted goals found by the status index, which
        # the goals are then looked up by: an OR of the two kinds read every goal of the group, and
        # the menu counts these on every page (goals.todo).
        submitted = Goal.objects.filter(status=Status.SUBMITTED).order_by().values("pk")
        revised = Revision.objects.filter(status=Status.SUBMITTED, goal__status=Status.APPROVED).values(
            "goal_id"
        )
        return self.filter(pk__in=submitted.union(revised, all=True))


class GoalManager(GuardedNodeManager):
    queryset_class = GoalQuerySet

    def visible_to(self, user) -> GoalQuerySet:
        return self.get_queryset().visible_to(user)


class GoalContent(models.Model):
    """What a decision approves: a goal's wording, its owner and, for an activity, its dates.

    A goal holds its content, and so does a revision that proposes to change an approved goal's.
    """

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_%(class)ss",
        verbose_name=_("goal owner"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)

    # The fields above, which a revision carries and an approved revision copies onto its goal.
    CONTENT_FIELDS = ("title", "description", "owner", "start_date", "due_date")

    class Meta:
        abstract = True

    def date_problems(self, level: str, period: Period | None) -> list[str]:
        """Why the dates do not fit a goal of ``level`` in ``period``: only an activity has dates,
        and they lie where ``placement.activity_date_problems`` says."""
        if level != Level.ACTIVITY:
            if self.start_date or self.due_date:
                return [gettext("Only activities have a start date, a due date and progress.")]
            return []
        # A service may be handed the dates as text (the API's, a test's): read them as a form would.
        start, due = (
            self._meta.get_field(name).to_python(getattr(self, name)) for name in ("start_date", "due_date")
        )
        return activity_date_problems(start=start, due=due, period=period)


class Goal(GoalContent, GuardedNode, Versioned):
    """A goal in the steering chain. Its tree parent is the goal it is broken down from.

    Each period's chain is its own tree, rooted in the vision; the rules that say which goal may
    break down which live in ``goals.chain.placement`` and are checked on every add, move and edit.
    """

    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="goals", verbose_name=_("organisation unit")
    )
    period = models.ForeignKey(
        Period, on_delete=models.PROTECT, related_name="goals", verbose_name=_("period")
    )
    year = GoalYearField(_("year"), editable=False)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    processes = models.ManyToManyField(
        Process, blank=True, related_name="goals", verbose_name=_("processes served")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    return_comment = models.TextField(
        _("why it was sent back"),
        blank=True,
        help_text=_("Filled in by the deciding body when it sends a goal back."),
    )
    # The title's and description's words as the search ranks them, kept by the database on every
    # write (``goals.chain.full_text``); empty on SQLite.
    search_vector = models.GeneratedField(
        expression=SwedishSearchWords("title", "description"),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = GoalManager()
    # The year is the period's, copied (``GoalYearField``): the period's history says it. The
    # search words are the title's and description's, worked out again.
    history = HistoricalRecords(
        excluded_fields=["numchild", "year", "search_vector"], bases=[ClientAddressHistory]
    )

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        indexes = [
            models.Index(fields=["period", "level"]),
            # The API's goal list, in year and chain order: its pages are read from this index.
            models.Index(fields=["year", "path"], name="goal_year_path"),
            # A year's chain in chain order (the chain tree, the report), without reading other years.
            models.Index(fields=["period", "path"], name="goal_period_path"),
            # A part of the organisation's goals in a year (the chain tree's and the report's ?unit=):
            # found through the part's units, not by reading the year's goals for their unit.
            models.Index(fields=["org_unit", "period"], name="goal_unit_period"),
            # The few goals in a workflow step (returned, submitted): the to-do list's rows, counted
            # in the menu of every page.
            models.Index(fields=["status"], name="goal_status"),
            # The decided goals in chain order, which is what the public sees: how many stand below a
            # goal (``with_cascade_size`` among them) is counted from this index alone, where the path
            # index needed each goal read for its status (a unit's page, anonymous, at the default
            # scale: the top unit's nine goals' counts 3.1 to 1.6 ms).
            models.Index(
                fields=["path"], condition=models.Q(status__in=PUBLIC_STATUSES), name="goal_public_path"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.pk is None:
            return reverse("goals:detail", kwargs={"pk": self.pk})  # NoReverseMatch, as ever
        start, end = address_around("goals:detail", "pk")
        return f"{start}{self.pk}{end}"

    @property
    def tree_key(self) -> str:
        # Each period's chain is its own tree: reorganising one year waits for nobody in another.
        return f"period-{self.period_id}"

    @classmethod
    def trees_read(cls) -> list[type[GuardedNode]]:
        # Where a goal may stand depends on where its unit stands in the organisation.
        return [OrgUnit]

    def reread_what_placement_reads(self) -> None:
        # The goal's unit as it stands now that no unit can move or be dissolved: it may have
        # since it was read for the form.
        if self.org_unit_id is not None:
            self.org_unit.refresh_from_db(fields=["path", "depth", "kind", "is_active"])
            self.org_unit.__dict__.pop("steering_body", None)  # worked out from the old path
            self.org_unit.__dict__.pop("steering_bodies", None)

    @property
    def is_activity(self) -> bool:
        return self.level == Level.ACTIVITY

    @cached_property
    def deciding_unit(self) -> OrgUnit:
        return self.deciding_unit_among()

    def deciding_unit_among(self, organisations: Organisations | None = None) -> OrgUnit:
        """Who approves the goal: the political body that owns a vision, strategic or body goal; for
        operational goals and activities, the nearest organisation at or above the goal's unit,
        whose manager decides by delegation. One query, or none with ``organisations`` fetched once
        for a page that decides many goals."""
        if self.level in POLITICALLY_DECIDED_LEVELS:
            return self.org_unit
        if organisations is None:
            return Organisations.nearest(self.org_unit)
        return organisations.of(self.org_unit.path) or self.org_unit

    def is_decided_through(self, membership: Membership) -> bool:
        """Whether ``membership`` makes its person one who decides this goal: a politician or the
        secretary of the body that owns a vision, strategic or body goal; for operational goals and
        activities, a manager of the organisation that decides them, or of a unit above it. The
        ``goals.decide_goal`` rule asked of one membership, so that a page can name the deciders of
        many goals from one query (``queries.deciders_of``)."""
        if self.level in POLITICALLY_DECIDED_LEVELS:
            return seats_on_body(membership, self.deciding_unit)
        return manages_from_above(membership, self.deciding_unit)

    @property
    def is_locked(self) -> bool:
        """Whether the goal's content cannot be edited directly now: the workflow table allows no
        edit from its status (a submitted goal waits for its decision; a decided goal's content
        changes only through a revision that is decided in turn)."""
        return not allows(GOAL_STEPS, Step.EDIT, self.status)

    def why_locked(self) -> str:
        """Why a submitted or archived goal's content cannot be changed now, for the person trying."""
        if self.status == Status.ARCHIVED:
            return gettext("“%(goal)s” is archived with its closed year and is not changed any more.") % {
                "goal": self.title
            }
        return gettext(
            "“%(goal)s” waits for the decision of %(unit)s and cannot be changed now; they can send it back."
        ) % {"goal": self.title, "unit": self.deciding_unit.name}

    def open_revision(self) -> Revision | None:
        """The change proposed to this approved goal, if any: from ``open_revisions`` where a page
        prefetched them (see ``with_open_revision``), else one query."""
        if hasattr(self, "open_revisions"):
            return next(iter(self.open_revisions), None)
        return self.revisions.filter(status__in=OPEN_REVISION_STATUSES).first()

    def submitted_revision(self) -> Revision | None:
        revision = self.open_revision()
        return revision if revision is not None and revision.status == Status.SUBMITTED else None

    def content_problems(self) -> list[str]:
        """Why the goal's dates and progress do not fit its level (``date_problems``; only an
        activity has progress either)."""
        problems = self.date_problems(self.level, self.period if self.period_id else None)
        if not self.is_activity and self.progress is not None and not problems:
            problems.append(gettext("Only activities have a start date, a due date and progress."))
        return problems

    def clean(self) -> None:
        problems = self.content_problems()
        try:
            super().clean()
        except ValidationError as error:
            problems += error.messages
        if problems:
            raise ValidationError(problems)

    def chooses(self, parent: Goal) -> bool:
        """Whether a person is choosing ``parent`` for this goal now: a new goal placed from a form
        or the API (``destination``, set by the forms and ``goal_save``), or a goal moved from
        where it stands. A goal kept under its parent is not choosing it again."""
        if self.pk is None:
            return self.destination is not CURRENT_PLACE
        return parent.path != self.parent_path

    def placement_problems(self, *, parent: Goal | None) -> list[str]:
        """Every reason why this goal, as it is in memory, may not break down ``parent``.

        Checks the goal against its parent, and each of its own children against it, by the rules
        in ``goals.chain.placement``.
        """
        if not (self.level and self.org_unit_id and self.period_id):
            return []  # the form reports the missing field itself
        problems = chain_problems(self, parent=parent)
        if parent is not None and self.chooses(parent) and (problem := chosen_parent_problem(self, parent)):
            problems.append(problem)
        if self.pk is not None and self.numchild:
            for child in Goal.objects.get_children(self).select_related("org_unit", "period"):
                problems += [
                    gettext("Below it, “%(child)s”: %(problem)s") % {"child": child.title, "problem": problem}
                    for problem in chain_problems(child, parent=self)
                ]
        return problems


class ReportingPeriodKind(models.TextChoices):
    """The three follow-ups of a Swedish municipal year, each from 1 January."""

    FOUR_MONTHS = "t1", _("Four-month report")
    INTERIM = "interim", _("Interim report")
    ANNUAL = "annual", _("Annual report")


# Each kind's last month and its default deadline (month and day, in the same year unless marked
# as the next year): reports are due about three weeks after the period ends, the annual report in
# February.
DEFAULT_REPORTING_PERIODS = {
    ReportingPeriodKind.FOUR_MONTHS: {"end_month": 4, "deadline": (0, 5, 20)},
    ReportingPeriodKind.INTERIM: {"end_month": 8, "deadline": (0, 9, 20)},
    ReportingPeriodKind.ANNUAL: {"end_month": 12, "deadline": (1, 2, 15)},
}


class ReportingPeriodQuerySet(models.QuerySet):
    def add_defaults(self, period: Period) -> list[ReportingPeriod]:
        """The year's three reporting periods with their usual dates, unless it has them already."""
        created = []
        for kind, default in DEFAULT_REPORTING_PERIODS.items():
            end_month, (next_year, month, day) = default["end_month"], default["deadline"]
            reporting_period, was_created = self.get_or_create(
                period=period,
                kind=kind,
                defaults={
                    "starts": date(period.year, 1, 1),
                    "ends": date(period.year, end_month, calendar.monthrange(period.year, end_month)[1]),
                    "deadline": date(period.year + next_year, month, day),
                },
            )
            if was_created:
                created.append(reporting_period)
        return created


class ReportingPeriod(models.Model):
    """A part of a year that goals are followed up for: January–April, January–August, the year."""

    period = models.ForeignKey(
        Period, on_delete=models.CASCADE, related_name="reporting_periods", verbose_name=_("year")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ReportingPeriodKind.choices)
    starts = models.DateField(_("starts"))
    ends = models.DateField(_("ends"))
    deadline = models.DateField(_("deadline"))
    is_open = models.BooleanField(
        _("open for reporting"), default=True, help_text=_("A closed reporting period takes no more reports.")
    )

    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["period__year", "ends"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(fields=["period", "kind"], name="one_reporting_period_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period.year}"

    def clean(self) -> None:
        if self.starts and self.ends and self.ends < self.starts:
            raise ValidationError({"ends": gettext("The period ends before it starts.")})


class Preferences(models.Model):
    """What a signed-in user last chose: the period shown and, until memberships exist, "my unit"."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="goal_preferences"
    )
    period = models.ForeignKey(Period, on_delete=models.SET_NULL, null=True, blank=True)
    my_unit = models.ForeignKey(OrgUnit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return str(self.user)


class Decision(models.Model):
    """A decision of a political body, or of a manager by delegation, that approves goals: one
    meeting approves a whole plan under one minute paragraph."""

    deciding_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("deciding body or unit")
    )
    delegated_by = models.ForeignKey(
        OrgUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="delegated_decisions",
        verbose_name=_("decided by delegation from"),
        help_text=_(
            "The political body on whose behalf a manager decided operational goals and activities; "
            "empty for a body's own decision."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    meeting_date = models.DateField(_("meeting date"))
    paragraph = models.CharField(_("minute paragraph"), max_length=30, help_text=_("For example § 187."))
    registry_number = models.CharField(
        _("registry number"), max_length=50, blank=True, help_text=_("For example KS 2025/00123.")
    )
    minutes_url = models.URLField(_("link to the minutes"), blank=True)
    goals = models.ManyToManyField(
        Goal, through="DecisionGoal", related_name="decisions", verbose_name=_("goals")
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords(bases=[ClientAddressHistory])

    class Meta:
        ordering = ["-meeting_date", "-pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.deciding_unit.short_name or self.deciding_unit.name} {self.meeting_date:%Y-%m-%d} {self.paragraph}"

    def clean(self) -> None:
        if self.meeting_date and (
            problems := meeting_date_problems(self.meeting_date, today=timezone.localdate())
        ):
            raise ValidationError({"meeting_date": problems})

    @property
    def delegation(self) -> str:
        """The decision's note that it was taken by delegation, and from whom; empty for a body's own."""
        if self.delegated_by is None:
            return ""
        return gettext("Decided by delegation from %(body)s") % {"body": self.delegated_by.name}


class DecisionGoal(models.Model):
    """A goal that a decision approves: the goal as first decided, or one revision of it.

    The database holds the invariant that no race may break: a goal is approved as first decided by
    one decision, and each of its revisions by one decision.
    """

    # The table and its columns are the ones Django made for the many-to-many field before this
    # model named them, kept as they were.
    id = models.AutoField(primary_key=True)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE)
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE)
    revision = models.OneToOneField(
        "Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        db_table = "goals_decision_goals"
        unique_together = [("decision", "goal")]
        constraints = [
            models.UniqueConstraint(
                fields=["goal"],
                condition=models.Q(revision__isnull=True),
                name="one_first_decision_per_goal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.decision} · {self.goal}"


class Revision(Versioned, GoalContent):
    """A change proposed to an approved goal, which keeps its approved content, the one everyone
    sees, until a decision approves the revision: then the revision's content supersedes it.

    It goes through the goal's workflow (draft, submitted, approved or sent back) and is decided by
    whoever decides its goal. Where the goal stands in the chain is not part of a revision.
    """

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("goal"))
    processes = models.ManyToManyField(
        Process, blank=True, related_name="+", verbose_name=_("processes served")
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    return_comment = models.TextField(_("why it was sent back"), blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=_("approved by decision"),
    )

    history = HistoricalRecords(bases=[ClientAddressHistory])

    class Meta:
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        constraints = [
            models.UniqueConstraint(
                fields=["goal"],
                condition=models.Q(status__in=OPEN_REVISION_STATUSES),
                name="one_open_revision_per_goal",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if problems := self.date_problems(self.goal.level, self.goal.period):
            raise ValidationError(problems)

    def changes(self) -> list[tuple[str, object, object]]:
        """What the revision changes in its goal: (field label, approved, proposed). Reads both
        goals' processes, which a page listing many revisions prefetches."""
        changes = []
        for name in self.CONTENT_FIELDS:
            approved, proposed = getattr(self.goal, name), getattr(self, name)
            if approved != proposed:
                changes.append((self._meta.get_field(name).verbose_name, approved, proposed))
        approved, proposed = set(self.goal.processes.all()), set(self.processes.all())
        if approved != proposed:
            changes.append(
                (
                    self._meta.get_field("processes").verbose_name,
                    ", ".join(sorted(process.name for process in approved)),
                    ", ".join(sorted(process.name for process in proposed)),
                )
            )
        return changes
