"""The indicator pages: the trend year by year, its chart, the numbers in the page's language, and
what an anonymous visitor may see."""

import json
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from goals.chain.levels import Level
from goals.indicators.trends import (
    TrendRow,
    indicator_trend,
    latest_row,
    latest_value,
    trend_chart_config,
    with_indicators,
    with_latest_value,
    with_trend,
)
from goals.models import (
    Gender,
    Goal,
    Indicator,
    IndicatorSource,
    Measurement,
    Period,
    ReportingPeriod,
    ReportingPeriodKind,
    Target,
)
from goals.templatetags.indicators import measure, measure_number
from tests.kit.chain import add_goal

pytestmark = pytest.mark.django_db

D = Decimal


def make_indicator(code="UF-LAS-01", **fields) -> Indicator:
    defaults = {"name": "Elever som klarar läsprovet", "unit_of_measure": "%", "decimals": 1}
    return Indicator.objects.create(code=code, **(defaults | fields))


def measure_in(indicator, year, value, gender=Gender.TOTAL, reporting_period=None) -> Measurement:
    return Measurement.objects.create(
        indicator=indicator,
        year=year,
        gender=gender,
        value=D(value),
        reporting_period=reporting_period,
        source=IndicatorSource.MANUAL,
    )


def reporting_period(year: int, kind: ReportingPeriodKind) -> ReportingPeriod:
    period, _ = Period.objects.get_or_create(year=year)  # a new year gets its reporting periods
    return ReportingPeriod.objects.get(period=period, kind=kind)


def fill_years(indicator, years) -> None:
    """A target and a whole-year value in total, for women and for men, in each year."""
    for year in years:
        Target.objects.create(indicator=indicator, year=year, value=D("80"))
        for gender, value in ((Gender.TOTAL, "79.5"), (Gender.WOMEN, "82.25"), (Gender.MEN, "76.75")):
            measure_in(indicator, year, value, gender)


# The trend


def test_the_trend_has_every_year_with_a_target_or_a_value_in_order():
    indicator = make_indicator()
    Target.objects.create(indicator=indicator, year=2026, value=D("86"))  # a target, no value yet
    Target.objects.create(indicator=indicator, year=2024, value=D("82"))
    measure_in(indicator, 2024, "81.25")
    measure_in(indicator, 2024, "84", Gender.WOMEN)
    measure_in(indicator, 2024, "78.5", Gender.MEN)
    measure_in(indicator, 2023, "79.4")  # a value, no target
    # 2025 has no value of its own: the annual report's stands for the year, not the interim report's.
    measure_in(indicator, 2025, "83.9", reporting_period=reporting_period(2025, ReportingPeriodKind.ANNUAL))
    measure_in(indicator, 2025, "70", reporting_period=reporting_period(2025, ReportingPeriodKind.INTERIM))

    assert indicator_trend(indicator) == [
        TrendRow(year=2023, target=None, total=D("79.4")),
        TrendRow(year=2024, target=D("82"), total=D("81.25"), women=D("84"), men=D("78.5")),
        TrendRow(year=2025, target=None, total=D("83.9")),
        TrendRow(year=2026, target=D("86")),
    ]


def test_a_years_own_value_wins_over_the_annual_reports():
    indicator = make_indicator()
    measure_in(indicator, 2025, "60", reporting_period=reporting_period(2025, ReportingPeriodKind.ANNUAL))
    measure_in(indicator, 2025, "61.5")
    measure_in(indicator, 2025, "62", Gender.WOMEN, reporting_period(2025, ReportingPeriodKind.ANNUAL))

    assert indicator_trend(indicator) == [TrendRow(year=2025, total=D("61.5"), women=D("62"))]


def test_a_year_with_only_a_report_of_part_of_it_is_not_in_the_trend():
    indicator = make_indicator()
    measure_in(
        indicator, 2025, "70", reporting_period=reporting_period(2025, ReportingPeriodKind.FOUR_MONTHS)
    )

    assert indicator_trend(indicator) == []


def test_the_latest_value_without_the_trend_is_the_trends_latest_value():
    indicators = [make_indicator(code=f"IND-{number}") for number in range(5)]
    own, reported, interim, target_only, nothing = indicators
    fill_years(own, [2023, 2024])
    Target.objects.create(indicator=own, year=2025, value=D("90"))  # a later target, no value yet
    measure_in(own, 2024, "99", reporting_period=reporting_period(2024, ReportingPeriodKind.ANNUAL))
    measure_in(reported, 2024, "60", reporting_period=reporting_period(2024, ReportingPeriodKind.ANNUAL))
    measure_in(reported, 2023, "55")
    Target.objects.create(indicator=reported, year=2024, value=D("58"))
    measure_in(interim, 2025, "70", reporting_period=reporting_period(2025, ReportingPeriodKind.INTERIM))
    Target.objects.create(indicator=target_only, year=2025, value=D("10"))

    latest = {indicator: latest_row(indicator) for indicator in with_latest_value(Indicator.objects.all())}
    assert latest == {
        own: TrendRow(year=2024, target=D("80"), total=D("79.5")),  # the year's own value wins
        reported: TrendRow(year=2024, target=D("58"), total=D("60")),
        interim: None,
        target_only: None,
        nothing: None,
    }
    for indicator in indicators:
        trend = latest_value(indicator_trend(indicator))
        assert latest[indicator] == (
            trend and TrendRow(year=trend.year, target=trend.target, total=trend.total)
        )


