"""A 300-character title without a space (a pasted link, a run-together compound) wraps inside its
card on every page where goal titles appear: no page scrolls sideways on a phone (390 px) or a
desktop (1366 px)."""

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.services import goal_submit
from goals.models import Goal
from orgunits.models import OrgUnit
from tests.e2e.browser import sign_in, this_years
from tests.kit.chain import add_goal

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

# 300 characters and not one space: the longest title a goal may have.
UNBROKEN = ("Läsförståelseutvecklingsinsatsuppföljningsplan" * 7)[:300]
SUBMITTED = ("Språkutvecklingsarbetsmiljöförbättringsprojekt" * 7)[:300]


def scrolls_sideways(page) -> int:
    """How far the page reaches beyond the window: 0 when nothing sticks out."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.fixture
def long_titles(demo):
    """An approved goal of the education administration renamed to an unbroken 300 characters, and
    a new goal of the same length waiting for Karin Lind's decision (she decides the
    administration's operational goals by delegation)."""
    approved = this_years("Tidiga insatser i läsning och matematik")
    Goal.objects.filter(pk=approved.pk).update(title=UNBROKEN)
    body = this_years("Förskolan ger alla barn en god grund för lärande")
    waiting = add_goal(
        Level.OPERATIONAL, SUBMITTED, OrgUnit.objects.get(slug="utbildningsforvaltningen"), body
    )
    goal_submit(goal=waiting, by=None)
    return approved, waiting


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_no_page_with_a_long_unbroken_title_scrolls_sideways(page, long_titles, viewport):
    approved, waiting = long_titles
    page.set_viewport_size(viewport)
    sign_in(page, "karin.lind")
    pages = {
        "my goals": reverse("goals:mine"),
        "the goal page": reverse("goals:detail", args=[approved.pk]),
        "the waiting goal's page": reverse("goals:detail", args=[waiting.pk]),
        "the chain tree": reverse("goals:chain"),
        "the unit page": reverse("orgunits:detail", args=["utbildningsforvaltningen"]),
        "the decision queue": reverse("goals:queue"),
        "the search": f"{reverse('search:search')}?q={UNBROKEN[:40]}",
        "breaking it down": f"{reverse('goals:create')}?parent={approved.pk}",
    }
    for name, path in pages.items():
        page.goto(path)
        # Every folded branch open, as a reader opening them all would see the page.
        page.evaluate("document.querySelectorAll('details').forEach(branch => { branch.open = true; })")
        assert page.get_by_text(UNBROKEN[:40]).or_(page.get_by_text(SUBMITTED[:40])).first.is_visible(), name
        assert scrolls_sideways(page) <= 0, f"{name} ({path}) at {viewport['width']} px"
