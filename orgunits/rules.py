"""Who may do what to the organisation: predicates for django-rules, shared by views, templates,
the admin and the API.

A user's memberships are fetched once per request and kept on the user object, so checking many
objects on one page costs no further queries.
"""

import rules

from orgunits.models import BODY_ROLES, SUBTREE_ROLES, Membership, OrgUnit, Role

_CACHE = "_styrmodell_memberships"


def memberships_of(user) -> list[Membership]:
    if not user.is_authenticated:
        return []
    if not hasattr(user, _CACHE):
        setattr(user, _CACHE, list(Membership.objects.filter(user=user).select_related("org_unit")))
    return getattr(user, _CACHE)


@rules.predicate
def manages_unit(user, unit: OrgUnit | None) -> bool:
    """A manager or an editor of the unit or of a unit above it."""
    return unit is not None and any(
        membership.role in SUBTREE_ROLES and unit.is_placed_under(membership.org_unit)
        for membership in memberships_of(user)
    )


def seats_on_body(membership: Membership, unit: OrgUnit) -> bool:
    """Whether the membership is a politician's or the secretary's of the political body ``unit``:
    ``sits_on_body`` asked of one membership, for code that asks it of many people at once."""
    return membership.role in BODY_ROLES and membership.org_unit_id == unit.pk


def manages_from_above(membership: Membership, unit: OrgUnit) -> bool:
    """Whether the membership is a manager's (not an editor's) of ``unit`` or of a unit above it:
    ``is_manager_of`` asked of one membership."""
    return membership.role == Role.MANAGER and unit.is_placed_under(membership.org_unit)


@rules.predicate
def sits_on_body(user, unit: OrgUnit | None) -> bool:
    """A politician or the secretary of the political body."""
    return unit is not None and any(seats_on_body(membership, unit) for membership in memberships_of(user))


@rules.predicate
def is_manager_of(user, unit: OrgUnit | None) -> bool:
    """A manager (not an editor) of the unit or of a unit above it."""
    return unit is not None and any(
        manages_from_above(membership, unit) for membership in memberships_of(user)
    )


@rules.predicate
def serves_body(user, unit: OrgUnit | None) -> bool:
    """A manager or an editor of a unit directly under the political body: its administration,
    which prepares the body's business and its follow-up."""
    return unit is not None and any(
        membership.role in SUBTREE_ROLES and membership.org_unit.parent_path == unit.path
        for membership in memberships_of(user)
    )


# Admins edit memberships anywhere (also in the admin); a manager within their own subtree.
rules.add_perm("orgunits.manage_memberships", rules.is_staff | is_manager_of)
