"""Query builders that the goal pages share, so each page's query count stays fixed."""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.db import connection
from django.db.models import (
    BooleanField,
    Count,
    F,
    FilteredRelation,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, NullIf

from goals.chain.levels import LEVEL_ORDER, POLITICALLY_DECIDED_LEVELS, Level
from goals.chain.models import OPEN_REVISION_STATUSES, DecisionGoal, Goal, Preferences, Revision
from goals.chain.services import goal_status_conflict
from goals.chain.workflow import PUBLIC_STATUSES, Status, Step
from orgunits.history import Entry, history_entries
from orgunits.models import (
    BODY_ROLES,
    Membership,
    Organisations,
    OrgUnit,
    Role,
    display_name,
)
from orgunits.rules import memberships_of
from orgunits.trees import ancestor_paths, below_outer, subtree_of


def with_workflow_state(goals):
    """Annotate each goal with where it stands in the workflow beyond its status, for the pages
    that list a person's goals (subqueries, no extra query):

    - ``decided_on``, ``decided_paragraph``, ``decided_by``: the meeting date, minute paragraph and
      deciding body or unit (its short name, else its name) of the decision that first approved it;
    - ``revision_status``, ``revision_comment``: its open revision's status and why that was sent
      back, where a change to the approved goal is proposed.
    """
    first_decision = DecisionGoal.objects.filter(goal=OuterRef("pk"), revision__isnull=True).order_by(
        "-decision__meeting_date"
    )
    open_revision = Revision.objects.filter(goal=OuterRef("pk"), status__in=OPEN_REVISION_STATUSES)
    return goals.annotate(
        decided_on=Subquery(first_decision.values("decision__meeting_date")[:1]),
        decided_paragraph=Subquery(first_decision.values("decision__paragraph")[:1]),
        decided_by=Subquery(
            first_decision.annotate(
                body=Coalesce(
                    NullIf("decision__deciding_unit__short_name", Value("")), "decision__deciding_unit__name"
                )
            ).values("body")[:1]
        ),
        revision_status=Subquery(open_revision.values("status")[:1]),
        revision_comment=Subquery(open_revision.values("return_comment")[:1]),
    )


def with_cascade_size(goals, *, among=None):
    """Annotate each goal with ``cascade_size``: how many goals (of ``among``, by default all) stand
    below it (a subquery, no extra query).

    The goals below are a range of paths (``below_outer``), one index seek per goal, where a LIKE
    against the outer goal's path would read every goal once per goal shown: at the top of a large
    group that was most of a page's time.
    """
    # COUNT as a plain function, not an aggregate, so that the subquery has no GROUP BY; of rows,
    # not of ids, so that it reads the path index alone (an index-only scan) rather than each goal.
    below = (
        (Goal.objects.all() if among is None else among)
        .filter(below_outer(Goal))
        .order_by()
        .annotate(count=Func(template="COUNT(*)", output_field=IntegerField()))
        .values("count")
    )
    return goals.annotate(cascade_size=Subquery(below, output_field=IntegerField()))


def parents_of(goals, *, among=None) -> dict[str, Goal]:
    """The goals (of ``among``, by default all) that the given goals break down, by path (one query)."""
    paths = {goal.parent_path for goal in goals if goal.depth > 1}
    parents = (
        (Goal.objects.all() if among is None else among).filter(path__in=paths).select_related("org_unit")
    )
    return {parent.path: parent for parent in parents}


def parent_of(goal: Goal, parents: dict[str, Goal]) -> Goal | None:
    return parents.get(goal.parent_path)


def chains_of(goals) -> dict[int, list[Goal]]:
    """Each goal's chain up (the goals it breaks down, from the vision down), for many goals in one query."""
    prefixes = {prefix for goal in goals for prefix in goal.ancestor_paths()}
    above = {item.path: item for item in Goal.objects.filter(path__in=prefixes).select_related("org_unit")}
    return {goal.pk: [above[prefix] for prefix in goal.ancestor_paths()] for goal in goals}


def of_units_under(unit: OrgUnit) -> Q:
    """The goals of ``unit`` and of the units under it, as a filter that PostgreSQL reads through the
    goals' index of unit and year: the units' ids first (an array, worked out once), then each one's
    goals. Across the join (``in_subtree_of``), the planner read every goal of the year to keep
    those of a hundred units (an administration's chain tree at the default scale: 1.8 ms to
    0.3 ms; a committee's of 200 units 3.7 to 0.3 ms). A whole group (a root) is most of the year:
    there, reading the year is right (2.3 ms, where 2,000 units' lookups took 10.8 ms)."""
    if unit.depth == 1:
        return subtree_of(unit, "org_unit__")
    return one_of("org_unit", OrgUnit.objects.filter(subtree_of(unit)).order_by().values("pk"))


def one_of(field: str, values) -> Q:
    """``field`` is one of ``values`` (a query of one column), which PostgreSQL works out first, once,
    as an array, and then looks up each by ``field``'s index, where for ``field__in`` it may join
    them to every row a wider filter reads (a year's goals, to keep a hundred)."""
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": values})
    return Q(EqualsAnyOf(F(field), ArraySubquery(values)))


class EqualsAnyOf(Func):
    """``<value> = ANY(<array>)``: true where the value is one of the array's (PostgreSQL)."""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


def chain_goals(goals, *, top: Goal | None = None, unit: OrgUnit | None = None, deepest: str | None = None):
    """``goals`` narrowed to ``top``'s cascade (the goal and the goals below it), to the goals of
    ``unit``'s part of the organisation and to the levels down to ``deepest`` (a level; anything
    else narrows nothing), in the chain's order (the tree's preorder)."""
    if top is not None:
        goals = goals.filter(subtree_of(top))
    if unit is not None:
        goals = goals.filter(of_units_under(unit))
    if deepest in Level.values:
        goals = goals.filter(
            level__in=[level for level in Level if LEVEL_ORDER[level] <= LEVEL_ORDER[deepest]]
        )
    return goals.order_by("path")


def chain_and_nearest_cascade(goal: Goal, *, among, shown: int):
    """The goals (of ``among``) above ``goal`` and the ``shown`` nearest below it (the nearest
    first), as one unordered query of goals, picked by their ids in a subquery so that what is
    annotated on them is looked up for them alone (a goal high in the chain has thousands below it).

    A UNION, not an OR: each half is an index scan, where the OR read every goal of the group. (The
    nearest are wrapped once more, and the parts unordered: SQLite allows no ORDER BY or LIMIT in a
    part of a UNION.)
    """
    above = among.filter(path__in=goal.ancestor_paths()).order_by().values("pk")
    nearest = among.filter(subtree_of(goal, include_self=False)).order_by("depth", "path")[:shown]
    below = Goal.objects.filter(pk__in=nearest.values("pk")).order_by().values("pk")
    return Goal.objects.filter(pk__in=above.union(below))


def grouped_by_unit(goals) -> list[tuple[OrgUnit, list[Goal]]]:
    """Goals (fetched with their ``org_unit``) grouped by unit in the organisation's order, each
    group by level."""
    groups: dict[int, tuple[OrgUnit, list[Goal]]] = {}
    for goal in goals:
        groups.setdefault(goal.org_unit_id, (goal.org_unit, []))[1].append(goal)
    ordered = sorted(groups.values(), key=lambda group: group[0].path)
    return [
        (unit, sorted(items, key=lambda goal: (LEVEL_ORDER[goal.level], goal.path)))
        for unit, items in ordered
    ]


def units_of_my_goals(user) -> tuple[list[OrgUnit], OrgUnit | None]:
    """The units whose goals are ``user``'s, in the organisation's order: those they belong to, or
    without memberships the unit they chose to call theirs (``Preferences.my_unit``), which comes
    second too (None where they belong to units, or chose none). One query, two without
    memberships."""
    units = sorted({membership.org_unit for membership in memberships_of(user)}, key=lambda unit: unit.path)
    if units:
        return units, None
    preferences = Preferences.objects.filter(user=user).select_related("my_unit").first()
    chosen = preferences.my_unit if preferences else None
    return ([chosen] if chosen else []), chosen


def goal_counts_by_unit(goals) -> dict[int, int]:
    """How many of ``goals`` each unit sets, by the unit's pk; a unit that sets none is left out (one
    query)."""
    return dict(goals.order_by().values_list("org_unit").annotate(Count("pk")))


def units_with_their_goals(
    units: list[OrgUnit], goals: list[Goal], *, counts: dict[int, int] | None
) -> list[tuple[OrgUnit, list[tuple[Goal, list[Goal]]]]]:
    """``units`` each with those of ``goals`` (a page of their goals) that it sets, each goal with its
    chain up (``chains_of``: one query). A unit none of whose goals is among them is left out, unless
    ``counts`` (``goal_counts_by_unit`` of all their goals; None: left out anyway) says that it sets
    none at all: the first page shows the units still without goals."""
    chains = chains_of(goals)
    by_unit: dict[int, list[tuple[Goal, list[Goal]]]] = {unit.pk: [] for unit in units}
    for goal in goals:
        by_unit[goal.org_unit_id].append((goal, chains[goal.pk]))
    return [
        (unit, by_unit[unit.pk])
        for unit in units
        if by_unit[unit.pk] or (counts is not None and not counts.get(unit.pk))
    ]


def decidable_groups(*, user, period, organisations: Organisations) -> list[tuple[OrgUnit, list[Goal]]]:
    """The period's goals (and changes) waiting for a decision that ``user`` takes, one group per
    deciding body or unit in the organisation's order, each goal with its open revision, and both
    with their processes, to show what a revision changes (four queries, with the memberships)."""
    submitted = list(
        Goal.objects.filter(period=period)
        .awaiting_decision()
        # A goal's open revision (at most one) is read with the goal, rather than prefetched.
        .annotate(
            open_revision_row=FilteredRelation(
                "revisions", condition=Q(revisions__status__in=OPEN_REVISION_STATUSES)
            )
        )
        .select_related("org_unit", "owner", "open_revision_row__owner")
        .order_by("path")
    )
    for goal in submitted:  # as ``Goal.objects.with_open_revision()`` would prefetch it
        revision = getattr(goal, "open_revision_row", None)  # not set where the goal has none
        goal.open_revisions = [revision] if revision else []
    # What a revision changes compares its processes with its goal's (``Revision.changes``).
    revised = [goal for goal in submitted if goal.open_revisions]
    prefetch_related_objects(revised, "processes")
    prefetch_related_objects([goal.open_revisions[0] for goal in revised], "processes")
    groups: dict[OrgUnit, list[Goal]] = {}
    for goal in submitted:
        # Prime who decides from the organisations fetched once, instead of a query per goal.
        goal.deciding_unit = goal.deciding_unit_among(organisations)
        if user.has_perm("goals.decide_goal", goal):
            groups.setdefault(goal.deciding_unit, []).append(goal)
    return sorted(groups.items(), key=lambda group: group[0].path)


def refusals_of_decided(*, pks, step: Step, user) -> list[str]:
    """Why ``step`` can no longer be taken on the goals ``pks`` (which no longer wait for a
    decision), where ``user`` decides them: each one's refusal as the workflow states it
    (``goal_status_conflict``); one query."""
    if not pks:
        return []
    gone = Goal.objects.filter(pk__in=pks).select_related("org_unit")
    return [
        goal_status_conflict(goal, step).messages[0]
        for goal in gone
        if user.has_perm("goals.decide_goal", goal)
    ]


def deciders_of(goals: list[Goal]) -> dict[int, list]:
    """The people who decide each of ``goals``, by the goal's pk, in the order of their names: the
    ``goals.decide_goal`` rule (``goals.rules.decides_goal``) as one query however many goals. The
    politicians and the secretary of the body that owns a vision, strategic or body goal; for the
    other levels, the managers of the deciding organisation or of a unit above it. Staff may decide
    anything but are nobody's decider by name; users who cannot sign in are left out. Each goal's
    ``deciding_unit`` must be set already (``deciding_unit_among``), or it costs a query."""
    if not goals:
        return {}
    bodies = {goal.deciding_unit.pk for goal in goals if goal.level in POLITICALLY_DECIDED_LEVELS}
    above = {
        path
        for goal in goals
        if goal.level not in POLITICALLY_DECIDED_LEVELS
        for path in ancestor_paths(goal.deciding_unit.path, OrgUnit.steplen, include_self=True)
    }
    memberships = list(
        Membership.objects.filter(
            Q(org_unit__in=bodies, role__in=BODY_ROLES) | Q(org_unit__path__in=above, role=Role.MANAGER),
            user__is_active=True,
        ).select_related("user", "org_unit")
    )
    deciders = {}
    for goal in goals:
        # The query above only narrows the memberships; the rule itself decides who is a decider.
        by_pk = {each.user.pk: each.user for each in memberships if goal.is_decided_through(each)}
        deciders[goal.pk] = sorted(by_pk.values(), key=lambda person: (display_name(person), person.pk))
    return deciders


def waits_for(goal: Goal, chains: dict[int, list[Goal]]) -> Goal | None:
    """The goal that ``goal`` breaks down, when that is not decided yet (``chains`` as ``chains_of``
    returns them): a new goal is decided after it, or in the same decision (``goal_approve``)."""
    chain = chains[goal.pk]
    if goal.status == Status.APPROVED or not chain or chain[-1].status in PUBLIC_STATUSES:
        return None
    return chain[-1]


def changes_proposed(goal: Goal) -> list[tuple[str, object, object]] | None:
    """What a submitted change would change in an approved goal; None for a goal never decided."""
    revision = goal.submitted_revision()
    return revision.changes() if revision is not None else None


def history_of(goal: Goal) -> list[Entry]:
    """Who changed the goal, when and what, newest first (two queries, a third when the goal was
    moved): each version of the goal with what changed since the one before it, and each step of
    the changes proposed to it (a revision's version, with None for its changes)."""
    entries = history_entries(
        Goal,
        list(
            goal.history.select_related("history_user", "org_unit", "period", "owner").order_by(
                "-history_date", "-history_id"
            )
        ),
    )
    proposals = Revision.history.filter(goal_id=goal.pk).select_related(
        "history_user", "decision__deciding_unit", "decision__delegated_by"
    )
    return sorted(
        [*entries, *(Entry(proposal, None, False) for proposal in proposals)],
        key=lambda entry: (entry.version.history_date, entry.version.history_id),
        reverse=True,
    )
