"""What can be done to the goals of a period, with the rule each action keeps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from goals.chain.levels import POLITICALLY_DECIDED_LEVELS
from goals.chain.models import (
    OPEN_REVISION_STATUSES,
    Decision,
    DecisionGoal,
    Goal,
    GoalContent,
    Period,
    Revision,
)
from goals.chain.owners import owner_problem
from goals.chain.placement import meeting_date_problems, process_problems
from goals.chain.workflow import GOAL_STEPS, PUBLIC_STATUSES, Status, Step, allows, changes_through_revision
from goals.signals import goal_step_taken
from orgunits.concurrency import Conflict
from orgunits.models import OrgUnit
from orgunits.trees import CURRENT_PLACE


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
        parent = copies.get(goal.parent_path) if goal.parent_path else None
        if not goal.org_unit.is_active or (goal.parent_path and parent is None):
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
    _carry_links(Goal.indicators.through, "indicator_id", copy_of)
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


def check_goal_content(
    goal: Goal, content: GoalContent, processes, *, joining: bool = False, kept_owner_id: int | None = None
) -> None:
    """Refuse (``ValidationError`` keyed by field) what ``goal`` would say and serve with
    ``content`` (the goal itself, or a revision of it) and ``processes``: its dates and progress
    fit its level (``GoalContent.date_problems``, ``Goal.content_problems``: about the whole goal,
    under ``NON_FIELD_ERRORS``), and it serves only processes its unit takes part in, a strategic
    goal main processes only (``placement.process_problems``, under ``processes``; with
    ``joining`` the unit is about to join them); and its owner may own it (``owners.owner_problem``,
    under ``owner``; ``kept_owner_id``, the owner it has now, always may)."""
    errors = {}
    dates = (
        content.content_problems()
        if isinstance(content, Goal)
        else content.date_problems(goal.level, goal.period)
    )
    if dates:
        errors[NON_FIELD_ERRORS] = dates
    if problems := process_problems(goal, processes, joining=joining):
        errors["processes"] = problems
    owner = content.owner if content.owner_id else None
    if problem := owner_problem(
        owner=owner, unit=goal.org_unit, level=goal.level, kept_owner_id=kept_owner_id
    ):
        errors["owner"] = [problem]
    if errors:
        raise ValidationError(errors, code="content")


@transaction.atomic
def goal_save(
    *,
    goal: Goal,
    parent: Goal | object | None = CURRENT_PLACE,
    processes=(),
    join_processes: bool = False,
    version: int | None = None,
) -> Goal:
    """Save a goal from a form: place a new goal under ``parent`` (None: at the top of a chain), or
    move an edited one there (by default it stays where it stands); it serves ``processes``, and
    with ``join_processes`` its unit joins those it is not part of.

    Refused, writing nothing: an edit (``Conflict``) once the goal is submitted or decided (the
    workflow table allows no edit, ``Goal.is_locked``), also when that happened after the form was
    read, and when it was made from an older ``version`` than the one saved; then
    (``ValidationError`` by field) dates, progress or processes that break their rules
    (``check_goal_content``); and a place that breaks the steering-chain rules, which run again as
    the goal is placed or moved, so a chain that changed since the form was checked still refuses.
    """
    if goal.pk is None:
        check_goal_content(goal, goal, processes, joining=join_processes)
        if parent is not CURRENT_PLACE:
            goal.destination = parent  # a parent chosen, asked of ``placement.chosen_parent_problem``
        goal = (
            Goal.objects.add_root(instance=goal)
            if parent is None or parent is CURRENT_PLACE
            else Goal.objects.add_child(parent, instance=goal)
        )
    else:
        # The goal in memory carries the person's edits: read only its status again, under the lock.
        goal.lock_for_edit(version)  # the chain's lock, then the goal's row
        goal.status, kept_owner_id = Goal.objects.values_list("status", "owner_id").get(pk=goal.pk)
        if goal.is_locked:
            # Said of the goal as it is saved, not as the refused edit would have it.
            raise goal_status_conflict(Goal.objects.select_related("org_unit").get(pk=goal.pk), Step.EDIT)
        check_goal_content(goal, goal, processes, joining=join_processes, kept_owner_id=kept_owner_id)
        goal.save()
        if parent is not CURRENT_PLACE and parent != Goal.objects.get_parent(goal, update=True):
            if parent is None:  # to the top: a root beside the roots (the rules allow it a vision only)
                Goal.objects.move(goal, Goal.objects.get_root(goal), "last-sibling")
            else:
                Goal.objects.move(goal, parent, "last-child")
            goal.refresh_from_db()
    goal.processes.set(processes)
    if join_processes:
        for process in processes:
            if not process.covers(goal.org_unit):
                process.participants.add(goal.org_unit)
    return goal


def _lock_for_step(goals: list[Goal]) -> None:
    """Take what a workflow step needs before it decides anything, and read the goals again.

    First the lock of the chains the goals stand in (``lock_tree``: no move, edit or other step of
    those chains runs meanwhile, and locks are always taken in that order, tree before rows, so no
    two writers deadlock), then the goals' rows and their open revisions' rows. The goals passed in
    get the values they have now, their open revision included (``Goal.open_revision``).
    """
    Goal.objects.lock_tree(*goals)
    fresh = Goal.objects.select_for_update().order_by("pk").in_bulk([goal.pk for goal in goals])
    revisions = {
        revision.goal_id: revision
        for revision in Revision.objects.select_for_update()
        .filter(goal__in=fresh, status__in=OPEN_REVISION_STATUSES)
        .order_by("pk")
    }
    for goal in goals:
        if goal.pk not in fresh:
            raise Conflict(gettext("“%(goal)s” has been deleted.") % {"goal": goal.title}, code="deleted")
        goal.reread(fresh=fresh[goal.pk])
        goal.open_revisions = [revisions[goal.pk]] if goal.pk in revisions else []


def goal_status_conflict(goal: Goal, step: Step, revision: Revision | None = None) -> Conflict:
    """Why ``step`` cannot be taken now, from the goal's (or its revision's) current status; for a
    decided goal, which decision decided it."""
    values = {"goal": goal.title, "status": goal.get_status_display().lower()}
    if revision is not None:
        message = {
            Step.SUBMIT: gettext("The change to “%(goal)s” is already submitted."),
            Step.EDIT: gettext("The change to “%(goal)s” waits for its decision and cannot be edited now."),
            Step.DISCARD: gettext("Only a change that is not waiting for its decision can be discarded."),
        }[step]
    elif step == Step.EDIT and not changes_through_revision(goal.status):
        # What the pages say before the form too: who decides it now, or that its year is closed.
        return Conflict(goal.why_locked(), code="status")
    else:
        message = {
            Step.SUBMIT: gettext(
                "Only a draft or a goal sent back can be submitted; “%(goal)s” is %(status)s."
            ),
            Step.APPROVE: gettext("“%(goal)s” is %(status)s, not submitted."),
            Step.RETURN: gettext("Only a submitted goal can be sent back; “%(goal)s” is %(status)s."),
            Step.EDIT: gettext(
                "“%(goal)s” is %(status)s: its content changes only through a decided revision."
            ),
        }[step]
    message %= values
    if goal.status in PUBLIC_STATUSES and (decision := _last_decision(goal)) is not None:
        message += " " + gettext("%(body)s decided it on %(date)s under %(paragraph)s.") % {
            "body": decision.deciding_unit.name,
            "date": decision.meeting_date.isoformat(),
            "paragraph": decision.paragraph,
        }
    return Conflict(message, code="status")


def _last_decision(goal: Goal) -> Decision | None:
    return goal.decisions.select_related("deciding_unit").order_by("-recorded_at", "-pk").first()


@transaction.atomic
def goal_revise(*, goal: Goal, by, content: dict, processes, version: int | None) -> Revision:
    """Propose a change to an approved goal: its open revision (a new draft if it has none) takes
    ``content`` (the ``GoalContent.CONTENT_FIELDS``) and ``processes``. The goal itself is untouched
    until a decision approves the revision.

    Refused, writing nothing: (``Conflict``) unless the goal is approved and its open revision may
    be edited (the workflow table), and when the person edited an older ``version`` of the open
    revision (None: there was none) than the one saved, so a revision someone else proposed or
    saved since is not overwritten; then (``ValidationError`` by field) dates or processes that
    break their rules (``check_goal_content``)."""
    _lock_for_step([goal])
    if not changes_through_revision(goal.status):
        raise Conflict(
            gettext("Only an approved goal is revised; “%(goal)s” is %(status)s.")
            % {"goal": goal.title, "status": goal.get_status_display().lower()},
            code="status",
        )
    revision = goal.open_revision() or Revision(goal=goal, proposed_by=by)
    if not allows(GOAL_STEPS, Step.EDIT, revision.status):
        raise goal_status_conflict(goal, Step.EDIT, revision)
    revision.check_version(version)
    for name in Revision.CONTENT_FIELDS:
        setattr(revision, name, content[name])
    check_goal_content(goal, revision, processes, kept_owner_id=goal.owner_id)
    revision._history_user = by
    revision.save()
    revision.processes.set(processes)
    return revision


@transaction.atomic
def revision_discard(*, revision: Revision, by) -> None:
    """Drop a proposed change that is not waiting for its decision; the approved goal stays as it is."""
    goal = revision.goal
    _lock_for_step([goal])
    current = goal.open_revision()
    if current is None or current.pk != revision.pk:
        raise Conflict(
            gettext("The proposed change to “%(goal)s” has been decided or discarded meanwhile.")
            % {"goal": goal.title},
            code="status",
        )
    if not allows(GOAL_STEPS, Step.DISCARD, current.status):
        raise goal_status_conflict(goal, Step.DISCARD, current)
    current._history_user = by
    current.delete()


@transaction.atomic
def goal_submit(*, goal: Goal, by) -> Goal:
    """Send a draft, or a goal that was sent back, to whoever decides it; for an approved goal,
    send its proposed change."""
    _lock_for_step([goal])
    if changes_through_revision(goal.status) and (revision := goal.open_revision()) is not None:
        if not allows(GOAL_STEPS, Step.SUBMIT, revision.status):
            raise goal_status_conflict(goal, Step.SUBMIT, revision)
        _take_step(revision, Step.SUBMIT, by, return_comment="")
        goal_step_taken.send(Goal, step=Step.SUBMIT, items=[revision], by=by, comment="")
        return goal
    if not allows(GOAL_STEPS, Step.SUBMIT, goal.status):
        raise goal_status_conflict(goal, Step.SUBMIT)
    _take_step(goal, Step.SUBMIT, by, return_comment="")
    goal_step_taken.send(Goal, step=Step.SUBMIT, items=[goal], by=by, comment="")
    return goal


@transaction.atomic
def goal_return(*, goal: Goal, by, comment: str) -> Goal:
    """Send a submitted goal, or an approved goal's submitted change, back for rework
    (återremiss), saying why. A goal sent back with its change stays approved as it was."""
    _lock_for_step([goal])
    revision = goal.submitted_revision() if changes_through_revision(goal.status) else None
    if revision is None and not allows(GOAL_STEPS, Step.RETURN, goal.status):
        raise goal_status_conflict(goal, Step.RETURN)
    if not comment.strip():
        raise ValidationError(gettext("Say why the goal is sent back."), code="comment")
    _take_step(revision or goal, Step.RETURN, by, return_comment=comment.strip())
    goal_step_taken.send(Goal, step=Step.RETURN, items=[revision or goal], by=by, comment=comment.strip())
    return goal


@transaction.atomic
def goal_approve(
    *, goals, by, meeting_date, paragraph: str, registry_number: str = "", minutes_url: str = ""
) -> Decision:
    """Approve submitted goals, and the submitted changes of approved goals, under one decision of
    the body or unit that decides them all. An approved change supersedes its goal's content.

    A goal is approved only under a decided chain: the goal it breaks down is decided already, or
    approved in the same decision. Refused, writing nothing, when a goal is neither submitted nor
    has a submitted change (``Conflict``: most often someone decided it first), or
    (``ValidationError``) when the goals have different deciding bodies, a decision being one
    body's at one meeting, or when a goal's parent is not decided; first of all (``ValidationError``
    on ``meeting_date``) when the meeting has not taken place yet, or took place before the year
    before the goals' year (``placement.meeting_date_problems``).
    """
    goals = list(goals)
    if not goals:
        raise ValidationError(gettext("Choose at least one goal to approve."), code="empty")
    meeting_date = Decision._meta.get_field("meeting_date").to_python(meeting_date)
    years = Period.objects.filter(pk__in={goal.period_id for goal in goals}).values_list("year", flat=True)
    if problems := meeting_date_problems(meeting_date, years=years, today=timezone.localdate()):
        raise ValidationError({"meeting_date": problems}, code="meeting_date")
    _lock_for_step(goals)
    revisions = {
        goal.pk: goal.submitted_revision() for goal in goals if changes_through_revision(goal.status)
    }
    if conflicts := [
        goal_status_conflict(goal, Step.APPROVE)
        for goal in goals
        if not allows(GOAL_STEPS, Step.APPROVE, goal.status) and revisions.get(goal.pk) is None
    ]:
        raise Conflict([message for conflict in conflicts for message in conflict.messages], code="status")
    problems = _undecided_parents([goal for goal in goals if goal.pk not in revisions])
    deciding_units = {goal.deciding_unit for goal in goals}
    if len(deciding_units) > 1:
        problems.append(
            gettext("One decision covers the goals of one deciding body or unit, not of: %(units)s.")
            % {"units": ", ".join(sorted(unit.name for unit in deciding_units))}
        )
    if problems:
        raise ValidationError(problems, code="approve")
    deciding_unit = deciding_units.pop()
    decision = Decision.objects.create(
        deciding_unit=deciding_unit,
        delegated_by=_delegating_body(deciding_unit, goals),
        recorded_by=by,
        meeting_date=meeting_date,
        paragraph=paragraph,
        registry_number=registry_number,
        minutes_url=minutes_url,
    )
    try:
        DecisionGoal.objects.bulk_create(
            DecisionGoal(decision=decision, goal=goal, revision=revisions.get(goal.pk)) for goal in goals
        )
    except IntegrityError as error:  # the constraints behind the locks: never two decisions for one
        raise Conflict(
            gettext("Another decision approved one of these goals at the same moment. Read the queue again."),
            code="status",
        ) from error
    for goal in goals:
        if (revision := revisions.get(goal.pk)) is not None:
            _supersede(goal, revision, decision, by)
        else:
            _take_step(goal, Step.APPROVE, by, return_comment="")
    approved = [revisions.get(goal.pk) or goal for goal in goals]
    goal_step_taken.send(Goal, step=Step.APPROVE, items=approved, by=by, comment="")
    return decision


def _delegating_body(deciding_unit: OrgUnit, goals: list[Goal]) -> OrgUnit | None:
    """The political body on whose behalf ``goals`` are approved by delegation; None for a body's
    own decision. No political body decides operational goals and activities: the manager of their
    organisation does, by delegation, an administration's from the body that steers it (the
    committee or the executive board above it), a company's or a federation's from its own board.
    A decision that approves a body's goal too is the body's own. One query at most."""
    if any(goal.level in POLITICALLY_DECIDED_LEVELS for goal in goals):
        return None
    return deciding_unit if deciding_unit.is_political else deciding_unit.steering_body


def _undecided_parents(goals: list[Goal]) -> list[str]:
    """Why some of ``goals``, about to be approved together, would hang under a goal not decided:
    each one's parent must be decided already, or among them. One query."""
    parent_paths = {goal.parent_path for goal in goals if goal.depth > 1}
    parents = {parent.path: parent for parent in Goal.objects.filter(path__in=parent_paths)}
    approving = {goal.pk for goal in goals}
    problems = []
    for goal in goals:
        parent = parents.get(goal.parent_path)
        if parent is not None and parent.status not in PUBLIC_STATUSES and parent.pk not in approving:
            problems.append(
                gettext(
                    "“%(goal)s” breaks down “%(parent)s”, which is %(status)s: a goal is decided after the goal it breaks down, or in the same decision."
                )
                % {"goal": goal.title, "parent": parent.title, "status": parent.get_status_display().lower()}
            )
    return problems


