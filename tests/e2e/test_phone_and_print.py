"""The portal on a phone (390 × 844) and a desktop (1366 × 900): the compact menu, the header's
height, the year selector; and a body's decided goals printed to PDF by Chromium, read back."""

import io
import re
import unicodedata

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from goals.chain.levels import POLITICALLY_DECIDED_LEVELS
from goals.chain.workflow import PUBLIC_STATUSES
from goals.models import DecisionGoal, Goal, Period
from orgunits.models import OrgUnit
from tests.e2e.browser import sign_in

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
PHONE_HEADER_MAX = 120  # px: the header leaves the phone's screen to the page


def header_height(page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def horizontal_overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def longest_named_user() -> str:
    """The demo user whose name makes the header's sign-out button the widest."""
    users = get_user_model().objects.filter(is_active=True)
    return max(users, key=lambda user: len(user.get_short_name() or user.username)).username


@pytest.mark.parametrize("username", [None, "longest", "admin"])
def test_on_a_phone_the_header_is_the_brand_and_a_menu_button(page, assert_accessible, username):
    page.set_viewport_size(PHONE)
    if username is not None:
        sign_in(page, longest_named_user() if username == "longest" else username)
    for path in ("/", "/goals/", "/organisation/", "/goals/report/", "/goals/mine/", "/goals/matrix/"):
        page.goto(path)
        assert header_height(page) <= PHONE_HEADER_MAX, path
        assert horizontal_overflow(page) == 0, path
        for selector in page.locator(".period-selector").all():  # the year selector fits the screen
            box = selector.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], path
        expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_hidden()
    expect(page.get_by_role("button", name="Meny")).to_have_attribute("aria-expanded", "false")
    assert_accessible(page)


