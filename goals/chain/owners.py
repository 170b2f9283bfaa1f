"""Who may own a goal (its ``owner``, the person who answers for it): the one rule, asked by the
goal form's choices and by the goal services (pages and API) alike.

A goal's owner is one of the people who carry it out or steer it, by their roles in the
organisation (``orgunits.Membership``):

- a manager or an editor of the goal's unit, of a unit above it, or of a unit below it (the head
  of an administration owns its operational goal, a principal the school's activity);
- for the goal of a political body (a vision, a strategic or a body goal), also the body's own
  politicians and secretary (the chair owns a committee's goal), and the managers and editors of
  the administrations that also serve the body (they prepare its goals).

Viewers, people without a role anywhere near the goal, and staff as such (the administrators) are
not offered. A goal keeps the owner it has, even where that person has since moved on, until
someone chooses another: stored data stays readable and savable.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext

from goals.chain.levels import POLITICALLY_DECIDED_LEVELS
from orgunits.kinds import quoted
from orgunits.models import BODY_ROLES, SUBTREE_ROLES, Membership, OrgUnit, display_name
from orgunits.trees import subtree_of


@dataclass(frozen=True)
class OwnerChoice:
    """A person who may own the goal, with the unit (and role) the form groups and labels them by."""

    user: object
    unit: OrgUnit
    role_label: str


def _memberships_owning(unit: OrgUnit, *, political: bool, serving: bool | None = None):
    # The administrations that also serve the body prepare its goals: a political goal's by default.
    with_serving = political if serving is None else serving
    near = Q(org_unit__path__in=unit.ancestor_paths(include_self=True)) | subtree_of(unit, "org_unit__")
    if with_serving:
        for administration in unit.also_served_by.active():
            near |= subtree_of(administration, "org_unit__")
    owning = Q(near, role__in=SUBTREE_ROLES)
    if political:
        owning |= Q(org_unit=unit, role__in=BODY_ROLES)
    return Membership.objects.filter(owning, user__is_active=True, org_unit__is_active=True)


def owner_choices(unit: OrgUnit, *, political: bool, serving: bool | None = None) -> list[OwnerChoice]:
    """The people who may own a goal set at ``unit`` (a political body's goal with ``political``),
    each once, under the unit nearest the goal where they have a role, the units in the
    organisation's order and the people by name. Two queries (three for a political body's goal).

    For a goal about to break down a goal of ``unit`` at a unit not chosen yet, ``political`` is
    false and ``serving`` says whether the administrations serving the body are in its part: the
    people offered are those of the whole part, and the rule is asked again of the unit chosen."""
    memberships = _memberships_owning(unit, political=political, serving=serving)
    memberships = memberships.select_related("user", "org_unit")
    memberships = sorted(
        memberships,
        key=lambda membership: (
            abs(membership.org_unit.depth - unit.depth),
            membership.org_unit.path,
            display_name(membership.user).lower(),
        ),
    )
    chosen: dict[int, OwnerChoice] = {}
    for membership in memberships:
        if membership.user_id not in chosen:
            chosen[membership.user_id] = OwnerChoice(
                membership.user, membership.org_unit, membership.get_role_display().lower()
            )
    return sorted(chosen.values(), key=lambda choice: (choice.unit.path, display_name(choice.user).lower()))


def owner_problem(*, owner, unit: OrgUnit, level: str, kept_owner_id: int | None = None) -> str | None:
    """Why ``owner`` may not own a goal of ``level`` set at ``unit``, or None when they may (no owner
    at all, or ``kept_owner_id``, the owner the goal has now, always may). One query."""
    if owner is None or owner.pk == kept_owner_id:
        return None
    political = level in POLITICALLY_DECIDED_LEVELS
    if _memberships_owning(unit, political=political).filter(user=owner).exists():
        return None
    if political:
        message = gettext(
            "%(person)s cannot own a goal of %(unit)s. Its owner is one of its politicians or its "
            "secretary, or a manager or an editor of %(unit)s, of a unit above or below it, or of an "
            "administration that serves it."
        )
    else:
        message = gettext(
            "%(person)s cannot own a goal of %(unit)s. Its owner is a manager or an editor of "
            "%(unit)s, of a unit above it or of a unit below it."
        )
    return message % {"person": quoted(display_name(owner)), "unit": quoted(unit.name)}
