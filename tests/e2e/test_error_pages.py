"""The error pages in a real browser: in the portal's layout, in Swedish, and passing axe."""

from orgunits.models import OrgUnit
from tests.e2e.browser import sign_in


def test_the_404_page_is_swedish_and_passes_axe(page, assert_accessible, console_errors):
    console_errors.expect(r"status of 404 .*/ingen-sida-har/")
    response = page.goto("/ingen-sida-har/")
    assert response.status == 404
    assert page.get_by_role("heading", level=1).inner_text() == "Sidan finns inte"
    assert page.get_by_role("navigation", name="Huvudmeny").is_visible()
    assert_accessible(page)


def test_the_403_page_of_a_managers_refusal_is_swedish_and_passes_axe(
    page, assert_accessible, console_errors
):
    console_errors.expect(r"status of 403 .*/goals/new/\?unit=")
    # Karin manages the education administration, not the municipal executive's.
    other_units = OrgUnit.objects.get(name="Kommunledningsförvaltningen")
    sign_in(page, "karin.lind")
    response = page.goto(f"/goals/new/?unit={other_units.slug}")
    assert response.status == 403
    assert page.get_by_role("heading", level=1).inner_text() == "Du har inte behörighet till detta"
    assert page.get_by_role("link", name="Gå till startsidan").is_visible()
    assert_accessible(page)


def test_the_400_page_of_a_new_goal_without_a_place_says_what_to_choose_and_passes_axe(
    page, assert_accessible, console_errors
):
    console_errors.expect(r"status of 400 .*/goals/new/\)")
    sign_in(page, "karin.lind")
    response = page.goto("/goals/new/")
    assert response.status == 400
    assert page.get_by_text("Välj en enhet eller ett mål att bryta ned.").is_visible()
    assert_accessible(page)
