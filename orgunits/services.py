"""What can be done to an organisation unit, with the rule each action keeps."""

from django.core.exceptions import ValidationError
from django.db import transaction

from orgunits.models import OrgUnit


def orgunit_dissolve(*, unit: OrgUnit) -> OrgUnit:
    """Dissolve a unit: it keeps its place and history but leaves the tree of active units.

    Refused (``ValidationError``) while active units stand under it, so that dissolving never
    strands a living part of the organisation under a dissolved one.
    """
    return _set_active(unit=unit, is_active=False)


def orgunit_restore(*, unit: OrgUnit) -> OrgUnit:
    """Make a dissolved unit active again; refused while the unit it stands under is dissolved."""
    return _set_active(unit=unit, is_active=True)


@transaction.atomic
def _set_active(*, unit: OrgUnit, is_active: bool) -> OrgUnit:
    # Whether a unit may be dissolved or restored depends on the units around it: decide it under
    # the tree's lock, on the tree as it is now, so that a unit added under it meanwhile counts.
    OrgUnit.objects.lock_tree(unit)
    unit.reread()
    was_active, unit.is_active = unit.is_active, is_active
    try:
        unit.full_clean()
    except ValidationError:
        unit.is_active = was_active
        raise
    unit.save(update_fields=["is_active"])
    return unit
