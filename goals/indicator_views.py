"""The public indicator pages: every indicator with its latest value, and one indicator's trend."""

from urllib.parse import quote

from django.shortcuts import get_object_or_404, render

from goals.indicators import (
    has_gender_split,
    indicator_trend,
    latest_value,
    total_label,
    trend_chart_config,
    with_trend,
)
from goals.models import Goal, Indicator, IndicatorSource

KOLADA_SEARCH_URL = "https://www.kolada.se/verktyg/fri-sokning/?kpis={kpi}"


def indicator_list(request):
    """Every indicator with its unit, its source and its latest value against that year's target."""
    indicators = with_trend(Indicator.objects.all())
    rows = [(indicator, latest_value(indicator_trend(indicator))) for indicator in indicators]
    return render(request, "goals/indicator_list.html", {"rows": rows})


def indicator_detail(request, pk):
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
