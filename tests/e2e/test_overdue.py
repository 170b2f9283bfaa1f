"""A manager sees, in a real browser, that a report of hers is late: marked overdue with its deadline
in My goals and on the follow-up it leads to; axe-core on both pages."""

import datetime

from django.utils import timezone
from playwright.sync_api import expect

from goals.models import ReportingPeriod, ReportingPeriodKind
from tests.e2e.browser import sign_in, this_years

SWEDISH_MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september"]
SWEDISH_MONTHS += ["oktober", "november", "december"]


def test_a_manager_sees_a_late_report_marked_overdue(page, assert_accessible):
    # The demo leaves this year's interim report of the goal as a draft, never sent. Its deadline
    # has passed whenever the test runs (the demo's 20 September, or yesterday earlier in the year).
    interim = ReportingPeriod.objects.get(
        period__year=timezone.localdate().year, kind=ReportingPeriodKind.INTERIM
    )
    interim.deadline = min(interim.deadline, timezone.localdate() - datetime.timedelta(days=1))
    interim.save(update_fields=["deadline"])
    deadline = f"{interim.deadline.day} {SWEDISH_MONTHS[interim.deadline.month - 1]} {interim.deadline.year}"
    goal = this_years("Alla förskolor arbetar systematiskt med språkutveckling")

    sign_in(page, "karin.lind")  # the manager of Utbildningsförvaltningen
    page.goto("/goals/mine/")
    card = page.get_by_role("article").filter(has=page.get_by_role("heading", name=goal.title))
    late = card.get_by_role("link", name=f"Försenad – sista dag {deadline}")
    expect(late).to_be_visible()
    assert_accessible(page)

    late.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Uppföljning av ”{goal.title}”")
    expect(
        page.get_by_role("navigation", name="Uppföljningsperioder").locator("[aria-current=page]")
    ).to_have_text("Delårsrapport")
    expect(page.get_by_role("region", name="Bedömningen").locator(".overdue")).to_have_text(
        f"Försenad – sista dag {deadline}"
    )
    assert_accessible(page)
