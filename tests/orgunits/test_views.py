"""The organisation pages: the tree, a unit's page, and the start page."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import translation

from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from orgunits.services import orgunit_dissolve
from tests.kit.organisation import build_group

pytestmark = pytest.mark.django_db


def tree_names(response) -> list[str]:
    return [name for name, _url, _depth in read_tree(response).links]


class TreeReader(HTMLParser):
    """Reads the tree's HTML back: each unit's link with how deep it stands in nested list items,
    and whether every list, branch and item that opens also closes."""

    NESTING = ("ul", "li", "details", "summary")

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.links: list[tuple[str, str, int]] = []  # (name, address, depth)
        self.in_tree = False
        self.link: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ul" and attrs.get("class") == "org-tree":
            self.in_tree = True
        if not self.in_tree:
            return
        if tag in self.NESTING:
            self.open.append(tag)
        if tag == "a":
            self.link = [attrs["href"], ""]

    def handle_data(self, data):
        if self.link is not None:
            self.link[1] += data

    def handle_endtag(self, tag):
        if not self.in_tree:
            return
        if tag == "a" and self.link is not None:
            href, name = self.link
            self.links.append((name, href, self.open.count("li")))
            self.link = None
        if tag in self.NESTING:
            assert self.open.pop() == tag, f"</{tag}> closes something else"
            if not self.open:
                self.in_tree = False


def read_tree(response) -> TreeReader:
    reader = TreeReader()
    reader.feed(response.content.decode())
    assert reader.open == []
    return reader


def test_the_start_page_leads_to_the_tree(client):
    response = client.get("/")
    assert response.status_code == 200
    assert reverse("orgunits:tree") in response.content.decode()


def test_the_tree_nests_every_active_unit_under_its_parent(client, group):
    response = client.get(reverse("orgunits:tree"))
    units = list(OrgUnit.objects.all())
    assert tree_names(response) == [unit.name for unit in units]
    # Each unit's link stands as deep in the nested lists as the unit in the tree, and links to it.
    assert read_tree(response).links == [(unit.name, unit.get_absolute_url(), unit.depth) for unit in units]
    html = response.content.decode()
    # A unit with units under it opens a branch that says how many; a unit without opens none.
    for unit in units:
        assert (f"Enheter under {unit.name} ({unit.numchild})</span>" in html) == (unit.numchild > 0)
    assert (
        '<summary class="node-toggle"><span class="visually-hidden">Enheter under Kommunfullmäktige (6)'
        in html
    )
    assert html.count("<details open>") == 1  # the top is open, every other branch closed


def test_the_tree_hides_dissolved_units_unless_asked(client, group):
    orgunit_dissolve(unit=group.school)
    response = client.get(reverse("orgunits:tree"))
    assert "Västra skolan" not in tree_names(response)
    # The department has no active unit left: it is a leaf, without a branch to open.
    assert [link for link in read_tree(response).links if link[0] == "Avdelning grundskola"] == [
        ("Avdelning grundskola", group.department.get_absolute_url(), 4)
    ]
    assert "Enheter under Avdelning grundskola" not in response.content.decode()
    response = client.get(reverse("orgunits:tree"), {"dissolved": "1"})
    assert "Västra skolan" in tree_names(response)
    assert ("Västra skolan", group.school.get_absolute_url(), 5) in read_tree(response).links
    assert "Avvecklad" in response.content.decode()


def test_the_tree_defines_each_kinds_icon_once_and_points_at_it(client, group):
    html = client.get(reverse("orgunits:tree")).content.decode()
    assert html.count('<symbol id="kind-icon-council"') == 1
    assert html.count("<path ") == len(Kind)  # one drawing per kind, in the sprite only
    assert html.count('<use href="#kind-icon-company"></use>') == 2  # Stadshus AB and Bostäder AB
    assert html.count('aria-hidden="true"><use href=') == OrgUnit.objects.count()


def test_the_tree_tells_political_bodies_from_executing_units_and_the_auditors(client, group):
    html = client.get(reverse("orgunits:tree")).content.decode()
    assert html.count('class="org-node is-political"') == 7
    assert html.count('class="org-node is-executing"') == 3
    assert html.count('class="org-node is-reviewing"') == 1  # the auditors, outside the chain
    assert "Revisorer: granskar, utanför styrkedjan" in html  # the legend says what the colour means


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
    # 1: every active unit, ordered by path; the shared cache of whole-group pages: a new generation
    # after the test's writes (5) and the rows stored (5).
    with django_assert_num_queries(1 + 5 + 5):
        response = client.get(reverse("orgunits:tree"))
    assert len(tree_names(response)) == size
    # Read again: from the cache, the generation and the rows in one query, and no unit read.
    with django_assert_num_queries(1):
        again = client.get(reverse("orgunits:tree"))
    assert tree_names(again) == tree_names(response)


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
    # top), 3: its active children, (for the administration: the bodies it also serves,) then the
    # goals app's section looking among every period for the one to show (there is none here).
    for unit, queries in ((council, 3), (administration, 5)):
        with django_assert_num_queries(queries):
            client.get(unit.get_absolute_url())
    assert OrgUnit.objects.get_children(administration).count() >= 7


def test_the_kind_is_translated_in_english(client, group):
    with translation.override("en"):
        html = client.get(group.committee.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Committee" in html


def test_a_unit_page_names_the_committees_an_administration_also_serves_and_the_other_way(client, group):
    group.administration.also_serves.add(group.other_committee)
    administration_page = client.get(group.administration.get_absolute_url()).content.decode()
    committee_page = client.get(group.other_committee.get_absolute_url()).content.decode()
    assert (
        '<dt>Arbetar även åt</dt>\n      <dd><a href="/organisation/omsorgsnamnden/">Omsorgsnämnden</a></dd>'
        in administration_page
    )
    assert (
        '<dt>Stöds även av</dt>\n      <dd><a href="/organisation/utbildningsforvaltningen/">'
        "Utbildningsförvaltningen</a></dd>" in committee_page
    )
