"""Write the demo data so that running it again changes nothing."""

from django.contrib.auth import get_user_model
from django.db import transaction

from demo.organisation import DEMO_PASSWORD, DEMO_USERS, SJOSTAD, DemoUnit
from orgunits.models import OrgUnit


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create or bring up to date the demo group and users; returns how many rows were created."""
    created = {"units": 0, "users": 0}
    created["units"] = _seed_unit(SJOSTAD, parent=None)
    for demo_user in DEMO_USERS:
        created["users"] += _seed_user(demo_user)
    return created


def _seed_unit(spec: DemoUnit, *, parent: OrgUnit | None) -> int:
    fields = {
        "name": spec.name,
        "short_name": spec.short_name,
        "kind": spec.kind,
        "description": spec.description,
        "is_active": True,
    }
    created = 0
    unit = OrgUnit.objects.filter(slug=spec.slug).first()
    if unit is None:
        new_unit = OrgUnit(slug=spec.slug, **fields)
        if parent is None:
            unit = OrgUnit.objects.add_root(instance=new_unit)
        else:
            unit = OrgUnit.objects.add_child(parent, instance=new_unit)
        created = 1
    elif changed := [name for name, value in fields.items() if getattr(unit, name) != value]:
        for name in changed:
            setattr(unit, name, fields[name])
        unit.save(update_fields=changed)
    for child in spec.children:
        created += _seed_unit(child, parent=unit)
    return created


def _seed_user(spec) -> int:
    user, created = get_user_model().objects.get_or_create(
        username=spec.username,
        defaults={
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": f"{spec.username}@sjostad.example",
            "is_staff": spec.is_staff,
            "is_superuser": spec.is_superuser,
        },
    )
    if created:
        # Only on creation: hashing again would change the stored hash (a new salt) on every run.
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return int(created)
