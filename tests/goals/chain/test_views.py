"""The goal pages: the chain tree, a goal's page, a unit's goals, My goals, and the period choice."""

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.follow_up.grading import Attainment
from goals.follow_up.workflow import ReviewStatus
from goals.models import (
    FollowUp,
    Goal,
    Indicator,
    Measurement,
    Preferences,
    ReportingPeriod,
    ReportingPeriodKind,
    Revision,
    Target,
)
from orgunits.models import Membership
from tests.kit.chain import Chain, add_goal, grow_chain
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

CHAIN_URL = reverse("goals:chain")


def shown(response) -> list[Goal]:
    """The goals of the chain tree's page, in the order shown."""
    return [row.item for row in response.context["rows"]]


class TreeDepths(HTMLParser):
    """Each goal link of the chain tree with how deep in its nested lists it stands (1 at the top)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links: list[tuple[str, int]] = []
        self.in_link = False

    def handle_starttag(self, tag, attrs):
        if tag == "ul" and (self.depth or "goal-tree" in dict(attrs).get("class", "")):
            self.depth += 1
        self.in_link = tag == "a" and self.depth > 0

    def handle_endtag(self, tag):
        if tag == "ul" and self.depth:
            self.depth -= 1
        self.in_link = False

    def handle_data(self, data):
        if self.in_link:
            self.links.append((data, self.depth))


def tree_depths(response) -> list[tuple[str, int]]:
    parser = TreeDepths()
    parser.feed(response.content.decode())
    assert parser.depth == 0  # every nested list is closed
    return parser.links


def test_the_chain_tree_nests_every_goal_of_the_period_under_the_goal_it_breaks_down(client, chain):
    response = client.get(CHAIN_URL)
    assert shown(response) == list(Goal.objects.filter(period=chain.period).order_by("path"))
    # One flat loop nests them: each goal one list deeper than the goal it breaks down.
    assert tree_depths(response) == [
        ("Sjöstad – hållbart och nära", 1),
        ("Alla barn lyckas i skolan", 2),
        ("Fler elever klarar kunskapskraven", 3),
        ("Tidiga insatser i läsning", 4),
        ("Läsfrämjande i grundskolan", 5),
        ("Läsveckor i årskurs 1–3", 6),
        ("Koncernen bidrar till bostadsbyggandet", 3),
        ("500 nya hyresrätter", 4),
    ]
    html = response.content.decode()
    assert "Västra skolan" in html  # each goal shows its unit
    assert "Mål under Alla barn lyckas i skolan (2)" in html  # the branch says how many it holds
    assert response.context["page_obj"].paginator.num_pages == 1
    assert 'class="pagination"' not in html


def test_the_chain_tree_shows_one_part_of_the_organisation(client, chain, group):
    response = client.get(CHAIN_URL, {"unit": group.administration.slug})
    assert shown(response) == [chain.operational, chain.department_goal, chain.activity]
    assert [depth for _title, depth in tree_depths(response)] == [1, 2, 3]


def test_the_chain_tree_stops_at_a_level(client, chain):
    response = client.get(CHAIN_URL, {"level": Level.BODY})
    assert {goal.level for goal in shown(response)} == {Level.VISION, Level.STRATEGIC, Level.BODY}


def test_an_unknown_filter_shows_the_whole_chain(client, chain):
    response = client.get(CHAIN_URL, {"unit": "finns-inte", "level": "nonsense", "goal": "x"})
    assert response.status_code == 200
    assert len(shown(response)) == Goal.objects.count()
    assert client.get(CHAIN_URL, {"goal": 999999}).context["top"] is None


def test_the_unit_filter_offers_the_group_its_political_bodies_and_their_administrations(
    client, chain, group
):
    assert list(client.get(CHAIN_URL).context["units"]) == [
        group.council,
        group.board,
        group.committee,
        group.administration,
        group.other_committee,
        group.company,
        group.subsidiary,
        group.federation,
    ]


def test_the_chain_tree_shows_the_cascade_of_one_goal_in_its_year(client, chain, group, this_year):
    Chain(group, this_year + 1)  # the year shown by default is this year, not the goal's
    last_year = Chain(group, this_year - 1)
    response = client.get(CHAIN_URL, {"goal": last_year.operational.pk})
    assert response.context["top"] == last_year.operational
    assert response.context["period"] == last_year.period
    assert shown(response) == [last_year.operational, last_year.department_goal, last_year.activity]
    html = response.content.decode()
    assert 'href="?"' in html  # back to the whole chain
    assert '<input type="hidden" name="goal"' in html  # the other filters keep the goal
    assert 'id="period-select"' not in html  # the goal's year is the year


def test_an_anonymous_visitor_gets_no_cascade_of_a_draft(client, chain, group):
    draft = add_goal(Level.OPERATIONAL, "Utkast", group.administration, chain.body)
    response = client.get(CHAIN_URL, {"goal": draft.pk})
    assert response.context["top"] is None
    assert draft not in shown(response)


def test_a_long_chain_is_shown_a_page_at_a_time_in_the_chains_order(client, chain):
    grow_chain(chain, 250)
    everything = list(Goal.objects.filter(period=chain.period).order_by("path"))
    first, second, third = (client.get(CHAIN_URL, {"page": number}) for number in (1, 2, 3))
    assert shown(first) == everything[:100]
    assert first.context["above_count"] == 0
    # A later page starts again with the goals above its first goal, open, so that it reads as a tree.
    above = list(Goal.objects.get_ancestors(everything[100]))
    assert shown(second) == above + everything[100:200]
    assert second.context["above_count"] == len(above) == 4  # the vision down to an operational goal
    assert shown(third)[third.context["above_count"] :] == everything[200:]
    assert second.context["open_all"] is True
    assert second.content.decode().count("<details open>") == second.content.decode().count("<details")


@pytest.mark.parametrize("page", ["999", "0", "-1", "x", ""])
def test_a_page_number_out_of_range_shows_the_first_or_the_last_page(client, chain, page):
    grow_chain(chain, 150)
    response = client.get(CHAIN_URL, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == (1 if page in ("x", "") else 2)


def test_the_page_links_keep_the_filters(client, chain, group):
    grow_chain(chain, 250)
    response = client.get(CHAIN_URL, {"unit": group.administration.slug, "level": Level.ACTIVITY, "page": 2})
    html = response.content.decode()
    query = f"unit={group.administration.slug}&amp;level=activity"
    assert f'<a href="?{query}&amp;page=1" rel="prev">' in html
    assert f'<a href="?{query}&amp;page=3" rel="next">' in html


@pytest.mark.parametrize("size", [10, 500])
def test_the_chain_tree_has_the_same_query_count_at_any_size(client, chain, django_assert_num_queries, size):
    grow_chain(chain, size)
    # 1: the period shown, 2: how many goals match, 3: the page's goals with their units and grades,
    # 4: every period for the selector, 5: the units for the filter.
    with django_assert_num_queries(5):
        response = client.get(CHAIN_URL)
    assert len(shown(response)) == min(size, 100)


@pytest.mark.parametrize("size", [300, 600])
def test_a_later_page_of_a_filtered_chain_has_the_same_query_count_at_any_size(
    client, chain, group, django_assert_num_queries, size
):
    grow_chain(chain, size)
    # 1: the period shown, 2: the unit, 3: how many goals match, 4: the page's goals, 5: the goals
    # above the page's first goal, 6: every period for the selector, 7: the units for the filter.
    with django_assert_num_queries(7):
        response = client.get(CHAIN_URL, {"unit": group.administration.slug, "page": 2})
    first = response.context["page_obj"][0]
    # Above the page's first goal stand those of its goals above it that are the administration's.
    above = [goal for goal in Goal.objects.get_ancestors(first) if goal.org_unit == group.administration]
    assert shown(response) == [*above, *response.context["page_obj"]]


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
def test_an_unknown_period_goes_back_to_the_page_saying_so(client, chain, period):
    response = client.post(reverse("goals:choose-period"), {"period": period, "next": CHAIN_URL}, follow=True)
    assert response.redirect_chain == [(CHAIN_URL, 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "Det året finns inte längre att välja. Välj ett av åren i listan."
    ]
    assert response.context["period"] == chain.period  # the year shown before


# A goal's page ------------------------------------------------------------------------------


def test_a_goal_page_shows_the_chain_up_and_the_cascade_down(client, chain, group):
    response = client.get(chain.operational.get_absolute_url())
    assert list(response.context["chain"]) == [chain.vision, chain.strategic, chain.body]
    assert response.context["cascade"] == [
        (group.department, [chain.department_goal]),
        (group.school, [chain.activity]),
    ]
    assert response.context["cascade_size"] == 2


def test_a_goal_pages_cascade_is_headed_by_links_to_each_units_page(client, chain, group):
    html = client.get(chain.operational.get_absolute_url()).content.decode()
    assert re.findall(r'<h3 class="cascade-unit"><a href="([^"]*)">([^<]*)</a></h3>', html) == [
        (unit.get_absolute_url(), unit.name) for unit in (group.department, group.school)
    ]


def test_the_vision_page_says_it_is_the_top(client, chain):
    response = client.get(chain.vision.get_absolute_url())
    assert list(response.context["chain"]) == []
    assert "Det här är visionen" in response.content.decode()


def measure_with_indicators(chain: Chain, count: int) -> None:
    """Give the body goal ``count`` indicators, each with a target and a value in its year."""
    for number in range(count):
        indicator = Indicator.objects.create(code=f"I-{number}", name=f"Indikator {number}")
        indicator.goals.add(chain.body)
        Target.objects.create(indicator=indicator, year=chain.period.year, value=number)
        Measurement.objects.create(indicator=indicator, year=chain.period.year, value=number, source="manual")


@pytest.mark.parametrize("size", [10, 500])
def test_a_goal_page_has_the_same_query_count_at_any_size(client, chain, django_assert_num_queries, size):
    grow_chain(chain, size)
    measure_with_indicators(chain, size // 50 + 1)  # indicators with their targets and values grow too
    # 1: the goal with its unit, period, owner and the size of its cascade, 2: its indicators, 3: their
    # targets, 4: their values, 5: its chain up and the nearest goals of its cascade down, 6: its
    # follow-ups, 7: its year's reporting periods, 8: its decisions, 9: the processes it and its chain
    # up serve (their target groups are one more where there are any: tests/processes/test_what_pages_show.py).
    with django_assert_num_queries(9):
        response = client.get(chain.body.get_absolute_url())
    assert len(response.context["goal"].indicators.all()) == size // 50 + 1
    assert response.context["cascade_size"] == size - 5  # all but the vision, the strategic goal,
    # the body goal itself and the companies' two goals
    assert response.context["cascade_shown"] == min(size - 5, 100)


@pytest.mark.parametrize("size", [10, 500])
def test_a_goal_page_has_the_same_query_count_at_any_size_for_a_manager(
    client, chain, group, django_assert_num_queries, size
):
    grow_chain(chain, size)
    measure_with_indicators(chain, size // 50 + 1)
    client.force_login(member_of(group.administration, "karin.lind"))
    # The nine queries the public's page makes, and 1: the session, 2: the user, 3: the user's
    # memberships (what they may do with it), 4: the political bodies their administration prepares
    # (the body goal is one they may edit), 5: the count of the menu's to-do list. No change is
    # proposed to the goal, which the goal's own query says.
    with django_assert_num_queries(14):
        response = client.get(chain.body.get_absolute_url())
    assert response.context["cascade_shown"] == min(size - 5, 100)
    assert [step.pk for step in response.context["chain"]] == [chain.vision.pk, chain.strategic.pk]
    assert response.context["revision"] is None
    # A proposed change is three queries more, as before the goal's query told whether there is
    # one: the change, and its processes and the goal's (what it changes).
    revision = Revision.objects.create(goal=chain.body, title="Ändrat mål", status=Status.DRAFT)
    with django_assert_num_queries(17):
        response = client.get(chain.body.get_absolute_url())
    assert response.context["revision"] == revision
    assert "Ändrat mål" in response.content.decode()


def test_a_goal_page_shows_the_nearest_goals_of_a_large_cascade_and_links_to_all(client, chain):
    grow_chain(chain, 300)
    response = client.get(chain.body.get_absolute_url())
    below = list(Goal.objects.get_descendants(chain.body).order_by("depth", "path"))
    assert response.context["cascade_size"] == len(below) == 295
    shown = [goal for _unit, goals in response.context["cascade"] for goal in goals]
    assert sorted(shown, key=lambda goal: goal.path) == sorted(below[:100], key=lambda goal: goal.path)
    assert {goal.depth for goal in shown} == {4, 5}  # the goals that break it down first
    html = response.content.decode()
    assert f'href="{CHAIN_URL}?goal={chain.body.pk}"' in html  # the whole cascade in the chain tree


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
    # 1: the unit, 2: its ancestors, 3: its children, 4: the committees it also serves, 5: every
    # period for the selector, the one shown among them, 6: the unit's goals with their cascade
    # sizes, 7: the goals they break down.
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
    # 1: the session, 2: the user, 3: the period preference, 4: the period (current year), 5: the
    # user's memberships (none), 6: the chosen unit, 7: how many goals each unit has, 8: the page's
    # goals with cascade sizes, 9: their chains up, 10: every period, 11: the units for the unit
    # choice, 12: the count of the menu's to-do list.
    with django_assert_num_queries(12):
        response = client.get(reverse("goals:mine"))
    [(_unit, goals)] = response.context["my_units"]
    assert len(goals) == min(Goal.objects.filter(org_unit=group.administration).count(), 50)


def test_my_goals_are_shown_a_page_at_a_time(client, chain, group):
    grow_chain(chain, 500)  # the school has 400 activities, the administration 100 operational goals
    user = member_of(group.administration, "karin.lind")
    Membership.objects.create(user=user, org_unit=group.school, role="viewer")
    Membership.objects.create(user=user, org_unit=group.other_committee, role="viewer")  # no goals
    client.force_login(user)
    mine = reverse("goals:mine")
    administration = list(Goal.objects.filter(org_unit=group.administration).order_by("path"))
    school = list(Goal.objects.filter(org_unit=group.school).order_by("path"))

    def page(number):
        units = client.get(mine, {"page": number}).context["my_units"]
        return [(unit, [goal for goal, _chain in goals]) for unit, goals in units]

    # The units in the organisation's order, each with its goals on the page; a unit without goals
    # on the first page only.
    assert (len(administration), len(school)) == (99, 395)
    assert page(1) == [(group.administration, administration[:50]), (group.other_committee, [])]
    assert page(2) == [(group.administration, administration[50:]), (group.school, school[:1])]
    assert page(3) == [(group.school, school[1:51])]
    assert page(10) == [(group.school, school[351:])]
    assert page(99) == page(10) and page("x") == page(1)
    html = client.get(mine, {"page": 2}).content.decode()
    assert '<a href="?page=3" rel="next">' in html


@pytest.mark.parametrize("unit", ["999999", "x", ""])
def test_choosing_an_unknown_unit_goes_back_to_my_goals_saying_so(client, chain, django_user_model, unit):
    client.force_login(django_user_model.objects.create_user("karin.lind", password="x"))
    response = client.post(reverse("goals:choose-my-unit"), {"unit": unit}, follow=True)
    assert response.redirect_chain == [(reverse("goals:mine"), 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "Den enheten finns inte längre att välja. Välj en av enheterna i listan."
    ]


def test_without_any_planning_period_the_pages_say_so(client, group, django_user_model):
    assert "Ingen planeringsperiod har lagts upp ännu." in client.get(CHAIN_URL).content.decode()
    assert client.get(group.administration.get_absolute_url()).context["sections"] == []
    client.force_login(member_of(group.administration, "karin.lind"))
    response = client.get(reverse("goals:create"), {"unit": group.administration.slug})
    assert response.status_code == 400
    # The styled 400 page (styrmodell.errors) says it as its lead.
    assert '<p class="lead">Ingen planeringsperiod har lagts upp ännu.</p>' in response.content.decode()


def test_a_goal_page_gives_each_goal_its_latest_grade_the_reader_may_see(client, chain, group):
    """The public reads reviewed grades, signed-in users also those waiting for review; each goal
    of the chain up and the cascade down shows its latest such grade, naming its report."""

    def graded(goal, attainment, kind, status):
        FollowUp.objects.create(
            goal=goal,
            reporting_period=ReportingPeriod.objects.get(period=goal.period, kind=kind),
            attainment=attainment,
            status=status,
        )

    graded(chain.body, Attainment.ACHIEVED, ReportingPeriodKind.FOUR_MONTHS, ReviewStatus.REVIEWED)
    graded(
        chain.department_goal, Attainment.NOT_ACHIEVED, ReportingPeriodKind.FOUR_MONTHS, ReviewStatus.REVIEWED
    )
    graded(chain.department_goal, Attainment.PARTLY, ReportingPeriodKind.INTERIM, ReviewStatus.SUBMITTED)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        four_months, interim = (
            f"{ReportingPeriod(kind=kind).get_kind_display()} {chain.period.year}"
            for kind in (ReportingPeriodKind.FOUR_MONTHS, ReportingPeriodKind.INTERIM)
        )
        achieved, partly, not_achieved = (
            str(grade.label) for grade in (Attainment.ACHIEVED, Attainment.PARTLY, Attainment.NOT_ACHIEVED)
        )

    def badges(response) -> list[tuple[str, str]]:
        found = re.findall(
            r'href="/goals/(\d+)/">[^<]*</a>(?: <span class="goal-unit">[^<]*</span>)?'
            r' <span class="grade grade-[a-z_]+">([^<]*) <span class="grade-report">· ([^<]*)</span>',
            response.content.decode(),
        )
        return [(Goal.objects.get(pk=pk).title, f"{grade} · {report}") for pk, grade, report in found]

    page = chain.operational.get_absolute_url()
    # The body goal up the chain, the department's goal down it; the activity has no grade.
    assert badges(client.get(page)) == [
        (chain.body.title, f"{achieved} · {four_months}"),
        (chain.department_goal.title, f"{not_achieved} · {four_months}"),
    ]
    client.force_login(member_of(group.administration, "karin.lind"))
    assert badges(client.get(page)) == [
        (chain.body.title, f"{achieved} · {four_months}"),
        (chain.department_goal.title, f"{partly} · {interim}"),
    ]
