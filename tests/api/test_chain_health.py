"""The chain's health in the API: the page's findings for the same caller, counted per kind and
organisation, the findings a page at a time; the public sees the kinds about decided goals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from goals.chain.workflow import Status
from goals.follow_up.workflow import REPORTED_LEVELS
from goals.health.kinds import KINDS
from goals.models import Goal, Revision
from tests.kit.api_matrix import ApiCase, ApiMatrix
from tests.kit.chain import Chain, grow_chain, this_year_number
from tests.kit.clients import token_client
from tests.kit.organisation import Group
from tests.kit.people import EVERYONE, build_cast, member_of
from tests.kit.worlds import Scene

pytestmark = pytest.mark.django_db

URL = "/api/v1/chain-health/"

API_CASES = [
    ApiCase("chain-health-list", "get", EVERYONE, lambda w: reverse("api:chain-health-list")),
]


class TestTheCastOnEveryEndpoint(ApiMatrix):
    cases = API_CASES

    def build(self) -> Scene:
        group = Group()
        return Scene(build_cast(group), Chain(group, this_year_number()))


@pytest.fixture
def waiting(chain) -> Revision:
    """A change to the administration's goal proposed two months ago and not yet decided: a finding
    about work in progress, which only signed-in callers see."""
    revision = Revision.objects.create(
        goal=chain.operational, title="Fler elever läser", status=Status.SUBMITTED
    )
    two_months_ago = timezone.now() - datetime.timedelta(days=60)
    revision.history.model.objects.filter(id=revision.pk).update(history_date=two_months_ago)
    return revision


def health(client, **params) -> dict:
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


def kinds_found(body) -> dict[str, int]:
    return {row["kind"]: row["count"] for row in body["kinds"] if row["count"]}


def test_a_signed_in_caller_gets_every_kind_with_the_findings_and_where_each_is_mended(
    client, chain, group, waiting
):
    client.force_login(member_of(group.administration, "karin"))
    body = health(client, period=chain.period.year)
    assert [row["kind"] for row in body["kinds"]] == [kind.code for kind in KINDS]
    assert body["period"] == chain.period.year
    assert body["unit"] is None
    [revision] = [row for row in body["results"] if row["kind"] == "revision_waiting"]
    assert revision == {
        "kind": "revision_waiting",
        "title": "Föreslagen ändring som länge väntar på beslut",  # in the portal’s language
        "subject": chain.operational.title,
        "url": f"http://testserver/goals/{chain.operational.pk}/",
        "unit": group.administration.slug,
        "organisation": group.administration.slug,
        "detail": revision["detail"],
        "date": (timezone.localdate() - datetime.timedelta(days=60)).isoformat(),
    }
    assert "Fler elever läser" in revision["detail"]
    assert body["count"] == sum(row["count"] for row in body["kinds"]) == len(body["results"])


def test_the_public_gets_the_kinds_about_decided_goals_only(client, chain, waiting):
    body = health(client, period=chain.period.year)
    assert [row["kind"] for row in body["kinds"]] == [kind.code for kind in KINDS if kind.public]
    assert {row["kind"] for row in body["results"]} <= {kind.code for kind in KINDS if kind.public}
    assert "revision_waiting" not in {row["kind"] for row in body["results"]}
    assert all(row["public"] for row in body["kinds"])


@pytest.mark.parametrize("signed_in", [False, True])
def test_the_counts_are_the_pages(client, chain, group, waiting, signed_in):
    if signed_in:
        client.force_login(member_of(group.administration, "karin"))
    page = client.get(reverse("goals:health"), {"period": chain.period.year}).context["health"]
    body = health(client, period=chain.period.year)
    assert {row["kind"]: row["count"] for row in body["kinds"]} == page.count_per_kind
    assert kinds_found(body)  # the chain of the kit leaves owners and indicators out: there are findings
    assert body["organisations"] == [
        {
            "organisation": row.organisation.slug,
            "name": row.organisation.name,
            "counts": dict(zip([kind.code for kind in page.kinds], row.counts, strict=True)),
            "total": row.total,
        }
        for row in page.by_organisation
    ]
    assert [(row["kind"], row["subject"]) for row in body["results"]] == [
        (finding.kind.code, finding.subject) for finding in page.findings[:50]
    ]


def test_a_unit_narrows_the_findings_to_its_part_of_the_group(client, chain, group):
    whole = health(client, period=chain.period.year)
    company = health(client, period=chain.period.year, unit=group.company.slug)
    assert company["unit"] == group.company.slug
    assert {row["unit"] for row in company["results"]} <= {group.company.slug, group.subsidiary.slug}
    assert 0 < company["count"] < whole["count"]


def test_without_a_year_it_is_the_year_the_caller_looks_at(client, chain):
    assert health(client)["period"] == chain.period.year


def test_the_findings_come_a_page_at_a_time_and_the_counts_cover_them_all(client, chain):
    first = health(client, period=chain.period.year, page_size=2)
    second = client.get(first["next"]).json()
    everything = health(client, period=chain.period.year, page_size=500)
    assert first["count"] == second["count"] == everything["count"] > 2
    assert first["results"] + second["results"] == everything["results"][:4]
    assert first["kinds"] == everything["kinds"]
    assert first["previous"] is None and second["previous"] is not None


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"period": "abc"}, 400, "period"),
        ({"period": "9" * 40}, 400, "period"),
        ({"unit": "ingen-sadan-enhet"}, 400, "unit"),
        ({"unit": "a\x00b"}, 400, "unit"),
        ({"period": "1999"}, 404, None),
        ({"page": "999"}, 404, None),
    ],
)
def test_a_bad_year_unit_or_page_is_refused_in_the_apis_one_format(client, chain, params, status, field):
    response = client.get(URL, params)
    assert response.status_code == status
    assert set(response.json()) == {"detail", "errors"}
    assert list(response.json()["errors"]) == ([field] if field else [])


def test_a_portal_without_years_answers_not_found(client, db):
    response = client.get(URL)
    assert response.status_code == 404
    assert response.json() == {"detail": "Portalen har ännu inget år med mål.", "errors": {}}


@pytest.mark.parametrize("size", [20, 80])
def test_the_same_queries_however_large_the_chain(chain, group, size, django_assert_num_queries):
    grow_chain(chain, size)  # goals without owner, indicator or process: findings grow with the size
    api = token_client(member_of(group.administration, "karin"))
    # The token with its user; the year; the unit; the organisations; one query per kind (13); the
    # year's reporting periods for the overdue kind: 1 + 1 + 1 + 1 + 13 + 1 = 18. The shared cache of
    # whole-group pages: a new generation after the test's writes (5) and the findings stored (5).
    with django_assert_num_queries(18 + 10):
        body = health(api, period=chain.period.year, unit=group.committee.slug, page_size=500)
    # Asked again: the findings from the cache (the generation and the entry, in one query) instead
    # of the organisations, a query per kind and the reporting periods: 18 - 15 + 1.
    with django_assert_num_queries(4):
        assert health(api, period=chain.period.year, unit=group.committee.slug, page_size=500) == body
    without_owner = Goal.objects.filter(period=chain.period, level__in=REPORTED_LEVELS, owner=None)
    grown = without_owner.in_subtree_of(group.committee).count()
    assert {row["kind"]: row["count"] for row in body["kinds"]}["goal_without_owner"] == grown > size // 5
