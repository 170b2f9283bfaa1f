"""Where each goal stands in the workflow is in sight, in words: on My goals (draft, awaiting
decision, sent back with the reason, decided by whom and when, a change proposed), and as a badge
on every goal not decided in the chain tree and on a unit's page, so that nobody takes a draft for
a decision. The public sees decided goals only, without badges."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Decision, DecisionGoal, Goal, Revision
from tests.kit.chain import add_goal, grow_chain
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

REASON = "Målet saknar ett mätbart målvärde; komplettera med indikator."


def texts(html: str, css_class: str) -> list[str]:
    """The text of each element whose class attribute starts with ``css_class``, as a reader sees it
    (tags dropped, whitespace collapsed); for elements that do not nest in themselves."""
    blocks = re.findall(rf'<(\w+) class="{css_class}[^"]*"[^>]*>(.*?)</\1>', html, flags=re.S)
    return [" ".join(strip_tags(inner).split()) for _tag, inner in blocks]


@pytest.fixture
def statuses(chain, group):
    """The administration's decided operational goal, decided at a meeting and with a change to it
    sent back; the department's goal sent back with a reason; the school's activity submitted; and
    a new draft activity of the administration."""
    decision = Decision.objects.create(
        deciding_unit=group.administration, meeting_date=date(2026, 2, 12), paragraph="§ 14"
    )
    DecisionGoal.objects.create(decision=decision, goal=chain.operational)
    Revision.objects.create(
        goal=chain.operational,
        title="Tidiga insatser i läsning och skrivning",
        status=Status.RETURNED,
        return_comment="Ändringen behöver beredas med skolorna.",
    )
    Goal.objects.filter(pk=chain.department_goal.pk).update(status=Status.RETURNED, return_comment=REASON)
    Goal.objects.filter(pk=chain.activity.pk).update(status=Status.SUBMITTED)
    draft = add_goal(Level.ACTIVITY, "Läsombud på varje skola", group.administration, chain.operational)
    return draft


@pytest.fixture
def karin(client, group):
    """A manager who belongs to the administration, its department and the school."""
    user = member_of(group.administration, "karin")
    for unit in (group.department, group.school):
        user.memberships.create(org_unit=unit, role="manager")
    client.force_login(user)
    return user


def test_my_goals_says_where_each_goal_stands_in_words(client, karin, chain, statuses):
    cards = texts(client.get(reverse("goals:mine")).content.decode(), "goal-card")
    assert len(cards) == 4
    operational, draft, department, activity = cards
    assert "Beslutat av Utbildningsförvaltningen den 12 februari 2026, § 14." in operational
    assert (
        "Ändring: återremitterad En ändring av det beslutade målet är föreslagen; alla ser det beslutade "
        "målet tills ändringen är beslutad. Skäl till återremissen av ändringen: Ändringen behöver "
        "beredas med skolorna."
    ) in operational
    assert "Utkast Inte inskickat för beslut ännu." in draft
    assert (
        "Återremitterat Återremitterat för omarbetning; skicka in det igen när det är omarbetat. "
        f"Skäl till återremissen: {REASON}"
    ) in department
    assert "Inskickat för beslut Väntar på beslut av Utbildningsförvaltningen." in activity
    assert "Skäl till återremissen" not in activity + draft


def test_my_goals_says_whose_decision_a_proposed_change_awaits(client, karin, chain, statuses):
    Revision.objects.filter(goal=chain.operational).update(status=Status.SUBMITTED, return_comment="")
    operational = texts(client.get(reverse("goals:mine")).content.decode(), "goal-card")[0]
    assert (
        "Ändring: väntar på beslut En ändring av det beslutade målet är föreslagen; alla ser det beslutade "
        "målet tills ändringen är beslutad. Väntar på beslut av Utbildningsförvaltningen."
    ) in operational
    assert "Skäl till återremissen" not in operational


def test_my_goals_shows_a_reason_only_where_a_goal_was_sent_back(client, karin, chain, statuses):
    reasons = texts(client.get(reverse("goals:mine")).content.decode(), "goal-reason")
    assert reasons == [
        "Skäl till återremissen av ändringen: Ändringen behöver beredas med skolorna.",
        f"Skäl till återremissen: {REASON}",
    ]


def test_the_reason_is_escaped(client, karin, chain, statuses):
    Goal.objects.filter(pk=chain.department_goal.pk).update(return_comment="<script>alert(1)</script>")
    page = client.get(reverse("goals:mine")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@pytest.mark.parametrize("size", [20, 45])
def test_my_goals_has_the_same_query_count_at_any_size(
    client, karin, chain, statuses, django_assert_num_queries, size
):
    grow_chain(chain, size)
    # Half of the grown goals sent back, so that the reasons are read at either size.
    Goal.objects.filter(title__startswith="Aktivitet").update(status=Status.RETURNED, return_comment=REASON)
    # 1: the session, 2: the user, 3: the period preference, 4: the period chosen, 5: the
    # memberships, 6: the goal counts by unit, 7: the page of goals with their cascade, grade,
    # overdue follow-up, first decision and open change, 8: their chains up, 9: the count of the
    # menu's to-do list, 10: the organisations (whose decision the submitted activity awaits),
    # 11: every period (the year selector).
    with django_assert_num_queries(11):
        response = client.get(reverse("goals:mine"))
    # The period's goals but the five of the council, the committee and the companies.
    assert len(texts(response.content.decode(), "goal-card")) == size - 5


def test_the_chain_tree_marks_every_goal_not_decided(client, karin, chain, statuses):
    page = client.get(reverse("goals:chain")).content.decode()
    rows = texts(page, "node-row")
    marked = {row for row in rows if re.search(r"(Utkast|Inskickat för beslut|Återremitterat)$", row)}
    assert marked == {
        "Aktivitet Läsombud på varje skola Utbildningsförvaltningen Utkast",
        "Verksamhetsmål Läsfrämjande i grundskolan Avdelning grundskola Återremitterat",
        "Aktivitet Läsveckor i årskurs 1–3 Västra skolan Inskickat för beslut",
    }
    assert "Mål som ännu inte är beslutade är märkta med sin status" in page


def test_the_public_chain_tree_shows_decided_goals_without_badges(client, chain, statuses):
    page = client.get(reverse("goals:chain")).content.decode()
    assert 'class="status' not in page
    assert "Läsombud på varje skola" not in page


def test_a_units_page_marks_its_goals_not_decided(client, karin, group, chain, statuses):
    page = client.get(group.administration.get_absolute_url()).content.decode()
    assert (
        f'<a href="{statuses.get_absolute_url()}">Läsombud på varje skola</a> <span class="status status-badge status-draft">Utkast</span>'
    ) in page
    assert (
        f'<a href="{chain.operational.get_absolute_url()}">Tidiga insatser i läsning</a> <span class'
        not in page
    )


def test_a_units_page_shows_the_public_no_badge(client, group, chain, statuses):
    page = client.get(group.administration.get_absolute_url()).content.decode()
    assert "Läsombud på varje skola" not in page
    assert "status-badge" not in page
