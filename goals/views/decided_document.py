"""A political body's decided goals of one year as a document to print: what a committee secretary
attaches to the minutes or hands out, each goal with the decisions that approved it (meeting, §,
Dnr), the goal it breaks down, and its indicators with their targets.

Decided goals are public, like the unit page that links here: anyone may read the document.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext

from goals.chain.chosen_period import selected_period
from goals.chain.levels import POLITICALLY_DECIDED_LEVELS
from goals.chain.models import DecisionGoal, Goal, Period
from goals.chain.queries import parent_of, parents_of
from goals.chain.workflow import PUBLIC_STATUSES
from goals.indicators.trends import with_indicators
from orgunits.kinds import POLITICAL_KINDS
from orgunits.models import OrgUnit


def decided_goals_of(body: OrgUnit, period: Period) -> QuerySet[Goal]:
    """The goals ``body`` has decided for ``period``, in the chain's order: its own vision,
    strategic and body goals (a body decides exactly those, ``Goal.deciding_unit``) that are
    approved, or archived with their closed year. Each with ``decision_links``, the decisions that
    approved it and its changes, oldest first, and its indicators with their targets and values
    (``with_indicators``): five queries however many goals there are."""
    decisions = DecisionGoal.objects.select_related("decision").order_by(
        "decision__meeting_date", "decision__pk"
    )
    return with_indicators(
        Goal.objects.filter(
            org_unit=body,
            period=period,
            level__in=POLITICALLY_DECIDED_LEVELS,
            status__in=PUBLIC_STATUSES,
        )
        .select_related("period")
        .prefetch_related(Prefetch("decisiongoal_set", queryset=decisions, to_attr="decision_links"))
        .order_by("path")
    )


def _is_a_year(text: str) -> bool:
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
    return len(text) == 4 and text.isascii() and text.isdigit()


def _period_asked_for(request: HttpRequest) -> Period:
    """The year in ``?year=``, or the year the visitor looks at elsewhere in the portal; a year
    the portal has no plan for is a 404, whatever was written in the address."""
    year = request.GET.get("year")
    if year is None:
        period = selected_period(request)
    else:
        period = Period.objects.filter(year=int(year)).first() if _is_a_year(year) else None
    if period is None:
        raise Http404(gettext("There is no planning year %(year)s.") % {"year": year or ""})
    return period


def decided_goals_document(request: HttpRequest, slug: str) -> HttpResponse:
    """The body's decided goals of a year, laid out for the browser's print to paper or PDF."""
    body = get_object_or_404(OrgUnit, slug=slug, kind__in=POLITICAL_KINDS)
    period = _period_asked_for(request)
    goals = list(decided_goals_of(body, period))
    decided = Goal.objects.filter(status__in=PUBLIC_STATUSES)
    parents = parents_of(goals, among=decided)
    for goal in goals:
        goal.parent_goal = parent_of(goal, parents)
    context = {
        "body": body,
        "period": period,
        "periods": Period.objects.all(),
        "goals": goals,
        "compiled_on": timezone.localdate(),
    }
    return render(request, "goals/decided_document.html", context)
