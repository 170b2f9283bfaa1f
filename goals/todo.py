"""What a signed-in person should do now: the rows of their to-do list and its count in the menu.

Each kind of row is one query builder (``TASKS``), used twice: the start page lists its rows (one
query per kind), and the menu counts all of them in a single query (``todo_count``). The
permission rules that say whose task a row is (``goals.rules``) are asked here of the database,
not row by row: from the person's memberships, the ones the rules read (``memberships_of``, one
query a request shares with every permission asked), each becomes a range of paths that an index
serves. ``tests/goals/test_todo.py`` holds the two statements of each rule to the same answers
for the whole cast.

Whose task, for each kind (only the years still open):

- a goal, or a change to an approved goal, submitted for decision: its deciders
  (``goals.decide_goal``; staff decide anything, as the queue shows them);
- a follow-up submitted for review: its goal's deciders, other than whoever submitted it
  (``goals.review_follow_up``: separation of duties; the queue shows it to the submitter, the
  to-do list does not, as it is not theirs to do);
- a goal, or a change, sent back: the managers and editors of its unit (``goals.edit_goal``
  without the staff's reach: the to-do list is about a person's own units), with the reason;
- a follow-up due within ``DUE_SOON`` or overdue (``goals.follow_up.deadlines``): those who
  report it for their units (``goals.report_follow_up``, again without the staff's reach);
- a change they proposed that is not decided yet: its proposer.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import operator
import weakref
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import DatabaseError, connection
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from goals.chain.levels import POLITICALLY_DECIDED_LEVELS
from goals.chain.models import Goal, ReportingPeriod, Revision
from goals.chain.workflow import Status
from goals.follow_up.deadlines import undelivered_follow_ups
from goals.follow_up.models import FollowUp
from goals.follow_up.workflow import ReviewStatus
from orgunits.kinds import ORGANISATION_KINDS, POLITICAL_KINDS, Kind
from orgunits.models import BODY_ROLES, SUBTREE_ROLES, OrgUnit, Role
from orgunits.rules import memberships_of, prepared_bodies_filter
from orgunits.trees import subtree_of

# The headings of the list, one for each kind of row.
TO_DECIDE = gettext_lazy("Waiting for your decision")
TO_REVIEW = gettext_lazy("Follow-ups to review")
SENT_BACK = gettext_lazy("Sent back to you")
TO_REPORT = gettext_lazy("Follow-ups to report")
PROPOSED = gettext_lazy("Your proposed changes")

# A follow-up enters the list this long before its deadline, and stays there once overdue.
DUE_SOON = datetime.timedelta(days=14)

# Units inside an organisation, never above one (``orgunits.kinds``): the organisation above them
# decides the operational goals and activities under them, so their managers decide none.
INSIDE_AN_ORGANISATION = frozenset(Kind) - POLITICAL_KINDS - ORGANISATION_KINDS


def _acts_for_everything(user) -> bool:
    # Staff decide and review anything; Django gives an active superuser every permission.
    return user.is_staff or user.is_superuser


def _subtrees(units, goal: str) -> Q:
    """The goals (``goal``: the path to the goal from the row, "" for a goal itself) of ``units``
    and of the units under them: a range of paths per unit, which an index serves; nothing for no
    units, which the database is not even asked."""
    within = Q(**{f"{goal}pk__in": []})
    for unit in units:
        within |= subtree_of(unit, f"{goal}org_unit__")
    return within


def _political(goal: str) -> Q:
    return Q(**{f"{goal}level__in": POLITICALLY_DECIDED_LEVELS})


def decided_by(user, goal: str = "") -> Q:
    """The goals that ``user`` decides (``goals.decide_goal``; ``Goal.is_decided_through`` asked of
    each of their memberships at once), as a filter (``goal``: the path to the goal, "" for goals):
    the politicians and the secretary of the body that owns a vision, strategic or body goal; for
    the other levels, a manager of the organisation that decides them or of a unit above it, which
    is a manager of a unit at or above the goal's that is not inside an organisation."""
    if _acts_for_everything(user):
        return Q()
    memberships = memberships_of(user)
    bodies = [each.org_unit_id for each in memberships if each.role in BODY_ROLES]
    above = [
        each.org_unit
        for each in memberships
        if each.role == Role.MANAGER and each.org_unit.kind not in INSIDE_AN_ORGANISATION
    ]
    return (_political(goal) & Q(**{f"{goal}org_unit__in": bodies})) | (
        ~_political(goal) & _subtrees(above, goal)
    )


