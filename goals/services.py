"""What can be done to the goals of a period, with the rule each action keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from goals.levels import Status
from goals.models import (
    PUBLIC_STATUSES,
    Decision,
    FollowUp,
    Goal,
    Indicator,
    Period,
    ReportingPeriod,
    ReviewStatus,
    Revision,
)
from orgunits.models import OrgUnit


@dataclass(frozen=True)
class CarryOverResult:
    """How many goals a carry-over copied, and how many it left behind with a dissolved unit."""

    copied: int
    skipped: int


@transaction.atomic
def goal_carry_over(*, from_period: Period, to_period: Period) -> CarryOverResult:
    """Copy every goal of ``from_period`` into the empty, later ``to_period``, keeping the chain.

    Each copy breaks down the copy of its original's parent, in the same order among its siblings,
    with the same title, description, level, unit, owner, processes served and indicators. An activity's dates move by whole years
    into the new period (29 February becomes the 28th) and its progress starts again at 0; other
    goals have no progress. A goal of a dissolved unit is left behind, and so is every goal below
    it, whose chain would be broken. Goals have no workflow status yet, so there is no draft to set.

    Refused (``ValidationError``) when ``to_period`` is not after ``from_period`` or already has
    goals, and, writing nothing, when a goal no longer fits the chain rules on today's organisation.
    """
    if to_period.year <= from_period.year:
        raise ValidationError(
            gettext("%(to)d is not after %(from)d: goals are carried over only to a later year.")
            % {"to": to_period.year, "from": from_period.year},
            code="not_later",
        )
    # Lock the target year so that two carry-overs into it cannot both find it empty.
    Period.objects.select_for_update().get(pk=to_period.pk)
    if Goal.objects.filter(period=to_period).exists():
        raise ValidationError(
            gettext("%(year)d already has goals: carry-over only fills an empty year.")
            % {"year": to_period.year},
            code="not_empty",
        )

    years = to_period.year - from_period.year
    # The copy of each original, by the original's path, so a child finds its new parent.
    copies: dict[str, Goal] = {}
    copy_of: dict[int, Goal] = {}  # the same copies, by the original's id
    # One instance per unit, so that what the chain rules cache on a unit is fetched once.
    units: dict[int, OrgUnit] = {}
    skipped = 0
    for goal in Goal.objects.filter(period=from_period).select_related("org_unit").order_by("path"):
        parent_path = goal.path[: -goal.steplen]
        parent = copies.get(parent_path) if parent_path else None
        if not goal.org_unit.is_active or (parent_path and parent is None):
            skipped += 1
            continue
        copy = Goal(
            title=goal.title,
            description=goal.description,
            level=goal.level,
            org_unit=units.setdefault(goal.org_unit_id, goal.org_unit),
            period=to_period,
            owner_id=goal.owner_id,
            start_date=_years_later(goal.start_date, years),
            due_date=_years_later(goal.due_date, years),
            progress=0 if goal.is_activity else None,
        )
        try:
            if parent is None:
                copies[goal.path] = Goal.objects.add_root(instance=copy)
            else:
                copies[goal.path] = Goal.objects.add_child(parent, instance=copy)
        except ValidationError as error:
            # The rules' messages name units, not goals; say which goal could not follow.
            raise ValidationError(
                [
                    gettext("“%(goal)s” cannot be carried over: %(problem)s")
                    % {"goal": goal.title, "problem": problem}
                    for problem in error.messages
                ],
                code="placement",
            ) from error
        copy_of[goal.pk] = copies[goal.path]
    _carry_links(Goal.processes.through, "process_id", copy_of)
    _carry_links(Indicator.goals.through, "indicator_id", copy_of)
    return CarryOverResult(copied=len(copies), skipped=skipped)


def _carry_links(through, linked: str, copy_of: dict[int, Goal]) -> None:
    """Link each copy to what its original is linked to: one query to read, one to write."""
    links = through.objects.filter(goal_id__in=copy_of).values_list("goal_id", linked)
    through.objects.bulk_create(
        through(goal_id=copy_of[goal_id].pk, **{linked: other}) for goal_id, other in links
    )


def _years_later(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year without one
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def goal_save(*, goal: Goal, parent: Goal | None, processes=(), join_processes: bool = False) -> Goal:
    """Save a goal from a form: place a new goal under ``parent``, or move an edited one there;
    it serves ``processes``, and with ``join_processes`` its unit joins those it is not part of.

    The steering-chain rules run again as the goal is placed or moved, so a chain that changed
    since the form was checked still refuses (``ValidationError``) and nothing is written.
    """
    if goal.is_locked:
        raise ValidationError(
            gettext("“%(goal)s” is %(status)s: its content changes only through a decided revision.")
            % {"goal": goal.title, "status": goal.get_status_display().lower()},
            code="locked",
        )
    if goal.pk is None:
        goal = (
            Goal.objects.add_root(instance=goal)
            if parent is None
            else Goal.objects.add_child(parent, instance=goal)
        )
    else:
        goal.save()
        if parent is not None and parent != Goal.objects.get_parent(goal, update=True):
            Goal.objects.move(goal, parent, "last-child")
            goal.refresh_from_db()
    goal.processes.set(processes)
    if join_processes:
        for process in processes:
            if not process.covers(goal.org_unit):
                process.participants.add(goal.org_unit)
    return goal


@transaction.atomic
def goal_revise(*, goal: Goal, by, content: dict, processes) -> Revision:
    """Propose a change to an approved goal: its open revision (a new draft if it has none) takes
    ``content`` (the ``GoalContent.CONTENT_FIELDS``) and ``processes``. The goal itself is untouched
    until a decision approves the revision."""
    if goal.status != Status.APPROVED:
        raise ValidationError(
            gettext("Only an approved goal is revised; “%(goal)s” is %(status)s.")
            % {"goal": goal.title, "status": goal.get_status_display().lower()},
            code="status",
        )
    revision = goal.open_revision() or Revision(goal=goal, proposed_by=by)
    if revision.status == Status.SUBMITTED:
        raise ValidationError(
            gettext("The change to “%(goal)s” waits for its decision and cannot be edited now.")
            % {"goal": goal.title},
            code="status",
        )
    for name in Revision.CONTENT_FIELDS:
        setattr(revision, name, content[name])
    revision._history_user = by
    revision.save()
    revision.processes.set(processes)
    return revision


def revision_discard(*, revision: Revision, by) -> None:
    """Drop a proposed change that is not waiting for its decision; the approved goal stays as it is."""
    if revision.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(
            gettext("Only a change that is not waiting for its decision can be discarded."), code="status"
        )
    revision._history_user = by
    revision.delete()


def goal_submit(*, goal: Goal, by) -> Goal:
    """Send a draft, or a goal that was sent back, to whoever decides it; for an approved goal,
    send its proposed change."""
    if goal.status == Status.APPROVED and (revision := goal.open_revision()) is not None:
        if revision.status == Status.SUBMITTED:
            raise ValidationError(
                gettext("The change to “%(goal)s” is already submitted.") % {"goal": goal.title},
                code="status",
            )
        _set_status(revision, Status.SUBMITTED, by, return_comment="")
        return goal
    if goal.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(
            gettext("Only a draft or a goal sent back can be submitted; “%(goal)s” is %(status)s.")
            % {"goal": goal.title, "status": goal.get_status_display().lower()},
            code="status",
        )
    return _set_status(goal, Status.SUBMITTED, by, return_comment="")


def goal_return(*, goal: Goal, by, comment: str) -> Goal:
    """Send a submitted goal, or an approved goal's submitted change, back for rework
    (återremiss), saying why. A goal sent back with its change stays approved as it was."""
    revision = goal.submitted_revision() if goal.status == Status.APPROVED else None
    if goal.status != Status.SUBMITTED and revision is None:
        raise ValidationError(
            gettext("Only a submitted goal can be sent back; “%(goal)s” is %(status)s.")
            % {"goal": goal.title, "status": goal.get_status_display().lower()},
            code="status",
        )
    if not comment.strip():
        raise ValidationError(gettext("Say why the goal is sent back."), code="comment")
    _set_status(revision or goal, Status.RETURNED, by, return_comment=comment.strip())
    return goal


@transaction.atomic
def goal_approve(
    *, goals, by, meeting_date, paragraph: str, registry_number: str = "", minutes_url: str = ""
) -> Decision:
    """Approve submitted goals, and the submitted changes of approved goals, under one decision of
    the body or unit that decides them all. An approved change supersedes its goal's content.

    Refused (``ValidationError``, nothing written) when a goal is neither submitted nor has a
    submitted change, or when the goals have different deciding bodies: a decision is one body's,
    at one meeting.
    """
    goals = list(goals)
    if not goals:
        raise ValidationError(gettext("Choose at least one goal to approve."), code="empty")
    revisions = {goal.pk: goal.submitted_revision() for goal in goals if goal.status == Status.APPROVED}
    problems = [
        gettext("“%(goal)s” is %(status)s, not submitted.")
        % {"goal": goal.title, "status": goal.get_status_display().lower()}
        for goal in goals
        if goal.status != Status.SUBMITTED and revisions.get(goal.pk) is None
    ]
    deciding_units = {goal.deciding_unit for goal in goals}
    if len(deciding_units) > 1:
        problems.append(
            gettext("One decision covers the goals of one deciding body or unit, not of: %(units)s.")
            % {"units": ", ".join(sorted(unit.name for unit in deciding_units))}
        )
    if problems:
        raise ValidationError(problems, code="approve")
    decision = Decision.objects.create(
        deciding_unit=deciding_units.pop(),
        recorded_by=by,
        meeting_date=meeting_date,
        paragraph=paragraph,
        registry_number=registry_number,
        minutes_url=minutes_url,
    )
    decision.goals.set(goals)
    for goal in goals:
        if (revision := revisions.get(goal.pk)) is not None:
            _supersede(goal, revision, decision, by)
        else:
            _set_status(goal, Status.APPROVED, by, return_comment="")
    return decision


def _supersede(goal: Goal, revision: Revision, decision: Decision, by) -> None:
    for name in Revision.CONTENT_FIELDS:
        setattr(goal, name, getattr(revision, name))
    goal._history_user = by
    goal._change_reason = "change approved"  # as "moved": a reason for code, the page shows the decision
    goal.save(update_fields=Revision.CONTENT_FIELDS)
    goal.processes.set(revision.processes.all())
    revision.status, revision.decision = Status.APPROVED, decision
    revision._history_user = by
    revision.save(update_fields=["status", "decision"])


def _set_status(item: Goal | Revision, status: Status, by, *, return_comment: str) -> Goal | Revision:
    item.status, item.return_comment = status, return_comment
    item._history_user = by  # read by django-simple-history, also outside a request
    item.save(update_fields=["status", "return_comment"])
    return item


@transaction.atomic
def period_close(*, period: Period, by) -> int:
    """Close a year: its decided goals are archived, kept as the record of what was decided.
    Goals never decided stay as they are. Returns how many goals were archived."""
    if period.is_closed:
        raise ValidationError(gettext("%(year)d is already closed.") % {"year": period.year}, code="closed")
    period.is_closed = True
    period.save(update_fields=["is_closed"])
    approved = list(Goal.objects.filter(period=period, status=Status.APPROVED))
    for goal in approved:
        _set_status(goal, Status.ARCHIVED, by, return_comment="")
    return len(approved)


def follow_up_save(
    *,
    goal: Goal,
    reporting_period: ReportingPeriod,
    by,
    attainment: str,
    commentary: str,
    next_steps: str = "",
) -> FollowUp:
    """Report (or go on reporting) how a decided goal went in an open reporting period of its year.

    Refused (``ValidationError``) for a goal not decided, a closed reporting period, another year's
    period, or a follow-up that waits for its review or has been reviewed.
    """
    problems = []
    if goal.status not in PUBLIC_STATUSES:
        problems.append(
            gettext("Only a decided goal is followed up; “%(goal)s” is not decided.") % {"goal": goal.title}
        )
    if not reporting_period.is_open:
        problems.append(gettext("%(period)s is closed for reporting.") % {"period": reporting_period})
    follow_up = FollowUp.objects.filter(goal=goal, reporting_period=reporting_period).first() or FollowUp(
        goal=goal, reporting_period=reporting_period
    )
    if follow_up.status in (ReviewStatus.SUBMITTED, ReviewStatus.REVIEWED):
        problems.append(
            gettext("The follow-up is %(status)s and cannot be changed now.")
            % {"status": follow_up.get_status_display().lower()}
        )
    if problems:
        raise ValidationError(problems, code="follow_up")
    follow_up.attainment, follow_up.commentary, follow_up.next_steps = attainment, commentary, next_steps
    follow_up.reported_by = by
    follow_up._history_user = by
    follow_up.full_clean()
    follow_up.save()
    return follow_up


def follow_up_submit(*, follow_up: FollowUp, by) -> FollowUp:
    """Send a follow-up to the people who decide its goal, for review."""
    if follow_up.status not in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
        raise ValidationError(
            gettext("Only a draft follow-up or one sent back can be submitted; this one is %(status)s.")
            % {"status": follow_up.get_status_display().lower()},
            code="status",
        )
    follow_up.return_comment = ""
    return _set_review_status(follow_up, ReviewStatus.SUBMITTED, by, "return_comment")


def follow_up_review(*, follow_up: FollowUp, by) -> FollowUp:
    """Accept a submitted follow-up: it becomes part of the public record, with who reviewed it."""
    if follow_up.status != ReviewStatus.SUBMITTED:
        raise ValidationError(gettext("Only a submitted follow-up can be reviewed."), code="status")
    follow_up.reviewed_by, follow_up.reviewed_at = by, timezone.now()
    return _set_review_status(follow_up, ReviewStatus.REVIEWED, by, "reviewed_by", "reviewed_at")


def follow_up_return(*, follow_up: FollowUp, by, comment: str) -> FollowUp:
    """Send a submitted follow-up back to its reporter, saying why."""
    if follow_up.status != ReviewStatus.SUBMITTED:
        raise ValidationError(gettext("Only a submitted follow-up can be sent back."), code="status")
    if not comment.strip():
        raise ValidationError(gettext("Say why the follow-up is sent back."), code="comment")
    follow_up.return_comment = comment.strip()
    return _set_review_status(follow_up, ReviewStatus.RETURNED, by, "return_comment")


def _set_review_status(follow_up: FollowUp, status: ReviewStatus, by, *fields: str) -> FollowUp:
    follow_up.status = status
    follow_up._history_user = by
    follow_up.save(update_fields=["status", *fields])
    return follow_up
