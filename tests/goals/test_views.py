"""The goal pages: the chain tree, a goal's page, a unit's goals, My goals, and the period choice."""

import pytest
from django.urls import reverse

from goals.levels import Level
from goals.models import Goal, Indicator, Measurement, Preferences, Target
from orgunits.models import Membership
from tests.conftest import Chain, grow_chain, member_of

pytestmark = pytest.mark.django_db

CHAIN_URL = reverse("goals:chain")


def walk(nodes):
    for node in nodes:
        yield node.item
        yield from walk(node.children)


def test_the_chain_tree_nests_every_goal_of_the_period_under_the_goal_it_breaks_down(client, chain):
    response = client.get(CHAIN_URL)
    forest = response.context["forest"]
    assert [node.item for node in forest] == [chain.vision]
    assert [node.item for node in forest[0].children] == [chain.strategic]
    assert list(walk(forest)) == list(Goal.objects.filter(period=chain.period))
    html = response.content.decode()
    assert "Läsveckor i årskurs 1–3" in html
    assert "Västra skolan" in html  # each goal shows its unit


def test_the_chain_tree_shows_one_part_of_the_organisation(client, chain, group):
    response = client.get(CHAIN_URL, {"unit": group.administration.slug})
    assert [node.item for node in response.context["forest"]] == [chain.operational]
    assert list(walk(response.context["forest"])) == [
        chain.operational,
        chain.department_goal,
        chain.activity,
    ]


def test_the_chain_tree_stops_at_a_level(client, chain):
    response = client.get(CHAIN_URL, {"level": Level.BODY})
    assert {goal.level for goal in walk(response.context["forest"])} == {
        Level.VISION,
        Level.STRATEGIC,
        Level.BODY,
    }


def test_an_unknown_filter_shows_the_whole_chain(client, chain):
    response = client.get(CHAIN_URL, {"unit": "finns-inte", "level": "nonsense"})
    assert response.status_code == 200
    assert len(list(walk(response.context["forest"]))) == Goal.objects.count()


@pytest.mark.parametrize("size", [10, 500])
def test_the_chain_tree_has_the_same_query_count_at_any_size(client, chain, django_assert_num_queries, size):
    grow_chain(chain, size)
    # 1: the period shown, 2: every period for the selector, 3: the goals with their units,
    # 4: the units for the filter.
    with django_assert_num_queries(4):
        response = client.get(CHAIN_URL)
    assert len(list(walk(response.context["forest"]))) == size


def test_the_period_choice_is_remembered_for_an_anonymous_visitor(client, chain, group, this_year):
    last_year = Chain(group, this_year - 1)
    response = client.post(reverse("goals:choose-period"), {"period": last_year.period.pk, "next": CHAIN_URL})
    assert response["Location"] == CHAIN_URL
    assert client.get(CHAIN_URL).context["period"] == last_year.period


def test_the_period_choice_is_remembered_for_a_user_across_sessions(
    client, chain, group, this_year, django_user_model
):
    user = django_user_model.objects.create_user("karin.lind", password="x")
    last_year = Chain(group, this_year - 1)
    client.force_login(user)
    client.post(reverse("goals:choose-period"), {"period": last_year.period.pk, "next": CHAIN_URL})
    client.logout()
    client.force_login(user)
    assert client.get(CHAIN_URL).context["period"] == last_year.period
    assert Preferences.objects.get(user=user).period == last_year.period


def test_the_current_year_is_shown_by_default(client, chain, group, this_year):
    Chain(group, this_year + 1)
    assert client.get(CHAIN_URL).context["period"] == chain.period