def edited_by(user, goal: str = "") -> Q:
    """The goals that ``user`` edits (``goals.edit_goal`` without the staff's reach), as a filter:
    those of the units where they are a manager or an editor and of the units under them, and the
    vision, strategic and body goals of the political bodies whose business they prepare
    (``prepared_bodies_filter``: an administration's, a body's secretary's)."""
    drafted = prepared_bodies_filter(user, f"{goal}org_unit__", with_secretaries=True)
    return _own(user, goal) | (_political(goal) & drafted)


def reported_by(user, goal: str = "") -> Q:
    """The goals whose follow-ups ``user`` reports (``goals.report_follow_up`` without the staff's
    reach), as a filter: those of their own units, and a political body's goals for the
    administrations that prepare its business (not its secretary).

    Stated as "own or (political and prepared)", the database read every goal of the open years to
    test each one's unit; stated as its equal "(own or prepared) and (own or political)", it first
    finds the units (ranges of paths, and the bodies prepared) and reads their goals by the unit
    index (the to-do count's follow-ups due at the default scale: 1.9 to 1.4 ms)."""
    units = _own_units(user)
    own = _subtrees(units, goal)
    if not units:
        return own  # nothing: no units of their own, none to prepare for
    own_units = functools.reduce(operator.or_, (subtree_of(unit) for unit in units))
    reported_units = (
        OrgUnit.objects.filter(own_units)
        .order_by()
        .values("pk")
        .union(OrgUnit.objects.filter(prepared_bodies_filter(user)).order_by().values("pk"), all=True)
    )
    return Q(**{f"{goal}org_unit__in": reported_units}) & (own | _political(goal))


def _own_units(user) -> list:
    """The units where ``user`` is a manager or an editor: theirs, with the units under them."""
    return [each.org_unit for each in memberships_of(user) if each.role in SUBTREE_ROLES]


def _own(user, goal: str) -> Q:
    return _subtrees(_own_units(user), goal)


def _open_years(goal: str = "") -> Q:
    return Q(**{f"{goal}period__is_closed": False})


# The builders: each kind's rows for one person, as a queryset (``today`` for the deadlines).


def goals_to_decide(user, today: datetime.date) -> QuerySet:
    """Goals submitted for decision, and approved goals with a change submitted, that ``user``
    decides (``Goal.objects.awaiting_decision``, as the queue reads them)."""
    return Goal.objects.all().awaiting_decision().filter(_open_years(), decided_by(user))


def follow_ups_to_review(user, today: datetime.date) -> QuerySet:
    """Submitted follow-ups that ``user`` reviews: of goals they decide, not submitted by them."""
    return FollowUp.objects.filter(
        _open_years("goal__"), decided_by(user, "goal__"), status=ReviewStatus.SUBMITTED
    ).exclude(submitted_by=user)


def goals_sent_back(user, today: datetime.date) -> QuerySet:
    """Goals of ``user``'s units that were sent back for rework."""
    return Goal.objects.filter(_open_years(), edited_by(user), status=Status.RETURNED)


def changes_sent_back(user, today: datetime.date) -> QuerySet:
    """Changes to approved goals of ``user``'s units that were sent back for rework."""
    return Revision.objects.filter(_open_years("goal__"), edited_by(user, "goal__"), status=Status.RETURNED)


