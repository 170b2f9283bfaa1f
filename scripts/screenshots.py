"""Take the screenshots in docs/screenshots/ from a running portal with the demo data.

.venv/bin/python scripts/screenshots.py [http://127.0.0.1:8000] [docs/screenshots]
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from demo.browser import launch_chromium
from demo.organisation import DEMO_PASSWORD

PAGES = {
    "start": "/",
    "tree": "/organisation/",
    "unit": "/organisation/utbildningsforvaltningen/",
    "chain": "/goals/",
    "goal": "/organisation/utbildningsforvaltningen/",
    "processes": "/processes/",
    "process": "/processes/larande/",
    "matrix": "/goals/matrix/",
    "health": "/goals/health/",
    "decided-document": "/goals/decided/utbildningsnamnden/",  # printed, it drops the header and tools
}
# Signed in as the manager of Utbildningsförvaltningen, after the anonymous pages.
SIGNED_IN_PAGES = {
    "todo": "/",
    "unit-chain": "/goals/chain/utbildningsforvaltningen/",
}


def prepare(page, name: str) -> None:
    """Put the page in the state the screenshot shows."""
    if name == "tree":
        page.locator("summary", has_text="Utbildningsnämnden").click()
    elif name == "chain":
        page.locator("summary", has_text="Fler elever når kunskapskraven").click()
        page.locator("summary", has_text="Tidiga insatser i läsning").click()
    elif name == "goal":
        page.get_by_role("link", name="Tidiga insatser i läsning och matematik").click()
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)  # let a toggle finish turning


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("button", name="Logga in").click()


def main(base_url: str, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for viewport, suffix in (
            ({"width": 1280, "height": 900}, ""),
            ({"width": 390, "height": 844}, "-phone"),
        ):
            page = browser.new_page(viewport=viewport, locale="sv-SE")
            for name, path in PAGES.items():
                page.goto(base_url + path)
                prepare(page, name)
                page.screenshot(path=out_dir / f"{name}{suffix}.png", full_page=True)
            sign_in(page, base_url, "karin.lind")
            for name, path in SIGNED_IN_PAGES.items():
                page.goto(base_url + path)
                page.screenshot(path=out_dir / f"{name}{suffix}.png", full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(
        sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000",
        Path(sys.argv[2] if len(sys.argv) > 2 else "docs/screenshots"),
    )
