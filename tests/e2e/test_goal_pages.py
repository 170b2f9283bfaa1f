"""A manager's walk along the steering chain in a real browser, with axe-core on every page."""

import re

from playwright.sync_api import expect

from tests.e2e.browser import sign_in, this_years


def test_a_manager_follows_the_chain_and_adds_an_operational_goal(page, assert_accessible):
    sign_in(page, "karin.lind")  # the manager of Utbildningsförvaltningen
    expect(page.get_by_role("region", name="Att göra")).to_be_visible()  # the start page
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Mina mål").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mina mål")
    expect(page.get_by_role("heading", level=2)).to_have_text(re.compile("^Utbildningsförvaltningen"))
    expect(page.get_by_role("link", name="Tidiga insatser i läsning och matematik")).to_be_visible()
    assert_accessible(page)

    # Up the chain to the vision.
    page.get_by_role("link", name="Tidiga insatser i läsning och matematik").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tidiga insatser i läsning och matematik")
    assert_accessible(page)
    ladder = page.locator(".ladder")
    expect(ladder.get_by_role("listitem")).to_have_count(4)
    ladder.get_by_role("link", name=re.compile("^Sjöstad – där människor växer")).click()
    expect(page.get_by_text("Det här är visionen: styrkedjans topp.")).to_be_visible()
    assert_accessible(page)

    # Down the cascade to an activity.
    page.go_back()
    page.get_by_role("link", name="Läsveckor i årskurs 1–3").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Läsveckor i årskurs 1–3")
    expect(page.locator("main > .wrap > .level")).to_have_text("Aktivitet")
    expect(page.get_by_role("progressbar")).to_have_attribute("value", "60")
    assert_accessible(page)

    # A new operational goal under the committee's body goal.
    page.get_by_role("link", name="Mina mål").click()
    page.get_by_role("link", name="Lägg till mål").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nytt mål för Utbildningsförvaltningen")
    assert_accessible(page)
    page.get_by_label("Nivå").select_option(label="Verksamhetsmål")
    page.get_by_label("Bryter ned").select_option(
        label="Nämnd- och bolagsmål: Fler elever når kunskapskraven i alla ämnen (Utbildningsnämnden)"
    )
    page.get_by_label("Rubrik").fill("Fler behöriga lärare i grundskolan")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fler behöriga lärare i grundskolan")
    expect(
        page.locator(".ladder").get_by_role("link", name="Fler elever når kunskapskraven i alla ämnen")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Historik: vem ändrade vad och när").click()
    expect(page.get_by_role("heading", level=2)).to_contain_text("Karin Lind")
    assert_accessible(page)


def test_a_refused_goal_keeps_what_was_typed_and_says_why(page):
    sign_in(page, "sara.ek")  # the manager of Västra skolan
    page.goto("/goals/new/?unit=vastra-skolan")
    page.get_by_label("Nivå").select_option(label="Verksamhetsmål")
    page.get_by_label("Bryter ned").select_option(
        label="Verksamhetsmål: Läsfrämjande arbete i alla grundskolor (Avdelning grundskola)"
    )
    page.get_by_label("Rubrik").fill("Läsfrämjande på Västra skolan")
    page.get_by_label("Genomfört (%)").fill("30")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("alert")).to_contain_text("Bara aktiviteter har startdatum, slutdatum")
    expect(page.get_by_label("Rubrik")).to_have_value("Läsfrämjande på Västra skolan")


def test_the_chain_tree_opens_and_filters(page, assert_accessible):
    page.goto("/goals/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Styrkedjan \d{4}$"))
    activity = page.get_by_role("link", name="Läsveckor i årskurs 1–3")
    expect(activity).to_be_hidden()
    operational = page.get_by_role("link", name="Tidiga insatser i läsning och matematik")
    expect(operational).to_be_hidden()
    page.locator("summary", has_text="Mål under Fler elever når kunskapskraven i alla ämnen").click()
    expect(operational).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Del av organisationen").select_option(label="Utbildningsnämnden")
    page.get_by_label("Ned till nivå").select_option(label="Verksamhetsmål")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.get_by_role("link", name="Fler elever når kunskapskraven i alla ämnen")).to_be_visible()
    expect(
        page.get_by_role("link", name="Alla barn och unga får en god start i livet och lyckas i skolan")
    ).to_have_count(0)
    expect(activity).to_have_count(0)
    assert_accessible(page)


def test_a_manager_gives_a_colleague_a_role(page, assert_accessible):
    sign_in(page, "karin.lind")
    page.goto("/organisation/avdelning-grundskola/")
    page.get_by_role("link", name="Personer och roller").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Personer i Avdelning grundskola")
    assert_accessible(page)
    page.get_by_label("Användare").select_option(label="Sara Ek (sara.ek)")
    page.get_by_role("combobox", name="Roll").select_option(label="Redaktör")  # not the "Roller" table
    page.get_by_role("button", name="Lägg till", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Sara Ek lades till.")
    expect(page.get_by_role("rowheader", name="Sara Ek")).to_be_visible()
    assert_accessible(page)


def test_a_goals_cascade_opens_in_the_chain_tree(page, assert_accessible):
    goal = this_years("Fler elever når kunskapskraven i alla ämnen")
    page.goto(goal.get_absolute_url())
    # By address, not by text: the link's Swedish wording is the translator's.
    page.locator(f"main a[href='/goals/?goal={goal.pk}']").click()
    tree = page.locator(".goal-tree")
    expect(tree.get_by_role("link").first).to_have_text(goal.title)
    # The goal and the level below it are open; deeper goals wait behind their toggle.
    expect(tree.get_by_role("link", name="Tidiga insatser i läsning och matematik")).to_be_visible()
    expect(tree.get_by_role("link", name="Läsveckor i årskurs 1–3")).to_be_hidden()
    expect(
        tree.get_by_role("link", name="Alla barn och unga får en god start i livet och lyckas i skolan")
    ).to_have_count(0)
    assert_accessible(page)
    page.locator("main .notice a[href='?']").click()
    expect(
        page.get_by_role("link", name="Alla barn och unga får en god start i livet och lyckas i skolan")
    ).to_be_visible()