def follow_ups_due(user, today: datetime.date) -> QuerySet:
    """The goals of ``user``'s units whose follow-up is not delivered in a reporting period due
    within ``DUE_SOON`` or already overdue, once for each such reporting period."""
    goals = Goal.objects.filter(_open_years(), reported_by(user))
    return undelivered_follow_ups(goals, due_by=today + DUE_SOON)


def changes_proposed(user, today: datetime.date) -> QuerySet:
    """The changes ``user`` proposed that are not decided yet, nor sent back (those are rows of
    ``changes_sent_back`` for the goal's unit)."""
    return Revision.objects.filter(
        _open_years("goal__"), proposed_by=user, status__in=(Status.DRAFT, Status.SUBMITTED)
    )


TASKS = (
    goals_to_decide,
    follow_ups_to_review,
    goals_sent_back,
    changes_sent_back,
    follow_ups_due,
    changes_proposed,
)


def todo_count(user, *, today: datetime.date | None = None) -> int:
    """How many rows ``user``'s to-do list has (``todo_rows``, uncut), in one query once their
    memberships are read (``memberships_of``); none for nobody."""
    if not user.is_authenticated:
        return 0
    today = today or timezone.localdate()
    memberships = tuple(
        sorted(
            (each.org_unit_id, each.role, each.org_unit.path, each.org_unit.kind)
            for each in memberships_of(user)
        )
    )
    sql, params = _count_sql(user, user.pk, user.is_staff, user.is_superuser, today, memberships)
    if sql is None:
        return 0
    with connection.cursor() as cursor:
        if _prepares(connection):
            _execute_prepared(cursor, connection.connection, sql, params)
        else:
            cursor.execute(sql, params)
        return cursor.fetchone()[0]


@functools.lru_cache(maxsize=1024)
def _count_sql(user, pk, is_staff, is_superuser, today, memberships) -> tuple[str | None, tuple]:
    """The SQL of ``todo_count`` and its parameters (None: nothing can be found), built once per
    process for the same inputs: the menu counts on every page a signed-in person opens, and
    building the six kinds' querysets and compiling their union costs the ORM about 14 ms, five
    times the whole sign-in page. The SQL is a function of the key alone (the person, their staff
    flags, the day and their memberships with each unit's place and kind: all the builders read),
    not of the data, so a cached SQL counts today's rows. ``user`` is there for the builders (a
    model instance compares by its pk, which the key holds anyway)."""
    first, *others = [task(user, today).order_by().values("pk") for task in TASKS]
    try:
        union, params = first.union(*others, all=True).query.sql_with_params()
    except EmptyResultSet:
        return None, ()
    return f"SELECT COUNT(*) FROM ({union}) AS todo", tuple(params)


# The count's SQL is the same on every page a person opens on a day, and PostgreSQL spent as long
# planning its six-part union as running it (about 2.5 ms each at the default scale). Prepared with
# its values written in, it is planned once per database connection: a prepared statement without
# parameters keeps its one plan, which PostgreSQL itself replans after a change of the schema or
# of the tables' statistics. The statements each connection holds, by its name; None once one of
# them failed there, after which that connection asks the plain query.
_PREPARED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
# A connection kept open for long serves many people over many days: it forgets its statements
# when it holds this many, to bound the server's memory.
MOST_PREPARED_PER_CONNECTION = 200


def _prepares(connection) -> bool:
    """Whether to prepare the count on this connection: on PostgreSQL, unless a pooler in
    transaction mode may hand each transaction another server connection (it is the setting that
    such a pooler needs, docs/deployment.md), which would not hold the statement."""
    return connection.vendor == "postgresql" and not connection.settings_dict.get(
        "DISABLE_SERVER_SIDE_CURSORS"
    )


