"""The decision queue and My goals as their people use them, in a real browser with axe-core: a chair
approves and is told what was decided; a manager sends an activity back with a reason, and the
school's manager finds it on My goals marked as sent back, with the reason, in words."""

from playwright.sync_api import expect

from goals.chain.levels import Level
from goals.chain.services import goal_submit
from goals.models import Decision, Goal
from orgunits.models import OrgUnit
from tests.e2e.browser import sign_in, this_years
from tests.kit.chain import add_goal

REASON = "Beskriv hur läsombuden utses och följs upp."


def test_a_chair_approves_and_is_told_what_was_decided(page, assert_accessible):
    committee = OrgUnit.objects.get(slug="utbildningsnamnden")
    strategic = this_years("Alla barn och unga får en god start i livet och lyckas i skolan")
    goal = add_goal(
        Level.BODY,
        "Fler elever väljer yrkesprogram",
        committee,
        strategic,
        description="Andelen elever som väljer ett yrkesprogram ökar till 35 procent.",
    )
    goal_submit(goal=goal, by=None)

    sign_in(page, "eva.berg")
    page.goto("/goals/queue/")
    queued = page.locator(".queue-goal", has_text="Fler elever väljer yrkesprogram")
    expect(queued.get_by_role("link", name="Fler elever väljer yrkesprogram")).to_have_attribute(
        "href", goal.get_absolute_url()
    )
    expect(queued).to_contain_text("Andelen elever som väljer ett yrkesprogram ökar till 35 procent.")
    assert_accessible(page)

    page.get_by_role("checkbox", name="Fler elever väljer yrkesprogram").check()
    page.get_by_label("Sammanträdesdatum").fill("2026-02-12")
    page.get_by_label("Paragraf").fill("§ 14")
    page.get_by_role("button", name="Besluta under ett beslut").click()

    decision = Decision.objects.get(goals=goal)
    expect(page.get_by_role("status")).to_have_text(
        f"Beslutat genom beslut {decision}: ”Fler elever väljer yrkesprogram”."
    )
    assert_accessible(page)


def test_a_manager_finds_an_activity_sent_back_with_the_reason_on_my_goals(page, assert_accessible):
    school = OrgUnit.objects.get(slug="vastra-skolan")
    above = Goal.objects.get_parent(this_years("Läsveckor i årskurs 1–3"))
    activity = add_goal(Level.ACTIVITY, "Läsombud på varje skola", school, above)
    goal_submit(goal=activity, by=None)

    sign_in(page, "karin.lind")  # the administration's manager decides the school's activities
    page.goto("/goals/queue/")
    page.get_by_role("checkbox", name="Läsombud på varje skola").check()
    page.get_by_label("Skäl till återremiss").fill(REASON)
    page.get_by_role("button", name="Återremittera").click()
    expect(page.get_by_role("status")).to_have_text(
        f"Återremitterat för omarbetning: ”Läsombud på varje skola”. Angivet skäl: {REASON}"
    )
    page.get_by_role("button", name="Logga ut").click()

    sign_in(page, "sara.ek")
    page.goto("/goals/mine/")
    card = page.locator(".goal-card", has_text="Läsombud på varje skola")
    expect(card.locator(".status")).to_have_text("Återremitterat")
    expect(card.locator(".goal-reason")).to_have_text(f"Skäl till återremissen: {REASON}")
    assert_accessible(page)

    page.goto("/goals/")
    expect(page.locator(".node-row", has_text="Läsombud på varje skola").locator(".status")).to_have_text(
        "Återremitterat"
    )
    assert_accessible(page)