def _supersede(goal: Goal, revision: Revision, decision: Decision, by) -> None:
    for name in Revision.CONTENT_FIELDS:
        setattr(goal, name, getattr(revision, name))
    goal._history_user = by
    goal._change_reason = "change approved"  # as "moved": a reason for code, the page shows the decision
    goal.save(update_fields=Revision.CONTENT_FIELDS)
    goal.processes.set(revision.processes.all())
    revision.status, revision.decision = GOAL_STEPS[Step.APPROVE].target, decision
    revision._history_user = by
    revision.save(update_fields=["status", "decision"])


def _take_step(item: Goal | Revision, step: Step, by, *, return_comment: str) -> Goal | Revision:
    item.status, item.return_comment = GOAL_STEPS[step].target, return_comment
    item._history_user = by  # read by django-simple-history, also outside a request
    item.save(update_fields=["status", "return_comment"])
    return item


@transaction.atomic
def period_close(*, period: Period, by) -> int:
    """Close a year: its decided goals are archived, kept as the record of what was decided.
    Goals never decided stay as they are. Returns how many goals were archived."""
    period.is_closed = (
        Period.objects.select_for_update().values_list("is_closed", flat=True).get(pk=period.pk)
    )
    if period.is_closed:
        raise Conflict(gettext("%(year)d is already closed.") % {"year": period.year}, code="closed")
    period.is_closed = True
    period.save(update_fields=["is_closed"])
    Goal.objects.lock_tree(Goal(period=period))  # an unsaved goal of the year names its chain's lock
    approved = list(Goal.objects.select_for_update().filter(period=period, status=Status.APPROVED))
    for goal in approved:
        _take_step(goal, Step.ARCHIVE, by, return_comment="")
    return len(approved)