def test_the_phones_menu_opens_and_leads_to_a_page(page, assert_accessible):
    page.set_viewport_size(PHONE)
    sign_in(page, "karin.lind")
    page.goto("/goals/")
    toggle = page.get_by_role("button", name="Meny")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(menu).to_be_visible()
    expect(page.get_by_role("button", name="Logga ut Karin")).to_be_visible()
    expect(page.get_by_role("searchbox")).to_be_visible()
    assert horizontal_overflow(page) == 0
    assert_accessible(page)
    menu.get_by_role("link", name="Mina mål").click()
    expect(page).to_have_url(re.compile(r"/goals/mine/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina mål")
    # A new page starts with the menu folded again.
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_hidden()


def test_the_phones_menu_works_from_the_keyboard(page):
    page.set_viewport_size(PHONE)
    page.goto("/organisation/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    toggle = page.get_by_role("button", name="Meny")
    expect(toggle).to_be_focused()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Tab")
    expect(page.get_by_role("searchbox")).to_be_focused()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_hidden()


@pytest.mark.parametrize("username", ["longest", "admin"])
def test_on_a_desktop_the_whole_menu_is_on_one_line_and_there_is_no_menu_button(page, username):
    page.set_viewport_size(DESKTOP)
    sign_in(page, longest_named_user() if username == "longest" else username)
    page.goto("/goals/")
    expect(page.get_by_role("button", name="Meny")).to_be_hidden()
    tops = page.locator(".main-nav li").evaluate_all(
        "items => items.map(item => item.getBoundingClientRect().top)"
    )
    assert len(tops) >= 6 and len(set(tops)) == 1
    tools = page.locator(".header-row > *:not(.menu-toggle), .header-tools > *").evaluate_all(
        "items => items.filter(item => item.offsetParent).map(item => item.getBoundingClientRect().top)"
    )
    assert max(tools) - min(tools) < 20  # the brand, the search and the account's tools on one row


def test_on_a_phone_the_year_selector_fits_and_a_choice_shows_at_once(page, assert_accessible):
    page.set_viewport_size(PHONE)
    last_year = Period.objects.get(year=timezone.localdate().year - 1)
    option = f"{last_year.year} (mandatperiod {last_year.term_label})"
    page.goto("/goals/")
    select = page.get_by_label("År")
    box = select.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    expect(page.get_by_role("button", name="Visa", exact=True)).to_be_hidden()  # no extra step
    assert_accessible(page)
    with page.expect_navigation():
        select.select_option(label=option)
    expect(page).to_have_url(re.compile(r"/goals/$"))
    expect(page.get_by_label("År").locator("option:checked")).to_have_text(option)


def normalised(text: str) -> str:
    """Text as read from the PDF, comparable with the database's: ligatures ("ﬂ") as their letters,
    and a title broken over two lines as one."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def test_a_bodys_decided_goals_print_to_pdf_with_their_decisions_and_no_menu(page):
    this_year = timezone.localdate().year
    body = OrgUnit.objects.get(slug="kultur-och-fritidsnamnden")
    links = list(
        DecisionGoal.objects.filter(
            goal__org_unit=body,
            goal__period__year=this_year,
            goal__level__in=POLITICALLY_DECIDED_LEVELS,
            goal__status__in=PUBLIC_STATUSES,
        ).select_related("goal", "decision")
    )
    assert len(links) >= 2  # the demo's committee has decided goals to print

    page.goto("/organisation/kultur-och-fritidsnamnden/")
    page.get_by_role("link", name="Utskrift av beslutade mål").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{body.name}: beslutade mål {this_year}")
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    pages = [normalised(each.extract_text()) for each in pdf.pages]
    text = " ".join(pages)

    assert f"{body.name}: beslutade mål {this_year}" in text
    for link in links:
        decision = link.decision
        title = normalised(link.goal.title)
        reference = f"{decision.meeting_date:%Y-%m-%d} {decision.paragraph}"
        if decision.registry_number:
            reference += f" · Dnr {decision.registry_number}"
        # The goal and its decision on one page: a goal is not split over two.
        assert any(title in each and reference in each for each in pages), (title, reference)
    for screen_only in ("Huvudmeny", "Mina mål", "Styrkedjan", "Organisation", "Logga in", "Skriv ut"):
        assert screen_only not in text, screen_only
    assert "http" not in text  # link targets are not printed


@pytest.mark.parametrize(
    "path", ["/", "/goals/", "/goals/report/", "/organisation/utbildningsforvaltningen/", "/processes/"]
)
def test_every_page_prints_without_header_menu_and_footer(page, path):
    page.goto(path)
    heading = normalised(page.get_by_role("heading", level=1).inner_text())
    text = normalised(" ".join(each.extract_text() for each in PdfReader(io.BytesIO(page.pdf())).pages))
    assert heading in text
    for screen_only in (
        "Hoppa till innehållet",
        "Logga in",
        "English",
        "från kommunfullmäktige till verksamheten",
    ):
        assert screen_only not in text, screen_only


def test_without_scripts_a_phone_gets_the_whole_header_and_the_years_show_button(browser, live_server, demo):
    context = browser.new_context(
        locale="sv-SE", base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    page = context.new_page()
    page.goto("/goals/")
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_visible()  # nothing folded away
    expect(page.get_by_role("button", name="Meny")).to_be_hidden()  # no button that could not work
    show = page.get_by_role("button", name="Visa", exact=True)
    expect(show).to_be_visible()
    last_year = Period.objects.get(year=timezone.localdate().year - 1)
    page.get_by_label("År").select_option(str(last_year.pk))
    show.click()
    expect(page.get_by_label("År").locator("option:checked")).to_have_text(
        f"{last_year.year} (mandatperiod {last_year.term_label})"
    )
    assert horizontal_overflow(page) == 0
    context.close()


def test_the_documents_print_button_opens_the_browsers_print(page, assert_accessible):
    page.goto("/goals/decided/kultur-och-fritidsnamnden/")
    assert_accessible(page)
    page.evaluate("window.print = () => { window.printAsked = true; }")  # the dialog itself is the browser's
    page.get_by_role("button", name="Skriv ut eller spara som PDF").click()
    assert page.evaluate("window.printAsked") is True


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_a_300_character_unbroken_title_stays_inside_the_document(page, viewport):
    body = OrgUnit.objects.get(slug="kultur-och-fritidsnamnden")
    decided = Goal.objects.filter(
        org_unit=body, period__year=timezone.localdate().year, status__in=PUBLIC_STATUSES
    )
    goal = decided.first()
    Goal.objects.filter(pk=goal.pk).update(title="Å" * 300)
    # The goal it breaks down shows in its line too.
    Goal.objects.filter(path=goal.path[: -Goal.steplen]).update(title="Ä" * 300)
    page.set_viewport_size(viewport)
    page.goto(f"/goals/decided/{body.slug}/")
    expect(page.get_by_role("heading", name="Å" * 300)).to_be_visible()
    assert horizontal_overflow(page) == 0
