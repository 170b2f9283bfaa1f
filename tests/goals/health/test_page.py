"""The chain's health page: what a controller and the public see, the year and the part of the group
they choose, and a fixed number of queries however large the chain."""

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from goals.models import Goal
from tests.kit.chain import grow_chain
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


def shown(response) -> list[tuple[str, str]]:
    """Each finding listed: its kind's code and its subject."""
    return [
        (kind.code, finding.subject)
        for kind, findings, _more in response.context["sections"]
        for finding in findings
    ]


def test_a_signed_in_controller_sees_every_finding_linked_to_where_it_is_mended(client, gaps, signed_in):
    client.force_login(signed_in)
    response = client.get(reverse("goals:health"), {"period": gaps.period.year})
    assert shown(response) == [
        ("goal_without_owner", gaps.department_goal.title),
        ("revision_waiting", gaps.operational.title),
    ]
    html = response.content.decode()
    assert f'<a href="/goals/{gaps.department_goal.pk}/">{gaps.department_goal.title}</a>' in html
    assert "2 brister" in html  # in Swedish, the portal's language
    assert [row[0].name for row in response.context["organisation_rows"]] == ["Utbildningsförvaltningen"]
    assert response.context["organisation_rows"][0][1:] == ([1, 1], 2)


def test_the_public_sees_the_findings_about_decided_goals(client, gaps):
    response = client.get(reverse("goals:health"), {"period": gaps.period.year})
    assert shown(response) == [("goal_without_owner", gaps.department_goal.title)]
    assert "Ändrad" not in response.content.decode()


def test_a_unit_narrows_the_page_to_its_part_of_the_group(client, gaps, group):
    company = client.get(reverse("goals:health"), {"period": gaps.period.year, "unit": group.company.slug})
    administration = client.get(
        reverse("goals:health"), {"period": gaps.period.year, "unit": group.administration.slug}
    )
    assert shown(company) == []
    assert shown(administration) == [("goal_without_owner", gaps.department_goal.title)]


def test_without_a_year_the_page_shows_the_year_the_visitor_chose(client, healthy, signed_in):
    client.force_login(signed_in)
    client.post(reverse("goals:choose-period"), {"period": healthy.period.pk, "next": "/"})
    assert client.get(reverse("goals:health")).context["period"] == healthy.period


@pytest.mark.parametrize(
    "params", [{"unit": "no-such-unit"}, {"period": "1999"}, {"period": "abc"}, {"period": "9" * 40}]
)
def test_an_unknown_unit_or_year_is_not_found(client, healthy, params):
    assert client.get(reverse("goals:health"), params).status_code == 404


def test_a_portal_without_goals_says_so(client, db):
    response = client.get(reverse("goals:health"))
    assert "Portalen har ännu inget år med mål." in response.content.decode()


def main_of(response) -> str:
    """The page's own content, without the layout's nonces and tokens."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


@pytest.mark.parametrize("size", [20, 80])
@pytest.mark.parametrize("signed_in_as", [None, "karin"])
def test_the_page_takes_the_same_queries_however_large_the_chain(
    client, healthy, group, size, signed_in_as, django_assert_num_queries
):
    grow_chain(healthy, size)  # the goals grown have no owner, indicator or process: many findings
    if signed_in_as:
        client.force_login(member_of(group.administration, signed_in_as))
    # Anonymous: the years; the year to show (none chosen: the latest up to now, and as there is none
    # the first); the units to choose from; the organisations; one query per public kind (10), and
    # the year's reporting periods for the overdue kind: 1 + 2 + 1 + 1 + 10 + 1 = 16.
    # Signed in: also the session, the user and their preferences, the three kinds about work in
    # progress, and the menu's to-do count with the memberships it reads: 16 + 3 + 3 + 2 = 24.
    # The shared cache of whole-group pages: a new generation after the test's writes (5 queries)
    # and the findings stored (5): + 10.
    expected = 16 if signed_in_as is None else 24
    with django_assert_num_queries(expected + 10):
        response = client.get(reverse("goals:health"), {"unit": group.committee.slug})
    # Read again: the findings come from the cache (the generation and the entry, in one query)
    # instead of the organisations, a query per kind and the reporting periods.
    kinds = 10 if signed_in_as is None else 13
    with django_assert_num_queries(expected - (1 + kinds + 1) + 1):
        again = client.get(reverse("goals:health"), {"unit": group.committee.slug})
    assert main_of(again) == main_of(response)
    grown = Goal.objects.filter(period=healthy.period, owner=None, level=Level.OPERATIONAL)
    assert len(response.context["health"].of_kind("goal_without_owner")) == grown.count() > 0
