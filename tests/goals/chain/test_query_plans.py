"""The goals' indexes serve the queries they were made for (PostgreSQL's plans; docs/performance.md
has the timings at the default scale). A table this small is read whole by choice, so each plan is
asked with sequential scans (and, for an order, sorts) forbidden: what remains shows what an index
can do."""

import pytest
from django.db import connection

from goals.chain.workflow import Status
from goals.follow_up.grading import Attainment
from goals.follow_up.workflow import ReviewStatus
from goals.models import FollowUp, Goal, ReportingPeriod
from tests.kit.chain import grow_chain
from tests.kit.plans import plan_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]

TABLES = ("goals_goal", "goals_followup", "goals_revision")


@pytest.fixture
def goals(chain):
    grow_chain(chain, 200)
    return chain


def test_a_page_of_the_api_goal_list_is_read_in_order_from_the_year_and_path_index(goals):
    plan = plan_of(Goal.objects.order_by("year", "path")[:50], *TABLES, sort=False)
    assert "Index Scan using goal_year_path on goals_goal" in plan
    assert "Sort" not in plan


def test_the_goals_sent_back_are_found_without_reading_the_others(goals):
    plan = plan_of(Goal.objects.filter(status=Status.RETURNED), *TABLES)
    assert "goal_status" in plan


def test_the_goals_awaiting_a_decision_are_found_by_their_status_not_by_reading_the_others(goals):
    plan = plan_of(Goal.objects.all().awaiting_decision(), *TABLES)
    assert "goal_status" in plan


def test_the_follow_ups_waiting_for_review_are_found_without_reading_the_others(goals):
    reviewed_and_one_submitted = [
        FollowUp(
            goal=goal,
            reporting_period=reporting_period,
            attainment=Attainment.ACHIEVED,
            commentary="Enligt plan.",
            status=ReviewStatus.SUBMITTED if index == 0 else ReviewStatus.REVIEWED,
        )
        for index, goal in enumerate(Goal.objects.filter(period=goals.period))
        for reporting_period in ReportingPeriod.objects.filter(period=goals.period)
    ]
    FollowUp.objects.bulk_create(reviewed_and_one_submitted)
    plan = plan_of(FollowUp.objects.filter(status=ReviewStatus.SUBMITTED).order_by(), *TABLES)
    assert "follow_up_status" in plan
