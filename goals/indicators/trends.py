"""What the indicator pages show: each indicator's trend year by year, the queries that fetch it in a
fixed number, and the chart of it (a Chart.js config that ``static/js/charts.js`` draws)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext

from goals.chain.models import ReportingPeriodKind
from goals.indicators.models import Gender, Indicator, Measurement, Target

# Where ``trend_prefetches`` puts an indicator's whole-year measurements: not on ``measurements``,
# so that code reading ``indicator.measurements.all()`` still gets every measurement.
YEAR_MEASUREMENTS = "year_measurements"

# The portal's palette (static/css/styrmodell.css), so that a chart looks like the page it is on.
BRAND = "#1d3a5f"
POLITICAL = "#6b3f8f"
EXECUTING = "#1f6f5c"
NOTICE = "#8a4b00"


@dataclass(frozen=True)
class TrendRow:
    """One year of an indicator: the target and the whole year's value in total, for women and for men."""

    year: int
    target: Decimal | None = None
    total: Decimal | None = None
    women: Decimal | None = None
    men: Decimal | None = None


def year_measurements() -> QuerySet[Measurement]:
    """The measurements that can stand for a whole year: the year's own values (no reporting
    period), and the annual report's, which stand in where a year has no value of its own."""
    return Measurement.objects.filter(
        Q(reporting_period__isnull=True) | Q(reporting_period__kind=ReportingPeriodKind.ANNUAL)
    ).order_by("year", "gender")


def trend_prefetches(through: str = "") -> list[Prefetch]:
    """What ``indicator_trend`` needs, as prefetches: two queries for any number of indicators.
    ``through`` reaches the indicators from another model, for example ``"indicators__"``."""
    return [
        Prefetch(f"{through}targets", Target.objects.order_by("year")),
        Prefetch(f"{through}measurements", year_measurements(), to_attr=YEAR_MEASUREMENTS),
    ]


