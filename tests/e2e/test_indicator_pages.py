"""An indicator's trend in a real browser: Chart.js draws the chart, the table holds the same numbers,
and axe-core finds nothing to fault."""

from decimal import Decimal

from playwright.sync_api import expect

from goals.models import Gender, Indicator, IndicatorSource, Measurement, Target
from tests.e2e.browser import this_years


def reading_indicator() -> Indicator:
    """An indicator of a demo goal with four years of targets, three of them measured."""
    indicator = Indicator.objects.create(
        code="UF-LAS-01",
        name="Elever i årskurs 3 som klarar läsprovet",
        unit_of_measure="%",
        decimals=1,
        source=IndicatorSource.KOLADA,
        kolada_kpi="N15433",
    )
    indicator.goals.add(this_years("Tidiga insatser i läsning och matematik"))
    values = {2023: ("79.4", "82.1", "76.8"), 2024: ("81.25", "84", "78.6"), 2025: ("83.9", "86.3", "81.4")}
    for year, target in ((2023, "80"), (2024, "82"), (2025, "84"), (2026, "86")):
        Target.objects.create(indicator=indicator, year=year, value=Decimal(target))
        for gender, value in zip(Gender, values.get(year, ()), strict=False):
            Measurement.objects.create(
                indicator=indicator, year=year, gender=gender, value=Decimal(value), source=indicator.source
            )
    return indicator


def test_an_indicator_page_draws_its_trend_and_shows_the_numbers(page, assert_accessible):
    indicator = reading_indicator()

    page.goto("/goals/")
    # By address, not by text: the link's Swedish wording is the translator's.
    page.locator("main a[href='/goals/indicators/']").click()
    page.get_by_role("link", name=indicator.name).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(indicator.name)

    canvas = page.locator("canvas[data-chart]")
    expect(canvas).to_have_attribute("role", "img")
    page.wait_for_function("() => Chart.getChart(document.querySelector('canvas[data-chart]')) !== undefined")
    chart = canvas.evaluate(
        "canvas => { const chart = Chart.getChart(canvas);"
        " return {labels: chart.data.labels, datasets: chart.data.datasets.length, width: chart.width,"
        " locale: chart.options.locale}; }"
    )
    assert chart["labels"] == ["2023", "2024", "2025", "2026"]
    assert chart["datasets"] == 4  # the total, women, men and the targets
    assert chart["width"] > 0
    assert chart["locale"] == "sv"

    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(5)
    expect(table.get_by_role("row").nth(1)).to_have_text("2023 80,0\xa0% 79,4\xa0% 82,1\xa0% 76,8\xa0%")
    expect(table.get_by_role("row").nth(4)).to_have_text("2026 86,0\xa0% – – –")
    expect(page.get_by_role("link", name="Tidiga insatser i läsning och matematik")).to_be_visible()
    assert_accessible(page)

    page.goto("/goals/indicators/")
    expect(page.get_by_role("row", name=indicator.name)).to_contain_text("83,9\xa0%")
    assert_accessible(page)


def test_a_visitor_who_asks_for_less_motion_gets_a_still_chart(page):
    indicator = reading_indicator()
    page.emulate_media(reduced_motion="reduce")
    page.goto(indicator.get_absolute_url())
    page.wait_for_function("() => Chart.getChart(document.querySelector('canvas[data-chart]')) !== undefined")
    assert (
        page.evaluate("() => Chart.getChart(document.querySelector('canvas[data-chart]')).options.animation")
        is False
    )
