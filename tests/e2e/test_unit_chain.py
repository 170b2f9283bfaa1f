"""Issue 19 in a real browser, with axe-core on every page: a manager opens their unit's chain from
My goals and from the unit's page, and a goal's page names the processes and target groups it
serves."""

import re

from playwright.sync_api import expect

from goals.chain.levels import Level
from tests.e2e.browser import sign_in, this_years
from tests.kit.chain import add_goal

CHAIN_LINK = "Kedjan för Utbildningsförvaltningen på en sida"


def test_a_manager_opens_the_units_chain_from_my_goals_and_from_the_unit_page(page, assert_accessible):
    sign_in(page, "karin.lind")  # the manager of Utbildningsförvaltningen
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mina mål").click()
    page.get_by_role("link", name=CHAIN_LINK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("^Kedjan för Utbildningsförvaltningen")
    )
    goal = page.get_by_role("article", name=re.compile("Tidiga insatser i läsning och matematik"))
    # The way up to the vision, the goal itself, and its breakdown down to the activities.
    way_up = goal.get_by_role("list", name="Vägen upp till visionen")
    expect(way_up.get_by_role("link")).to_have_count(3)
    expect(way_up.get_by_role("link").first).to_have_text(re.compile("^Sjöstad – där människor växer"))
    expect(goal.get_by_role("heading", level=3)).to_have_text(re.compile(r"^Nedbrytningen: \d+ mål$"))
    expect(goal.get_by_role("link", name="Läsveckor i årskurs 1–3")).to_be_visible()
    # Its latest grade says from which report it is.
    expect(goal.get_by_role("heading", level=2).locator(".grade-report")).to_have_text(
        re.compile(r"^· (Tertialrapport|Delårsrapport|Årsredovisning) \d{4}$")
    )
    assert_accessible(page)

    # The same page from the unit's page.
    page.goto(this_years("Tidiga insatser i läsning och matematik").org_unit.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Utbildningsförvaltningen"))
    page.get_by_role("link", name=CHAIN_LINK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        re.compile("^Kedjan för Utbildningsförvaltningen")
    )
    expect(page.get_by_role("article").first).to_be_visible()
    assert_accessible(page)


def test_a_goal_page_shows_the_processes_and_target_groups_it_serves(page, assert_accessible):
    goal = this_years("Tidiga insatser i läsning och matematik")
    page.goto(goal.get_absolute_url())  # a public page: no sign-in needed
    served = page.get_by_role("region", name="Processer och målgrupper")
    expect(served.get_by_role("link", name="Lärande")).to_be_visible()
    expect(served.get_by_role("link", name="Barn och unga")).to_be_visible()
    assert_accessible(page)
    served.get_by_role("link", name="Lärande").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Lärande")


def test_the_matrix_explains_its_cells(page, assert_accessible):
    page.goto("/goals/matrix/")
    expect(page.get_by_role("heading", name="Så läser du en cell")).to_be_visible()
    cells = page.locator("td.has-goals")
    expect(cells.first).to_contain_text(re.compile(r"\d+ mål"))
    assert_accessible(page)


def test_a_long_unbroken_title_stays_inside_the_chain_page_on_a_phone_and_a_desktop(page, assert_accessible):
    body_goal = this_years("Fler elever når kunskapskraven i alla ämnen")
    administration = this_years("Tidiga insatser i läsning och matematik").org_unit
    long_title = "Läsfrämjande" * 25  # 300 characters without a space
    add_goal(Level.OPERATIONAL, long_title, administration, body_goal)
    sign_in(page, "karin.lind")  # drafts are shown to signed-in users
    for width in (390, 1366):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/goals/chain/{administration.slug}/")
        expect(page.get_by_role("link", name=long_title)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert_accessible(page)
