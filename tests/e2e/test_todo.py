"""A manager signs in and sees, on the start page, what she should do now: her late interim report
marked overdue with its deadline, counted in the menu; the row leads to the follow-up where she
reports it. axe-core on both pages."""

import re

from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from goals.todo import todo_count
from tests.e2e.browser import late_interim_report, sign_in


def test_a_manager_finds_her_late_report_in_her_to_do_list(page, assert_accessible):
    goal, deadline = late_interim_report()

    sign_in(page, "karin.lind")  # the manager of Utbildningsförvaltningen
    # Signing in leads to the start page, where her to-do list is.
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    todo = page.get_by_role("region", name="Att göra")
    reports = todo.get_by_role("list").filter(has=page.get_by_role("link", name=goal.title))
    row = reports.get_by_role("listitem").filter(has=page.get_by_role("link", name=goal.title))
    expect(row.locator(".overdue")).to_have_text(f"Försenad – sista dag {deadline}")
    expect(row).to_contain_text("Delårsrapport")
    # The menu counts every row of the list.
    rows = todo.get_by_role("listitem").count()
    assert rows == todo_count(get_user_model().objects.get(username="karin.lind"))
    expect(
        page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Att göra")
    ).to_have_text(f"Att göra {rows} uppgift" if rows == 1 else f"Att göra {rows} uppgifter")
    page.screenshot(path="/tmp/todo-start-karin.png", full_page=True)
    assert_accessible(page)

    row.get_by_role("link", name=goal.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Uppföljning av ”{goal.title}”")
    expect(
        page.get_by_role("navigation", name="Uppföljningsperioder").locator("[aria-current=page]")
    ).to_have_text("Delårsrapport")
    expect(page.get_by_role("region", name="Bedömningen").locator(".overdue")).to_have_text(
        f"Försenad – sista dag {deadline}"
    )
    assert_accessible(page)
