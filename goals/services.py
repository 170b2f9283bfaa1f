"""What can be done to the goals of a period, with the rule each action keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from goals.levels import Status
from goals.models import Decision, Goal, Period, Revision
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
    with the same title, description, level, unit and owner. An activity's dates move by whole years
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
    return CarryOverResult(copied=len(copies), skipped=skipped)


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
