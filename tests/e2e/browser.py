"""What the browser tests share beyond their fixtures (``tests/e2e/conftest.py``, which launches
``demo.browser``'s Chromium): signing in as a demo user, finding the demo's goals of this year, and its late report;
and ``ConsoleWatch``, which fails a test on any error the browser's console shows."""

import datetime
import re
from dataclasses import dataclass, field

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


@dataclass
class ConsoleWatch:
    """Every error a test's pages write to the browser's console, and every exception their scripts
    leave uncaught: what the Content-Security-Policy refuses shows there too ("Refused to execute
    inline script ..."), as does a file that fails to load. The fixture ``console_errors``
    (tests/e2e/conftest.py) watches every browser context a test opens and fails the test on any
    error it did not declare with ``expect(pattern)`` (a page it opens on purpose to get a 404,
    say). Given the portal's address, it also holds every page the portal sends to the policy: a
    page without it, or with inline scripts allowed, is an error too."""

    portal: str = ""
    errors: list[str] = field(default_factory=list)
    expected: list[re.Pattern] = field(default_factory=list)

    def watch(self, context) -> None:
        context.on("console", self._on_console)
        context.on("weberror", lambda error: self.errors.append(f"uncaught: {error.error}"))
        if self.portal:
            context.on("response", self._on_response)

    def _on_response(self, response) -> None:
        if response.request.resource_type != "document" or not response.url.startswith(self.portal):
            return
        policy = response.headers.get("content-security-policy", "")
        if "script-src 'self';" not in f"{policy};" or "unsafe-inline" in policy:
            self.errors.append(
                f"no Content-Security-Policy without inline scripts: {response.url} {policy!r}"
            )

    def _on_console(self, message) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if message.location else ""
            self.errors.append(f"{message.text} ({where})" if where else message.text)

    def expect(self, pattern: str) -> None:
        """Declare an error the test provokes on purpose: one matching ``pattern`` is not a failure."""
        self.expected.append(re.compile(pattern))

    def unexpected(self) -> list[str]:
        return [error for error in self.errors if not any(pattern.search(error) for pattern in self.expected)]