def _execute_prepared(cursor, raw_connection, sql: str, params: tuple) -> None:
    """Execute ``sql`` as a statement prepared on ``raw_connection`` (the driver's), preparing it
    first in the same round trip when the connection does not hold it yet."""
    prepared = _PREPARED.setdefault(raw_connection, set())
    if prepared is None:
        cursor.execute(sql, params)
        return
    statement, name = _statement(sql, params)
    if name in prepared:
        command = f"EXECUTE {name}"
    else:
        command = f"PREPARE {name} AS {statement}; EXECUTE {name}"
        if len(prepared) >= MOST_PREPARED_PER_CONNECTION:
            command = f"DEALLOCATE ALL; {command}"
            prepared.clear()
    try:
        # No parameters: the values are in the statement already, and a literal "%" stays one.
        cursor.execute(command)
    except DatabaseError:
        # Whatever the connection holds now is unknown (a statement prepared, then the execution
        # failed): it asks the plain query from now on. The caller sees the error as before.
        _PREPARED[raw_connection] = None
        raise
    prepared.add(name)


@functools.lru_cache(maxsize=1024)
def _statement(sql: str, params: tuple) -> tuple[str, str]:
    """``sql`` with its values written in (by the driver, as it would send them; no query) and a
    name for it, worked out once per process for the same SQL (``_count_sql`` gives the same
    objects again): writing in a hundred values took about 0.16 ms a page."""
    with connection.cursor() as cursor:
        statement = cursor.mogrify(sql, params).decode()
    return statement, "todo_count_" + hashlib.blake2b(statement.encode(), digest_size=8).hexdigest()


# The rows, as the start page shows them.


@dataclass(frozen=True)
class TodoRow:
    """One thing to do: what (``task``, a heading of the list), about which goal, and where it is
    done (``url``). ``note`` says more (the reason a goal was sent back); ``deadline`` is a
    follow-up's, with ``overdue`` once it has passed."""

    task: str
    title: str
    unit: str
    year: int
    url: str
    note: str = ""
    deadline: datetime.date | None = None
    overdue: bool = False


@dataclass(frozen=True)
class TodoGroup:
    """The rows of one kind under their heading, at most ``SHOWN_PER_TASK`` of them; ``more`` is where
    all of them are listed when more wait (None when all are shown)."""

    task: str
    rows: list[TodoRow]
    more: str | None = None


# A list is read at a glance: each kind shows this many rows, and links to where the rest are.
SHOWN_PER_TASK = 25


@dataclass
class TodoList:
    """A person's to-do list: its kinds of row in the order of ``TASKS``, each with its rows."""

    groups: list[TodoGroup]

    @property
    def rows(self) -> list[TodoRow]:
        return [row for group in self.groups for row in group.rows]

    def __len__(self) -> int:
        return len(self.rows)


def _group(task: str, rows: list[TodoRow], *, all_at: str) -> list[TodoGroup]:
    """The kind's group of rows (none without rows), cut at ``SHOWN_PER_TASK``: then the rest are
    at ``all_at``. Each builder's query reads one row more than is shown, to know."""
    if not rows:
        return []
    more = all_at if len(rows) > SHOWN_PER_TASK else None
    return [TodoGroup(task, rows[:SHOWN_PER_TASK], more)]


