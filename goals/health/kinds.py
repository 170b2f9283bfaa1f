"""The kinds of finding about the steering chain's health: one table, read by the findings
(``goals.health.findings``), the page, the API and ``docs/chain-health.md``.

Each kind says what is wrong, why it matters (the auditors' reasoning, in short), whether the
public sees it, its threshold in days where it has one, and where it is mended. A kind is public
when its findings are about decided goals, which are public documents; its findings are then shown
to anonymous visitors about decided goals only. The other kinds are about work in progress (a
follow-up under review, a proposed change), which only signed-in people see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class FindingKind(models.TextChoices):
    """The kinds of finding, in the order the page shows them: the chain first, then what measures
    it, then its follow-up, then the processes, then proposed changes."""

    DECIDED_UNDER_UNDECIDED = "decided_under_undecided", _("Decided goal under an undecided goal")
    DISSOLVED_UNIT = "dissolved_unit", _("Goal of a dissolved unit")
    STRATEGIC_NOT_BROKEN_DOWN = (
        "strategic_not_broken_down",
        _("Strategic goal no political body has broken down"),
    )
    UNIT_WITHOUT_GOALS = "unit_without_goals", _("Organisation or body without goals of its level")
    GOAL_WITHOUT_INDICATOR = "goal_without_indicator", _("Decided goal without an indicator")
    INDICATOR_WITHOUT_TARGET = "indicator_without_target", _("Indicator without a target for the year")
    GOAL_WITHOUT_OWNER = "goal_without_owner", _("Decided goal without a goal owner")
    FOLLOW_UP_OVERDUE = "follow_up_overdue", _("Follow-up overdue")
    FOLLOW_UP_NOT_REVIEWED = "follow_up_not_reviewed", _("Follow-up waiting long for its review")
    GRADED_WITHOUT_COMMENTARY = "graded_without_commentary", _("Follow-up graded without a commentary")
    GOAL_SERVES_NO_PROCESS = "goal_serves_no_process", _("Decided goal that serves no process")
    MAIN_PROCESS_WITHOUT_GOALS = "main_process_without_goals", _("Main process without goals")
    REVISION_WAITING = "revision_waiting", _("Proposed change waiting long for its decision")


@dataclass(frozen=True)
class KindOfFinding:
    """One row of the table: a kind of finding and what a reader needs to know about it."""

    kind: FindingKind
    why: Promise  # why it matters, in a sentence a controller or an auditor recognises
    mended_at: Promise  # where a finding of the kind is mended (each finding links there)
    public: bool  # whether anonymous visitors see it (about decided goals only)
    threshold_days: int | None = None  # how long a thing may wait before it is a finding

    @property
    def code(self) -> str:
        return self.kind.value

    @property
    def title(self) -> str:
        return self.kind.label


KINDS: tuple[KindOfFinding, ...] = (
    KindOfFinding(
        FindingKind.DECIDED_UNDER_UNDECIDED,
        why=_(
            "The public chain skips a step: a decided goal rests on a goal nobody has decided, so it "
            "cannot be traced to the council's will."
        ),
        mended_at=_("the goal's page: decide the goal above, or move the goal under a decided one"),
        public=True,
    ),
    KindOfFinding(
        FindingKind.DISSOLVED_UNIT,
        why=_("Nobody carries out a goal whose unit has been dissolved; it cannot be followed up."),
        mended_at=_("the goal's page: move the goal to the unit that took over, or archive it"),
        public=True,
    ),
    KindOfFinding(
        FindingKind.STRATEGIC_NOT_BROKEN_DOWN,
        why=_(
            "A strategic goal that no committee, board, company or federation has broken down reaches no "
            "operation: the council's intention stops at the council."
        ),
        mended_at=_("the goal's page: the bodies concerned break it down in goals of their own"),
        public=True,
    ),
    KindOfFinding(
        FindingKind.UNIT_WITHOUT_GOALS,
        why=_(
            "A committee, board, administration, company or federation without decided goals of its "
            "level in the year is not steered by goals: its work does not connect to the council's."
        ),
        mended_at=_("the unit's page: set and decide the year's goals"),
        public=True,
    ),
    KindOfFinding(
        FindingKind.GOAL_WITHOUT_INDICATOR,
        why=_(
            "A goal that no indicator measures and no goal below it breaks down cannot be assessed: "
            "its grade rests on judgement alone."
        ),
        mended_at=_("the goal's page: link an indicator that measures it"),
        public=True,
    ),
    KindOfFinding(
        FindingKind.INDICATOR_WITHOUT_TARGET,
        why=_("An indicator without a target for the year shows a value but not whether it is good enough."),
        mended_at=_("the indicator's page: set the year's target value"),
        public=True,
    ),
    KindOfFinding(
        FindingKind.GOAL_WITHOUT_OWNER,
        why=_("Nobody answers for a goal without a goal owner, and nobody is asked to report on it."),
        mended_at=_("the goal's page: name a goal owner"),
        public=True,
    ),
    KindOfFinding(
        FindingKind.FOLLOW_UP_OVERDUE,
        why=_(
            "A follow-up not delivered by the reporting period's deadline leaves a gap in the report "
            "to the council and in the auditors' basis."
        ),
        mended_at=_("the follow-up's page: report and send it for review"),
        public=True,
    ),
    KindOfFinding(
        FindingKind.FOLLOW_UP_NOT_REVIEWED,
        why=_(
            "A follow-up its deciders have not reviewed is not part of the public record; the body has "
            "not taken note of how its goal went."
        ),
        mended_at=_("the follow-up's page: review it or send it back"),
        public=False,
        threshold_days=30,
    ),
    KindOfFinding(
        FindingKind.GRADED_WITHOUT_COMMENTARY,
        why=_("A grade without a commentary says neither what was done nor why the grade is what it is."),
        mended_at=_("the follow-up's page: send it back, or write the commentary"),
        public=False,
    ),
    KindOfFinding(
        FindingKind.GOAL_SERVES_NO_PROCESS,
        why=_("A goal that serves no process stands outside the work done for residents and businesses."),
        mended_at=_("the goal's page: choose the processes it serves"),
        public=True,
    ),
    KindOfFinding(
        FindingKind.MAIN_PROCESS_WITHOUT_GOALS,
        why=_("A main process that no organisation's goal serves is not steered by goals in the year."),
        mended_at=_("the process's page: the organisations taking part set goals that serve it"),
        public=True,
    ),
    KindOfFinding(
        FindingKind.REVISION_WAITING,
        why=_(
            "A proposed change left undecided keeps the goal's old wording in force while work follows the new one."
        ),
        mended_at=_("the goal's page: the deciders approve the change or send it back"),
        public=False,
        threshold_days=45,
    ),
)

KIND_OF: dict[str, KindOfFinding] = {row.code: row for row in KINDS}


def kinds_for(user) -> tuple[KindOfFinding, ...]:
    """The kinds ``user`` sees: every kind when signed in, the public ones for an anonymous visitor."""
    if user is not None and user.is_authenticated:
        return KINDS
    return tuple(row for row in KINDS if row.public)
