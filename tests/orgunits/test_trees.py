"""What the two trees share (orgunits.trees), tried on the organisation."""

import pytest
from django.db.models import Func, IntegerField, Subquery

from orgunits.models import OrgUnit
from orgunits.services import orgunit_dissolve
from orgunits.trees import below_outer, flatten, nest
from tests.kit.organisation import add_unit

pytestmark = pytest.mark.django_db


def test_flatten_marks_where_branches_open_and_close(group):
    orgunit_dissolve(unit=group.school)
    # Without the administration, the department hangs under the committee, as nest() places it.
    units = OrgUnit.objects.active().exclude(pk=group.administration.pk)
    flat = [(node.item.name, node.children, node.closes) for node in flatten(nest(units.order_by("path")))]
    assert flat == [
        ("Kommunfullmäktige", 6, 0),
        ("Kommunstyrelsen", 0, 0),
        ("Utbildningsnämnden", 1, 0),
        ("Avdelning grundskola", 0, 1),  # closes the committee's branch
        ("Omsorgsnämnden", 0, 0),
        ("Stadshus AB", 1, 0),
        ("Bostäder AB", 0, 1),  # closes Stadshus AB's branch
        ("Räddningstjänsten", 0, 0),
        ("Revisorerna", 0, 1),  # closes the council's branch
    ]


def test_flatten_of_nothing_is_nothing():
    assert flatten([]) == []


def test_below_outer_finds_every_node_under_a_node_and_no_other(group):
    # A second top-level tree and a tenth committee: paths that share a prefix with others'.
    second = add_unit("council", "Kommunfullmäktige i Grannby")
    add_unit("committee", "Nämnd i Grannby", second)
    for number in range(8):
        add_unit("committee", f"Nämnd {number}", group.council)
    below = (
        OrgUnit.objects.filter(below_outer(OrgUnit))
        .order_by()
        .annotate(count=Func("pk", function="COUNT"))
        .values("count")
    )
    counted = OrgUnit.objects.annotate(below=Subquery(below, output_field=IntegerField()))
    assert {unit.name: unit.below for unit in counted} == {
        unit.name: OrgUnit.objects.get_descendant_count(unit) for unit in OrgUnit.objects.all()
    }
    assert {unit.name: unit.below for unit in counted}["Kommunfullmäktige"] == 18