def test_a_period_choice_never_redirects_elsewhere(client, chain):
    response = client.post(
        reverse("goals:choose-period"), {"period": chain.period.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


@pytest.mark.parametrize("period", ["999999", "x", ""])
def test_an_unknown_period_is_a_bad_request_with_a_reason(client, chain, period):
    response = client.post(reverse("goals:choose-period"), {"period": period})
    assert response.status_code == 400
    assert response.content.decode() in {
        "Välj ett giltigt alternativ. Det valet finns inte bland tillgängliga alternativ.",
        "Det här fältet är obligatoriskt.",  # Django's message in DRF's Swedish, which takes precedence
    }


# A goal's page ------------------------------------------------------------------------------


def test_a_goal_page_shows_the_chain_up_and_the_cascade_down(client, chain, group):
    response = client.get(chain.operational.get_absolute_url())
    assert list(response.context["chain"]) == [chain.vision, chain.strategic, chain.body]
    assert response.context["cascade"] == [
        (group.department, [chain.department_goal]),
        (group.school, [chain.activity]),
    ]
    assert response.context["cascade_size"] == 2


def test_the_vision_page_says_it_is_the_top(client, chain):
    response = client.get(chain.vision.get_absolute_url())
    assert list(response.context["chain"]) == []
    assert "Det här är visionen" in response.content.decode()


@pytest.mark.parametrize("size", [10, 500])
def test_a_goal_page_has_the_same_query_count_at_any_size(client, chain, django_assert_num_queries, size):
    grow_chain(chain, size)
    for number in range(size // 50 + 1):  # indicators with their targets and values grow too
        indicator = Indicator.objects.create(code=f"I-{number}", name=f"Indikator {number}")
        indicator.goals.add(chain.body)
        Target.objects.create(indicator=indicator, year=chain.period.year, value=number)
        Measurement.objects.create(indicator=indicator, year=chain.period.year, value=number, source="manual")
    # 1: the goal with its unit, period and owner, 2: its indicators, 3: their targets, 4: their
    # values, 5: its decisions, 6: its follow-ups, 7: its year's reporting periods, 8: its chain up,
    # 9: its cascade down.
    with django_assert_num_queries(9):
        response = client.get(chain.body.get_absolute_url())
    assert len(response.context["goal"].indicators.all()) == size // 50 + 1
    assert response.context["cascade_size"] == size - 5  # all but the vision, the strategic goal,
    # the body goal itself and the companies' two goals


def test_an_unknown_goal_is_not_found(client, chain):
    assert client.get(reverse("goals:detail", args=[999999])).status_code == 404


# A unit's goals -----------------------------------------------------------------------------


def test_a_unit_page_shows_its_goals_by_level_with_what_they_break_down(client, chain, group):
    response = client.get(group.department.get_absolute_url())
    [section] = response.context["sections"]
    assert section.context["by_level"] == [("Verksamhetsmål", [(chain.department_goal, chain.operational)])]
    assert section.context["by_level"][0][1][0][0].cascade_size == 1
    html = response.content.decode()
    assert "Bryter ned:" in html
    assert "1 mål under" in html


@pytest.mark.parametrize("size", [10, 500])
def test_a_unit_page_has_the_same_query_count_at_any_size(
    client, chain, group, django_assert_num_queries, size
):
    grow_chain(chain, size)
    # 1: the unit, 2: its ancestors, 3: its children, 4: the period shown, 5: the unit's goals
    # with their cascade sizes, 6: the goals they break down, 7: every period for the selector.
    with django_assert_num_queries(7):
        client.get(group.administration.get_absolute_url())


# My goals -----------------------------------------------------------------------------------


def test_my_goals_asks_a_visitor_to_sign_in(client, chain):
    response = client.get(reverse("goals:mine"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={reverse('goals:mine')}"


def test_my_goals_remembers_my_unit_and_shows_its_goals_with_their_chain(
    client, chain, group, django_user_model
):
    client.force_login(django_user_model.objects.create_user("karin.lind", password="x"))
    assert client.get(reverse("goals:mine")).context["my_units"] == []
    response = client.post(reverse("goals:choose-my-unit"), {"unit": group.administration.pk}, follow=True)
    assert response.context["chosen_unit"] == group.administration
    assert response.context["my_units"] == [
        (group.administration, [(chain.operational, [chain.vision, chain.strategic, chain.body])])
    ]
    assert response.context["my_units"][0][1][0][0].cascade_size == 2


def test_my_goals_are_the_goals_of_the_units_i_belong_to(client, chain, group):
    user = member_of(group.department, "lars.berg", role="editor")
    Membership.objects.create(user=user, org_unit=group.school, role="viewer")
    client.force_login(user)
    response = client.get(reverse("goals:mine"))
    assert response.context["has_memberships"] is True
    assert response.context["my_units"] == [
        (
            group.department,
            [(chain.department_goal, [chain.vision, chain.strategic, chain.body, chain.operational])],
        ),
        (
            group.school,
            [
                (
                    chain.activity,
                    [chain.vision, chain.strategic, chain.body, chain.operational, chain.department_goal],
                )
            ],
        ),
    ]
    html = response.content.decode()
    assert "Min enhet" not in html  # no unit to pick: the memberships say it
    assert html.count("Lägg till mål") == 2  # an editor of the department adds at it and at the school


@pytest.mark.parametrize("size", [10, 500])
def test_my_goals_has_the_same_query_count_at_any_size(
    client, chain, group, django_user_model, django_assert_num_queries, size
):
    grow_chain(chain, size)
    user = django_user_model.objects.create_user("karin.lind", password="x")
    Preferences.objects.create(user=user, my_unit=group.administration)
    client.force_login(user)
    # 1: the session, 2: the user, 3: the period preference, 4: the period (current year),
    # 5: the user's memberships (none), 6: the chosen unit, 7: the unit's goals with cascade sizes,
    # 8: their chains up, 9: every period, 10: the units for the unit choice.
    with django_assert_num_queries(10):
        client.get(reverse("goals:mine"))


def test_choosing_an_unknown_unit_is_a_bad_request(client, chain, django_user_model):
    client.force_login(django_user_model.objects.create_user("karin.lind", password="x"))
    assert client.post(reverse("goals:choose-my-unit"), {"unit": "999999"}).status_code == 400


def test_without_any_planning_period_the_pages_say_so(client, group, django_user_model):
    assert "Ingen planeringsperiod har lagts upp ännu." in client.get(CHAIN_URL).content.decode()
    assert client.get(group.administration.get_absolute_url()).context["sections"] == []
    client.force_login(member_of(group.administration, "karin.lind"))
    response = client.get(reverse("goals:create"), {"unit": group.administration.slug})
    assert response.status_code == 400
    assert response.content.decode() == "Ingen planeringsperiod har lagts upp ännu."
