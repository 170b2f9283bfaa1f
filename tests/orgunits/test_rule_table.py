"""The rule table, pair by pair: what may stand directly under what."""

import itertools
from types import SimpleNamespace

import pytest
from django.utils import translation

from orgunits.kinds import Kind, is_political, placement_error

TOP = None

# Written out here on purpose, apart from the table in the code, so that a change to the table
# is a change a reviewer sees in the tests too.
ALLOWED = {
    (Kind.COUNCIL, TOP),
    (Kind.EXECUTIVE_BOARD, Kind.COUNCIL),
    (Kind.COMMITTEE, Kind.COUNCIL),
    (Kind.JOINT_COMMITTEE, Kind.COUNCIL),
    (Kind.AUDITORS, Kind.COUNCIL),
    (Kind.ADMINISTRATION, Kind.EXECUTIVE_BOARD),
    (Kind.ADMINISTRATION, Kind.COMMITTEE),
    (Kind.ADMINISTRATION, Kind.JOINT_COMMITTEE),
    (Kind.DEPARTMENT, Kind.ADMINISTRATION),
    (Kind.DEPARTMENT, Kind.COMPANY),
    (Kind.DEPARTMENT, Kind.FEDERATION),
    (Kind.UNIT, Kind.ADMINISTRATION),
    (Kind.UNIT, Kind.DEPARTMENT),
    (Kind.UNIT, Kind.COMPANY),
    (Kind.UNIT, Kind.FEDERATION),
    (Kind.COMPANY, Kind.COUNCIL),
    (Kind.COMPANY, Kind.COMPANY),
    (Kind.FEDERATION, Kind.COUNCIL),
}
ALL_PAIRS = list(itertools.product(Kind, [TOP, *Kind]))


def placement(kind, parent_kind, name="A unit", parent_name="Its parent"):
    """The rule table's answer for a unit of ``kind`` under one of ``parent_kind`` (None: the top)."""
    parent = None if parent_kind is TOP else SimpleNamespace(name=parent_name, kind=parent_kind)
    return placement_error(SimpleNamespace(name=name, kind=kind), parent)


@pytest.mark.parametrize(("kind", "parent_kind"), sorted(ALLOWED, key=str))
def test_it_allows_each_pair_of_the_table(kind, parent_kind):
    assert placement(kind, parent_kind) is None


@pytest.mark.parametrize(("kind", "parent_kind"), [pair for pair in ALL_PAIRS if pair not in ALLOWED])
def test_it_refuses_every_other_pair(kind, parent_kind):
    assert placement(kind, parent_kind) is not None


def test_the_message_names_both_units_their_kinds_and_where_the_kind_may_stand():
    with translation.override("en"):
        message = placement(Kind.COMPANY, Kind.ADMINISTRATION, "Växjöbostäder AB", "Utbildningsförvaltningen")
    assert message == (
        "“Växjöbostäder AB” (company) cannot be placed under “Utbildningsförvaltningen” (administration): "
        "“Company” may be placed under: “Council”, “Company”."
    )


def test_the_message_is_in_swedish_by_default():
    with translation.override("sv"):
        message = placement(Kind.COMPANY, Kind.ADMINISTRATION, "Växjöbostäder AB", "Utbildningsförvaltningen")
    assert message == (
        "”Växjöbostäder AB” (bolag) kan inte placeras under ”Utbildningsförvaltningen” (förvaltning): "
        "”Bolag” kan placeras under: ”Kommunfullmäktige”, ”Bolag”."
    )


def test_the_message_for_the_top_of_the_tree():
    with translation.override("en"):
        message = placement(Kind.ADMINISTRATION, TOP, "Utbildningsförvaltningen")
    assert message == (
        "“Utbildningsförvaltningen” (administration) cannot be placed at the top of the organisation: "
        "“Administration” may be placed under: “Executive board”, “Committee”, “Joint committee”."
    )


def test_a_council_may_only_stand_at_the_top():
    with translation.override("en"):
        message = placement(Kind.COUNCIL, Kind.COMPANY)
    assert message.endswith("“Council” may be placed under: “the top of the organisation”.")


def test_political_bodies_are_the_deciding_kinds():
    political = {kind for kind in Kind if is_political(kind)}
    assert political == {
        Kind.COUNCIL,
        Kind.EXECUTIVE_BOARD,
        Kind.COMMITTEE,
        Kind.JOINT_COMMITTEE,
        Kind.COMPANY,
        Kind.FEDERATION,
    }


def test_nothing_stands_under_the_auditors():
    assert all(placement(kind, Kind.AUDITORS) is not None for kind in Kind)
