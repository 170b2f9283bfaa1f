"""A manager decides operational goals and activities by delegation, and the decision records from
whom: the body that steers the administration, or the company's or federation's own board."""

import datetime

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.services import goal_approve, goal_submit
from goals.models import Decision
from orgunits.kinds import Kind
from tests.kit.chain import add_goal
from tests.kit.clients import client_for
from tests.kit.organisation import add_unit
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("goals:queue")


def approve(goals, by=None) -> Decision:
    for goal in goals:
        goal_submit(goal=goal, by=None)
    return goal_approve(goals=goals, by=by, meeting_date=datetime.date(2026, 2, 12), paragraph="§ 14")


@pytest.fixture
def body_decided(workflow_chain):
    """The committee's body goal decided by the committee itself."""
    return approve([workflow_chain.body])


def test_a_body_deciding_its_own_goals_records_no_delegation(body_decided, group):
    assert (body_decided.deciding_unit, body_decided.delegated_by, body_decided.delegation) == (
        group.committee,
        None,
        "",
    )


def test_an_administrations_manager_decides_by_delegation_from_its_committee(
    workflow_chain, body_decided, group
):
    decision = approve([workflow_chain.operational], by=member_of(group.administration, "karin"))
    assert (decision.deciding_unit, decision.delegated_by) == (group.administration, group.committee)
    assert decision.delegation == "Beslutat på delegation från Utbildningsnämnden"


def test_a_companys_manager_decides_by_delegation_from_its_board(workflow_chain, group):
    company_unit = add_unit(Kind.UNIT, "Kundservice", group.subsidiary)
    approve([workflow_chain.company_goal])
    approve([workflow_chain.subsidiary_goal])
    goal = add_goal(Level.OPERATIONAL, "Svar inom en dag", company_unit, workflow_chain.subsidiary_goal)
    decision = approve([goal])
    assert (decision.deciding_unit, decision.delegated_by) == (group.subsidiary, group.subsidiary)


def test_the_caller_cannot_name_a_delegation(workflow_chain, body_decided, group):
    # The service takes no such argument: the delegation follows from the goals and the unit.
    with pytest.raises(TypeError):
        goal_approve(
            goals=[workflow_chain.operational],
            by=None,
            meeting_date=datetime.date(2026, 2, 12),
            paragraph="§ 14",
            delegated_by=group.board,
        )


def test_the_queue_says_the_decision_was_taken_by_delegation(client, workflow_chain, body_decided, group):
    goal_submit(goal=workflow_chain.operational, by=None)
    client.force_login(member_of(group.administration, "karin"))
    prefix = f"unit-{group.administration.pk}"
    response = client.post(
        QUEUE_URL,
        {
            "unit": group.administration.pk,
            f"{prefix}-goals": [workflow_chain.operational.pk],
            f"{prefix}-meeting_date": "2026-03-02",
            f"{prefix}-paragraph": "§ 3",
            f"{prefix}-action": "approve",
        },
        follow=True,
    )
    assert [str(message) for message in response.context["messages"]] == [
        "Beslutat genom beslut Utbildningsförvaltningen 2026-03-02 § 3: ”Tidiga insatser i läsning”. "
        "Beslutat på delegation från Utbildningsnämnden."
    ]


def test_the_goal_page_and_the_history_show_the_delegation(client, workflow_chain, body_decided, group):
    approve([workflow_chain.operational])
    html = client.get(workflow_chain.operational.get_absolute_url()).content.decode()
    assert (
        "<li>Utbildningsförvaltningen 2026-02-12 § 14 · Beslutat på delegation från Utbildningsnämnden</li>"
        in html
    )
    html = client.get(workflow_chain.body.get_absolute_url()).content.decode()
    assert "<li>Utbildningsnämnden 2026-02-12 § 14</li>" in html


def test_the_api_names_the_delegating_body(workflow_chain, body_decided, group):
    decision = approve([workflow_chain.operational])
    body = client_for(None, "token").get(reverse("api:decision-detail", args=[decision.pk])).json()
    assert (body["deciding_unit"], body["delegated_by"]) == ("utbildningsforvaltningen", "utbildningsnamnden")
    body = client_for(None, "token").get(reverse("api:decision-detail", args=[body_decided.pk])).json()
    assert (body["deciding_unit"], body["delegated_by"]) == ("utbildningsnamnden", None)
