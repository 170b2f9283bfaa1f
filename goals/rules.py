"""Who may do what to goals, as django-rules predicates (see ``orgunits.rules``)."""

import rules

from goals.levels import POLITICALLY_DECIDED_LEVELS
from orgunits.models import SUBTREE_ROLES
from orgunits.rules import is_manager_of, manages_unit, memberships_of, serves_body, sits_on_body


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


@rules.predicate
def manages_some_unit(user) -> bool:
    """A manager or an editor of any unit."""
    return any(membership.role in SUBTREE_ROLES for membership in memberships_of(user))


# Measurements are the whole group's: whoever manages or edits a unit may import them for any indicator.
rules.add_perm("goals.import_measurements", rules.is_staff | manages_some_unit)


@rules.predicate
def prepares_goal_of_body(user, goal) -> bool:
    """For a vision, strategic or body goal: the administration directly under the body that owns it."""
    return goal is not None and goal.level in POLITICALLY_DECIDED_LEVELS and serves_body(user, goal.org_unit)


# A goal's follow-up is reported by those who own the goal (for a political body's goal, also its
# administration), and reviewed by those who decide the goal.
rules.add_perm("goals.report_follow_up", rules.is_staff | manages_unit_of_goal | prepares_goal_of_body)
rules.add_perm("goals.review_follow_up", rules.is_staff | decides_goal)
