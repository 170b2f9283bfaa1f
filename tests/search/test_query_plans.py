"""The search's matches are found through indexes and ranked from stored words (PostgreSQL's plans;
docs/performance.md has the timings at the default scale): a common word matches about a thousand
goals, and each is ranked before the best are shown. Tables this small are read whole by choice,
so each plan is asked with sequential scans forbidden: what remains shows what an index can do."""

import pytest
from django.db import connection
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Goal
from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from search.queries import matching
from tests.kit.chain import add_goal, grow_chain
from tests.kit.organisation import add_unit
from tests.kit.plans import plan_of

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plans")


@postgres_only
def test_the_units_that_match_are_found_through_their_words_index(group):
    for number in range(30):
        add_unit(Kind.DEPARTMENT, f"Avdelning {number}", group.administration)
    plan = plan_of(
        matching(OrgUnit.objects.filter(is_active=True), "skola"), "orgunits_orgunit", verbose=True
    )
    assert "orgunits_orgunit_search" in plan


@postgres_only
def test_the_goals_that_match_are_ranked_from_their_stored_words(chain):
    grow_chain(chain, 30)
    plan = plan_of(matching(Goal.objects.all(), "skola", title="title"), "goals_goal", verbose=True)
    # Found through the GIN index of the words' expression ...
    assert "goals_goal_search" in plan
    # ... and ranked from the stored copy of the words, not from words worked out again per match.
    sort_key = next(line for line in plan.splitlines() if "Sort Key" in line)
    assert "ts_rank(goals_goal.search_vector" in sort_key
    assert "to_tsvector" not in sort_key


def test_a_goal_renamed_by_any_write_is_found_by_its_new_words_only(client, chain):
    goal = add_goal(
        Level.OPERATIONAL,
        "Kortare väntetider",
        chain.group.administration,
        chain.body,
        status=Status.APPROVED,
    )
    # An update that no save() sees (as a bulk update or a tree move's SQL): the stored words follow.
    Goal.objects.filter(pk=goal.pk).update(title="Snabbare bygglov")

    def found(text):
        response = client.get(reverse("search:search"), {"q": text, "kind": "goal"})
        return [hit.obj.pk for hit in response.context["page_obj"]]

    assert found("bygglov") == [goal.pk]
    assert found("väntetider") == []
