"""The search page and its query builders: what is found, in which order, marked how, for whom."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Goal, Period
from search.queries import Kind, search
from tests.kit.chain import add_goal, grow_chain
from tests.kit.organisation import add_unit
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Swedish stemming and prefix matching are PostgreSQL's full-text search",
)
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="the contains-match fallback runs only where full-text search is missing",
)


def found_titles(response, kind=Kind.GOAL) -> list[str]:
    return [
        hit.obj.title if kind == Kind.GOAL else hit.obj.name
        for hit in response.context["page_obj"]
        if hit.kind == kind
    ]


def search_for(client, text, **filters):
    return client.get(reverse("search:search"), {"q": text, **filters})


@pytest.fixture
def meals(chain):
    """A decided operational goal about school meals, beside the chain's own."""
    return add_goal(
        Level.OPERATIONAL,
        "Skolmåltider med närproducerad mat",
        chain.group.administration,
        chain.body,
        status=Status.APPROVED,
        description="Varje måltid lagas från grunden i skolans kök.",
    )


@postgres_only
def test_another_inflection_finds_the_goal_first(client, chain, meals):
    # "skolor" and "skola" share the Swedish stem "skol"; "skolan" and "Skolmåltider" only begin with it.
    safe_school = add_goal(
        Level.OPERATIONAL, "En trygg skola", chain.group.administration, chain.body, status=Status.APPROVED
    )
    response = search_for(client, "skolor")
    titles = found_titles(response)
    assert titles[0] == safe_school.title
    assert sorted(titles[1:]) == ["Alla barn lyckas i skolan", meals.title]


@postgres_only
def test_plural_finds_the_singular(client, chain, meals):
    # "måltider" stems to "måltid", which stands only in the meals goal's description.
    assert found_titles(search_for(client, "måltider")) == ["Skolmåltider med närproducerad mat"]


@postgres_only
def test_the_word_being_typed_matches_as_a_prefix(client, chain, meals):
    assert found_titles(search_for(client, "skolmål")) == ["Skolmåltider med närproducerad mat"]


@sqlite_only
def test_sqlite_matches_the_words_as_written(client, chain, meals):
    # Without full-text search a part of a word matches, another inflection does not.
    assert found_titles(search_for(client, "skolmål")) == ["Skolmåltider med närproducerad mat"]
    assert found_titles(search_for(client, "måltiden")) == []
    assert str(search_for(client, "skolmål").context["page_obj"][0].title) == (
        "<mark>Skolmåltider</mark> med närproducerad mat"
    )


def test_a_match_in_the_title_ranks_above_one_in_the_description(client, chain):
    in_description = add_goal(
        Level.OPERATIONAL,
        "Trygg väg till skolan",
        chain.group.administration,
        chain.body,
        status=Status.APPROVED,
        description="Cykelbanor och belysning längs vägen till simhallen.",
    )
    in_title = add_goal(
        Level.OPERATIONAL, "Fler simhallar", chain.group.administration, chain.body, status=Status.APPROVED
    )
    # "simhall" begins both "simhallar" and "simhallen" (and is their Swedish stem).
    assert found_titles(search_for(client, "simhall")) == [in_title.title, in_description.title]


def test_every_word_must_match(client, chain, meals):
    assert found_titles(search_for(client, "skolmåltider närproducerad")) == [meals.title]
    assert found_titles(search_for(client, "skolmåltider pizza")) == []


def test_the_matched_words_are_marked_and_the_rest_escaped(client, chain):
    add_goal(
        Level.OPERATIONAL,
        '<script>alert("x")</script> Simskola för alla',
        chain.group.administration,
        chain.body,
        status=Status.APPROVED,
        description="<b>fet</b> simskola & badhus",
    )
    response = search_for(client, "simskola")
    html = response.content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>Simskola</mark> för alla" in html
    # The excerpt keeps the text; PostgreSQL's excerpt leaves out what looks like a tag.
    assert "<b>" not in html
    assert "<mark>simskola</mark> &amp; badhus" in html


def test_a_word_inside_an_escaped_entity_is_not_marked(client, chain):
    add_goal(Level.OPERATIONAL, "Bad & amp", chain.group.administration, chain.body, status=Status.APPROVED)
    hit = search_for(client, "amp").context["page_obj"][0]
    assert str(hit.title) == "Bad &amp; <mark>amp</mark>"


def test_anonymous_visitors_never_find_drafts(client, draft_chain, group):
    assert found_titles(search_for(client, "läsning")) == []
    client.force_login(member_of(group.administration, "karin"))
    assert found_titles(search_for(client, "läsning")) == ["Tidiga insatser i läsning"]


def test_anonymous_visitors_find_decided_goals(client, chain):
    assert found_titles(search_for(client, "läsning")) == ["Tidiga insatser i läsning"]


