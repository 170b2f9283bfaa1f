"""A manager reports a follow-up in a real browser and reviews it, and the report shows it with its
chart; axe-core on every page."""

from django.utils import timezone
from playwright.sync_api import expect

from goals.models import ReportingPeriod, ReportingPeriodKind
from tests.e2e.browser import sign_in, this_years

COMMENTARY = "Alla skolor har kartlagt läsförmågan i årskurs 1; fler elever läser med flyt än i fjol."


def test_a_manager_reports_and_the_report_shows_it_with_its_chart(page, assert_accessible):
    year = timezone.localdate().year
    goal = this_years("Tidiga insatser i läsning och matematik")
    annual = ReportingPeriod.objects.get(period__year=year, kind=ReportingPeriodKind.ANNUAL)

    sign_in(page, "karin.lind")  # the manager of Utbildningsförvaltningen
    page.goto(goal.get_absolute_url())
    page.get_by_role("region", name="Uppföljning").get_by_role("link", name="Årsredovisning").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Uppföljning av ”Tidiga insatser i läsning och matematik”"
    )
    assert_accessible(page)

    page.get_by_role("radio", name="Delvis uppnått").check()
    page.get_by_label("Kommentar").fill(COMMENTARY)
    page.get_by_label("Nästa steg").fill("Lästräning i mindre grupper under hösten.")
    page.get_by_role("button", name="Skicka till Utbildningsförvaltningen för granskning").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Uppföljningen skickades till Utbildningsförvaltningen för granskning."
    )
    expect(page.get_by_role("region", name="Bedömningen")).to_contain_text(COMMENTARY)
    assert_accessible(page)

    # She also decides the administration's goals, but she submitted this follow-up, so someone else
    # reviews it: nobody above her manages the administration, so her queue sends her to the admin.
    expect(page.get_by_role("region", name="Granska uppföljningen")).to_have_count(0)
    follow_up_page = page.url
    page.goto("/goals/queue/")
    expect(page.get_by_role("region", name="Uppföljningar att granska")).to_contain_text(
        "Du skickade in den här uppföljningen. Ingen annan än du kan granska den; be en administratör."
    )
    assert_accessible(page)

    sign_in(page, "admin")  # the admin reviews it: each button posts to its step
    page.goto(follow_up_page)
    review = page.get_by_role("region", name="Granska uppföljningen")
    review.get_by_role("button", name="Återremittera").click()  # sent back without saying why
    expect(page.get_by_role("region", name="Granska uppföljningen")).to_contain_text(
        "Skriv varför uppföljningen skickas tillbaka."
    )
    page.get_by_role("region", name="Granska uppföljningen").get_by_role(
        "button", name="Markera som granskad"
    ).click()
    expect(page.locator(".facts")).to_contain_text("Granskad")
    expect(page.get_by_role("region", name="Granska uppföljningen")).to_have_count(0)

    page.goto(f"/goals/report/?reporting_period={annual.pk}&unit=utbildningsforvaltningen")
    report = page.get_by_role("article", name="Verksamhetsmål Tidiga insatser i läsning och matematik")
    expect(report).to_contain_text(COMMENTARY)
    expect(report.locator(".grade").first).to_have_text("Delvis uppnått")
    chart = page.locator("canvas[data-chart='level-chart-config']")
    expect(chart).to_be_visible()
    page.wait_for_function(
        "canvas => window.Chart && Chart.getChart(canvas) !== undefined", arg=chart.element_handle()
    )
    assert_accessible(page)
