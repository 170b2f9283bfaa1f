"""A politician decides goals in a real browser, with axe-core on every page."""

from playwright.sync_api import expect

from goals.chain.levels import Level
from goals.chain.services import goal_submit
from orgunits.models import OrgUnit
from tests.e2e.browser import sign_in, this_years
from tests.kit.chain import add_goal


def test_a_politician_approves_two_goals_under_one_decision(page, assert_accessible):
    committee = OrgUnit.objects.get(slug="utbildningsnamnden")
    strategic = this_years("Alla barn och unga får en god start i livet och lyckas i skolan")
    for title in ("Fler elever väljer yrkesprogram", "Alla skolor har elevhälsa på plats"):
        goal_submit(goal=add_goal(Level.BODY, title, committee, strategic), by=None)

    sign_in(page, "eva.berg")
    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Att besluta").click()
    expect(page.get_by_role("heading", level=2, name="Utbildningsnämnden")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("checkbox", name="Fler elever väljer yrkesprogram").check()
    page.get_by_role("checkbox", name="Alla skolor har elevhälsa på plats").check()
    page.get_by_label("Sammanträdesdatum").fill("2026-02-12")
    page.get_by_label("Paragraf").fill("§ 14")
    page.get_by_label("Diarienummer").fill("UN 2026/00031")
    page.get_by_role("button", name="Besluta under ett beslut").click()
    for title in ("Fler elever väljer yrkesprogram", "Alla skolor har elevhälsa på plats"):
        expect(page.get_by_role("checkbox", name=title)).to_have_count(0)
    # The demo's own goal awaiting the committee (demo.workflow) still waits for its decision.
    expect(page.get_by_role("checkbox", name="Alla elever känner sig trygga i skolan")).to_be_visible()

    page.goto(this_years("Fler elever väljer yrkesprogram").get_absolute_url())
    expect(page.locator(".status")).to_have_text("Beslutat")
    expect(page.get_by_text("Utbildningsnämnden 2026-02-12 § 14 · Dnr UN 2026/00031")).to_be_visible()
    assert_accessible(page)


def test_what_a_body_decides_becomes_public(page, assert_accessible, console_errors):
    committee = OrgUnit.objects.get(slug="utbildningsnamnden")
    strategic = this_years("Alla barn och unga får en god start i livet och lyckas i skolan")
    goal = add_goal(Level.BODY, "Fler elever väljer yrkesprogram", committee, strategic)
    console_errors.expect(rf"status of 404 .*{goal.get_absolute_url()}\)")  # not public before the decision
    page.goto(goal.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Sidan finns inte")

    goal_submit(goal=goal, by=None)
    sign_in(page, "maria.sjo")  # the committee's secretary records the decision
    page.goto("/goals/queue/")
    page.get_by_role("checkbox", name="Fler elever väljer yrkesprogram").check()
    page.get_by_label("Sammanträdesdatum").fill("2026-02-12")
    page.get_by_label("Paragraf").fill("§ 15")
    page.get_by_role("button", name="Besluta under ett beslut").click()
    page.get_by_role("button", name="Logga ut").click()

    page.goto(goal.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Fler elever väljer yrkesprogram")
    expect(page.locator(".status")).to_have_text("Beslutat")
    assert_accessible(page)


def test_a_change_to_an_approved_goal_is_public_only_once_it_is_approved(page, assert_accessible):
    activity = this_years("Läsveckor i årskurs 1–3")
    sign_in(page, "sara.ek")  # the manager of Västra skolan, whose activity it is
    page.goto(activity.get_absolute_url())
    page.get_by_role("link", name="Föreslå en ändring").click()
    assert_accessible(page)
    page.get_by_label("Rubrik").fill("Läsveckor i årskurs 1–6")
    page.get_by_role("button", name="Spara ändringsutkastet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Läsveckor i årskurs 1–3")
    expect(page.get_by_role("table", name="Den föreslagna ändringen")).to_contain_text(
        "Läsveckor i årskurs 1–6"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Skicka ändringen till Utbildningsförvaltningen för beslut").click()
    page.get_by_role("button", name="Logga ut").click()

    page.goto(activity.get_absolute_url())  # the public still sees what was approved
    expect(page.get_by_role("heading", level=1)).to_have_text("Läsveckor i årskurs 1–3")
    expect(page.get_by_text("Läsveckor i årskurs 1–6")).to_have_count(0)

    sign_in(page, "karin.lind")  # the administration's manager decides it by delegation
    page.goto("/goals/queue/")
    expect(page.locator("ins")).to_have_text("Läsveckor i årskurs 1–6")
    assert_accessible(page)
    page.get_by_role("checkbox", name="Läsveckor i årskurs 1–3").check()
    page.get_by_label("Sammanträdesdatum").fill("2026-03-05")
    page.get_by_label("Paragraf").fill("§ 9")
    page.get_by_role("button", name="Besluta under ett beslut").click()
    page.get_by_role("button", name="Logga ut").click()

    page.goto(activity.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Läsveckor i årskurs 1–6")
