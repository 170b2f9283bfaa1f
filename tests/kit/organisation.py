"""The organisation to test against: units placed through the tree's manager, as every real path
places them.

- ``add_unit(kind, name, parent=None, **fields)``: one unit (a root when ``parent`` is None).
- ``Group``: a small municipal group with one unit of every kind (``group.council``,
  ``group.committee``, ``group.administration``, ``group.department``, ``group.school``, ...);
  the ``group`` fixture builds one.
- ``build_group(size)``: a valid group of exactly ``size`` units, for query counts at two sizes.

People in it are in ``tests.kit.people`` (``member_of``, the fixed cast); goals in
``tests.kit.chain``.
"""

import pytest

from orgunits.kinds import Kind
from orgunits.models import OrgUnit


def add_unit(kind: Kind, name: str, parent: OrgUnit | None = None, **fields) -> OrgUnit:
    """Place a new unit through the manager, as every real path does."""
    unit = OrgUnit(name=name, kind=kind, **fields)
    if parent is None:
        return OrgUnit.objects.add_root(instance=unit)
    return OrgUnit.objects.add_child(parent, instance=unit)


def build_group(size: int) -> OrgUnit:
    """A valid municipal group of exactly ``size`` units, four levels deep, for query-count tests."""
    council = add_unit(Kind.COUNCIL, "Kommunfullmäktige")
    made = 1
    while made < size:
        committee = add_unit(Kind.COMMITTEE, f"Nämnd {made}", council)
        made += 1
        if made < size:
            administration = add_unit(Kind.ADMINISTRATION, f"Förvaltning {made}", committee)
            made += 1
            while made < size and made % 10:
                add_unit(Kind.UNIT, f"Enhet {made}", administration)
                made += 1
    return council


class Group:
    """A small municipal group with one unit of every kind, refreshed from the database on demand."""

    def __init__(self):
        self.council = add_unit(Kind.COUNCIL, "Kommunfullmäktige", short_name="KF")
        self.board = add_unit(Kind.EXECUTIVE_BOARD, "Kommunstyrelsen", self.council, short_name="KS")
        self.committee = add_unit(Kind.COMMITTEE, "Utbildningsnämnden", self.council, short_name="UN")
        self.other_committee = add_unit(Kind.COMMITTEE, "Omsorgsnämnden", self.council)
        self.administration = add_unit(Kind.ADMINISTRATION, "Utbildningsförvaltningen", self.committee)
        self.department = add_unit(Kind.DEPARTMENT, "Avdelning grundskola", self.administration)
        self.school = add_unit(Kind.UNIT, "Västra skolan", self.department)
        self.company = add_unit(Kind.COMPANY, "Stadshus AB", self.council)
        self.subsidiary = add_unit(Kind.COMPANY, "Bostäder AB", self.company)
        self.federation = add_unit(Kind.FEDERATION, "Räddningstjänsten", self.council)
        self.auditors = add_unit(Kind.AUDITORS, "Revisorerna", self.council)

    def refresh(self) -> None:
        for unit in vars(self).values():
            unit.refresh_from_db()


@pytest.fixture
def group(db) -> Group:
    return Group()
