"""What the browser tests share beyond their fixtures (``tests/e2e/conftest.py``, which launches
``demo.browser``'s Chromium): signing in as a demo user, and finding the demo's goals of this year."""

from django.utils import timezone

from demo.organisation import DEMO_PASSWORD
from goals.models import Goal


def sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("main").get_by_role("button", name="Logga in").click()


def this_years(title: str):
    """The demo goal of this year with the title (the demo has last year's goals too)."""
    return Goal.objects.get(title=title, period__year=timezone.localdate().year)
