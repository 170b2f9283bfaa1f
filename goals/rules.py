"""Who may do what to goals, as django-rules predicates (see ``orgunits.rules``)."""

import rules

from goals.levels import POLITICALLY_DECIDED_LEVELS
from orgunits.rules import is_manager_of, manages_unit, sits_on_body


@rules.predicate
def manages_unit_of_goal(user, goal) -> bool:
    return goal is not None and manages_unit(user, goal.org_unit)


@rules.predicate
def decides_goal(user, goal) -> bool:
    """A politician or the secretary of the body that owns a vision, strategic or body goal; for
    operational goals and activities, a manager of the organisation that decides them."""
    if goal is None:
        return False
    if goal.level in POLITICALLY_DECIDED_LEVELS:
        return sits_on_body(user, goal.deciding_unit)
    return is_manager_of(user, goal.deciding_unit)


rules.add_perm("goals.add_goal_at_unit", rules.is_staff | manages_unit)
rules.add_perm("goals.edit_goal", rules.is_staff | manages_unit_of_goal)
rules.add_perm("goals.submit_goal", rules.is_staff | manages_unit_of_goal)
rules.add_perm("goals.decide_goal", rules.is_staff | decides_goal)
