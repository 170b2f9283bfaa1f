"""The API's goal list is in year and chain order (docs/api.md), read from the goals' own copy of
their year: whatever order the years were opened in, and after a year is renumbered."""

import pytest

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Goal, Period
from tests.kit.chain import Chain, add_goal

pytestmark = pytest.mark.django_db

APPROVED = Status.APPROVED


def in_chain_order(period) -> list[str]:
    return [goal.title for goal in Goal.objects.filter(period=period, status=APPROVED).order_by("path")]


def listed(client) -> list[str]:
    return [goal["title"] for goal in client.get("/api/v1/goals/", {"page_size": 500}).json()["results"]]


def test_goals_are_listed_by_year_then_in_chain_order_whatever_order_the_years_were_opened_in(
    api, group, chain, this_year
):
    # Last year is opened after this year, so its id (and its chain's paths) come later.
    last_year = Period.objects.create(year=this_year - 1)
    vision = add_goal(Level.VISION, "Förra årets vision", group.council, period=last_year, status=APPROVED)
    add_goal(Level.STRATEGIC, "Förra årets strategiska mål", group.council, vision, status=APPROVED)
    assert listed(api) == [
        "Förra årets vision",
        "Förra årets strategiska mål",
        *in_chain_order(chain.period),
    ]


def test_a_renumbered_year_moves_its_goals_in_the_list(api, group, chain, this_year):
    next_year = Chain(group, this_year + 1)
    this_years, next_years = in_chain_order(chain.period), in_chain_order(next_year.period)
    assert listed(api) == this_years + next_years
    chain.period.year = this_year + 2
    chain.period.save()
    assert listed(api) == next_years + this_years
    assert set(Goal.objects.filter(period=chain.period).values_list("year", flat=True)) == {this_year + 2}
