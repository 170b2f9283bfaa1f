"""Who may do what to the organisation: predicates for django-rules, shared by views, templates,
the admin and the API.

A user's memberships are fetched once per request and kept on the user object, so checking many
objects on one page costs no further queries.
"""

import rules
from django.db.models import Q

from orgunits.kinds import Kind
from orgunits.models import BODY_ROLES, SUBTREE_ROLES, Membership, OrgUnit, Role
from orgunits.trees import parent_path_of

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


_PREPARED_CACHE = "_styrmodell_prepared_bodies"


def bodies_prepared_by(user) -> set[str]:
    """The paths of the political bodies whose business ``user`` prepares (bereder) as a manager or
    an editor of an administration: the body the administration stands under, every body it also
    serves (``OrgUnit.also_serves``, while both are active), and the council for the executive
    board's administration (kommunledningsförvaltningen). The politicians decide. No query for
    someone who manages nothing, one otherwise, kept on the user for the request."""
    if not hasattr(user, _PREPARED_CACHE):
        preparers = [each.org_unit for each in memberships_of(user) if each.role in SUBTREE_ROLES]
        paths = {unit.parent_path for unit in preparers}
        if preparers:
            above = OrgUnit.objects.filter(
                Q(also_served_by__in=[unit for unit in preparers if unit.is_active], is_active=True)
                | Q(path__in=paths, kind=Kind.EXECUTIVE_BOARD)
            ).values_list("path", "kind")
            for path, kind in above:
                # The executive board's administration prepares the council's business too.
                paths.add(path[: -OrgUnit.steplen] if kind == Kind.EXECUTIVE_BOARD else path)
        paths.discard("")
        setattr(user, _PREPARED_CACHE, paths)
    return getattr(user, _PREPARED_CACHE)


def prepared_bodies_filter(user, unit: str = "", *, with_secretaries: bool = False) -> Q:
    """``bodies_prepared_by`` as a filter on units (``unit``: the path to the unit, "" for units),
    with no query of its own, for a query that asks it of many rows; ``with_secretaries`` adds the
    bodies where ``user`` is the secretary (``drafts_for_body``)."""
    memberships = memberships_of(user)
    preparers = [each.org_unit for each in memberships if each.role in SUBTREE_ROLES]
    paths = {each.parent_path for each in preparers} - {""}
    if with_secretaries:
        paths |= {each.org_unit.path for each in memberships if each.role == Role.SECRETARY}
    within = Q(**{f"{unit}path__in": paths}) if paths else Q(**{f"{unit}pk__in": []})
    if preparers:
        also_served = OrgUnit.objects.filter(
            also_served_by__in=[each.pk for each in preparers if each.is_active], is_active=True
        )
        boards = OrgUnit.objects.filter(
            path__in={each.parent_path for each in preparers}, kind=Kind.EXECUTIVE_BOARD
        ).annotate(above=parent_path_of(OrgUnit))
        within |= Q(**{f"{unit}pk__in": also_served.values("pk")})
        within |= Q(**{f"{unit}path__in": boards.values("above")})
    return within


@rules.predicate
def serves_body(user, unit: OrgUnit | None) -> bool:
    """A manager or an editor of an administration that serves the political body
    (``bodies_prepared_by``): it prepares the body's business and its follow-up."""
    return unit is not None and unit.is_political and unit.path in bodies_prepared_by(user)


@rules.predicate
def is_secretary_of(user, unit: OrgUnit | None) -> bool:
    """The secretary of the political body."""
    return unit is not None and any(
        membership.role == Role.SECRETARY and membership.org_unit_id == unit.pk
        for membership in memberships_of(user)
    )


# Who drafts a political body's goals: its administrations, and its secretary, who keeps its papers.
drafts_for_body = serves_body | is_secretary_of


# Admins edit memberships anywhere (also in the admin); a manager within their own subtree.
rules.add_perm("orgunits.manage_memberships", rules.is_staff | is_manager_of)
