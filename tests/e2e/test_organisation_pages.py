"""A visitor's walk through the portal in a real browser, with axe-core on every page."""

import re

from playwright.sync_api import expect

from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from orgunits.services import orgunit_dissolve
from tests.kit.organisation import add_unit


def test_from_the_start_page_to_a_unit_through_the_tree(page, assert_accessible):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mål som går genom hela organisationen")
    assert_accessible(page)

    page.get_by_role("link", name="Utforska organisationen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationen")
    assert_accessible(page)

    administration = page.get_by_role("link", name="Utbildningsförvaltningen")
    expect(administration).to_be_hidden()
    page.locator("summary", has_text="Enheter under Utbildningsnämnden (1)").click()
    expect(administration).to_be_visible()
    assert_accessible(page)

    administration.click()
    expect(page).to_have_url(re.compile("/organisation/utbildningsforvaltningen/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Utbildningsförvaltningen (UF)")
    breadcrumb = page.get_by_role("navigation", name="Brödsmulor")
    expect(breadcrumb.get_by_role("listitem")).to_have_text(
        ["Organisation", "Kommunfullmäktige i Sjöstad", "Utbildningsnämnden", "Utbildningsförvaltningen"]
    )
    expect(page.get_by_role("link", name="Avdelning grundskola")).to_be_visible()
    assert_accessible(page)


def test_a_branch_opens_from_the_keyboard(page):
    page.goto("/organisation/")
    school_department = page.get_by_role("link", name="Avdelning förskola")
    page.get_by_role("link", name="Utbildningsnämnden", exact=True).focus()
    page.keyboard.press("Tab")  # the branch's toggle follows its link
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(school_department).to_be_visible()


def test_switching_to_english_and_back(page, assert_accessible):
    page.goto("/organisation/utbildningsnamnden/")
    expect(page.get_by_role("heading", name="Underliggande enheter")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile("/organisation/utbildningsnamnden/$"))
    expect(page.get_by_role("heading", name="Units under this one")).to_be_visible()
    expect(page.get_by_text("Political body: decides")).to_be_visible()
    assert_accessible(page)

    page.goto("/organisation/")
    expect(page.get_by_role("heading", level=1)).to_have_text("The organisation")
    assert_accessible(page)

    page.get_by_role("button", name="Svenska").click()
    expect(page.locator("html")).to_have_attribute("lang", "sv")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationen")


def test_dissolved_units_can_be_shown(page, assert_accessible):
    council = OrgUnit.objects.get(slug="kommunfullmaktige-i-sjostad")
    orgunit_dissolve(unit=add_unit(Kind.COMMITTEE, "Turistnämnden", council))
    page.goto("/organisation/")
    expect(page.get_by_role("link", name="Turistnämnden")).to_have_count(0)
    page.get_by_role("link", name="Visa avvecklade enheter").click()
    expect(page.get_by_role("link", name="Turistnämnden")).to_be_visible()
    expect(page.get_by_text("Avvecklad", exact=True)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Turistnämnden").click()
    expect(page.get_by_text("Den här enheten har avvecklats.")).to_be_visible()
    assert_accessible(page)


def test_pages_fit_a_phone_without_sideways_scrolling(page):
    page.set_viewport_size({"width": 360, "height": 740})
    for path in (
        "/",
        "/organisation/",
        "/organisation/utbildningsforvaltningen/",
        "/goals/",
        "/processes/larande/",
        "/goals/matrix/",  # the table scrolls inside its own box
    ):
        page.goto(path)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow == 0, path
