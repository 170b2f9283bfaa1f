"""A manager sees, in a real browser, that a report of hers is late: marked overdue with its deadline
in My goals and on the follow-up it leads to; axe-core on both pages."""

from playwright.sync_api import expect

from tests.e2e.browser import late_interim_report, sign_in


def test_a_manager_sees_a_late_report_marked_overdue(page, assert_accessible):
    goal, deadline = late_interim_report()

    sign_in(page, "karin.lind")  # the manager of Utbildningsförvaltningen
    page.goto("/goals/mine/")
    card = page.get_by_role("article").filter(has=page.get_by_role("heading", name=goal.title))
    late = card.get_by_role("link", name=f"Försenad – sista dag {deadline}")
    expect(late).to_be_visible()
    assert_accessible(page)

    late.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Uppföljning av ”{goal.title}”")
    expect(
        page.get_by_role("navigation", name="Uppföljningsperioder").locator("[aria-current=page]")
    ).to_have_text("Delårsrapport")
    expect(page.get_by_role("region", name="Bedömningen").locator(".overdue")).to_have_text(
        f"Försenad – sista dag {deadline}"
    )
    assert_accessible(page)
