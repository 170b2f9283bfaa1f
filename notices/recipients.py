"""Who is told of what: each answer is a fixed number of queries however many goals it is asked of.

The deciders of a goal are asked of ``goals.chain.queries.deciders_of`` (the ``goals.decide_goal`` rule);
the people who answer for a goal are the managers and editors of its unit, and for a political
body's goal those of the units that prepare the body's business (``orgunits.rules.preparing``, the
rule ``goals.report_follow_up`` asks too). Only active users are ever recipients.
"""

from __future__ import annotations

from collections import defaultdict

from goals.chain.levels import POLITICALLY_DECIDED_LEVELS
from goals.chain.workflow import Status
from goals.models import Goal
from orgunits.models import SUBTREE_ROLES, Membership
from orgunits.rules import preparing


def people_answering_for(goals: list[Goal], roles=SUBTREE_ROLES) -> dict[int, list]:
    """The people with one of ``roles`` (by default managers and editors) in each goal's unit, and
    for a vision, strategic or body goal in the units that prepare its body's business
    (``orgunits.rules.preparing``: the units directly under the body, the administrations that also
    serve it, the executive board's administration for the council), by the goal's pk. Each goal's
    ``org_unit`` must be fetched with it. Two queries: which units prepare the bodies (left out when
    no goal is a body's), and the people."""
    if not goals:
        return {}
    bodies = {goal.org_unit.path for goal in goals if goal.level in POLITICALLY_DECIDED_LEVELS}
    preparing_units: dict[str, set[int]] = defaultdict(set)  # by the path of the body they prepare
    for unit, body in preparing(bodies=bodies) if bodies else ():
        preparing_units[body].add(unit)
    units = {goal.org_unit_id for goal in goals}.union(*preparing_units.values())
    memberships = Membership.objects.filter(
        org_unit__in=units, role__in=roles, user__is_active=True
    ).select_related("user")
    by_unit: dict[int, list] = defaultdict(list)
    for membership in memberships:
        by_unit[membership.org_unit_id].append(membership.user)
    people = {}
    for goal in goals:
        found = list(by_unit[goal.org_unit_id])
        if goal.level in POLITICALLY_DECIDED_LEVELS:
            for unit in sorted(preparing_units[goal.org_unit.path]):
                found += by_unit[unit]
        people[goal.pk] = _distinct(found)
    return people


def submitters(items) -> dict[int, object]:
    """Who last submitted each of ``items`` (goals, or revisions of approved goals) for decision, by
    the item's goal's pk, as its history records it; a goal whose history names nobody is left out.
    One query for each kind of item."""
    found = {}
    for model in {type(item) for item in items}:
        of_model = [item for item in items if isinstance(item, model)]
        versions = (
            model.history.filter(id__in=[item.pk for item in of_model], status=Status.SUBMITTED)
            .exclude(history_user=None)
            .select_related("history_user")
            .order_by("id", "-history_date")
        )
        latest = {}
        for version in versions:
            latest.setdefault(version.id, version.history_user)
        for item in of_model:
            goal_pk = item.pk if isinstance(item, Goal) else item.goal_id
            if item.pk in latest and latest[item.pk].is_active:
                found[goal_pk] = latest[item.pk]
    return found


def _distinct(people: list) -> list:
    return list({person.pk: person for person in people}.values())
