"""Where a goal may be broken down: the units and levels a form offers are exactly those the chain
rules accept, because both ask the same rules (``placement.chain_problems`` and
``placement.chosen_parent_problem``) of the same prospective goal."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from goals.chain.levels import GOAL_SETTING_KINDS, LEVEL_KINDS, PARENT_LEVELS, Level
from goals.chain.models import Goal
from goals.chain.placement import chain_problems, chosen_parent_problem
from goals.chain.workflow import PUBLIC_STATUSES
from orgunits.models import Organisations, OrgUnit
from orgunits.trees import ancestor_paths, subtree_of

# The levels that break down a goal of each level, from the vision down.
CHILD_LEVELS: dict[Level, tuple[Level, ...]] = {
    parent: tuple(level for level in Level if parent in PARENT_LEVELS[level]) for parent in Level
}


@dataclass
class Places:
    """Where a goal may be broken down: the levels accepted at each unit, in the organisation's
    order, and when none is, the rules' reasons (each once), for the page that says so."""

    levels_by_unit: dict[OrgUnit, list[Level]]
    refusals: list[str]


def places_to_break_down(goal: Goal, *, user) -> Places | None:
    """Where ``user`` may break ``goal`` down: each active unit of its part of the organisation (its
    unit and the units under it, and for a body goal the administrations that also serve its body
    and the units under them) where they may add a goal (``goals.add_goal_at_unit``), with the
    levels a new goal there may have under ``goal`` by the chain rules, in the organisation's order.
    A unit where no level fits is left out, so nothing offered is refused on saving; where none is
    left, ``refusals`` says why. None where the user may add a goal at none of the units.

    Five queries whatever the size of the organisation: the units, the lines above them, the bodies
    those lines also serve, the user's memberships, and the organisations where ``goal`` is not
    decided yet (who decides the goals, for ``chosen_parent_problem``)."""
    within = subtree_of(goal.org_unit)
    if goal.level == Level.BODY:
        for serving in goal.org_unit.also_served_by.active():
            within |= subtree_of(serving)
    units = [
        unit
        for unit in OrgUnit.objects.filter(within, kind__in=GOAL_SETTING_KINDS).active().order_by("path")
        if user.has_perm("goals.add_goal_at_unit", unit)
    ]
    if not units:
        return None
    _know_their_steering_bodies(units)
    prospective = {
        unit: [
            Goal(level=level, org_unit=unit, period=goal.period) for level in CHILD_LEVELS[Level(goal.level)]
        ]
        for unit in units
    }
    if goal.status not in PUBLIC_STATUSES:
        # Who decides each goal, from the organisations read once, for the rule on parents not yet
        # decided, instead of a query per goal.
        organisations = Organisations()
        for new_goal in [goal, *(new for goals in prospective.values() for new in goals)]:
            new_goal.deciding_unit = new_goal.deciding_unit_among(organisations)
    places = Places({}, [])
    # The reasons at units whose kind sets the level come first: they say most about this goal.
    fitting, other = [], []
    for unit, goals in prospective.items():
        for new in goals:
            problems = chain_problems(new, parent=goal)
            if not problems and (problem := chosen_parent_problem(new, parent=goal)):
                problems = [problem]
            if not problems:
                places.levels_by_unit.setdefault(unit, []).append(Level(new.level))
            refusals = fitting if unit.kind in LEVEL_KINDS[new.level] else other
            refusals += [problem for problem in problems if problem not in refusals]
    places.refusals = fitting + [problem for problem in other if problem not in fitting]
    return places


def _know_their_steering_bodies(units: list[OrgUnit]) -> None:
    """Work out ``steering_body`` and ``steering_bodies`` of each of ``units`` (as ``OrgUnit``'s
    own properties do, with queries per unit) from the lines above them, read in two queries."""
    paths = {path for unit in units for path in ancestor_paths(unit.path, unit.steplen, include_self=True)}
    line = {unit.path: unit for unit in OrgUnit.objects.filter(path__in=paths)}
    served = OrgUnit.also_serves.through.objects.filter(
        Q(from_orgunit__path__in=paths), from_orgunit__is_active=True, to_orgunit__is_active=True
    ).select_related("to_orgunit")
    serves: dict[int, list[OrgUnit]] = {}
    for link in served:
        serves.setdefault(link.from_orgunit_id, []).append(link.to_orgunit)
    for unit in units:
        above = [
            line[path] for path in ancestor_paths(unit.path, unit.steplen, include_self=True) if path in line
        ]
        political = [ancestor for ancestor in above[:-1] if ancestor.is_political]
        steering = political[-1] if political else None
        also = sorted(
            {body.pk: body for ancestor in above for body in serves.get(ancestor.pk, [])}.values(),
            key=lambda body: body.path,
        )
        unit.__dict__["steering_body"] = steering
        unit.__dict__["steering_bodies"] = ([steering] if steering else []) + [
            body for body in also if body != steering
        ]
