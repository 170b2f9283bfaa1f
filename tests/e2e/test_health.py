"""A controller reads the chain's health of the demo year in a real browser: the planted gaps, each
linking to where it is mended, what the public sees and what a signed-in person sees besides, and a
part of the group chosen in the form; axe-core on each page."""

import re

from django.utils import timezone
from playwright.sync_api import expect

from demo import gaps
from tests.e2e.browser import sign_in, this_years


def section(page, heading: str):
    return page.locator("section.health-kind").filter(has=page.get_by_role("heading", name=heading))


def test_the_public_reads_the_gaps_of_decided_goals_and_follows_one_to_its_goal(page, assert_accessible):
    year = timezone.localdate().year
    page.goto("/goals/health/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Styrkedjans hälsa {year}")
    expect(page.get_by_role("table", name="Brister per slag")).to_contain_text(
        "Beslutat mål utan målansvarig"
    )
    ownerless = section(page, "Beslutat mål utan målansvarig (1)")
    expect(ownerless.get_by_role("row")).to_have_count(2)  # the heading row and the goal
    expect(page.get_by_role("heading", name=re.compile("Föreslagen ändring"))).to_have_count(0)
    assert_accessible(page)

    ownerless.get_by_role("link", name=gaps.OWNER_VACANT).click()
    expect(page).to_have_url(re.compile(rf"/goals/{this_years(gaps.OWNER_VACANT).pk}/$"))


def test_a_signed_in_controller_also_sees_work_in_progress_and_narrows_to_an_administration(
    page, assert_accessible
):
    sign_in(page, "karin.lind")
    page.goto("/goals/health/")
    waiting = section(page, "Föreslagen ändring som länge väntar på beslut (1)")
    expect(waiting.get_by_role("link", name=gaps.REVISION["goal"])).to_be_visible()
    expect(waiting).to_contain_text(gaps.REVISION["title"])
    assert_accessible(page)

    page.get_by_label("Del av organisationen").select_option(label="Omsorgsförvaltningen")
    page.get_by_role("button", name="Visa").click()
    expect(page).to_have_url(re.compile(r"unit=omsorgsforvaltningen"))
    no_process = section(page, "Beslutat mål som inte bidrar till någon process (1)")
    expect(no_process.get_by_role("link", name=gaps.SERVES_NO_PROCESS)).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("Föreslagen ändring"))).to_have_count(0)
    assert_accessible(page)
