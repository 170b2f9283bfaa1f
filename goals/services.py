"""What can be done to the goals of a period, with the rule each action keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from goals.levels import Status
from goals.models import Decision, Goal, Period
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


def goal_submit(*, goal: Goal, by) -> Goal:
    """Send a draft, or a goal that was sent back, to whoever decides it."""
    if goal.status not in (Status.DRAFT, Status.RETURNED):
        raise ValidationError(
            gettext("Only a draft or a goal sent back can be submitted; “%(goal)s” is %(status)s.")
            % {"goal": goal.title, "status": goal.get_status_display().lower()},
            code="status",
        )
    return _set_status(goal, Status.SUBMITTED, by, return_comment="")


def goal_return(*, goal: Goal, by, comment: str) -> Goal:
    """Send a submitted goal back for rework (återremiss), saying why."""
    if goal.status != Status.SUBMITTED:
        raise ValidationError(
            gettext("Only a submitted goal can be sent back; “%(goal)s” is %(status)s.")
            % {"goal": goal.title, "status": goal.get_status_display().lower()},
            code="status",
        )
    if not comment.strip():
        raise ValidationError(gettext("Say why the goal is sent back."), code="comment")
    return _set_status(goal, Status.RETURNED, by, return_comment=comment.strip())


@transaction.atomic
def goal_approve(
    *, goals, by, meeting_date, paragraph: str, registry_number: str = "", minutes_url: str = ""
) -> Decision:
    """Approve submitted goals under one decision of the body or unit that decides them all.

    Refused (``ValidationError``, nothing written) when a goal is not submitted, or when the goals
    have different deciding bodies: a decision is one body's, at one meeting.
    """
    goals = list(goals)
    if not goals:
        raise ValidationError(gettext("Choose at least one goal to approve."), code="empty")
    problems = [
        gettext("“%(goal)s” is %(status)s, not submitted.")
        % {"goal": goal.title, "status": goal.get_status_display().lower()}
        for goal in goals
        if goal.status != Status.SUBMITTED
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
        _set_status(goal, Status.APPROVED, by, return_comment="")
    return decision


def _set_status(goal: Goal, status: Status, by, *, return_comment: str) -> Goal:
    goal.status, goal.return_comment = status, return_comment
    goal._history_user = by  # read by django-simple-history, also outside a request
    goal.save(update_fields=["status", "return_comment"])
    return goal


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
