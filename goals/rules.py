"""Who may do what to goals, as django-rules predicates (see ``orgunits.rules``)."""

import rules

from goals.chain.levels import GOAL_SETTING_KINDS, POLITICALLY_DECIDED_LEVELS
from goals.indicators.models import Indicator
from orgunits.models import SUBTREE_ROLES
from orgunits.rules import drafts_for_body, manages_unit, memberships_of, serves_body


@rules.predicate
def manages_unit_of_goal(user, goal) -> bool:
    return goal is not None and manages_unit(user, goal.org_unit)


@rules.predicate
def decides_goal(user, goal) -> bool:
    """A politician or the secretary of the body that owns a vision, strategic or body goal; for
    operational goals and activities, a manager of the organisation that decides them."""
    if goal is None:
        return False
    return any(goal.is_decided_through(membership) for membership in memberships_of(user))


@rules.predicate
def prepares_goal_of_body(user, goal) -> bool:
    """For a vision, strategic or body goal: a manager or an editor of an administration that
    prepares the business of the body that owns it (``orgunits.rules.serves_body``)."""
    return goal is not None and goal.level in POLITICALLY_DECIDED_LEVELS and serves_body(user, goal.org_unit)


@rules.predicate
def drafts_goal_of_body(user, goal) -> bool:
    """For a vision, strategic or body goal: its body's administrations and its secretary
    (``orgunits.rules.drafts_for_body``)."""
    return (
        goal is not None and goal.level in POLITICALLY_DECIDED_LEVELS and drafts_for_body(user, goal.org_unit)
    )


@rules.predicate
def sets_goals(user, unit) -> bool:
    """Whether goals are set at the unit at all: not at the auditors, whoever asks."""
    return unit is not None and unit.kind in GOAL_SETTING_KINDS


# The administration prepares (bereder), the body decides: the managers and editors of an
# administration, and a body's secretary, draft, edit and submit the goals of every political body
# the administration serves; the politicians decide them (``goals.decide_goal``).
rules.add_perm("goals.add_goal_at_unit", sets_goals & (rules.is_staff | manages_unit | drafts_for_body))
rules.add_perm("goals.edit_goal", rules.is_staff | manages_unit_of_goal | drafts_goal_of_body)
rules.add_perm("goals.submit_goal", rules.is_staff | manages_unit_of_goal | drafts_goal_of_body)
rules.add_perm("goals.decide_goal", rules.is_staff | decides_goal)


@rules.predicate
def manages_some_unit(user) -> bool:
    """A manager or an editor of any unit."""
    return any(membership.role in SUBTREE_ROLES for membership in memberships_of(user))


# The import page and the API's bulk write are open to whoever manages or edits a unit; each row is
# then written only if its indicator's values are the importer's (``goals.write_indicator_values``).
rules.add_perm("goals.import_measurements", rules.is_staff | manages_some_unit)


@rules.predicate
def answers_for_indicator(user, indicator) -> bool:
    """A manager or an editor of a unit whose goal the indicator measures, or of a unit above it."""
    return indicator is not None and Indicator.objects.writable_by(user).filter(pk=indicator.pk).exists()


# An indicator's values (its measurements and targets) suggest the grades of the goals it measures,
# so they are written only by those who answer for those goals, each within their part of the
# organisation, and by staff; an indicator that measures no goal, by staff alone. Asked per
# indicator, this is one query; ``Indicator.objects.writable_by(user)`` says the same for any number
# of indicators at once, and is what the imports and the API's bulk write ask.
rules.add_perm("goals.write_indicator_values", rules.is_staff | answers_for_indicator)


@rules.predicate
def decides_goal_of_follow_up(user, follow_up) -> bool:
    return follow_up is not None and decides_goal(user, follow_up.goal)


@rules.predicate
def submitted_follow_up(user, follow_up) -> bool:
    return follow_up is not None and follow_up.was_submitted_by(user)


# A goal's follow-up is reported by those who own the goal (for a political body's goal, also its
# administration), asked of the goal; it is reviewed (or sent back) by those who decide the goal,
# asked of the follow-up: whoever submitted it does not review it, staff and superusers neither
# (separation of duties). Django's ``user.has_perm`` grants a superuser every permission without
# asking, so this one is asked as itself: ``rules.has_perm("goals.review_follow_up", user,
# follow_up)`` on the pages, the predicate ``reviews_follow_up`` in the API.
rules.add_perm("goals.report_follow_up", rules.is_staff | manages_unit_of_goal | prepares_goal_of_body)
reviews_follow_up = ~submitted_follow_up & (rules.is_superuser | rules.is_staff | decides_goal_of_follow_up)
rules.add_perm("goals.review_follow_up", reviews_follow_up)