def test_the_trend_uses_what_was_prefetched(django_assert_num_queries):
    fill_years(make_indicator(), [2024, 2025])
    # The indicator, its targets, its whole-year values.
    with django_assert_num_queries(3):
        indicator = with_trend(Indicator.objects.all()).get()
        rows = indicator_trend(indicator)
    assert [row.year for row in rows] == [2024, 2025]


# The chart


def test_the_chart_has_the_total_women_men_and_the_dashed_targets(english):
    indicator = make_indicator()
    Target.objects.create(indicator=indicator, year=2025, value=D("84"))
    measure_in(indicator, 2024, "81.25")
    measure_in(indicator, 2024, "84", Gender.WOMEN)
    measure_in(indicator, 2024, "78.5", Gender.MEN)

    config = trend_chart_config(indicator, indicator_trend(indicator))

    assert config["type"] == "line"
    assert config["data"]["labels"] == ["2024", "2025"]
    datasets = [
        (dataset["label"], dataset["data"], dataset.get("borderDash"))
        for dataset in config["data"]["datasets"]
    ]
    assert datasets == [
        ("Total", [81.25, None], None),
        ("Women", [84.0, None], None),
        ("Men", [78.5, None], None),
        ("Target", [None, 84.0], [6, 4]),
    ]
    assert all(dataset["pointRadius"] > 0 for dataset in config["data"]["datasets"])
    assert config["options"]["scales"]["y"]["title"] == {"display": True, "text": "%"}
    assert config["options"]["scales"]["y"]["ticks"]["format"] == {
        "minimumFractionDigits": 1,
        "maximumFractionDigits": 1,
    }
    json.dumps(config)  # json_script writes it as it is


def test_without_women_and_men_the_chart_has_the_value_alone(english):
    indicator = make_indicator(unit_of_measure="", decimals=0)
    measure_in(indicator, 2024, "1200")

    config = trend_chart_config(indicator, indicator_trend(indicator))

    assert [dataset["label"] for dataset in config["data"]["datasets"]] == ["Value"]
    assert config["options"]["scales"]["y"]["title"] == {"display": False, "text": ""}


# Numbers in the page's language


def test_a_value_has_the_indicators_decimals_and_unit_in_swedish():
    indicator = make_indicator(unit_of_measure="%", decimals=1)
    with translation.override("sv"):
        assert measure(D("12.5"), indicator) == "12,5\xa0%"
        assert measure(D("12345.46"), indicator) == "12\xa0345,5\xa0%"  # rounded half up, not cut off
        assert measure(D("-0.04"), indicator) == "0,0\xa0%"
        assert measure(None, indicator) == "–"
        assert measure_number(D("12.5"), indicator) == "12,5"


def test_a_value_has_the_indicators_decimals_and_unit_in_english(english):
    indicator = make_indicator(unit_of_measure="kr", decimals=0)
    assert measure(D("12345.5"), indicator) == "12,346\xa0kr"
    assert measure(D("7"), make_indicator(code="X", unit_of_measure="", decimals=2)) == "7.00"


def test_the_summary_partial_shows_nothing_without_indicators():
    html = render_to_string("goals/_indicator_summary.html", {"indicators": [], "year": 2025})
    assert "<table" not in html


# The pages


@pytest.fixture
def english_client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def measured(chain):
    """An indicator of the approved chain's operational goal and of a draft goal, with four years."""
    indicator = make_indicator(
        description="Andel elever i årskurs 3 som klarar provet.",
        source=IndicatorSource.KOLADA,
        kolada_kpi="N15433",
        baseline_year=2022,
        baseline_value=D("78.2"),
    )
    draft = add_goal(
        Level.OPERATIONAL, "Utkast: läsfrämjande sommarskola", chain.group.administration, chain.body
    )
    indicator.goals.add(chain.operational, draft)
    for year, target, total in (
        (2023, "80", "79.4"),
        (2024, "82", "81.25"),
        (2025, "84", "83.9"),
        (2026, "86", None),
    ):
        Target.objects.create(indicator=indicator, year=year, value=D(target))
        if total:
            measure_in(indicator, year, total)
    return indicator


def test_the_indicator_page_shows_the_facts_the_chart_and_the_table(english_client, measured):
    response = english_client.get(measured.get_absolute_url())

    html = response.content.decode()
    assert response.context["indicator"] == measured
    assert response.context["rows"] == indicator_trend(measured)
    assert "Higher is better" in html
    assert 'href="https://www.kolada.se/verktyg/fri-sokning/?kpis=N15433"' in html
    assert "78.2\xa0% (2022)" in html
    # The chart's config is the one built in Python, written as JSON for charts.js.
    assert '<canvas data-chart="trend-chart" role="img"' in html
    assert response.context["chart"] == trend_chart_config(measured, indicator_trend(measured))
    assert '<script id="trend-chart" type="application/json">' in html
    assert "js/charts.js" in html and "vendor/chartjs/chart.umd.min.js" in html
    # The same numbers in a table.
    for number in ("79.4\xa0%", "81.3\xa0%", "83.9\xa0%", "86.0\xa0%"):
        assert f'<td class="number">{number}</td>' in html


