"""axe-core on the admin's pages as an administrator works in them: the index, the trees of units
and goals (a branch opened), the lists, the forms with their autocomplete, a history. Django's and
treebeard's markup is mended where it falls short (templates/admin/base_site.html)."""

from tests.e2e.browser import sign_in
from tests.e2e.conftest import WCAG_21_AA

ADMIN_PAGES = [
    "/admin/",
    "/admin/orgunits/orgunit/",
    "/admin/orgunits/orgunit/add/",
    "/admin/orgunits/membership/",
    "/admin/orgunits/membership/add/",
    "/admin/goals/goal/",
    "/admin/goals/decision/",
    "/admin/goals/indicator/",
    "/admin/processes/process/",
    "/admin/processes/process/add/",
]


def test_admin_pages_pass_axe(page, axe):
    sign_in(page, "admin")
    violations = []
    for address in ADMIN_PAGES:
        page.goto(address)
        results = axe.run(page, options=WCAG_21_AA)
        if results.violations_count:
            violations.append(f"{address}\n{results.generate_report()}")
    assert violations == [], "\n\n".join(violations)


def test_a_branch_of_the_tree_opened_and_its_toggles_are_named(page, axe):
    sign_in(page, "admin")
    page.goto("/admin/orgunits/orgunit/")
    toggle = page.get_by_role(
        "button", name="Visa eller dölj det som ligger under Kommunfullmäktige i Sjöstad"
    )
    toggle.click()
    page.get_by_role("link", name="Utbildningsnämnden", exact=True).wait_for()
    page.get_by_role("button", name="Visa eller dölj det som ligger under Utbildningsnämnden").wait_for()
    results = axe.run(page, options=WCAG_21_AA)
    assert results.violations_count == 0, results.generate_report()
