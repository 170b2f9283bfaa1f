import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from demo.browser import launch_chromium
from demo.seeding import seed_demo
from tests.e2e.browser import ConsoleWatch
from tests.kit import demo_snapshot as demo_snapshot_

# Playwright's sync API runs an event loop in the test's thread, where the tests also use the ORM.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

WCAG_21_AA = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    # Without preloading, axe-core copies no stylesheet into a <style> element of its own, which the
    # page's Content-Security-Policy refuses (an error in the console); only an experimental rule,
    # outside these tags, reads them.
    "preload": False,
}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, which serves /static/ itself from the apps' folders. Under the
    production settings (``make e2e-production``: a STATIC_ROOT that collectstatic filled) it leaves
    them to WhiteNoise instead, so that the pages load the hashed, compressed files as in production."""
    address = (
        request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    )
    server = LiveServer(address, start=False)
    if settings.STATIC_ROOT:
        server.thread.static_handler = lambda application: application
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def console_errors(request):
    """Fails a browser test on any console error or uncaught script error in any of its pages (a
    refusal of the Content-Security-Policy among them), or on a page of the portal that comes
    without the policy (tests/e2e/browser.py, ``ConsoleWatch``), unless the test declared it with
    ``console_errors.expect(pattern)``. It watches every context the test opens on the session's
    browser, whichever fixture or test opens it."""
    if "browser" not in request.fixturenames:
        yield None
        return
    browser = request.getfixturevalue("browser")
    portal = request.getfixturevalue("live_server").url if "live_server" in request.fixturenames else ""
    watch = ConsoleWatch(portal=portal)
    open_context = browser.new_context

    def new_watched_context(*args, **kwargs):
        context = open_context(*args, **kwargs)
        watch.watch(context)
        return context

    browser.new_context = new_watched_context
    yield watch
    # Set up before the test's page fixtures, so checked after their contexts have closed.
    del browser.new_context
    unexpected = watch.unexpected()
    assert not unexpected, "The browser reported errors:\n" + "\n".join(unexpected)


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker) -> demo_snapshot_.Snapshot:
    """The demo as ``seed_demo()`` leaves it, seeded once for the session (tests/kit/demo_snapshot.py).
    The database is emptied again afterwards, as every transactional test expects to find it."""
    with django_db_blocker.unblock():
        seed_demo()
        snapshot = demo_snapshot_.take()
        call_command("flush", interactive=False, verbosity=0)
    return snapshot


@pytest.fixture
def demo(transactional_db, demo_snapshot):
    """The demo's data, committed (the live server's threads read it), loaded from the session's
    snapshot in a fraction of a seeding; the test's flush removes it afterwards."""
    demo_snapshot_.load(demo_snapshot)


@pytest.fixture
def page(browser, live_server, demo):
    context = browser.new_context(locale="sv-SE", base_url=live_server.url)
    context.set_default_timeout(5_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def assert_accessible(axe):
    """Run axe-core on the page as it is now; fail with axe's report on any WCAG 2.1 AA violation."""

    def check(page):
        results = axe.run(page, options=WCAG_21_AA)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"

    return check
