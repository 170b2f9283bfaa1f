"""Query builders of the pages that show follow-ups and grades beside goals (the chain tree, a goal's
page, the approval queue, the processes matrix, the follow-up page), each in a fixed number of
queries. The readings, assessments and the report are ``goals.follow_up.reporting``'s."""

from __future__ import annotations

from collections import Counter, defaultdict

from goals.chain.models import Goal, Period, ReportingPeriod
from goals.chain.workflow import PUBLIC_STATUSES
from goals.follow_up.models import FollowUp
from goals.follow_up.reporting import follow_ups_visible_to, with_latest_grade
from goals.follow_up.workflow import ReviewStatus
from orgunits.models import Organisations
from processes.models import Process


def with_unit_and_grade(goals, user):
    """The goals as a goal's label shows them: with their unit and their latest grade (no query more)."""
    return with_latest_grade(goals.select_related("org_unit"), user)


def followed_up_goals(user):
    """The goals whose follow-ups ``user`` may open: the decided goals they may see, with their unit
    and their year."""
    return (
        Goal.objects.visible_to(user).filter(status__in=PUBLIC_STATUSES).select_related("org_unit", "period")
    )


def follow_ups_by_reporting_period(goal: Goal, user) -> list[tuple[ReportingPeriod, FollowUp | None]]:
    """Each reporting period of a decided goal's year with the goal's follow-up in it, if the user may
    read one (two queries); nothing for a goal not decided."""
    if goal.status not in PUBLIC_STATUSES:
        return []
    follow_ups = {
        follow_up.reporting_period_id: follow_up
        for follow_up in follow_ups_visible_to(user).filter(goal=goal)
    }
    return [
        (reporting_period, follow_ups.get(reporting_period.pk))
        for reporting_period in ReportingPeriod.objects.filter(period=goal.period_id)
    ]


def follow_ups_to_review(*, user, period: Period | None, organisations: Organisations) -> list[FollowUp]:
    """The submitted follow-ups of the year's goals that the user reviews: those of the goals they
    decide (one query, with the memberships)."""
    submitted = FollowUp.objects.filter(goal__period=period, status=ReviewStatus.SUBMITTED).select_related(
        "goal__org_unit", "reporting_period__period"
    )
    to_review = []
    for follow_up in submitted.order_by("reporting_period__ends", "goal__path"):
        follow_up.goal.deciding_unit = follow_up.goal.deciding_unit_among(organisations)
        if user.has_perm("goals.review_follow_up", follow_up.goal):
            to_review.append(follow_up)
    return to_review


def latest_grades_by_process(
    *, user, period: Period | None, processes: list[Process], organisations: Organisations
) -> defaultdict[tuple[int, int | None], Counter]:
    """How many of the period's goals that ``user`` may see serve each of ``processes`` from each
    organisation, counted per latest grade (None: not graded yet), by (process pk, organisation pk;
    None for the political bodies above them all). One query, however many goals."""
    # The goals serving an active process, found from the links (a subquery on their process index):
    # joining them to the period's goals instead probes the links of every goal for every process.
    serving = Goal.processes.through.objects.filter(process__in=processes).values("goal_id")
    goals = Goal.objects.visible_to(user).filter(period=period, pk__in=serving)
    # One row per link of those goals; a link to an inactive process lands in no cell.
    links = (
        with_latest_grade(goals, user).order_by().values_list("processes", "org_unit__path", "latest_grade")
    )
    grades: defaultdict[tuple[int, int | None], Counter] = defaultdict(Counter)
    column_of: dict[str, int | None] = {}  # a unit's path: its organisation's pk (None above them all)
    for process_id, path, grade in links:
        if path not in column_of:
            organisation = organisations.of(path)
            column_of[path] = organisation.pk if organisation else None
        grades[process_id, column_of[path]][grade] += 1
    return grades
