"""The decision queue as a chair reads it: each goal's title leads to the goal, its description is
there to read (the start, and the whole on request), approving or sending back is confirmed naming
the goals and what was done, and each section says truly whether something waits in it."""

import re

import pytest
from django.urls import reverse
from django.utils.html import strip_tags

from goals.chain.levels import Level
from goals.chain.services import goal_submit
from goals.chain.workflow import Status
from goals.follow_up.models import FollowUp
from goals.follow_up.workflow import ReviewStatus
from goals.models import Decision, Goal, ReportingPeriod
from tests.kit.chain import add_goal
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

QUEUE_URL = reverse("goals:queue")
LONG = ("Fler elever ska nå kunskapskraven i svenska och matematik. " * 8).strip()


@pytest.fixture
def chain(workflow_chain):
    return workflow_chain


@pytest.fixture
def submitted(chain, group):
    """Two body goals of the committee submitted: one with a long description, one with none."""
    Goal.objects.filter(pk=chain.body.pk).update(description=LONG)
    chain.body.refresh_from_db()
    other = add_goal(Level.BODY, "Förskolan ger alla en god start", group.committee, chain.strategic)
    for goal in (chain.body, other):
        goal_submit(goal=goal, by=None)
    return [chain.body, other]


@pytest.fixture
def eva(client, group):
    user = member_of(group.committee, "eva", role="politician", position="chair")
    client.force_login(user)
    return user


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def post_decision(client, unit, goals, **fields):
    prefix = f"unit-{unit.pk}"
    data = {"unit": unit.pk, f"{prefix}-goals": [goal.pk for goal in goals]}
    data |= {f"{prefix}-{name}": value for name, value in fields.items()}
    return client.post(QUEUE_URL, data, follow=True)


def test_approving_is_confirmed_naming_the_goals_and_the_decision(client, eva, group, submitted):
    response = post_decision(
        client,
        group.committee,
        submitted,
        meeting_date="2026-02-12",
        paragraph="§ 14",
        registry_number="UN 2026/00031",
        action="approve",
    )
    decision = Decision.objects.get()
    assert messages_of(response) == [
        f"2 mål beslutade genom beslut {decision}: ”Fler elever klarar kunskapskraven”, "
        "”Förskolan ger alla en god start”."
    ]
    assert f"<p>2 mål beslutade genom beslut {decision}" in response.content.decode()


def test_sending_back_is_confirmed_naming_the_goal_and_the_reason(client, eva, group, submitted):
    response = post_decision(
        client,
        group.committee,
        submitted[1:],
        comment="  Beskriv hur förskolorna följs upp. ",
        action="return",
    )
    assert messages_of(response) == [
        "Återremitterat för omarbetning: ”Förskolan ger alla en god start”. "
        "Angivet skäl: Beskriv hur förskolorna följs upp."
    ]
    assert Goal.objects.get(pk=submitted[1].pk).status == Status.RETURNED


def test_a_refused_decision_confirms_nothing(client, eva, group, submitted):
    response = post_decision(client, group.committee, submitted, action="approve")
    assert messages_of(response) == []
    assert not Decision.objects.exists()


def test_each_goal_title_leads_to_the_goal(client, eva, submitted):
    page = client.get(QUEUE_URL).content.decode()
    for goal in submitted:
        assert f'<a href="{goal.get_absolute_url()}">{goal.title}</a>' in page


def test_the_description_is_shown_short_with_the_whole_on_request(client, eva, submitted):
    page = client.get(QUEUE_URL).content.decode()
    (summary,) = re.findall(r"<summary>(.*?)</summary>", page, flags=re.S)
    assert " ".join(strip_tags(summary).split()) == (
        " ".join(LONG[:239].split()) + "… Läs hela beskrivningen"
    )
    details = page[page.index('<details class="queue-description">') :]
    assert "<p>" + LONG + "</p>" in details[: details.index("</details>")]
    assert "Målet har ingen beskrivning." in page  # the other goal has none, and says so


def test_with_nothing_to_decide_each_section_says_what_is_empty(client, eva, chain):
    page = client.get(QUEUE_URL).content.decode()
    assert "Inga mål eller föreslagna ändringar väntar på ditt beslut det här året." in page
    assert "Inga uppföljningar väntar på din granskning det här året." in page


def test_follow_ups_waiting_are_not_hidden_behind_an_empty_goal_list(client, eva, chain):
    """No goal waits, one follow-up does: the goals section says no goal waits, the follow-ups
    section counts the one that does, and nothing claims that nothing waits."""
    Goal.objects.filter(pk=chain.body.pk).update(status=Status.APPROVED)
    ReportingPeriod.objects.add_defaults(chain.period)
    FollowUp.objects.create(
        goal=chain.body,
        reporting_period=ReportingPeriod.objects.filter(period=chain.period).first(),
        status=ReviewStatus.SUBMITTED,
        attainment="achieved",
    )
    page = client.get(QUEUE_URL).content.decode()
    assert "Inga mål eller föreslagna ändringar väntar på ditt beslut det här året." in page
    assert "Uppföljningar att granska (1)" in page
    assert "Inga uppföljningar väntar" not in page
    assert "Inget väntar på ditt beslut" not in page
