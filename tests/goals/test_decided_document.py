"""A body's decided goals of a year as a printable document (goals/views/decided_document.py): what it
lists, who may read it, the addresses it refuses, and its queries at two data sizes."""

import datetime
import re

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Decision, DecisionGoal, Goal, Indicator, Revision, Target
from tests.kit.chain import Chain, add_goal
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


def document_url(unit, year=None) -> str:
    url = reverse("goals:decided-document", args=[unit.slug])
    return url if year is None else f"{url}?year={year}"


def decide(goal: Goal, paragraph: str, registry_number: str = "", day=None) -> Decision:
    """Record the decision that approved ``goal``, as the queue does (``goal_approve``)."""
    decision = Decision.objects.create(
        deciding_unit=goal.org_unit,
        meeting_date=day or datetime.date(goal.period.year - 1, 11, 20),
        paragraph=paragraph,
        registry_number=registry_number,
    )
    DecisionGoal.objects.create(decision=decision, goal=goal)
    return decision


def measured_by(goal: Goal, name: str, target) -> Indicator:
    indicator = Indicator.objects.create(code=name[:20], name=name, unit_of_measure="%")
    indicator.goals.add(goal)
    Target.objects.create(indicator=indicator, year=goal.period.year, value=target)
    Target.objects.create(indicator=indicator, year=goal.period.year + 1, value=target + 5)
    return indicator


def text_of(response) -> str:
    """The page's main text, its tags dropped and its white space made single."""
    main = response.content.decode().split('<main id="main"', 1)[1]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


@pytest.fixture
def decided(chain):
    """The committee's body goal decided at a meeting, measured by an indicator with a target."""
    decide(chain.body, "§ 14", "UN 2025/00042")
    measured_by(chain.body, "Elever med godkända betyg i alla ämnen", 82)
    return chain


def test_the_document_lists_the_bodys_decided_goals_with_their_decisions_parents_and_targets(
    client, decided, group, this_year
):
    chain = decided
    draft = add_goal(Level.BODY, "Ett utkast som nämnden inte beslutat", group.committee, chain.strategic)
    response = client.get(document_url(group.committee, this_year))
    assert response.context["goals"] == [chain.body]  # not the draft, nor the council's or company's goals
    text = text_of(response)
    assert f"Utbildningsnämnden: beslutade mål {this_year}" in text
    assert chain.body.title in text
    assert f"Beslutat {this_year - 1}-11-20 § 14 · Dnr UN 2025/00042" in text
    assert f"Bryter ned: {chain.strategic.title} (Kommunfullmäktige)" in text
    assert "Elever med godkända betyg i alla ämnen % 82" in text  # this year's target, not next year's
    assert draft.title not in text


def test_a_goal_changed_by_a_later_decision_lists_both_decisions_oldest_first(
    client, decided, group, this_year
):
    goal = decided.body
    change = Revision.objects.create(
        goal=goal, title="Alla elever klarar kunskapskraven", status=Status.APPROVED
    )
    later = Decision.objects.create(
        deciding_unit=group.committee, meeting_date=datetime.date(this_year, 3, 2), paragraph="§ 3"
    )
    DecisionGoal.objects.create(decision=later, goal=goal, revision=change)
    text = text_of(client.get(document_url(group.committee, this_year)))
    assert (
        f"Beslutat {this_year - 1}-11-20 § 14 · Dnr UN 2025/00042 Ändring beslutad {this_year}-03-02 § 3"
        in text
    )


def test_each_year_has_its_own_document(client, decided, group, this_year):
    next_year = Chain(group, this_year + 1)
    decide(next_year.body, "§ 9", "UN 2026/00007")
    response = client.get(document_url(group.committee, this_year + 1))
    assert response.context["goals"] == [next_year.body]
    assert "§ 14" not in text_of(response)


def test_without_a_year_the_document_is_of_the_year_the_visitor_looks_at(client, decided, group):
    assert client.get(document_url(group.committee)).context["period"] == decided.period


def test_a_body_without_decided_goals_in_the_year_says_so(client, group, draft_chain, this_year):
    response = client.get(document_url(group.committee, this_year))
    assert response.context["goals"] == []
    assert f"Utbildningsnämnden har inga beslutade mål för {this_year}." in text_of(response)


@pytest.mark.parametrize("who", [None, "politician", "manager"])
def test_decided_goals_are_public_the_same_document_for_everyone(client, decided, group, this_year, who):
    if who is not None:
        client.force_login(member_of(group.committee, f"someone-{who}", who))
    response = client.get(document_url(group.committee, this_year))
    assert response.status_code == 200
    assert response.context["goals"] == [decided.body]


def test_an_archived_goal_of_a_closed_year_is_still_in_its_document(client, decided, group, this_year):
    Goal.objects.filter(pk=decided.body.pk).update(status=Status.ARCHIVED)
    assert client.get(document_url(group.committee, this_year)).context["goals"] == [decided.body]


@pytest.mark.parametrize(
    "year", ["x", "1999", "²⁰²⁶", "99999999999999999999999", "", "2026 ", "-2026"], ids=repr
)
def test_a_year_without_a_plan_is_the_styled_not_found_page(client, decided, group, year):
    response = client.get(reverse("goals:decided-document", args=[group.committee.slug]), {"year": year})
    assert response.status_code == 404
    assert "Sidan finns inte" in response.content.decode()


def test_only_political_bodies_have_a_document(client, decided, group, this_year):
    # An administration decides by delegation only; a unit that is no body has no document.
    assert client.get(document_url(group.administration, this_year)).status_code == 404
    assert client.get(document_url(group.auditors, this_year)).status_code == 404
    assert client.get("/goals/decided/ingen-sadan-namnd/").status_code == 404


def test_the_unit_page_of_a_body_links_to_its_document_and_other_units_pages_do_not(client, group):
    label = "Utskrift av beslutade mål"
    committee_page = client.get(group.committee.get_absolute_url()).content.decode()
    assert f'<a href="{document_url(group.committee)}">{label}</a>' in committee_page
    assert label not in client.get(group.administration.get_absolute_url()).content.decode()


def grow_decided_goals(chain, size: int) -> None:
    """``size`` decided body goals of the committee, each with its decision and an indicator."""
    for number in range(size - 1):
        goal = add_goal(Level.BODY, f"Nämndmål {number}", chain.group.committee, chain.strategic)
        Goal.objects.filter(pk=goal.pk).update(status=Status.APPROVED)
        decide(goal, f"§ {20 + number}", f"UN 2025/{number:05}")
        measured_by(goal, f"Indikator {number}", number)


@pytest.mark.parametrize("size", [1, 6])
def test_the_document_asks_as_many_queries_for_many_goals_as_for_one(
    client, decided, group, this_year, size, django_assert_num_queries
):
    grow_decided_goals(decided, size)
    # 1 the body, 2 the year, 3 the goals, 4 their decisions, 5 indicators, 6 targets, 7 values,
    # 8 the goals they break down, 9 the years for the selector.
    with django_assert_num_queries(9):
        response = client.get(document_url(group.committee, this_year))
    assert len(response.context["goals"]) == size
