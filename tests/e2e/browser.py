"""Debian's Chromium, driven by Playwright: nothing is downloaded, the browser is the system's."""

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
