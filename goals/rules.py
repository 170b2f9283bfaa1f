"""Who may do what to goals, as django-rules predicates (see ``orgunits.rules``)."""

import rules

from orgunits.rules import manages_unit


@rules.predicate
def manages_unit_of_goal(user, goal) -> bool:
    return goal is not None and manages_unit(user, goal.org_unit)


# Until the approval workflow: staff, and the managers and editors of the goal's unit or above it.
rules.add_perm("goals.add_goal_at_unit", rules.is_staff | manages_unit)
rules.add_perm("goals.edit_goal", rules.is_staff | manages_unit_of_goal)
