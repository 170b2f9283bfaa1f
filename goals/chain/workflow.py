"""The workflow of goals, their proposed changes and their follow-ups, as tables of allowed steps.

Which step may be taken from which status is stated here once. The services (``goals.chain.services``, ``goals.follow_up.services``)
take a step only when its table allows it from the status they read under the step's lock, and
refuse it otherwise with ``Conflict``: the record is not in the state the step needs, most often
because someone else acted first, and the message says what happened instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Sent back")
    ARCHIVED = "archived", _("Archived")


# Decided goals, approved or archived with their closed year: public documents, and the only goals
# a decided goal may break down.
PUBLIC_STATUSES = (Status.APPROVED, Status.ARCHIVED)


class Step(models.TextChoices):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"
    ARCHIVE = "archive"
    EDIT = "edit"
    DISCARD = "discard"
    REVIEW = "review"


@dataclass(frozen=True)
class Transition:
    """The statuses a step may be taken from, and the status it leads to (None: it stays)."""

    sources: frozenset[str]
    target: str | None = None


# A goal, or the revision proposing a change to an approved goal. A goal is edited while it is
# worked on; once submitted it waits for its decision, and once decided it changes only through a
# revision, which is edited, submitted and decided in turn, or discarded while it is worked on.
GOAL_STEPS: dict[Step, Transition] = {
    Step.EDIT: Transition(frozenset({Status.DRAFT, Status.RETURNED})),
    Step.SUBMIT: Transition(frozenset({Status.DRAFT, Status.RETURNED}), Status.SUBMITTED),
    Step.APPROVE: Transition(frozenset({Status.SUBMITTED}), Status.APPROVED),
    Step.RETURN: Transition(frozenset({Status.SUBMITTED}), Status.RETURNED),
    Step.ARCHIVE: Transition(frozenset({Status.APPROVED}), Status.ARCHIVED),
    Step.DISCARD: Transition(frozenset({Status.DRAFT, Status.RETURNED})),
}


def allows(table: dict[Step, Transition], step: Step, status: str) -> bool:
    """Whether ``step`` may be taken from ``status``."""
    return status in table[step].sources


def open_steps(goal_status: str, revision_status: str | None) -> frozenset[Step]:
    """The steps that a goal's editors can take on it now, as its page offers them: while it is
    worked on, on the goal; once it is approved, on its proposed change (``revision_status``), or
    a new one (edited first, from a draft)."""
    if not changes_through_revision(goal_status):
        return frozenset(step for step in (Step.EDIT, Step.SUBMIT) if allows(GOAL_STEPS, step, goal_status))
    if revision_status is None:
        return frozenset({Step.EDIT})
    return frozenset(
        step for step in (Step.EDIT, Step.SUBMIT, Step.DISCARD) if allows(GOAL_STEPS, step, revision_status)
    )


def changes_through_revision(goal_status: str) -> bool:
    """Whether a goal's content changes only through a revision now: once it is approved, a change
    is proposed beside it (edited, submitted and decided in turn, ``GOAL_STEPS``) while everyone
    sees what was decided."""
    return goal_status == Status.APPROVED
