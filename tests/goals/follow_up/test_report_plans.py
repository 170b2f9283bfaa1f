"""The report's queries read the goals they show, not the whole year (PostgreSQL's plans;
docs/performance.md has the timings at the default scale). Sequential scans are forbidden when a
plan is asked, since tables this small are read whole by choice: what remains shows the path the
query leaves the planner."""

import datetime

import pytest
from django.db import connection

from goals.follow_up.deadlines import with_overdue_in
from goals.follow_up.reporting import report_goals
from goals.models import Goal, ReportingPeriod, ReportingPeriodKind
from tests.kit.chain import grow_chain
from tests.kit.plans import plan_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]

TABLES = ("goals_goal", "goals_followup", "orgunits_orgunit")


@pytest.fixture
def report_period(chain, group) -> ReportingPeriod:
    grow_chain(chain, 400)
    # Most of the year's goals elsewhere in the group, as an administration's part holds a few
    # hundred of a group's thousands.
    Goal.objects.filter(org_unit=group.school).exclude(pk=chain.activity.pk).update(org_unit=group.company)
    reporting_period = ReportingPeriod.objects.get(period=chain.period, kind=ReportingPeriodKind.FOUR_MONTHS)
    reporting_period.deadline = datetime.date(2000, 1, 1)  # passed: the overdue mark is asked
    reporting_period.save(update_fields=["deadline"])
    return reporting_period


def test_an_administrations_report_reads_the_goals_of_its_units(group, report_period):
    goals = report_goals(reporting_period=report_period, unit=group.administration)
    plan = plan_of(goals, *TABLES)
    # The part's units first (an array), then the goals of the year among them; across a join to
    # the units, the planner read every goal of the year to keep those of the part.
    assert "org_unit_id = ANY ($" in plan
    assert "Join" not in plan and "Nested Loop" not in plan


def test_the_overdue_mark_asks_only_for_the_goals_delivered_follow_up(group, report_period):
    goals = with_overdue_in(
        report_goals(reporting_period=report_period, unit=group.administration), report_period
    )
    plan = plan_of(goals, *TABLES)
    # Among the reporting period's follow-ups; the rule asked of every reporting period of the
    # goal's year joined the reporting periods and the year's goals again, which PostgreSQL read
    # whole into a hash.
    assert "goals_followup" in plan
    assert "goals_reportingperiod" not in plan and "goals_goal v0" not in plan
