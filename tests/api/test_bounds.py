"""Ids, years and page sizes in a request: a value the database cannot hold, or that is no whole
number, is a 400 (a 404 in the address) that says what is asked for, never a server error.

SQLite cannot take a number above its 64-bit INTEGER as a query parameter (``OverflowError``), so
these run on SQLite too (``SQLITE_TESTS`` in the Makefile).
"""

import pytest
from django.urls import reverse

from goals.models import FollowUp, Goal, Indicator
from tests.kit.clients import token_client
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db

TOO_BIG = "9223372036854775808"  # 2**63: one more than the largest id either database stores
LARGEST_ID = "9223372036854775807"
ID_MESSAGE = "An id is a whole number from 1 to 9223372036854775807."
YEAR_MESSAGE = "A year is a whole number from 1 to 9999."
PAGE_SIZE_MESSAGE = "The page size is a whole number from 1; more than 500 gives pages of 500."

ID_FILTERS = [
    ("indicator-list", "goal"),
    ("follow-up-list", "goal"),
    ("follow-up-list", "reporting_period"),
]
YEAR_FILTERS = [
    ("goal-list", "period"),
    ("decision-list", "year"),
    ("target-list", "year"),
    ("measurement-list", "year"),
    ("reporting-period-list", "year"),
    ("follow-up-list", "year"),
]


@pytest.mark.parametrize("value", [TOO_BIG, "0", "-1", "0.5", "1e3", "null"])
@pytest.mark.parametrize(("route", "name"), ID_FILTERS)
def test_an_id_filter_refuses_what_is_no_id(api, route, name, value):
    response = api.get(reverse(f"api:{route}"), {name: value})
    assert (response.status_code, response.json()["errors"]) == (400, {name: [ID_MESSAGE]})


@pytest.mark.parametrize("value", [TOO_BIG, "0", "10000", "2025.5", "null"])
@pytest.mark.parametrize(("route", "name"), YEAR_FILTERS)
def test_a_year_filter_refuses_what_is_no_year(api, route, name, value):
    response = api.get(reverse(f"api:{route}"), {name: value})
    assert (response.status_code, response.json()["errors"]) == (400, {name: [YEAR_MESSAGE]})


def test_the_refusal_is_in_the_request_s_language(api):
    response = api.get(reverse("api:follow-up-list"), {"goal": TOO_BIG}, HTTP_ACCEPT_LANGUAGE="sv")
    assert response.json()["errors"] == {"goal": ["Ett id är ett heltal från 1 till 9223372036854775807."]}


def test_an_id_filter_keeps_the_records_of_that_id(api, chain):
    measuring = Indicator.objects.create(code="UF-LAS-01", name="Läsförmåga")
    measuring.goals.set([chain.body])
    Indicator.objects.create(code="UF-MAT-01", name="Matematik").goals.set([chain.operational])

    def codes(goal):
        return [
            row["code"] for row in api.get(reverse("api:indicator-list"), {"goal": goal}).json()["results"]
        ]

    assert codes(chain.body.pk) == ["UF-LAS-01"]
    assert codes(LARGEST_ID) == []  # the largest id is asked about, and no record has it


def test_a_year_filter_keeps_the_records_of_that_year(api, chain):
    def years(period):
        rows = api.get(reverse("api:goal-list"), {"period": period, "page_size": 500}).json()["results"]
        return {row["period"] for row in rows}

    assert years(chain.period.year) == {chain.period.year}
    assert years("9999") == set()


@pytest.mark.parametrize(
    "route",
    [
        "goal-detail",
        "decision-detail",
        "indicator-detail",
        "target-detail",
        "reporting-period-detail",
        "follow-up-detail",
        "membership-detail",
    ],
)
@pytest.mark.parametrize("value", [TOO_BIG, "-1", "0.5"])
def test_an_address_with_no_id_is_not_found(cast, route, value):
    response = token_client(cast["admin"]).get(reverse(f"api:{route}", args=[value]))
    assert (response.status_code, response.json()) == (404, {"detail": "Not found.", "errors": {}})


@pytest.mark.parametrize("value", [TOO_BIG, "10000", "0.5"])
def test_an_address_with_no_year_is_not_found(api, value):
    response = api.get(reverse("api:period-detail", args=[value]))
    assert (response.status_code, response.json()) == (404, {"detail": "Not found.", "errors": {}})


@pytest.mark.parametrize("value", ["null", "0", "-3", "0.5", TOO_BIG])
def test_a_page_size_that_is_no_whole_number_is_refused(api, value):
    response = api.get(reverse("api:period-list"), {"page_size": value})
    assert (response.status_code, response.json()["errors"]) == (400, {"page_size": [PAGE_SIZE_MESSAGE]})


def test_a_page_size_sets_the_rows_of_a_page(api, chain):
    def rows(**query):
        return len(api.get(reverse("api:goal-list"), query).json()["results"])

    assert (rows(page_size=3), rows(page_size=""), rows()) == (3, 8, 8)


def test_an_empty_owner_is_refused_and_null_clears_it(cast, draft_chain, english):
    goal = draft_chain.operational
    owner = member_of(draft_chain.group.administration, "goal-owner")
    Goal.objects.filter(pk=goal.pk).update(owner=owner)
    admin = token_client(cast["admin"])
    url = reverse("api:goal-detail", args=[goal.pk])

    refused = admin.patch(url, {"owner": ""}, format="json")
    assert (refused.status_code, refused.json()["errors"]) == (
        400,
        {"owner": ["This field may not be blank."]},
    )
    assert Goal.objects.get(pk=goal.pk).owner == owner

    cleared = admin.patch(url, {"owner": None}, format="json")
    assert (cleared.status_code, cleared.json()["owner"]) == (200, None)
    assert Goal.objects.get(pk=goal.pk).owner is None


def test_a_submitted_follow_up_reads_with_no_reviewer(cast, chain):
    # The schema says reviewed_by is nullable: an unreviewed follow-up answers null.
    period = chain.period.reporting_periods.first()
    follow_up = FollowUp.objects.create(goal=chain.body, reporting_period=period, status="submitted")
    response = token_client(cast["admin"]).get(reverse("api:follow-up-detail", args=[follow_up.pk]))
    assert (response.status_code, response.json()["reviewed_by"]) == (200, None)
