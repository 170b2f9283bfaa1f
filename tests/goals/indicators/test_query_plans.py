"""The indicator list's indexes serve its query (PostgreSQL's plans; docs/performance.md has the
timings at the default scale). Tables this small are read whole by choice, so each plan is asked
with sequential scans and sorts forbidden: what remains shows what an index can do."""

from decimal import Decimal

import pytest
from django.db import connection

from goals.indicators.trends import with_latest_value
from goals.models import Gender, Indicator, IndicatorSource, Measurement, Period, ReportingPeriod
from tests.kit.plans import plan_of

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans"),
]

TABLES = ("goals_indicator", "goals_measurement")


@pytest.fixture
def indicators():
    """Sixty indicators, each with ten years of values in total, for women and men, and for the
    year's reporting periods."""
    years = range(2017, 2027)
    for year in years:
        Period.objects.get_or_create(year=year)  # a new year gets its reporting periods
    periods = list(ReportingPeriod.objects.filter(period__year__in=years).select_related("period"))
    indicators = Indicator.objects.bulk_create(
        Indicator(code=f"IND-{number:03}", name=f"Indikator {number:03}") for number in range(60)
    )
    Measurement.objects.bulk_create(
        Measurement(
            indicator=indicator,
            year=reporting_period.period.year if reporting_period else year,
            reporting_period=reporting_period,
            gender=gender,
            value=Decimal(number),
            source=IndicatorSource.MANUAL,
        )
        for number, indicator in enumerate(indicators)
        for gender in Gender
        for year, reporting_period in [*((year, None) for year in years), *((None, each) for each in periods)]
    )
    return indicators


def test_a_page_of_indicators_in_name_order_is_read_from_the_name_index(indicators):
    plan = plan_of(Indicator.objects.order_by("name", "pk")[:50], *TABLES, sort=False)
    assert "indicator_name" in plan


def test_each_indicators_latest_value_is_the_first_of_its_values_in_total_latest_first(indicators):
    plan = plan_of(with_latest_value(Indicator.objects.filter(pk=indicators[0].pk)), *TABLES, sort=False)
    assert "measurement_latest_total" in plan
