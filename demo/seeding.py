"""Write the demo data so that running it again changes nothing."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.goals import VISION, DemoGoal
from demo.organisation import DEMO_PASSWORD, DEMO_USERS, SJOSTAD, DemoUnit, DemoUser
from goals.models import Goal, Period
from orgunits.models import OrgUnit


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create or bring up to date the demo group, its users and this year's steering chain.

    Returns how many rows of each kind were created.
    """
    created = {"units": _seed_unit(SJOSTAD, parent=None), "users": 0}
    for demo_user in DEMO_USERS:
        created["users"] += _seed_user(demo_user)
    period, _ = Period.objects.get_or_create(year=timezone.localdate().year)
    units = {unit.slug: unit for unit in OrgUnit.objects.all()}
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=[u.username for u in DEMO_USERS])
    }
    created["goals"] = _seed_goal(VISION, parent=None, period=period, units=units, users=users)
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
    else:
        _bring_up_to_date(unit, fields)
    for child in spec.children:
        created += _seed_unit(child, parent=unit)
    return created


def _seed_goal(spec: DemoGoal, *, parent: Goal | None, period: Period, units: dict, users: dict) -> int:
    start_date, due_date = spec.dates(period.year)
    fields = {
        "level": spec.level,
        "description": spec.description,
        "owner": users.get(spec.owner),
        "start_date": start_date,
        "due_date": due_date,
        "progress": spec.progress,
    }
    created = 0
    unit = units[spec.unit]
    goal = Goal.objects.filter(period=period, org_unit=unit, title=spec.title).first()
    if goal is None:
        new_goal = Goal(title=spec.title, org_unit=unit, period=period, **fields)
        if parent is None:
            goal = Goal.objects.add_root(instance=new_goal)
        else:
            goal = Goal.objects.add_child(parent, instance=new_goal)
        created = 1
    else:
        _bring_up_to_date(goal, fields)
    for child in spec.children:
        created += _seed_goal(child, parent=goal, period=period, units=units, users=users)
    return created


def _bring_up_to_date(row, fields: dict) -> None:
    """Save only the fields that differ, so that a second run writes nothing."""
    if changed := [name for name, value in fields.items() if getattr(row, name) != value]:
        for name in changed:
            setattr(row, name, fields[name])
        row.save(update_fields=changed)


def _seed_user(spec: DemoUser) -> int:
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
