"""The rule table holds on every way into the tree: add, change of kind, move, dissolve."""

import pytest
from django.core.exceptions import ValidationError

from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from orgunits.services import orgunit_dissolve, orgunit_restore
from tests.kit.organisation import add_unit

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def messages(excinfo) -> list[str]:
    return excinfo.value.messages


def tree_snapshot():
    return list(OrgUnit.objects.values_list("name", "path", "numchild", "kind", "is_active"))


# Adding ---------------------------------------------------------------------------------------


def test_adding_an_allowed_child(group):
    unit = add_unit(Kind.UNIT, "Hemtjänst norr", group.administration)
    assert list(OrgUnit.objects.get_ancestors(unit)) == [group.council, group.committee, group.administration]


def test_adding_a_refused_child_names_both_units_and_kinds_and_writes_nothing(group):
    before = tree_snapshot()
    with pytest.raises(ValidationError) as excinfo:
        add_unit(Kind.COMMITTEE, "Fel nämnd", group.administration)
    assert messages(excinfo) == [
        "“Fel nämnd” (committee) cannot be placed under “Utbildningsförvaltningen” (administration): "
        "“Committee” may be placed under: “Council”."
    ]
    assert tree_snapshot() == before


def test_adding_a_refused_sibling(group):
    with pytest.raises(ValidationError) as excinfo:
        OrgUnit.objects.add_sibling(
            group.school, "right", instance=OrgUnit(name="KS 2", kind=Kind.EXECUTIVE_BOARD)
        )
    assert messages(excinfo) == [
        "“KS 2” (executive board) cannot be placed under “Avdelning grundskola” (department): "
        "“Executive board” may be placed under: “Council”."
    ]


def test_a_second_council_at_the_top_is_a_second_municipal_group(group):
    neighbour = add_unit(Kind.COUNCIL, "Kommunfullmäktige i Norrby")
    assert list(OrgUnit.objects.get_root_nodes()) == [group.council, neighbour]


def test_only_a_council_stands_at_the_top(db):
    with pytest.raises(ValidationError) as excinfo:
        add_unit(Kind.COMPANY, "Fristående AB")
    assert messages(excinfo) == [
        "“Fristående AB” (company) cannot be placed at the top of the organisation: "
        "“Company” may be placed under: “Council”, “Company”."
    ]
    assert not OrgUnit.objects.exists()


def test_nothing_new_under_a_dissolved_unit(group):
    orgunit_dissolve(unit=group.school)
    with pytest.raises(ValidationError) as excinfo:
        add_unit(Kind.UNIT, "Ny skola", group.school)
    assert "“Västra skolan” is dissolved: no active unit can be placed under it." in messages(excinfo)


def test_slugs_are_made_from_the_name_and_kept_unique(group):
    first = add_unit(Kind.UNIT, "Förskolan Ekorren", group.department)
    second = add_unit(Kind.UNIT, "Förskolan Ekorren", group.administration)
    assert (first.slug, second.slug) == ("forskolan-ekorren", "forskolan-ekorren-2")


# Editing --------------------------------------------------------------------------------------


def test_changing_kind_is_checked_against_the_parent(group):
    group.department.kind = Kind.COMMITTEE
    with pytest.raises(ValidationError) as excinfo:
        group.department.full_clean()
    assert messages(excinfo) == [
        "“Avdelning grundskola” (committee) cannot be placed under “Utbildningsförvaltningen” "
        "(administration): “Committee” may be placed under: “Council”.",
        "“Västra skolan” (unit) cannot be placed under “Avdelning grundskola” (committee): "
        "“Unit” may be placed under: “Administration”, “Department”, “Company”, “Federation”.",
    ]


def test_changing_kind_is_checked_against_the_children(group):
    group.company.kind = Kind.FEDERATION
    with pytest.raises(ValidationError) as excinfo:
        group.company.full_clean()
    assert messages(excinfo) == [
        "“Bostäder AB” (company) cannot be placed under “Stadshus AB” (federation): "
        "“Company” may be placed under: “Council”, “Company”."
    ]


