"""What can be done to a goal's follow-up: report it, submit it, review it or send it back."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from goals.chain.models import Goal, ReportingPeriod
from goals.chain.workflow import PUBLIC_STATUSES, Step, allows
from goals.follow_up.models import FollowUp
from goals.follow_up.workflow import FOLLOW_UP_STEPS
from goals.signals import follow_up_step_taken
from orgunits.concurrency import Conflict, reread


@transaction.atomic
def follow_up_save(
    *,
    goal: Goal,
    reporting_period: ReportingPeriod,
    by,
    attainment: str,
    commentary: str,
    next_steps: str = "",
    version: int | None,
) -> FollowUp:
    """Report (or go on reporting) how a decided goal went in an open reporting period of its year.

    ``version`` is the version of the follow-up the person edited (None: there was none yet); a
    follow-up saved by someone else since is not overwritten (``Conflict``, which says who), nor
    is one that waits for its review or has been reviewed. Refused (``ValidationError``) for a goal
    not decided, a closed reporting period or another year's period.
    """
    problems = []
    if goal.status not in PUBLIC_STATUSES:
        problems.append(
            gettext("Only a decided goal is followed up; “%(goal)s” is not decided.") % {"goal": goal.title}
        )
    if not reporting_period.is_open:
        problems.append(gettext("%(period)s is closed for reporting.") % {"period": reporting_period})
    if problems:
        raise ValidationError(problems, code="follow_up")
    # The goal's row is the lock under which its follow-ups are made: two first reports take turns.
    Goal.objects.select_for_update().values_list("pk", flat=True).get(pk=goal.pk)
    follow_up = FollowUp.objects.select_for_update().filter(
        goal=goal, reporting_period=reporting_period
    ).first() or FollowUp(goal=goal, reporting_period=reporting_period)
    follow_up.check_version(version)
    if not allows(FOLLOW_UP_STEPS, Step.EDIT, follow_up.status):
        raise Conflict(
            gettext("The follow-up is %(status)s and cannot be changed now.")
            % {"status": follow_up.get_status_display().lower()},
            code="status",
        )
    follow_up.attainment, follow_up.commentary, follow_up.next_steps = attainment, commentary, next_steps
    follow_up.reported_by = by
    follow_up._history_user = by
    follow_up.full_clean()
    follow_up.save()
    return follow_up


def _lock_follow_up(follow_up: FollowUp, step: Step) -> None:
    """Lock the follow-up's row, read it again, and refuse ``step`` (``Conflict``) unless its status
    now allows it."""
    reread(follow_up, fresh=FollowUp.objects.select_for_update().get(pk=follow_up.pk))
    if not allows(FOLLOW_UP_STEPS, step, follow_up.status):
        status = follow_up.get_status_display().lower()
        raise Conflict(
            {
                Step.SUBMIT: gettext(
                    "Only a draft follow-up or one sent back can be submitted; this one is %(status)s."
                ),
                Step.REVIEW: gettext("Only a submitted follow-up can be reviewed."),
                Step.RETURN: gettext("Only a submitted follow-up can be sent back."),
            }[step]
            % {"status": status},
            code="status",
        )


@transaction.atomic
def follow_up_submit(*, follow_up: FollowUp, by) -> FollowUp:
    """Send a follow-up to the people who decide its goal, for review; ``by`` is recorded as its
    submitter, who does not review it."""
    _lock_follow_up(follow_up, Step.SUBMIT)
    follow_up.return_comment, follow_up.submitted_by = "", by
    return _take_review_step(follow_up, Step.SUBMIT, by, "return_comment", "submitted_by")


@transaction.atomic
def follow_up_review(*, follow_up: FollowUp, by) -> FollowUp:
    """Accept a submitted follow-up: it becomes part of the public record, with who reviewed it.
    Refused (``ValidationError``) to the person who submitted it (``FollowUp.was_submitted_by``)."""
    _lock_follow_up(follow_up, Step.REVIEW)
    _refuse_the_submitter(follow_up, by)
    follow_up.reviewed_by, follow_up.reviewed_at = by, timezone.now()
    return _take_review_step(follow_up, Step.REVIEW, by, "reviewed_by", "reviewed_at")


@transaction.atomic
def follow_up_return(*, follow_up: FollowUp, by, comment: str) -> FollowUp:
    """Send a submitted follow-up back to its reporter, saying why. Refused (``ValidationError``) to
    the person who submitted it, as a review is."""
    _lock_follow_up(follow_up, Step.RETURN)
    _refuse_the_submitter(follow_up, by)
    if not comment.strip():
        raise ValidationError(gettext("Say why the follow-up is sent back."), code="comment")
    follow_up.return_comment = comment.strip()
    return _take_review_step(follow_up, Step.RETURN, by, "return_comment")


def _refuse_the_submitter(follow_up: FollowUp, by) -> None:
    """Separation of duties, asked under the row's lock so that it holds for the submitter as the
    row is now."""
    if follow_up.was_submitted_by(by):
        raise ValidationError(
            gettext("You submitted this follow-up, so someone else who decides the goal reviews it."),
            code="separation_of_duties",
        )


def _take_review_step(follow_up: FollowUp, step: Step, by, *fields: str) -> FollowUp:
    follow_up.status = FOLLOW_UP_STEPS[step].target
    follow_up._history_user = by
    follow_up.save(update_fields=["status", *fields])
    # After the write, inside the step's transaction: what the receivers store commits with it.
    follow_up_step_taken.send(
        FollowUp,
        step=step,
        follow_up=follow_up,
        by=by,
        comment=follow_up.return_comment if step == Step.RETURN else "",
    )
    return follow_up
