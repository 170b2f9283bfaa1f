"""Showing the demo in a browser: Debian's Chromium, driven by Playwright.

Nothing is downloaded, the browser is the system's. ``scripts/screenshots.py`` takes the docs'
screenshots of the demo with it. Playwright is a development dependency, so it is imported only
by the caller.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

CHROMIUM = "/usr/bin/chromium"
# Headless in a closed network: no sandbox (CI runs as root), and none of the background traffic
# that would only be refused.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
