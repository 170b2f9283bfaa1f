"""A unit's chain on one page ("my chain"): each of the unit's goals in the year chosen with its way
up to the vision and its breakdown down to the activities, each goal with its status, its latest
grade and its indicators in brief. Reached from My goals and from the unit's page."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from goals.chain.chosen_period import selected_period
from goals.chain.models import Goal, Period
from goals.chain.queries import with_cascade_size
from goals.chain.unit_chain import arrange, breakdowns, ways_up
from goals.follow_up.queries import with_unit_and_grade
from goals.indicators.models import Indicator
from goals.indicators.trends import with_latest_value
from orgunits.models import OrgUnit

# The page shows at most this many goals of the unit's breakdowns, the nearest first; the chain tree
# shows a whole breakdown.
BREAKDOWN_SHOWN = 300


def _with_brief_indicators(goals):
    """The goals with their indicators, each with its latest value and that year's target: one query."""
    return goals.prefetch_related(
        Prefetch("indicators", queryset=with_latest_value(Indicator.objects.order_by("name")))
    )


def unit_chain(request: HttpRequest, slug: str) -> HttpResponse:
    """The unit's goals of the year chosen, each with its way up and its breakdown. Everyone reads the
    decided goals; signed-in users also the drafts, as on every page of the chain."""
    unit = get_object_or_404(OrgUnit, slug=slug)
    period = selected_period(request)
    visible = Goal.objects.visible_to(request.user)
    goals = []
    if period is not None:
        own = visible.filter(period=period, org_unit=unit)
        goals = list(
            _with_brief_indicators(with_unit_and_grade(with_cascade_size(own, among=visible), request.user))
            .select_related("owner")
            .order_by("path")
        )
    above = ways_up(goals, among=visible.select_related("org_unit"))  # titles and units, no grades
    breakdown = breakdowns(goals, among=visible, shown=BREAKDOWN_SHOWN)
    below = (
        list(_with_brief_indicators(with_unit_and_grade(breakdown, request.user)))
        if breakdown is not None
        else []
    )
    context = {
        "unit": unit,
        "period": period,
        "periods": Period.objects.all(),
        "chain": arrange(goals, above, below),
    }
    return render(request, "goals/unit_chain.html", context)