def period_add(*, year: int | None = None) -> Period:
    """Open a planning year: ``year``, or by default the one after the latest (this year when there
    is none). Its reporting periods follow with their usual dates (``goals.receivers``).

    Refused (``Conflict``) when the year exists, also when another write made it first; (by field)
    a year outside the model's bounds."""
    if year is None:
        latest = Period.objects.order_by("-year").values_list("year", flat=True).first()
        year = timezone.localdate().year if latest is None else latest + 1
    period = Period(year=year)
    period.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            period.save()
    except IntegrityError as error:
        raise Conflict(gettext("%(year)d exists already.") % {"year": year}, code="exists") from error
    return period


@transaction.atomic
def goal_delete(*, goal: Goal, by, version: int | None = None) -> None:
    """Delete a goal that was never decided and that nothing stands on: a draft, or a goal sent
    back, with no goals under it and no decision naming it. A decided goal stays as the record of
    what was decided (it is archived with its year instead), and a goal under which others stand
    would leave them without the goal they break down.

    Refused (``Conflict``), deleting nothing, when any of that is not so under the chain's lock:
    also when the goal was submitted, given a child or deleted meanwhile, or changed since the
    ``version`` the person saw; and when follow-ups report on it, which would go with it."""
    _lock_for_step([goal])  # the chain's lock (a delete is a tree write), then the goal's row
    if not allows(GOAL_STEPS, Step.DISCARD, goal.status):
        raise Conflict(
            gettext("Only a draft or a goal sent back can be deleted; “%(goal)s” is %(status)s.")
            % {"goal": goal.title, "status": goal.get_status_display().lower()},
            code="status",
        )
    if version is not None:  # after the status, which says more when the goal was submitted meanwhile
        goal.check_version(version)
    if Goal.objects.get_children_count(goal):
        raise Conflict(
            gettext("Goals break down “%(goal)s”: delete or move them first.") % {"goal": goal.title},
            code="children",
        )
    if goal.decisions.exists():
        raise Conflict(
            gettext("A decision names “%(goal)s”: it stays as the record of what was decided.")
            % {"goal": goal.title},
            code="decided",
        )
    if goal.follow_ups.exists():
        raise Conflict(
            gettext("“%(goal)s” has follow-ups: it stays with what was reported on it.")
            % {"goal": goal.title},
            code="followed_up",
        )
    goal._history_user = by
    goal.delete()
