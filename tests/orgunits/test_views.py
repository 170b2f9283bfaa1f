"""The organisation pages: the tree, a unit's page, and the start page."""

import pytest
from django.urls import reverse
from django.utils import translation

from orgunits.models import OrgUnit
from orgunits.services import orgunit_dissolve
from tests.conftest import build_group

pytestmark = pytest.mark.django_db


def tree_names(response) -> list[str]:
    return [unit.name for unit in _walk(response.context["forest"])]


def _walk(nodes):
    for node in nodes:
        yield node.item
        yield from _walk(node.children)


def test_the_start_page_leads_to_the_tree(client):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("orgunits:tree") in response.content.decode()


def test_the_tree_nests_every_active_unit_under_its_parent(client, group):
    response = client.get(reverse("orgunits:tree"))
    forest = response.context["forest"]
    assert [node.item for node in forest] == [group.council]
    assert [node.item for node in forest[0].children] == [
        group.board,
        group.committee,
        group.other_committee,
        group.company,
        group.federation,
    ]
    assert tree_names(response) == [unit.name for unit in OrgUnit.objects.all()]


def test_the_tree_hides_dissolved_units_unless_asked(client, group):
    orgunit_dissolve(unit=group.school)
    assert "Västra skolan" not in tree_names(client.get(reverse("orgunits:tree")))
    response = client.get(reverse("orgunits:tree"), {"dissolved": "1"})
    assert "Västra skolan" in tree_names(response)
    assert "Avvecklad" in response.content.decode()


def test_the_tree_tells_political_bodies_from_executing_units(client, group):
    html = client.get(reverse("orgunits:tree")).content.decode()
    assert html.count('class="org-node is-political"') == 7
    assert html.count('class="org-node is-executing"') == 3


def test_the_tree_speaks_swedish_by_default(client, group):
    html = client.get(reverse("orgunits:tree")).content.decode()
    assert '<html lang="sv">' in html
    assert "<h1>Organisationen</h1>" in html
    assert "Nämnd" in html


def test_the_language_switch_turns_the_page_english_and_back(client, group):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/organisation/"}, follow=True)
    assert response.redirect_chain == [("/organisation/", 302)]
    assert "<h1>The organisation</h1>" in response.content.decode()
    response = client.post(reverse("set_language"), {"language": "sv", "next": "/organisation/"}, follow=True)
    assert "<h1>Organisationen</h1>" in response.content.decode()


@pytest.mark.parametrize("size", [10, 200])
def test_the_tree_is_one_query_whatever_its_size(client, django_assert_num_queries, size):
    build_group(size)
    # 1: every active unit, ordered by path.
    with django_assert_num_queries(1):
        response = client.get(reverse("orgunits:tree"))
    assert len(tree_names(response)) == size


def test_a_unit_page_shows_its_place_in_the_tree(client, group):
    response = client.get(group.department.get_absolute_url())
    assert response.status_code == 200
    assert response.context["ancestors"] == [group.council, group.committee, group.administration]
    assert response.context["parent"] == group.administration
    assert list(response.context["children"]) == [group.school]
    html = response.content.decode()
    assert '<li aria-current="page">Avdelning grundskola</li>' in html
    assert "Avdelning" in html


def test_a_unit_page_leaves_out_dissolved_children(client, group):
    orgunit_dissolve(unit=group.school)
    response = client.get(group.department.get_absolute_url())
    assert list(response.context["children"]) == []


def test_a_dissolved_unit_keeps_its_page(client, group):
    orgunit_dissolve(unit=group.school)
    response = client.get(group.school.get_absolute_url())
    assert response.status_code == 200
    assert "Den här enheten har avvecklats" in response.content.decode()


def test_an_unknown_unit_is_a_page_not_found_in_swedish(client, group):
    response = client.get("/organisation/finns-inte/")
    assert response.status_code == 404
    assert "<h1>Sidan finns inte</h1>" in response.content.decode()


@pytest.mark.parametrize("size", [10, 200])
def test_a_unit_page_has_the_same_query_count_at_any_size(client, django_assert_num_queries, size):
    council = build_group(size)
    administration = OrgUnit.objects.filter(kind="administration").last()
    # 1: the unit by slug, 2: its ancestors by their paths (none to fetch for the council at the
    # top), 3: its active children, 4-5: the goals app's section looking for the period to show
    # (there is none here, so it tries the current year and then any year).
    for unit, queries in ((council, 4), (administration, 5)):
        with django_assert_num_queries(queries):
            client.get(unit.get_absolute_url())
    assert OrgUnit.objects.get_children(administration).count() >= 7


def test_the_kind_is_translated_in_english(client, group):
    with translation.override("en"):
        html = client.get(group.committee.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Committee" in html
