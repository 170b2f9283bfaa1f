"""A unit's chain ("my chain"): each of the unit's goals in a year with its way up to the vision
and its breakdown down to the activities, on one page, in a fixed number of queries however large
the group is.

The ways up are one query (every prefix of the goals' paths); the breakdowns one more (a range of
paths per goal at the top of the unit's goals, the nearest goals first and at most ``shown`` of
them). The page says how many goals each breakdown holds in all, and links to the whole of it in
the chain tree when it shows fewer.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Q

from goals.chain.models import Goal
from orgunits.trees import FlatNode, flatten, nest, subtree_of


@dataclass(frozen=True)
class GoalInChain:
    """One of the unit's goals: its way up (from the vision down), the goals of its breakdown that
    are shown (nested, as a flat loop renders them), and how many goals the breakdown holds in all."""

    goal: Goal
    above: list[Goal]
    below: list[FlatNode]
    below_shown: int
    below_count: int


def ways_up(goals: list[Goal], *, among) -> dict[str, Goal]:
    """The goals (of ``among``) above any of ``goals``, by path: one query, none for no goals."""
    paths = {path for goal in goals for path in goal.ancestor_paths()}
    return {above.path: above for above in among.filter(path__in=paths)} if paths else {}


def breakdowns(goals: list[Goal], *, among, shown: int):
    """The goals (of ``among``) below any of ``goals``, the nearest first, at most ``shown`` of them,
    as a query (None for no goals). A goal under another of ``goals`` is in that one's range
    already, so only the topmost ask for theirs."""
    paths = {goal.path for goal in goals}
    topmost = [goal for goal in goals if not paths.intersection(goal.ancestor_paths())]
    if not topmost:
        return None
    below = reduce(or_, (subtree_of(goal, include_self=False) for goal in topmost), Q())
    nearest = among.filter(below).order_by("depth", "path")[:shown]
    # Picked by id in a subquery, so that what the page annotates on them is asked of them alone.
    return among.filter(pk__in=nearest.values("pk"))


def arrange(goals: list[Goal], above: dict[str, Goal], below: list[Goal]) -> list[GoalInChain]:
    """Each of ``goals`` (annotated ``cascade_size``) with its way up from ``above`` and its part of
    ``below`` (nested): no query."""
    below = sorted(below, key=lambda goal: goal.path)
    arranged = []
    for goal in goals:
        mine = [item for item in below if item.path.startswith(goal.path) and item.path != goal.path]
        arranged.append(
            GoalInChain(
                goal=goal,
                above=[above[path] for path in goal.ancestor_paths() if path in above],
                below=flatten(nest(mine)),
                below_shown=len(mine),
                below_count=goal.cascade_size,
            )
        )
    return arranged
