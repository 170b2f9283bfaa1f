"""The chain tree's queries read what they show, not the whole year (PostgreSQL's plans;
docs/performance.md has the timings at the default scale). Sequential scans are forbidden when a
plan is asked, since tables this small are read whole by choice: what remains shows the path the
query leaves the planner."""

import pytest
from django.db import connection

from goals.chain.queries import chain_goals
from goals.models import Goal
from tests.kit.chain import grow_chain
from tests.kit.plans import plan_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]


def test_a_part_of_the_organisation_is_read_by_its_units_goals_of_the_year(chain, group):
    grow_chain(chain, 400)
    # Most of the year's goals elsewhere in the group, as an administration's part holds a few
    # hundred of a group's thousands (the plan is all this test reads: the chain's rules are not).
    Goal.objects.filter(org_unit=group.school).exclude(pk=chain.activity.pk).update(org_unit=group.company)
    goals = chain_goals(Goal.objects.filter(period=chain.period), unit=group.administration)
    plan = plan_of(goals.order_by(), "goals_goal", "orgunits_orgunit")
    # The part's units worked out first, once (an InitPlan), and the goals tested against them, so
    # that an index of the goals' units can serve (at the default scale, that of unit and year:
    # 1.8 to 0.3 ms); across a join to the units, the planner read every goal of the year to keep
    # those of the part. Which index this small table is read by is the planner's choice.
    assert "InitPlan" in plan
    assert "org_unit_id = ANY ($0)" in plan
    assert "Join" not in plan and "Nested Loop" not in plan


def test_a_part_of_the_organisation_shows_the_goals_of_its_units_alone(chain, group):
    goals = chain_goals(Goal.objects.filter(period=chain.period), unit=group.administration)
    assert list(goals) == [chain.operational, chain.department_goal, chain.activity]


def test_the_whole_group_shows_every_goal_of_the_year(chain, group):
    goals = chain_goals(Goal.objects.filter(period=chain.period), unit=group.council)
    assert list(goals) == list(Goal.objects.filter(period=chain.period).order_by("path"))
