"""What the browser tests share beyond their fixtures (``tests/e2e/conftest.py``, which launches
``demo.browser``'s Chromium): signing in as a demo user, finding the demo's goals of this year, and its late report."""

import datetime

from django.utils import timezone

from demo.organisation import DEMO_PASSWORD
from goals.models import Goal, ReportingPeriod, ReportingPeriodKind
from tests.kit.clients import in_swedish


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Logga in").click()


def this_years(title: str):
    """The demo goal of this year with the title (the demo has last year's goals too)."""
    return Goal.objects.get(title=title, period__year=timezone.localdate().year)


def late_interim_report() -> tuple[Goal, str]:
    """The goal whose interim report of this year the demo leaves as a draft, never sent, and that
    report's deadline as the pages write it. The deadline is moved to yesterday if the demo's (20
    September) has not passed yet, so that the report is late whenever the test runs."""
    interim = ReportingPeriod.objects.get(
        period__year=timezone.localdate().year, kind=ReportingPeriodKind.INTERIM
    )
    interim.deadline = min(interim.deadline, timezone.localdate() - datetime.timedelta(days=1))
    interim.save(update_fields=["deadline"])
    return this_years("Alla förskolor arbetar systematiskt med språkutveckling"), in_swedish(interim.deadline)