def test_an_allowed_change_of_kind(group):
    group.subsidiary.kind = Kind.DEPARTMENT
    group.subsidiary.full_clean()
    group.subsidiary.save()
    assert OrgUnit.objects.get(pk=group.subsidiary.pk).kind == Kind.DEPARTMENT


# Moving ---------------------------------------------------------------------------------------


def test_a_valid_move_takes_the_whole_branch_along(group):
    OrgUnit.objects.move(group.administration, group.board, "last-child")
    group.refresh()
    assert list(OrgUnit.objects.get_ancestors(group.school)) == [
        group.council,
        group.board,
        group.administration,
        group.department,
    ]
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])


def test_a_valid_move_beside_a_sibling(group):
    OrgUnit.objects.move(group.other_committee, group.board, "left")
    group.refresh()
    assert [unit.name for unit in OrgUnit.objects.get_children(group.council)][:2] == [
        "Omsorgsnämnden",
        "Kommunstyrelsen",
    ]


def test_moving_under_a_wrong_kind_is_refused_and_changes_nothing(group):
    before = tree_snapshot()
    with pytest.raises(ValidationError) as excinfo:
        OrgUnit.objects.move(group.administration, group.company, "last-child")
    assert messages(excinfo) == [
        "“Utbildningsförvaltningen” (administration) cannot be placed under “Stadshus AB” (company): "
        "“Administration” may be placed under: “Executive board”, “Committee”, “Joint committee”."
    ]
    assert tree_snapshot() == before


def test_moving_beside_a_unit_checks_the_parent_the_unit_would_get(group):
    with pytest.raises(ValidationError) as excinfo:
        OrgUnit.objects.move(group.other_committee, group.administration, "right")
    assert messages(excinfo) == [
        "“Omsorgsnämnden” (committee) cannot be placed under “Utbildningsnämnden” (committee): "
        "“Committee” may be placed under: “Council”."
    ]


@pytest.mark.parametrize("target", ["committee", "administration", "school"])
def test_moving_under_itself_or_a_descendant_is_refused(group, target):
    before = tree_snapshot()
    destination = getattr(group, target)
    with pytest.raises(ValidationError) as excinfo:
        OrgUnit.objects.move(group.committee, destination, "last-child")
    assert (
        f"“Utbildningsnämnden” cannot be moved under itself or under one of its own units (“{destination.name}”)."
        in messages(excinfo)
    )
    assert tree_snapshot() == before


def test_moving_an_active_unit_under_a_dissolved_one_is_refused(group):
    orgunit_dissolve(unit=group.other_committee)
    with pytest.raises(ValidationError) as excinfo:
        OrgUnit.objects.move(group.administration, group.other_committee, "last-child")
    assert messages(excinfo) == ["“Omsorgsnämnden” is dissolved: no active unit can be placed under it."]


# Dissolving -----------------------------------------------------------------------------------


def test_dissolving_a_unit_keeps_it_but_hides_it_from_the_active_tree(group):
    orgunit_dissolve(unit=group.school)
    assert OrgUnit.objects.get(pk=group.school.pk).is_active is False
    assert group.school not in OrgUnit.objects.active()
    assert OrgUnit.objects.filter(pk=group.school.pk).exists()


def test_dissolving_a_unit_with_active_units_under_it_is_refused(group):
    with pytest.raises(ValidationError) as excinfo:
        orgunit_dissolve(unit=group.administration)
    assert messages(excinfo) == [
        "Dissolve or move the active units under “Utbildningsförvaltningen” first: Avdelning grundskola."
    ]
    assert group.administration.is_active is True
    assert OrgUnit.objects.get(pk=group.administration.pk).is_active is True


def test_a_branch_is_dissolved_from_the_bottom_and_restored_from_the_top(group):
    for unit in (group.school, group.department, group.administration):
        orgunit_dissolve(unit=unit)
    with pytest.raises(ValidationError) as excinfo:
        orgunit_restore(unit=group.school)
    assert messages(excinfo) == [
        "“Avdelning grundskola” is dissolved: no active unit can be placed under it."
    ]
    for unit in (group.administration, group.department, group.school):
        orgunit_restore(unit=unit)
    assert OrgUnit.objects.active().count() == OrgUnit.objects.count()
