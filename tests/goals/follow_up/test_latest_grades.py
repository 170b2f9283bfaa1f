"""A goal's latest grade read for many goals at once (``latest_grades``, the processes matrix's
counts) is the grade ``with_latest_grade`` shows beside each goal: the latest report's that the reader
may read."""

import pytest
from django.contrib.auth.models import AnonymousUser

from goals.follow_up.grading import Attainment
from goals.follow_up.reporting import latest_grades, with_latest_grade
from goals.follow_up.workflow import ReviewStatus
from goals.models import Goal, ReportingPeriodKind
from tests.kit.chain import followed_up
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def follow_ups(chain):
    # The operational goal: reviewed in April, waiting for review in August, a draft of the year.
    followed_up(
        chain.operational,
        Attainment.NOT_ACHIEVED,
        ReviewStatus.REVIEWED,
        kind=ReportingPeriodKind.FOUR_MONTHS,
    )
    followed_up(
        chain.operational, Attainment.PARTLY, ReviewStatus.SUBMITTED, kind=ReportingPeriodKind.INTERIM
    )
    followed_up(chain.operational, Attainment.ACHIEVED, ReviewStatus.DRAFT, kind=ReportingPeriodKind.ANNUAL)
    # The body goal: only a draft, nobody's grade yet.
    followed_up(chain.body, Attainment.ACHIEVED, ReviewStatus.DRAFT, kind=ReportingPeriodKind.FOUR_MONTHS)


def test_the_public_reads_the_latest_reviewed_grade_and_signed_in_users_the_latest_submitted(
    chain, group, follow_ups
):
    goals = Goal.objects.filter(period=chain.period)
    assert latest_grades(goals, AnonymousUser()) == {chain.operational.pk: Attainment.NOT_ACHIEVED}
    assert latest_grades(goals, member_of(group.administration, "karin")) == {
        chain.operational.pk: Attainment.PARTLY
    }


@pytest.mark.parametrize("signed_in", [False, True])
def test_many_goals_read_at_once_have_the_grade_each_goal_shows(chain, group, follow_ups, signed_in):
    user = member_of(group.administration, "karin") if signed_in else AnonymousUser()
    goals = Goal.objects.filter(period=chain.period)
    shown = {goal.pk: goal.latest_grade for goal in with_latest_grade(goals, user) if goal.latest_grade}
    assert latest_grades(goals, user) == shown
