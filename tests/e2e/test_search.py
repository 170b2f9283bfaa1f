"""A visitor searches from the header of any page, narrows the hits and opens one; axe-core on the
results page."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.browser import sign_in, this_years

GOAL = "Samverkan mellan skola och socialtjänst i varje skolområde"


def search_from_the_header(page, words: str) -> None:
    header_search = page.get_by_role("banner").get_by_role("search")
    header_search.get_by_label("Sök mål, enheter, processer och indikatorer").fill(words)
    header_search.get_by_role("button", name="Sök").click()


def test_a_visitor_searches_from_the_header_and_opens_a_hit(page, assert_accessible):
    page.goto("/goals/")
    search_from_the_header(page, "socialtjänst")
    expect(page).to_have_url(re.compile(r"/search/\?q=socialtj"))
    goals = page.get_by_role("region", name="Mål")
    # Last year's goal and this year's, the matched word marked in each.
    expect(goals.get_by_role("link", name=GOAL)).to_have_count(2)
    expect(goals.locator("mark").first).to_have_text(re.compile("socialtjänst", re.IGNORECASE))
    assert_accessible(page)

    page.get_by_label("År").select_option(str(timezone.localdate().year))
    page.get_by_role("main").get_by_role("button", name="Sök").click()
    goals.get_by_role("link", name=GOAL).click()
    expect(page).to_have_url(re.compile(rf"/goals/{this_years(GOAL).pk}/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(GOAL)


def test_a_signed_in_manager_finds_units_and_keeps_the_words_in_the_header(page, assert_accessible):
    sign_in(page, "karin.lind")
    page.goto("/")
    search_from_the_header(page, "förvaltningen")
    page.get_by_label("Typ av träff").select_option(label="Organisationsenheter")
    page.get_by_role("main").get_by_role("button", name="Sök").click()
    expect(page.get_by_role("region", name="Mål")).to_have_count(0)
    expect(page.get_by_role("region", name="Organisationsenheter").get_by_role("link").first).to_be_visible()
    expect(page.get_by_role("banner").get_by_role("searchbox")).to_have_value("förvaltningen")
    assert_accessible(page)
