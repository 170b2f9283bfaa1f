"""The chain's health from the shared cache of whole-group pages (goals.health.cached): read, change,
read again, on the page and in the API, and never one visitor's findings for another class."""

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from goals.chain.workflow import Status
from goals.models import Goal, Revision
from orgunits.models import OrgUnit
from tests.kit.clients import token_client

pytestmark = pytest.mark.django_db

PAGE = reverse("goals:health")


def shown(client, period, **params) -> list[tuple[str, str]]:
    """Each finding the page lists, as (kind, subject), read from its HTML: the context is gone when
    the findings come from the cache."""
    html = client.get(PAGE, {"period": period.year, **params}).content.decode()
    return [
        (code, subject)
        for code, section in re.findall(
            r'<section class="health-kind" aria-labelledby="kind-(\w+)">(.*?)</section>', html, re.S
        )
        for subject in re.findall(r'<th scope="row"><a href="[^"]*">([^<]*)</a></th>', section)
    ]


def in_the_api(api, period) -> list[tuple[str, str]]:
    body = api.get(reverse("api:chain-health-list"), {"period": period.year, "page_size": 500}).json()
    return [(row["kind"], row["subject"]) for row in body["results"]]


def test_an_owner_given_in_bulk_mends_the_finding_at_once(client, gaps):
    assert shown(client, gaps.period) == [("goal_without_owner", gaps.department_goal.title)]
    Goal.objects.filter(pk=gaps.department_goal.pk).update(owner=gaps.operational.owner)
    assert shown(client, gaps.period) == []


def test_an_edited_title_shows(client, gaps):
    shown(client, gaps.period)
    gaps.department_goal.title = "Läsfrämjande i alla skolor"
    gaps.department_goal.save(update_fields=["title"])
    assert shown(client, gaps.period) == [("goal_without_owner", "Läsfrämjande i alla skolor")]


def test_a_deleted_goal_leaves_the_findings(client, gaps):
    shown(client, gaps.period)
    Goal.objects.filter(pk=gaps.department_goal.pk).delete()  # treebeard's: with the goals under it
    assert ("goal_without_owner", gaps.department_goal.title) not in shown(client, gaps.period)


def test_a_unit_dissolved_in_bulk_is_found_at_once(client, gaps, group):
    assert "dissolved_unit" not in dict(shown(client, gaps.period))
    # As older data holds it: the service refuses to leave goals without a unit, an update does not.
    OrgUnit.objects.filter(pk=group.school.pk).update(is_active=False)
    assert "dissolved_unit" in dict(shown(client, gaps.period))


def test_a_unit_and_the_whole_group_are_kept_apart(client, gaps, group):
    assert shown(client, gaps.period, unit=group.company.slug) == []
    assert shown(client, gaps.period) == [("goal_without_owner", gaps.department_goal.title)]


def test_what_a_signed_in_reader_sees_is_not_served_to_the_public(client, gaps, signed_in):
    client.force_login(signed_in)
    signed_in_sees = shown(client, gaps.period)
    assert ("revision_waiting", gaps.operational.title) in signed_in_sees
    client.logout()
    assert shown(client, gaps.period) == [("goal_without_owner", gaps.department_goal.title)]
    # And the other way round: the public's entry is no signed-in reader's.
    client.force_login(signed_in)
    assert shown(client, gaps.period) == signed_in_sees


def test_a_decided_change_leaves_the_waiting_findings(client, gaps, signed_in):
    client.force_login(signed_in)
    assert ("revision_waiting", gaps.operational.title) in shown(client, gaps.period)
    Revision.objects.filter(goal=gaps.operational).update(status=Status.APPROVED)
    assert ("revision_waiting", gaps.operational.title) not in shown(client, gaps.period)


def test_the_api_reads_change_then_read_again(gaps, signed_in):
    api, public = token_client(signed_in), APIClient()
    assert ("goal_without_owner", gaps.department_goal.title) in in_the_api(api, gaps.period)
    assert in_the_api(public, gaps.period) == [("goal_without_owner", gaps.department_goal.title)]
    Goal.objects.filter(pk=gaps.department_goal.pk).update(owner=signed_in)
    assert ("goal_without_owner", gaps.department_goal.title) not in in_the_api(api, gaps.period)
    assert in_the_api(public, gaps.period) == []


def test_each_page_of_the_api_is_its_own_entry(gaps, signed_in):
    api = token_client(signed_in)
    pages = [
        api.get(reverse("api:chain-health-list"), {"period": gaps.period.year, "page_size": 1, "page": page})
        for page in (1, 2, 1)
    ]
    first, second, first_again = (response.json() for response in pages)
    assert first["results"] != second["results"]
    assert first_again == first
    assert "page=2" in first["next"]
    # An address longer than any cache key is still answered (the key holds its hash).
    response = api.get(reverse("api:chain-health-list"), {"period": gaps.period.year, "x": "y" * 500})
    assert response.status_code == 200
