"""The goal owner is chosen among the people who may own the goal, grouped by unit, by typing a few
letters of a name (Tom Select, js/searchable-select.js), and the page stays accessible."""

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from goals.models import Goal
from tests.e2e.browser import sign_in, this_years


def test_a_manager_finds_the_owner_by_name_and_saves_the_goal(page, assert_accessible):
    body = this_years("Fler elever når kunskapskraven i alla ämnen")
    sign_in(page, "karin.lind")
    page.goto("/goals/new/?unit=utbildningsforvaltningen")
    page.get_by_label("Rubrik").fill("Fler elever läser på fritiden")
    page.get_by_label("Bryter ned").select_option(str(body.pk))
    assert_accessible(page)

    search = page.get_by_role("combobox", name="Målansvarig")  # the select's label, now the search box's
    page.locator(".ts-control").click()  # the box around the search field opens the list
    search.fill("Sara")
    options = page.locator(".ts-dropdown .option")
    expect(options).to_have_text(["Sara Ek (chef)"])
    expect(page.locator(".ts-dropdown .optgroup-header")).to_have_text(["Västra skolan"])
    assert_accessible(page)
    search.fill("Saraxyz")
    expect(page.locator(".ts-dropdown .no-results")).to_have_text("Ingen med det namnet.")
    search.fill("Sara")
    expect(options).to_have_text(["Sara Ek (chef)"])
    options.first.click()

    page.get_by_role("main").get_by_role("button", name="Spara").click()
    goal = Goal.objects.get(title="Fler elever läser på fritiden")
    expect(page).to_have_url(f"{page.url.split('/goals/')[0]}{goal.get_absolute_url()}")
    assert goal.owner == get_user_model().objects.get(username="sara.ek")