def todo_rows(user, *, today: datetime.date | None = None) -> TodoList:
    """``user``'s to-do list (the memberships, and one query per kind of row, ``TASKS``); empty for
    nobody."""
    if not user.is_authenticated:
        return TodoList([])
    today = today or timezone.localdate()
    read = SHOWN_PER_TASK + 1
    queue, mine = reverse("goals:queue"), reverse("goals:mine")
    to_decide = goals_to_decide(user, today).select_related("org_unit", "period")
    decide = [
        TodoRow(
            task=TO_DECIDE,
            title=goal.title,
            unit=goal.org_unit.name,
            year=goal.period.year,
            url=queue,
            # An approved goal waits for a decision on the change proposed to it.
            note=gettext("A proposed change") if goal.status == Status.APPROVED else gettext("A new goal"),
        )
        for goal in to_decide.order_by("period__year", "org_unit__path", "path")[:read]
    ]
    to_review = follow_ups_to_review(user, today).select_related(
        "goal__org_unit", "goal__period", "reporting_period"
    )
    review = [
        TodoRow(
            task=TO_REVIEW,
            title=follow_up.goal.title,
            unit=follow_up.goal.org_unit.name,
            year=follow_up.goal.period.year,
            url=follow_up.get_absolute_url(),
            note=follow_up.reporting_period.get_kind_display(),
        )
        for follow_up in to_review.order_by("reporting_period__deadline", "goal__path")[:read]
    ]
    goals_back = goals_sent_back(user, today).select_related("org_unit", "period")
    changes_back = changes_sent_back(user, today).select_related("goal__org_unit", "goal__period")
    sent_back = [
        (goal, goal.return_comment) for goal in goals_back.order_by("period__year", "path")[:read]
    ] + [
        (revision.goal, revision.return_comment)
        for revision in changes_back.order_by("goal__period__year", "goal__path")[:read]
    ]
    back = [
        TodoRow(
            task=SENT_BACK,
            title=goal.title,
            unit=goal.org_unit.name,
            year=goal.period.year,
            url=reverse("goals:edit", args=[goal.pk]),
            note=gettext("Why it was sent back: %(reason)s") % {"reason": reason},
        )
        for goal, reason in sorted(sent_back, key=lambda item: (item[0].period.year, item[0].path))
    ]
    report = [_due_row(goal, today) for goal in _due_with_their_reporting_period(user, today)[:read]]
    proposed_changes = changes_proposed(user, today).select_related("goal__org_unit", "goal__period")
    proposed = [
        TodoRow(
            task=PROPOSED,
            title=revision.goal.title,
            unit=revision.goal.org_unit.name,
            year=revision.goal.period.year,
            # A draft is worked on and submitted from the revision form; a submitted one waits.
            url=reverse("goals:edit", args=[revision.goal_id])
            if revision.status == Status.DRAFT
            else revision.goal.get_absolute_url(),
            note=gettext("Draft, not submitted yet")
            if revision.status == Status.DRAFT
            else gettext("Waiting for a decision"),
        )
        for revision in proposed_changes.order_by("goal__period__year", "goal__path")[:read]
    ]
    return TodoList(
        [
            *_group(TO_DECIDE, decide, all_at=queue),
            *_group(TO_REVIEW, review, all_at=queue),
            *_group(SENT_BACK, back, all_at=mine),
            *_group(TO_REPORT, report, all_at=mine),
            *_group(PROPOSED, proposed, all_at=mine),
        ]
    )


def _due_with_their_reporting_period(user, today: datetime.date) -> QuerySet:
    """``follow_ups_due`` with, from subqueries, what a row says: the reporting period's kind, and
    why a follow-up sent back was sent back."""
    reporting_period = ReportingPeriod.objects.filter(pk=OuterRef("undelivered_reporting_period"))
    sent_back = FollowUp.objects.filter(
        goal=OuterRef("pk"),
        reporting_period=OuterRef("undelivered_reporting_period"),
        status=ReviewStatus.RETURNED,
    )
    return (
        follow_ups_due(user, today)
        .select_related("org_unit", "period")
        .annotate(
            undelivered_kind=Subquery(reporting_period.values("kind")[:1]),
            return_comment_of_follow_up=Subquery(sent_back.values("return_comment")[:1]),
        )
        .order_by("undelivered_deadline", "path")
    )


def _due_row(goal: Goal, today: datetime.date) -> TodoRow:
    kind = ReportingPeriod(kind=goal.undelivered_kind).get_kind_display()
    reason = goal.return_comment_of_follow_up
    return TodoRow(
        task=TO_REPORT,
        title=goal.title,
        unit=goal.org_unit.name,
        year=goal.period.year,
        url=reverse(
            "goals:follow-up", kwargs={"pk": goal.pk, "reporting_period": goal.undelivered_reporting_period}
        ),
        note=gettext("%(report)s, sent back: %(reason)s") % {"report": kind, "reason": reason}
        if reason
        else kind,
        deadline=goal.undelivered_deadline,
        overdue=goal.undelivered_deadline < today,
    )