def with_trend(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """The indicators with their targets and whole-year values: three queries in all."""
    return indicators.prefetch_related(*trend_prefetches())


def with_indicators(goals: QuerySet) -> QuerySet:
    """The goals with their indicators, each ready for ``indicator_trend`` and the partial
    ``goals/_indicator_summary.html``: four queries in all (goals, indicators, targets, values)."""
    return goals.prefetch_related(Prefetch("indicators", with_trend(Indicator.objects.all())))


def indicator_trend(indicator: Indicator) -> list[TrendRow]:
    """Each year that has a target or a whole-year value, ascending.

    A year's value is its measurement without a reporting period; where a year has none, the annual
    report's value stands for it. The values of the four-month and interim reports are not a
    year's value and are left out. Uses what ``trend_prefetches`` fetched; without it, two queries.
    """
    measurements = getattr(indicator, YEAR_MEASUREMENTS, None)
    if measurements is None:
        measurements = year_measurements().filter(indicator=indicator)
    values: dict[tuple[int, str], Decimal] = {}
    # The year's own value wins over the annual report's, whichever comes first.
    for measurement in sorted(measurements, key=lambda m: m.reporting_period_id is None):
        values[measurement.year, measurement.gender] = measurement.value
    targets = {target.year: target.value for target in indicator.targets.all()}
    years = sorted(targets.keys() | {year for year, _gender in values})
    return [
        TrendRow(
            year=year,
            target=targets.get(year),
            total=values.get((year, Gender.TOTAL)),
            women=values.get((year, Gender.WOMEN)),
            men=values.get((year, Gender.MEN)),
        )
        for year in years
    ]


def row_of_year(rows: list[TrendRow], year: int | None) -> TrendRow | None:
    return next((row for row in rows if row.year == year), None)


def latest_value(rows: list[TrendRow]) -> TrendRow | None:
    """The last year with a value in total (with that year's target), if any."""
    return next((row for row in reversed(rows) if row.total is not None), None)


def with_latest_value(indicators: QuerySet[Indicator]) -> QuerySet[Indicator]:
    """The indicators, each with what ``latest_value`` finds in its trend, without fetching the trend:
    ``latest_year`` (the last year with a whole-year value in total), ``latest_total`` and
    ``latest_target`` (that year's), as subqueries of the indicators' own query. For a list of many
    indicators; ``latest_row`` makes the row."""
    # The latest first and, in a year, its own value before the annual report's, as in ``indicator_trend``.
    latest = (
        year_measurements()
        .filter(indicator=OuterRef("pk"), gender=Gender.TOTAL)
        .order_by("-year", F("reporting_period").asc(nulls_first=True))
    )
    return indicators.annotate(
        latest_year=Subquery(latest.values("year")[:1]), latest_total=Subquery(latest.values("value")[:1])
    ).annotate(
        latest_target=Subquery(
            Target.objects.filter(indicator=OuterRef("pk"), year=OuterRef("latest_year"))
            .order_by()
            .values("value")[:1]
        ),
    )


def latest_row(indicator: Indicator) -> TrendRow | None:
    """The row of an indicator annotated ``with_latest_value``: its latest year's target and value in
    total, or nothing for an indicator without values."""
    if indicator.latest_year is None:
        return None
    return TrendRow(year=indicator.latest_year, target=indicator.latest_target, total=indicator.latest_total)


def has_gender_split(rows: list[TrendRow]) -> bool:
    return any(row.women is not None or row.men is not None for row in rows)


def trend_chart_config(indicator: Indicator, rows: list[TrendRow]) -> dict:
    """A Chart.js line chart of the trend: the value in total as a line with points, women and men
    as lines of their own when there are any, and the targets as a dashed line; the y axis is
    titled with the unit of measure. Numbers are floats, as JSON and Chart.js want them; Chart.js
    formats them in the page's language (``charts.js`` passes it on) with the indicator's decimals.
    """

    def series(field: str) -> list[float | None]:
        return [None if getattr(row, field) is None else float(getattr(row, field)) for row in rows]

    def line(label, field: str, colour: str, **style) -> dict:
        return {
            "label": str(label),
            "data": series(field),
            "borderColor": colour,
            "backgroundColor": colour,
            "borderWidth": 2,
            "pointRadius": 4,
            "pointHoverRadius": 6,
            **style,
        }

    split = has_gender_split(rows)
    datasets = [line(total_label(rows), "total", BRAND, borderWidth=3)]
    if split:
        # Besides colour, a point shape of their own tells the lines apart.
        datasets.append(line(Gender.WOMEN.label, "women", POLITICAL, pointStyle="triangle"))
        datasets.append(line(Gender.MEN.label, "men", EXECUTING, pointStyle="rect"))
    if any(row.target is not None for row in rows):
        datasets.append(
            line(gettext("Target"), "target", NOTICE, borderDash=[6, 4], pointStyle="rectRot", pointRadius=3)
        )
    decimals = indicator.decimals
    return {
        "type": "line",
        "data": {"labels": [str(row.year) for row in rows], "datasets": datasets},
        "options": {
            "maintainAspectRatio": False,
            # A survey taken every other year is still one line; the points show the years measured.
            "spanGaps": True,
            "interaction": {"mode": "index", "intersect": False},
            # Point shapes in the legend, so that it matches the lines without relying on colour.
            "plugins": {
                "legend": {
                    "position": "bottom",
                    "labels": {"usePointStyle": True, "boxWidth": 8, "boxHeight": 8},
                }
            },
            "scales": {
                "y": {
                    "title": {"display": bool(indicator.unit_of_measure), "text": indicator.unit_of_measure},
                    "ticks": {
                        "precision": decimals,
                        "format": {"minimumFractionDigits": decimals, "maximumFractionDigits": decimals},
                    },
                },
            },
        },
    }


def total_label(rows: list[TrendRow]) -> str:
    """What the value in total is called: "Total" beside women and men, else just "Value"."""
    return str(Gender.TOTAL.label) if has_gender_split(rows) else gettext("Value")
