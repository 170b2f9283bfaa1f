"""A unit's chain on one page ("my chain", issue 19): each of the unit's goals with its way up to the
vision and its breakdown down to the activities, reached from My goals and from the unit's page."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.indicators.models import Indicator, Measurement, Target
from goals.models import Goal
from goals.views import unit_chain
from tests.kit.chain import add_goal, grow_chain
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


def chain_url(unit) -> str:
    return reverse("goals:unit-chain", args=[unit.slug])


def shown(response) -> list[tuple]:
    """Each goal of the page with the titles of its way up and of its breakdown, as nested."""
    return [
        (
            item.goal.title,
            [step.title for step in item.above],
            [(row.item.title, row.children) for row in item.below],
            item.below_count,
        )
        for item in response.context["chain"]
    ]


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def test_each_goal_of_the_unit_shows_its_way_up_and_its_breakdown(client, chain, group):
    second = add_goal(Level.OPERATIONAL, "Fler vuxna läser", group.administration, chain.body)
    decided(second)
    response = client.get(chain_url(group.administration))
    assert shown(response) == [
        (
            "Tidiga insatser i läsning",
            ["Sjöstad – hållbart och nära", "Alla barn lyckas i skolan", "Fler elever klarar kunskapskraven"],
            [("Läsfrämjande i grundskolan", 1), ("Läsveckor i årskurs 1–3", 0)],
            2,
        ),
        (
            "Fler vuxna läser",
            ["Sjöstad – hållbart och nära", "Alla barn lyckas i skolan", "Fler elever klarar kunskapskraven"],
            [],
            0,
        ),
    ]
    html = response.content.decode()
    assert "<h1>Kedjan för Utbildningsförvaltningen " in html
    assert text_of(html).count("Nedbrytningen: 2 mål") == 1
    assert "Inget mål bryter ned det här ännu." in html
    # Every goal is a link to its page, the activity with its unit.
    for goal in (chain.vision, chain.operational, chain.department_goal, chain.activity):
        assert f'href="{goal.get_absolute_url()}"' in html


def decided(goal) -> None:
    """Mark a goal decided, as the chain fixture's goals are."""
    goal.status = Status.APPROVED
    goal.save(update_fields=["status"])


def test_the_public_reads_the_decided_goals_and_signed_in_users_the_drafts_with_their_status(
    client, chain, group
):
    draft = add_goal(Level.ACTIVITY, "Bokcirklar för föräldrar", group.school, chain.department_goal)
    own_draft = add_goal(Level.OPERATIONAL, "Ett utkast", group.administration, chain.body)
    public = client.get(chain_url(group.administration))
    assert [item.goal for item in public.context["chain"]] == [chain.operational]
    assert [row.item for row in public.context["chain"][0].below] == [chain.department_goal, chain.activity]
    assert "Bokcirklar" not in public.content.decode()
    client.force_login(member_of(group.administration, "karin"))
    signed_in = client.get(chain_url(group.administration))
    assert [item.goal for item in signed_in.context["chain"]] == [chain.operational, own_draft]
    assert draft in [row.item for row in signed_in.context["chain"][0].below]
    html = signed_in.content.decode()
    assert '<span class="status status-draft">Utkast</span>' in html


def test_a_goal_shows_its_indicators_in_brief_with_the_latest_value_and_target(client, chain, group):
    indicator = Indicator.objects.create(code="LAS-1", name="Elever som läser med flyt", unit_of_measure="%")
    indicator.goals.add(chain.operational, chain.activity)
    year = chain.period.year
    Target.objects.create(indicator=indicator, year=year, value=Decimal(80))
    Measurement.objects.create(indicator=indicator, year=year, value=Decimal(75), source="manual")
    html = client.get(chain_url(group.administration)).content.decode()
    assert f"Elever som läser med flyt : 75 % ({year}, målvärde 80 %)" in text_of(html)
    # The activity in the breakdown names it too, in brief.
    assert f"Elever som läser med flyt 75 % ({year})" in text_of(html)


def test_a_long_breakdown_shows_its_nearest_goals_and_leads_to_the_whole(client, chain, group, monkeypatch):
    monkeypatch.setattr(unit_chain, "BREAKDOWN_SHOWN", 1)
    response = client.get(chain_url(group.administration))
    [item] = response.context["chain"]
    assert ([row.item for row in item.below], item.below_count) == ([chain.department_goal], 2)
    html = response.content.decode()
    assert "Här visas de 1 närmaste målen." in html
    assert f'href="{reverse("goals:chain")}?goal={chain.operational.pk}"' in html


def test_a_unit_without_goals_says_so_and_an_unknown_unit_is_not_found(client, chain, group):
    html = client.get(chain_url(group.board)).content.decode()
    assert "Enheten har inga mål det här året." in html
    assert client.get(reverse("goals:unit-chain", args=["finns-inte"])).status_code == 404


def test_my_goals_and_the_unit_page_lead_to_the_units_chain(client, chain, group):
    client.force_login(member_of(group.administration, "karin"))
    link = f'href="{chain_url(group.administration)}">Kedjan för Utbildningsförvaltningen på en sida</a>'
    assert link in client.get(reverse("goals:mine")).content.decode()
    assert link in client.get(group.administration.get_absolute_url()).content.decode()


@pytest.mark.parametrize("size", [10, 300])
def test_the_chain_page_has_the_same_query_count_at_any_size(
    client, chain, group, django_assert_num_queries, size
):
    grow_chain(chain, size)  # the administration's goals and the school's activities under them grow
    indicator = Indicator.objects.create(code="LAS-1", name="Läser med flyt")
    indicator.goals.add(*group.administration.goals.all(), *group.school.goals.all())
    # 1: the unit, 2: the year shown, 3: the unit's goals with their cascade sizes and latest grades,
    # 4: their indicators with their latest values, 5: their ways up, 6: their breakdowns, nearest
    # first, 7: the breakdowns' indicators, 8: every year, for the year selector.
    with django_assert_num_queries(8):
        response = client.get(chain_url(group.administration))
    goals = response.context["chain"]
    assert len(goals) == group.administration.goals.count() == 1 + (size - 8) // 5
    # Every goal below the administration's: the department's goal and the school's activities.
    below = Goal.objects.filter(period=chain.period, org_unit__in=[group.department, group.school])
    assert sum(item.below_count for item in goals) == below.count()
    assert sum(item.below_shown for item in goals) == min(below.count(), unit_chain.BREAKDOWN_SHOWN)
    client.force_login(member_of(group.administration, "karin"))
    # The public's eight, and 1: the session, 2: the user, 3: their preferences (the year they
    # chose), 4: their memberships and 5: the count of the menu's to-do list.
    with django_assert_num_queries(13):
        client.get(chain_url(group.administration))
