"""Query builders that the goal pages share, so each page's query count stays fixed."""

from django.db.models import Func, IntegerField, Subquery

from goals.chain.models import Goal
from orgunits.trees import below_outer


def with_cascade_size(goals, *, among=None):
    """Annotate each goal with ``cascade_size``: how many goals (of ``among``, by default all) stand
    below it (a subquery, no extra query).

    The goals below are a range of paths (``below_outer``), one index seek per goal, where a LIKE
    against the outer goal's path would read every goal once per goal shown: at the top of a large
    group that was most of a page's time.
    """
    # COUNT as a plain function, not an aggregate, so that the subquery has no GROUP BY.
    below = (
        (Goal.objects.all() if among is None else among)
        .filter(below_outer(Goal))
        .order_by()
        .annotate(count=Func("pk", function="COUNT"))
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
