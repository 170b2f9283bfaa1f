"""The admin's organisation tree stays open across treebeard's reload after a drag and drop."""

from playwright.sync_api import expect

from orgunits.models import OrgUnit
from tests.e2e.browser import sign_in

TREE = "/admin/orgunits/orgunit/"


def open_branch(page, name):
    page.get_by_role("row", name=name).locator("a.treebeard-collapse").click()


def test_the_branches_open_before_a_move_are_open_after_it(page):
    board = OrgUnit.objects.get(name="Kommunstyrelsen")
    below_board = [unit.name for unit in OrgUnit.objects.get_children(board)]
    sign_in(page, "admin")
    page.goto(TREE)
    open_branch(page, "Kommunfullmäktige i Sjöstad")
    open_branch(page, "Kommunstyrelsen")
    for name in below_board:
        page.get_by_role("row", name=name).wait_for()

    # What treebeard's script does on a drop: post the move, then reload the page for its message.
    moved, before = OrgUnit.objects.get(name="Valnämnden"), OrgUnit.objects.get(name="Utbildningsnämnden")
    status = page.evaluate(
        """async ([node, target]) => {
            const token = document.querySelector("script[data-csrftoken]").dataset.csrftoken;
            const body = new URLSearchParams({node, target, relation: "sibling"});
            const response = await fetch("move/", {method: "POST", body, headers: {"X-CSRFToken": token}});
            return response.status;
        }""",
        [str(moved.pk), str(before.pk)],
    )
    assert status == 200
    page.reload()

    assert page.locator(".messagelist").inner_text() == "”Valnämnden” ligger nu före ”Utbildningsnämnden”."
    for name in below_board:  # Kommunstyrelsen's branch is open again, not folded to the top
        expect(page.get_by_role("row", name=name)).to_be_visible()
    names = page.locator("#result_list tbody tr:visible th").all_inner_texts()
    names = [name.strip() for name in names]
    assert names.index("Valnämnden") == names.index("Utbildningsnämnden") - 1
