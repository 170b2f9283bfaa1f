"""The planning years through the API: staff open the next year and close a year, as the admin does."""

import pytest
from django.urls import reverse

from goals.chain.models import ReportingPeriodKind
from goals.chain.workflow import Status
from goals.models import Goal, Period, ReportingPeriod
from tests.kit.api_matrix import ADMIN, ApiCase, ApiMatrix
from tests.kit.chain import Chain, this_year_number
from tests.kit.clients import token_client
from tests.kit.organisation import Group
from tests.kit.people import build_cast
from tests.kit.worlds import Scene, World, goals_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(chain, group, cast) -> World:
    return goals_world(chain, group, cast)


@pytest.fixture
def staff(cast):
    return token_client(cast["admin"])


def close_url(period):
    return reverse("api:period-close", args=[period.year])


API_CASES = [
    ApiCase(
        "period-list",
        "post",
        ADMIN,
        lambda w: reverse("api:period-list"),
        lambda w: {},
        lambda w: Period.objects.filter(year=w.chain.period.year + 1).exists(),
    ),
    ApiCase(
        "period-close",
        "post",
        ADMIN,
        lambda w: close_url(w.chain.period),
        happened=lambda w: Period.objects.get(pk=w.chain.period.pk).is_closed,
    ),
]


class TestTheCastOnEveryEndpoint(ApiMatrix):
    cases = API_CASES

    def build(self) -> Scene:
        group = Group()
        cast = build_cast(group)
        return Scene(cast, goals_world(Chain(group, this_year_number()), group, cast))


def test_staff_open_the_next_year_with_its_reporting_periods(staff, world):
    next_year = world.chain.period.year + 1
    response = staff.post(reverse("api:period-list"), {}, format="json")
    assert response.status_code == 201, response.content
    opened = Period.objects.get(year=next_year)
    assert response.json() == {"year": next_year, "is_closed": False, "term": opened.term_label}
    kinds = ReportingPeriod.objects.filter(period=opened).values_list("kind", flat=True)
    assert sorted(kinds) == sorted(ReportingPeriodKind.values)


def test_staff_open_a_year_they_name(staff, world):
    response = staff.post(reverse("api:period-list"), {"year": 2031}, format="json")
    assert response.status_code == 201, response.content
    assert Period.objects.filter(year=2031).exists()


def test_the_first_year_of_an_empty_portal_is_this_one(staff, db):
    response = staff.post(reverse("api:period-list"), {"year": None}, format="json")
    assert response.status_code == 201, response.content
    assert list(Period.objects.values_list("year", flat=True)) == [this_year_number()]


def test_a_year_that_exists_is_refused_saying_so(staff, world):
    year = world.chain.period.year
    response = staff.post(reverse("api:period-list"), {"year": year}, format="json")
    assert response.status_code == 409
    message = f"{year} exists already."
    assert response.json() == {"detail": message, "errors": {"non_field_errors": [message]}}
    assert Period.objects.filter(year=year).count() == 1


@pytest.mark.parametrize("year", [1999, 2101, "tjugo", 0.5, True])
def test_a_year_out_of_bounds_is_a_400(staff, world, year):
    response = staff.post(reverse("api:period-list"), {"year": year}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["year"]
    assert Period.objects.count() == 1


def test_closing_a_year_archives_its_decided_goals_only(staff, world):
    decided = set(Goal.objects.filter(status=Status.APPROVED).values_list("pk", flat=True))
    response = staff.post(close_url(world.chain.period))
    assert response.status_code == 200, response.content
    assert response.json() == {
        "year": world.chain.period.year,
        "is_closed": True,
        "term": world.chain.period.term_label,
        "archived": len(decided),
    }
    assert set(Goal.objects.filter(status=Status.ARCHIVED).values_list("pk", flat=True)) == decided
    assert Goal.objects.get(pk=world.draft.pk).status == Status.DRAFT


def test_closing_a_closed_year_is_a_409_saying_so(staff, world):
    year = world.chain.period.year
    assert staff.post(close_url(world.chain.period)).status_code == 200
    response = staff.post(close_url(world.chain.period))
    assert response.status_code == 409
    assert response.json()["detail"] == f"{year} is already closed."


def test_closing_a_year_that_does_not_exist_is_a_404(staff, world):
    assert staff.post(reverse("api:period-close", args=[1990])).status_code == 404
    assert staff.post(reverse("api:period-close", args=["0.5"])).status_code == 404


def test_the_refusals_in_swedish(cast, world):
    client = token_client(cast["admin"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"
    year = world.chain.period.year
    response = client.post(reverse("api:period-list"), {"year": year}, format="json")
    assert response.json()["detail"] == f"{year} finns redan."
    response = token_client(cast["editor"])
    response.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"
    refused = response.post(close_url(world.chain.period))
    assert refused.status_code == 403
    assert refused.json()["detail"] == "Bara portalens administratörer får göra detta."