def test_an_anonymous_visitor_sees_only_the_decided_goals_it_measures(client, measured, chain):
    response = client.get(measured.get_absolute_url())
    assert list(response.context["goals"]) == [chain.operational]
    assert "Utkast: läsfrämjande sommarskola" not in response.content.decode()


def test_a_signed_in_user_sees_the_drafts_it_measures_too(client, measured, chain, django_user_model):
    client.force_login(django_user_model.objects.create_user("eva", password="x"))
    response = client.get(measured.get_absolute_url())
    draft = Goal.objects.get(title="Utkast: läsfrämjande sommarskola")
    assert set(response.context["goals"]) == {chain.operational, draft}


def test_an_unknown_indicator_is_not_found(client):
    assert client.get(reverse("goals:indicator", args=[4242])).status_code == 404


def test_an_indicator_without_targets_or_values_says_so(english_client):
    indicator = make_indicator()
    response = english_client.get(indicator.get_absolute_url())
    assert response.context["chart"] is None
    assert "No targets or values have been entered yet." in response.content.decode()
    assert "charts.js" not in response.content.decode()


def test_the_list_shows_each_indicators_latest_value_against_that_years_target(english_client, measured):
    empty = make_indicator(code="X-1", name="Antal läsveckor", unit_of_measure="")
    response = english_client.get(reverse("goals:indicators"))
    assert response.context["rows"] == [
        (empty, None),
        (measured, TrendRow(year=2025, target=D("84"), total=D("83.9"))),
    ]
    html = response.content.decode()
    assert '<td class="number">83.9\xa0%</td>' in html and '<td class="number">84.0\xa0%</td>' in html


def test_the_summary_partial_lists_a_goals_indicators_in_a_year(chain, measured, django_assert_num_queries):
    other = make_indicator(code="UF-LAS-02", name="Elever som läser varje dag", decimals=0)
    other.goals.add(chain.operational)
    Target.objects.create(indicator=other, year=2025, value=D("60"))
    # The goals, their indicators, the indicators' targets, their whole-year values.
    with django_assert_num_queries(4), translation.override("sv"):
        goals = list(with_indicators(Goal.objects.filter(period=chain.period)))
        html = "".join(
            render_to_string(
                "goals/_indicator_summary.html", {"indicators": goal.indicators.all(), "year": 2025}
            )
            for goal in goals
        )
    assert html.count("<table") == 2  # the operational goal's and the draft's; no other has indicators
    assert f'<a href="{measured.get_absolute_url()}">{measured.name}</a>' in html
    assert '<td class="number">84,0</td>' in html and '<td class="number">83,9</td>' in html
    assert '<td class="number">60</td>' in html and '<td class="number">–</td>' in html


# Query counts do not grow with the data


@pytest.mark.parametrize("years", [1, 20])
def test_the_indicator_page_has_a_fixed_number_of_queries(client, chain, years, django_assert_num_queries):
    indicator = make_indicator()
    fill_years(indicator, range(2026 - years, 2026))
    indicator.goals.add(*chain.goals())
    # The indicator, its targets, its whole-year values, the goals it measures (with unit and year).
    with django_assert_num_queries(4):
        response = client.get(indicator.get_absolute_url())
    assert len(response.context["rows"]) == years


@pytest.mark.parametrize("count", [2, 120])
def test_the_indicator_list_has_a_fixed_number_of_queries(client, count, django_assert_num_queries):
    for number in range(count):
        fill_years(make_indicator(code=f"IND-{number}", name=f"Indikator {number:03}"), [2024, 2025])
    # 1: how many indicators there are, 2: the page's indicators with their latest values and targets.
    with django_assert_num_queries(2):
        response = client.get(reverse("goals:indicators"))
    assert len(response.context["rows"]) == min(count, 50)
    assert response.context["rows"][0][1] == TrendRow(year=2025, target=D("80"), total=D("79.5"))


def test_the_list_shows_the_indicators_a_page_at_a_time_in_name_order(client):
    indicators = [make_indicator(code=f"IND-{number}", name=f"Indikator {number:02}") for number in range(60)]
    second = client.get(reverse("goals:indicators"), {"page": 2})
    assert [indicator for indicator, _latest in second.context["rows"]] == indicators[50:]
    assert '<a href="?page=1" rel="prev">' in second.content.decode()
    for page, shown in (("99", indicators[50:]), ("-1", indicators[50:]), ("x", indicators[:50])):
        response = client.get(reverse("goals:indicators"), {"page": page})
        assert [indicator for indicator, _latest in response.context["rows"]] == shown
