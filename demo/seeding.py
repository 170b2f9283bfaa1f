"""Write the demo data so that running it again changes nothing."""

from datetime import date

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from demo.goals import EXTRA_PROCESSES, STRATEGIC_PROCESSES, VISION, DemoGoal
from demo.organisation import DEMO_PASSWORD, DEMO_USERS, SJOSTAD, DemoUnit, DemoUser
from demo.processes import PROCESSES, TARGET_GROUPS, DemoTargetGroup
from goals.models import Goal, Period
from goals.services import goal_approve, goal_submit
from orgunits.models import Membership, OrgUnit
from processes.models import Process, TargetGroup


@transaction.atomic
def seed_demo() -> dict[str, int]:
    """Create or bring up to date the demo group, its users, processes and this year's steering chain.

    Returns how many rows of each kind were created.
    """
    created = {"units": _seed_unit(SJOSTAD, parent=None), "users": 0}
    units = {unit.slug: unit for unit in OrgUnit.objects.all()}
    for demo_user in DEMO_USERS:
        created["users"] += _seed_user(demo_user, units)
    users = {
        user.username: user
        for user in get_user_model().objects.filter(username__in=[u.username for u in DEMO_USERS])
    }
    created["target groups"] = sum(_seed_target_group(spec, parent=None) for spec in TARGET_GROUPS)
    created["processes"] = _seed_processes(units, users)
    period, _ = Period.objects.get_or_create(year=timezone.localdate().year)
    seeding = _GoalSeeding(period, units, users, {process.slug: process for process in Process.objects.all()})
    created["goals"] = seeding.seed(VISION, parent=None, processes=())
    created["decisions"] = _approve(seeding.new_goals, period=period, recorded_by=users["admin"])
    return created


def _seed_unit(spec: DemoUnit, *, parent: OrgUnit | None) -> int:
    fields = {
        "name": spec.name,
        "short_name": spec.short_name,
        "kind": spec.kind,
        "description": spec.description,
        "is_active": True,
    }
    unit, created = _seed_node(OrgUnit, lookup={"slug": spec.slug}, fields=fields, parent=parent)
    for child in spec.children:
        created += _seed_unit(child, parent=unit)
    return created


class _GoalSeeding:
    """This year's demo chain, with the processes each goal serves."""

    def __init__(self, period: Period, units: dict, users: dict, processes: dict):
        self.period, self.units, self.users, self.processes = period, units, users, processes
        self.new_goals: list[Goal] = []

    def seed(self, spec: DemoGoal, *, parent: Goal | None, processes: tuple[str, ...]) -> int:
        start_date, due_date = spec.dates(self.period.year)
        fields = {
            "level": spec.level,
            "description": spec.description,
            "owner": self.users.get(spec.owner),
            "start_date": start_date,
            "due_date": due_date,
            "progress": spec.progress,
        }
        lookup = {"period": self.period, "org_unit": self.units[spec.unit], "title": spec.title}
        goal, created = _seed_node(Goal, lookup=lookup, fields=fields, parent=parent)
        if created:
            self.new_goals.append(goal)
        # A goal serves the main process of the strategic goal it breaks down, and perhaps more.
        inherited = processes or (
            (STRATEGIC_PROCESSES[spec.title],) if spec.title in STRATEGIC_PROCESSES else ()
        )
        goal.processes.set(
            [self.processes[slug] for slug in {*inherited, *EXTRA_PROCESSES.get(spec.title, ())}]
        )
        for child in spec.children:
            created += self.seed(child, parent=goal, processes=inherited)
        return created


def _approve(new_goals: list[Goal], *, period: Period, recorded_by) -> int:
    """Approve the goals this run created, one decision per deciding body or unit, as the plan for
    the year is decided: the council in November, the others in January. Goals that people made
    in the demo stay as they are."""
    by_deciding_unit: dict[OrgUnit, list[Goal]] = {}
    for goal in new_goals:
        by_deciding_unit.setdefault(goal.deciding_unit, []).append(goal)
    ordered = sorted(by_deciding_unit.items(), key=lambda item: item[0].path)
    for number, (unit, goals) in enumerate(ordered, start=1):
        for goal in goals:
            goal_submit(goal=goal, by=recorded_by)
        council = unit.is_root()
        goal_approve(
            goals=goals,
            by=recorded_by,
            meeting_date=date(period.year - 1, 11, 25) if council else date(period.year, 1, 20 + number % 8),
            paragraph=f"§ {187 if council else 10 + number}",
            registry_number=f"{unit.short_name or 'Dnr'} {period.year - 1}/{number:05d}",
        )
    return len(ordered)


def _seed_target_group(spec: DemoTargetGroup, *, parent: TargetGroup | None) -> int:
    fields = {"name": spec.name, "description": spec.description}
    group, created = _seed_node(TargetGroup, lookup={"slug": spec.slug}, fields=fields, parent=parent)
    return created + sum(_seed_target_group(child, parent=group) for child in spec.children)


def _seed_processes(units: dict, users: dict) -> int:
    groups = {group.slug: group for group in TargetGroup.objects.all()}
    created = 0
    for spec in PROCESSES:
        fields = {
            "name": spec.name,
            "kind": spec.kind,
            "purpose": spec.purpose,
            "owner": users.get(spec.owner),
            "owning_unit": units[spec.owning_unit],
            "is_active": True,
        }
        process, was_created = Process.objects.get_or_create(slug=spec.slug, defaults=fields)
        created += was_created
        _bring_up_to_date(process, fields)
        process.participants.set([units[slug] for slug in spec.participants])
        process.target_groups.set([groups[slug] for slug in spec.target_groups])
    return created


def _seed_node(model, *, lookup: dict, fields: dict, parent):
    """The tree node found by ``lookup``, brought up to date, or a new one placed under ``parent``
    (at the top when None). Returns the node and 1 when it was created, else 0."""
    node = model.objects.filter(**lookup).first()
    if node is not None:
        _bring_up_to_date(node, fields)
        return node, 0
    new_node = model(**lookup, **fields)
    if parent is None:
        return model.objects.add_root(instance=new_node), 1
    return model.objects.add_child(parent, instance=new_node), 1


def _bring_up_to_date(row, fields: dict) -> None:
    """Save only the fields that differ, so that a second run writes nothing."""
    if changed := [name for name, value in fields.items() if getattr(row, name) != value]:
        for name in changed:
            setattr(row, name, fields[name])
        row.save(update_fields=changed)


def _seed_user(spec: DemoUser, units: dict) -> int:
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
    for unit_slug, role, position in spec.memberships:
        membership, _ = Membership.objects.get_or_create(
            user=user, org_unit=units[unit_slug], role=role, defaults={"position": position}
        )
        _bring_up_to_date(membership, {"position": position})
    return int(created)