def test_units_processes_and_indicators_are_found_grouped_by_kind(client, chain, group):
    add_unit(group.administration.kind, "Läsförvaltningen", group.committee, description="Läsning för alla")
    response = search_for(client, "läsförvaltningen")
    assert found_titles(response, Kind.UNIT) == ["Läsförvaltningen"]
    assert [(code, count) for code, _label, count in response.context["counts"]] == [(Kind.UNIT, 1)]


def test_dissolved_units_are_not_found(client, group):
    from orgunits.models import OrgUnit

    OrgUnit.objects.filter(pk=group.school.pk).update(is_active=False)
    assert found_titles(search_for(client, "Västra skolan"), Kind.UNIT) == []


def test_filters_narrow_the_goals(client, chain, group, meals):
    other_year = Period.objects.create(year=chain.period.year + 1)
    add_goal(Level.VISION, "Skolmåltider i framtiden", group.council, period=other_year)
    Goal.objects.filter(period=other_year).update(status=Status.APPROVED)

    assert found_titles(search_for(client, "skolmåltider", year=other_year.year)) == [
        "Skolmåltider i framtiden"
    ]
    assert found_titles(search_for(client, "skolmåltider", level=Level.OPERATIONAL)) == [meals.title]
    assert found_titles(search_for(client, "skolmåltider", status=Status.ARCHIVED)) == []
    # A goal's filter leaves out the kinds that have no year, level or status.
    group_unit = add_unit(group.administration.kind, "Skolmåltidsförvaltningen", group.committee)
    assert found_titles(search_for(client, "skolmåltid", level=Level.OPERATIONAL), Kind.UNIT) == []
    assert found_titles(search_for(client, "skolmåltid", kind=Kind.UNIT), Kind.UNIT) == [group_unit.name]
    assert found_titles(search_for(client, "skolmåltid", kind=Kind.UNIT)) == []


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "&|!:*'",
        "' & !(",
        "\\",
        "a:* | b",
        "x" * 500,
        "skola'):* & ('",
        "skol\x00a",
        "\x02skola\x03",
    ],
)
def test_any_text_is_answered_never_an_error(client, chain, text):
    response = search_for(client, text, year="abc", level="nope", status="x", kind="y", page="z")
    assert response.status_code == 200


def test_bad_filters_are_ignored(client, chain):
    response = search_for(client, "läsning", year="abc", level="nope")
    assert found_titles(response) == ["Tidiga insatser i läsning"]


def test_results_come_a_page_at_a_time(client, chain):
    grow_chain(chain, 40)
    first = search_for(client, "aktivitet")
    # 32 goals added: every fifth an operational goal, the other 26 activities.
    assert first.context["hit_count"] == 26
    assert len(first.context["page_obj"]) == 25
    assert len(search_for(client, "aktivitet", page=2).context["page_obj"]) == 1


@pytest.mark.parametrize("size", [10, 60])
def test_the_query_count_is_fixed(client, chain, size, django_assert_num_queries):
    grow_chain(chain, size)
    # 1 the years of the year filter, then one per kind: goals, units, processes, target groups,
    # indicators.
    with django_assert_num_queries(6):
        response = search_for(client, "aktivitet")
    assert response.context["hit_count"] > 0


def test_the_query_count_is_fixed_signed_in(client, chain, group):
    # The menu's to-do count (another app's, differing by database) comes on top of the search's
    # own six queries, so the two sizes are compared with each other.
    client.force_login(member_of(group.administration, "karin"))

    def queries_at(size: int) -> int:
        grow_chain(chain, size)
        with CaptureQueriesContext(connection) as queries:
            response = search_for(client, "aktivitet")
        assert response.context["hit_count"] > 0
        return len(queries)

    assert queries_at(10) == queries_at(60)


def test_the_builder_answers_for_the_user(chain, group, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    Goal.objects.filter(pk=chain.operational.pk).update(status=Status.DRAFT)
    anonymous = search(text="läsning", user=AnonymousUser())
    assert Kind.GOAL not in anonymous
    signed_in = search(text="läsning", user=member_of(group.administration, "karin"))
    assert [hit.obj for hit in signed_in[Kind.GOAL]] == [Goal.objects.get(pk=chain.operational.pk)]


def test_every_page_has_the_search_box(client, chain):
    html = client.get(reverse("home")).content.decode()
    assert 'role="search"' in html
    assert f'action="{reverse("search:search")}"' in html


def test_marker_characters_stored_in_a_title_never_become_marks(client, chain):
    add_goal(
        Level.OPERATIONAL,
        "Bad\x02hus \x03och simskola",
        chain.group.administration,
        chain.body,
        status=Status.APPROVED,
    )
    hit = search_for(client, "simskola").context["page_obj"][0]
    assert str(hit.title) == "Badhus och <mark>simskola</mark>"
