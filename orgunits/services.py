"""What can be done to an organisation unit, with the rule each action keeps."""

from django.core.exceptions import ValidationError
from django.db import transaction

from orgunits.concurrency import Conflict
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


@transaction.atomic
def orgunit_set_serving(*, unit: OrgUnit, bodies) -> OrgUnit:
    """Set the political bodies ``unit`` also serves besides the one it stands under (and no others).

    The forms and the API check the rule first, for their messages; here it is checked again under
    the organisation's lock, which every goal write holds shared: a goal placed meanwhile under the
    goal of a committee the unit stops serving counts. Refused then as a ``Conflict`` (409 in the API,
    a message in the admin), since the person decided on a chain that has changed since.
    """
    OrgUnit.objects.lock_tree(unit)
    unit.reread()
    bodies = list(OrgUnit.objects.filter(pk__in=[body.pk for body in bodies]))
    if problems := unit.serving_problems(bodies):
        raise Conflict(problems)
    unit.also_serves.set(bodies)
    return unit
