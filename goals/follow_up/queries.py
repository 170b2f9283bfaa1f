"""Query builders of the pages that show follow-ups and grades beside goals (the chain tree, a goal's
page, the approval queue, the processes matrix, the follow-up page), each in a fixed number of
queries. The readings, assessments and the report are ``goals.follow_up.reporting``'s."""

from __future__ import annotations

from collections import Counter, defaultdict

import rules
from django.utils.text import get_text_list
from django.utils.translation import gettext

from goals.chain.models import Goal, Period, ReportingPeriod
from goals.chain.queries import deciders_of
from goals.chain.workflow import PUBLIC_STATUSES
from goals.follow_up.deadlines import with_overdue_follow_up
from goals.follow_up.models import FollowUp
from goals.follow_up.reporting import follow_ups_visible_to, latest_grades, with_latest_grade
from goals.follow_up.workflow import ReviewStatus
from orgunits.models import Organisations, display_name
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
    """Each reporting period of a decided goal's year, annotated ``follow_up_overdue``, with the goal's
    follow-up in it, if the user may read one (two queries); nothing for a goal not decided."""
    if goal.status not in PUBLIC_STATUSES:
        return []
    follow_ups = {
        follow_up.reporting_period_id: follow_up
        for follow_up in follow_ups_visible_to(user).filter(goal=goal)
    }
    return [
        (reporting_period, follow_ups.get(reporting_period.pk))
        for reporting_period in with_overdue_follow_up(
            ReportingPeriod.objects.filter(period=goal.period_id), goal
        )
    ]


def follow_ups_to_review(*, user, period: Period | None, organisations: Organisations) -> list[FollowUp]:
    """The submitted follow-ups of the year's goals that the user decides (with the memberships, one
    query), each marked ``may_review``. One the user submitted is listed too, so they see it wait,
    but they do not review it (``goals.review_follow_up``): its ``other_reviewers`` name the goal's
    other deciders as the page says them ("Eva Berg, Omar Said or Maria Sjö"; one query more, for
    all such follow-ups), empty when there is nobody but them and staff."""
    submitted = FollowUp.objects.filter(goal__period=period, status=ReviewStatus.SUBMITTED).select_related(
        "goal__org_unit", "reporting_period__period"
    )
    waiting = []
    for follow_up in submitted.order_by("reporting_period__ends", "goal__path"):
        follow_up.goal.deciding_unit = follow_up.goal.deciding_unit_among(organisations)
        if user.has_perm("goals.decide_goal", follow_up.goal):
            follow_up.may_review = rules.has_perm("goals.review_follow_up", user, follow_up)
            waiting.append(follow_up)
    own = [follow_up for follow_up in waiting if not follow_up.may_review]
    deciders = deciders_of([follow_up.goal for follow_up in own])
    for follow_up in own:
        others = [display_name(person) for person in deciders[follow_up.goal_id] if person != user]
        follow_up.other_reviewers = get_text_list(others, gettext("or"))
    return waiting


def latest_grades_by_process(
    *, user, period: Period | None, processes: list[Process], organisations: Organisations
) -> defaultdict[tuple[int, int | None], Counter]:
    """How many of the period's goals that ``user`` may see serve each of ``processes`` from each
    organisation, counted per latest grade (None: not graded yet), by (process pk, organisation pk;
    None for the political bodies above them all). Two queries, however many goals: their links and
    their latest grades (``latest_grades``), rather than a subquery per goal."""
    # The goals serving an active process, found from the links (a subquery on their process index):
    # joining them to the period's goals instead probes the links of every goal for every process.
    serving = Goal.processes.through.objects.filter(process__in=processes).values("goal_id")
    goals = Goal.objects.visible_to(user).filter(period=period, pk__in=serving)
    grade_of = latest_grades(goals, user)
    # One row per link of those goals; a link to an inactive process lands in no cell.
    links = goals.order_by().values_list("pk", "processes", "org_unit__path")
    grades: defaultdict[tuple[int, int | None], Counter] = defaultdict(Counter)
    column_of: dict[str, int | None] = {}  # a unit's path: its organisation's pk (None above them all)
    for goal_id, process_id, path in links:
        if path not in column_of:
            organisation = organisations.of(path)
            column_of[path] = organisation.pk if organisation else None
        grades[process_id, column_of[path]][grade_of.get(goal_id)] += 1
    return grades
