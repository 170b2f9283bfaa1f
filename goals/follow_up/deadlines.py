"""When a goal's follow-up is overdue: the rule for a follow-up a page holds, and the same rule asked
of many goals at once by the database. ``docs/follow-up.md`` explains it to users.

A follow-up is due for every goal the report grades (a decided strategic, body or operational
goal) in each reporting period of its year. It is *overdue* once the period's deadline has passed
(today, in the portal's time zone, is after the deadline) while nothing has been delivered: no
follow-up, a draft, or one sent back. Sent for review, or reviewed, it is delivered, however late.
"""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery, Value
from django.utils import timezone

from goals.chain.models import Goal, ReportingPeriod
from goals.chain.workflow import PUBLIC_STATUSES
from goals.follow_up.models import FollowUp
from goals.follow_up.workflow import REPORTED_LEVELS, ReviewStatus

# A follow-up sent for review, or reviewed, is delivered; a draft, or one sent back, is not yet.
DELIVERED_STATUSES = (ReviewStatus.SUBMITTED, ReviewStatus.REVIEWED)


def is_followed_up(goal: Goal) -> bool:
    """Whether follow-ups are due for the goal at all: it is decided, and of a level the report grades."""
    return goal.status in PUBLIC_STATUSES and goal.level in REPORTED_LEVELS


# ``is_followed_up``, asked of the database.
FOLLOWED_UP = Q(status__in=PUBLIC_STATUSES, level__in=REPORTED_LEVELS)


def _delivered(goal, reporting_period):
    """The goal's delivered follow-up in the reporting period (each a pk or an ``OuterRef``), for
    a subquery."""
    return FollowUp.objects.filter(
        goal=goal, reporting_period=reporting_period, status__in=DELIVERED_STATUSES
    )


def is_overdue(
    *,
    goal: Goal,
    reporting_period: ReportingPeriod,
    follow_up: FollowUp | None,
    today: datetime.date | None = None,
) -> bool:
    """Whether the goal's follow-up in the reporting period is overdue, for code that holds the goal's
    real follow-up (None: nothing reported). A page that shows only the follow-ups its visitor may
    read asks the database instead (``overdue_follow_ups`` and the annotations below): the public
    does not see a follow-up waiting for review, which is delivered all the same."""
    today = today or timezone.localdate()
    return (
        is_followed_up(goal)
        and today > reporting_period.deadline
        and (follow_up is None or follow_up.status not in DELIVERED_STATUSES)
    )


def undelivered_follow_ups(goals, *, due_by: datetime.date):
    """Those of ``goals`` (a queryset) whose follow-up is not delivered in a reporting period due on
    or before ``due_by``, once for each such reporting period, annotated with
    ``undelivered_reporting_period`` (its pk) and ``undelivered_deadline``: one query, however many
    goals and years. With ``due_by`` some days ahead, it also finds the follow-ups due soon (the
    to-do list, the reminders before a deadline)."""
    delivered = _delivered(OuterRef("pk"), OuterRef("undelivered_reporting_period"))
    return (
        goals.filter(FOLLOWED_UP)
        # One annotate() for both, so that they are read from the same reporting period's row.
        .annotate(
            undelivered_reporting_period=F("period__reporting_periods"),
            undelivered_deadline=F("period__reporting_periods__deadline"),
        )
        .filter(undelivered_deadline__lte=due_by)
        .filter(~Exists(delivered))
    )


def overdue_follow_ups(goals, *, today: datetime.date | None = None):
    """Those of ``goals`` whose follow-up is overdue, once for each reporting period it is overdue
    in, annotated as ``undelivered_follow_ups`` annotates them: the rule of ``is_overdue``, for
    lists, counts and reminders."""
    today = today or timezone.localdate()
    return undelivered_follow_ups(goals, due_by=today - datetime.timedelta(days=1))


def _overdue_of(goal, *, today: datetime.date | None):
    """``overdue_follow_ups`` of one goal (an instance, or ``OuterRef`` to one), for a subquery."""
    return overdue_follow_ups(Goal.objects.filter(pk=goal), today=today).order_by()


def with_overdue_follow_up(reporting_periods, goal: Goal, *, today: datetime.date | None = None):
    """Annotate each of the goal's ``reporting_periods`` with ``follow_up_overdue``: whether the
    goal's follow-up in it is overdue (a subquery, no query more). The rule of
    ``overdue_follow_ups`` for one goal at hand (as read from the database): whether it is followed
    up at all asked of it here, and only its delivered follow-ups asked of the database; the
    subquery of ``overdue_follow_ups`` cost the ORM twice as long to build and compile, on every
    goal's page (about 0.8 ms)."""
    if not is_followed_up(goal):
        return reporting_periods.annotate(follow_up_overdue=Value(False))
    today = today or timezone.localdate()
    delivered = _delivered(goal.pk, OuterRef("pk"))
    due = Q(period=goal.period_id, deadline__lt=today)
    return reporting_periods.annotate(
        follow_up_overdue=ExpressionWrapper(due & ~Exists(delivered), output_field=BooleanField())
    )


def with_overdue_in(goals, reporting_period: ReportingPeriod, *, today: datetime.date | None = None):
    """Annotate each of ``goals`` with ``follow_up_overdue``: whether its follow-up in the reporting
    period is overdue (a subquery, no query more). The rule of ``overdue_follow_ups`` for one
    reporting period at hand: the deadline compared here, and only the goal's delivered follow-up
    asked of the database, which PostgreSQL reads among the period's few follow-ups, where the
    subquery of ``overdue_follow_ups`` made it read every goal of the year (the report of an
    administration at the default scale: its page's query 2.8 to 1.2 ms)."""
    today = today or timezone.localdate()
    if not today > reporting_period.deadline:
        return goals.annotate(follow_up_overdue=Value(False))
    delivered = _delivered(OuterRef("pk"), reporting_period.pk)
    followed_up = FOLLOWED_UP & Q(period=reporting_period.period_id)
    return goals.annotate(
        follow_up_overdue=ExpressionWrapper(followed_up & ~Exists(delivered), output_field=BooleanField())
    )


def with_first_overdue(goals, *, today: datetime.date | None = None):
    """Annotate each of ``goals`` with the reporting period whose follow-up has been overdue longest:
    ``first_overdue_reporting_period`` (its pk) and ``first_overdue_deadline``, both None when none
    is (two subqueries, no query more)."""
    first = _overdue_of(OuterRef("pk"), today=today).order_by("undelivered_deadline")
    return goals.annotate(
        first_overdue_reporting_period=Subquery(first.values("undelivered_reporting_period")[:1]),
        first_overdue_deadline=Subquery(first.values("undelivered_deadline")[:1]),
    )
