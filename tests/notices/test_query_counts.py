"""What notices add to a workflow step, and what the reminders cost, is the same number of queries
however many goals a decision approves or a year holds."""

import datetime

import pytest

from goals.chain.workflow import Status, Step
from goals.models import Goal
from notices import receivers
from notices.models import Kind, Notice
from notices.sending import store_reminders
from tests.kit.chain import grow_chain
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("size", [10, 60])
def test_an_approval_stores_its_notices_in_as_many_queries_for_any_number_of_goals(
    chain, group, size, django_assert_num_queries
):
    grow_chain(chain, size)
    member_of(group.administration, "karin")
    member_of(group.school, "sven")
    approved = list(Goal.objects.filter(period=chain.period, level__in=["operational", "activity"]))
    # 1 the goals with their units, 1 who submitted them (their history), 1 the managers of their
    # units and of those under a body, 1 the insert
    with django_assert_num_queries(4):
        receivers.goal_step_taken(Goal, step=Step.APPROVE, items=approved, by=None)
    # Each goal's managers, of its own unit: Karin the administration's, Sven the school's.
    told = Notice.objects.filter(kind=Kind.GOAL_APPROVED)
    for name, unit in (("karin", group.administration), ("sven", group.school)):
        assert sorted(told.filter(recipient__username=name).values_list("goal_id", flat=True)) == sorted(
            goal.pk for goal in approved if goal.org_unit_id == unit.pk
        )


@pytest.mark.parametrize("size", [10, 60])
def test_the_reminders_cost_as_many_queries_for_any_number_of_goals(
    chain, group, size, django_assert_num_queries
):
    grow_chain(chain, size)
    member_of(group.administration, "karin")
    Goal.objects.filter(period=chain.period).update(status=Status.APPROVED)
    # 1 the undelivered follow-ups, 1 their reporting periods open for reporting, 1 the units that
    # prepare the committee's business, 1 the people answering for the goals, 1 counting the
    # reminders stored before, 1 the insert, 1 counting after
    with django_assert_num_queries(7):
        stored = store_reminders(today=datetime.date(chain.period.year, 9, 15))
    operational = Goal.objects.filter(period=chain.period, level="operational", org_unit=group.administration)
    # Karin answers for the administration's operational goals and the committee's body goal: the
    # four-month report is late and the interim report due within the week, for each.
    assert stored == 2 * (operational.count() + 1)
