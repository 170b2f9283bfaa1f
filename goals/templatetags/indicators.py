"""Indicator values in templates: ``{{ value|measure:indicator }}``, ``{{ value|measure_number:indicator }}``
and ``{% indicator_year indicator year as row %}``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils import formats

from goals.indicators.models import Indicator
from goals.indicators.trends import TrendRow, indicator_trend, row_of_year

register = template.Library()

NO_VALUE = "–"
NO_BREAK_SPACE = "\u00a0"


@register.filter
def measure(value, indicator: Indicator) -> str:
    """The value with the indicator's decimals and unit, in the active language's number format:
    "12 345,5 %" in Swedish, "12,345.5 %" in English; "–" when there is no value."""
    number = measure_number(value, indicator)
    unit = indicator.unit_of_measure
    return f"{number}{NO_BREAK_SPACE}{unit}" if unit and number != NO_VALUE else number


@register.filter
def measure_number(value, indicator: Indicator) -> str:
    """The value with the indicator's decimals but without its unit, for a column that names it."""
    if value is None or value == "":
        return NO_VALUE
    # Django's number format cuts surplus decimals off; a measured value is rounded half up.
    value = value if isinstance(value, Decimal | int) else Decimal(str(value))
    rounded = Decimal(value).quantize(Decimal(1).scaleb(-indicator.decimals), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)  # no "-0,0"
    return formats.number_format(rounded, indicator.decimals, use_l10n=True, force_grouping=True)


@register.simple_tag
def indicator_year(indicator: Indicator, year) -> TrendRow:
    """``{% indicator_year indicator year as row %}``: the indicator's target and values in a year
    (all empty for a year without any), from what ``goals.indicators.trend_prefetches`` fetched.
    ``year`` is a number or a planning period."""
    year = getattr(year, "year", year)
    year = int(year) if year not in (None, "") else None
    return row_of_year(indicator_trend(indicator), year) or TrendRow(year=year)
