"""The tree's path helpers (``orgunits.trees``) say the same as treebeard's own queries."""

from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from orgunits.trees import ancestor_paths, parent_subquery, subtree_of
from tests.kit.organisation import add_unit


def test_a_nodes_parent_and_ancestors_are_treebeards(group):
    school = group.school
    assert school.parent_path == OrgUnit.objects.get_parent(school).path
    assert [OrgUnit.objects.get(path=path) for path in school.ancestor_paths()] == list(
        OrgUnit.objects.get_ancestors(school)
    )
    assert school.ancestor_paths(include_self=True)[-1] == school.path
    assert group.council.parent_path == ""
    assert group.council.ancestor_paths() == []


def test_ancestor_paths_of_a_bare_path():
    assert ancestor_paths("00010002", 4) == ["0001"]
    assert ancestor_paths("00010002", 4, include_self=True) == ["0001", "00010002"]


def test_a_subtree_is_the_node_and_its_descendants_and_nothing_beside_it(group):
    department = group.department
    beside = add_unit(Kind.DEPARTMENT, "Another department", OrgUnit.objects.get_parent(department))
    assert set(OrgUnit.objects.filter(subtree_of(department))) == {
        department,
        *OrgUnit.objects.get_descendants(department),
    }
    assert set(OrgUnit.objects.filter(subtree_of(department, include_self=False))) == set(
        OrgUnit.objects.get_descendants(department)
    )
    assert beside not in OrgUnit.objects.filter(subtree_of(department))


def test_the_parent_subquery_names_each_nodes_parent_in_one_query(group, django_assert_num_queries):
    with django_assert_num_queries(1):
        parents = dict(
            OrgUnit.objects.annotate(parent_slug=parent_subquery(OrgUnit, "slug")).values_list(
                "slug", "parent_slug"
            )
        )
    assert parents[group.school.slug] == OrgUnit.objects.get_parent(group.school).slug
    assert parents[group.council.slug] is None
