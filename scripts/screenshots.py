"""Take every screenshot in docs/screenshots/ from a running portal with the demo data, on a desk
(1280 × 900) and on a phone (390 × 844, the same name ending in -phone).

.venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000] [docs/screenshots]

The demo must be freshly seeded (``manage.py seed_demo``): the pages are found by the demo's names,
and the goals on their way (``demo.workflow``) are still where the seeding left them. Django is not
imported here: the script is a browser's user of the portal.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from demo.browser import launch_chromium
from demo.organisation import DEMO_PASSWORD

EDUCATION = "/organisation/utbildningsforvaltningen/"

# Who is signed in (None: nobody), and the pages taken so, by the file's name. A path, or a path
# and the steps that put the page in the state the screenshot shows.
PAGES = {
    None: {
        "start": "/",
        "tree": "/organisation/",
        "unit": EDUCATION,
        "chain": "/goals/",
        "goal": EDUCATION,
        "processes": "/processes/",
        "process": "/processes/larande/",
        "matrix": "/goals/matrix/",
        "health": "/goals/health/",
        "decided-document": "/goals/decided/utbildningsnamnden/",  # printed, it drops the header and tools
    },
    # The school's manager: her goals decided, sent back with the reason, and a draft.
    "sara.ek": {
        "my-goals": "/goals/mine/",
        "todo": "/",
        "history": "/goals/mine/",  # the activity sent back: written, submitted, sent back
    },
    # The education administration's manager.
    "karin.lind": {
        "unit-chain": "/goals/chain/utbildningsforvaltningen/",
        "form": EDUCATION,  # "break down" on one of the administration's goals
        "unit-history": EDUCATION + "history/",
        "members": EDUCATION + "members/",
    },
    # The chair of the education committee: a goal awaiting the committee's decision.
    "eva.berg": {
        "queue": "/goals/queue/",
    },
    "admin": {
        "admin-list": "/admin/orgunits/orgunit/",  # as it opens: the root, folded
        "admin-tree": "/admin/orgunits/orgunit/",  # unfolded down to the education committee's units
        "admin-refused-placement": "/admin/orgunits/orgunit/add/",
    },
}


def prepare(page, name: str) -> None:
    """Put the page in the state the screenshot shows."""
    if name == "tree":
        page.locator("summary", has_text="Utbildningsnämnden").click()
    elif name == "chain":
        page.locator("summary", has_text="Fler elever når kunskapskraven").click()
        page.locator("summary", has_text="Tidiga insatser i läsning").click()
    elif name in ("goal", "form"):
        with page.expect_navigation():
            page.get_by_role("link", name="Tidiga insatser i läsning och matematik").first.click()
        if name == "form":
            with page.expect_navigation():
                page.locator('main a[href*="/goals/new/?parent="]').first.click()
    elif name == "history":
        with page.expect_navigation():
            sent_back = page.locator("article.goal-card", has=page.locator(".status-returned")).first
            sent_back.locator("h3 a").first.click()
        with page.expect_navigation():
            page.locator('main a[href$="/history/"]').first.click()
    elif name == "admin-tree":
        for unit in ("Kommunfullmäktige i Sjöstad", "Utbildningsnämnden", "Utbildningsförvaltningen"):
            row = page.locator("#result_list tbody tr", has=page.get_by_role("link", name=unit, exact=True))
            row.locator("a.treebeard-collapse").click()
    elif name == "admin-refused-placement":
        # A committee placed under an administration: the tree's rules refuse it, in Swedish.
        page.locator("#id_name").fill("Fel nämnd")
        page.locator("#id_kind").select_option(value="committee")
        page.locator("#id_treebeard_position").select_option(value="first-child")
        target = page.locator("#id_treebeard_ref_node option", has_text="Utbildningsförvaltningen").first
        page.locator("#id_treebeard_ref_node").select_option(value=target.get_attribute("value"))
        with page.expect_navigation():
            page.locator('input[name="_save"]').click()
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)  # let a toggle finish turning


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


def main(base_url: str, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for viewport, suffix in (
            ({"width": 1280, "height": 900}, ""),
            ({"width": 390, "height": 844}, "-phone"),
        ):
            for username, pages in PAGES.items():
                # A browser of one's own for each person: nobody else's session or messages.
                context = browser.new_context(viewport=viewport, locale="sv-SE")
                page = context.new_page()
                if username is not None:
                    sign_in(page, base_url, username)
                for name, path in pages.items():
                    page.goto(base_url + path)
                    prepare(page, name)
                    page.screenshot(path=out_dir / f"{name}{suffix}.png", full_page=True)
                    print(out_dir / f"{name}{suffix}.png")
                context.close()
        browser.close()


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000",
        Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots"),
    )
