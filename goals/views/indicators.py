"""The public indicator pages: every indicator with its latest value, and one indicator's trend."""

from urllib.parse import quote

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from goals.chain.models import Goal
from goals.indicators.models import Indicator, IndicatorSource
from goals.indicators.trends import (
    has_gender_split,
    indicator_trend,
    latest_row,
    total_label,
    trend_chart_config,
    with_latest_value,
    with_trend,
)

KOLADA_SEARCH_URL = "https://www.kolada.se/verktyg/fri-sokning/?kpis={kpi}"

# The indicator list shows this many indicators a page.
INDICATORS_PAGE_SIZE = 50


def indicator_list(request: HttpRequest) -> HttpResponse:
    """Every indicator with its unit, its source and its latest value against that year's target, a
    page at a time. The latest values come with the indicators (``with_latest_value``): fetching every
    trend to keep its last year cost more than all the rest of the page."""
    indicators = Indicator.objects.order_by("name", "pk")
    page_obj = Paginator(indicators, INDICATORS_PAGE_SIZE).get_page(request.GET.get("page"))
    # The page's indicators picked in a subquery first, so that the latest values are found for them
    # alone rather than for every indicator before the sort.
    page = with_latest_value(indicators.filter(pk__in=page_obj.object_list.values("pk")))
    rows = [(indicator, latest_row(indicator)) for indicator in page]
    return render(request, "goals/indicator_list.html", {"rows": rows, "page_obj": page_obj})


def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One indicator: what it measures and how, the goals it measures that the user may see, and its
    trend as a chart and as the table of the same numbers."""
    indicator = get_object_or_404(with_trend(Indicator.objects.all()), pk=pk)
    rows = indicator_trend(indicator)
    goals = (
        Goal.objects.visible_to(request.user)
        .filter(indicators=indicator)
        .select_related("org_unit", "period")
        .order_by("-period__year", "path")
    )
    context = {
        "indicator": indicator,
        "kolada_url": KOLADA_SEARCH_URL.format(kpi=quote(indicator.kolada_kpi))
        if indicator.source == IndicatorSource.KOLADA and indicator.kolada_kpi
        else "",
        "goals": goals,
        "rows": rows,
        "total_label": total_label(rows),
        "gender_split": has_gender_split(rows),
        "chart": trend_chart_config(indicator, rows) if rows else None,
    }
    return render(request, "goals/indicator_detail.html", context)
