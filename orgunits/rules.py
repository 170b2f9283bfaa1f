"""Who may do what to the organisation: predicates for django-rules, shared by views, templates,
the admin and the API.

A user's memberships are fetched once per request and kept on the user object, so checking many
objects on one page costs no further queries.
"""

import rules
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Greatest, Length, Substr

from orgunits.kinds import POLITICAL_KINDS, Kind
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


def preparing(*, preparers=None, bodies=None, columns=("preparer", "body_path")) -> QuerySet:
    """Which units prepare (bereder) the business of which political body, the rule stated once:
    rows of ``(preparer, body_path)``, the pk of a unit whose managers and editors prepare and the
    path of the body. The administration prepares, the body decides. A body's business is prepared
    by the units directly under it; by the active administrations that also serve it while it is
    active (``OrgUnit.also_serves``); and, for the council, by the units directly under the
    executive board (kommunledningsförvaltningen).

    ``preparers`` (unit pks) and ``bodies`` (body paths) narrow either side, ``columns`` picks the
    columns (one, for a subquery in another query's filter). Read one way it gives the bodies a
    person prepares (``bodies_prepared_by``), the other way the people who answer for a body's goals
    (``notices.recipients``). One query (a union), or a subquery of another's.
    """
    directly_under = OrgUnit.objects.filter(
        Exists(
            OrgUnit.objects.filter(path=parent_path_of(OrgUnit, OuterRef("path")), kind__in=POLITICAL_KINDS)
        )
    ).annotate(preparer=F("pk"), body_path=parent_path_of(OrgUnit))
    serving = OrgUnit.also_serves.through.objects.filter(
        from_orgunit__is_active=True, to_orgunit__is_active=True
    ).annotate(preparer=F("from_orgunit_id"), body_path=F("to_orgunit__path"))
    under_the_board = OrgUnit.objects.filter(
        Exists(
            OrgUnit.objects.filter(path=parent_path_of(OrgUnit, OuterRef("path")), kind=Kind.EXECUTIVE_BOARD)
        )
    ).annotate(
        # The board's parent; never a negative length, which PostgreSQL refuses, for a root's row.
        preparer=F("pk"),
        body_path=Substr("path", 1, Greatest(Length("path") - 2 * OrgUnit.steplen, 0)),
    )
    parts = []
    for part in (directly_under, serving, under_the_board):
        if preparers is not None:
            part = part.filter(preparer__in=preparers)
        if bodies is not None:
            part = part.filter(body_path__in=bodies)
        parts.append(part.order_by().values_list(*columns))
    return parts[0].union(*parts[1:])


def _preparing_units(user) -> list[int]:
    return [each.org_unit_id for each in memberships_of(user) if each.role in SUBTREE_ROLES]


def bodies_prepared_by(user) -> set[str]:
    """The paths of the political bodies whose business ``user`` prepares as a manager or an editor
    of a unit that prepares it (``preparing``). No query for someone who manages nothing, one
    otherwise, kept on the user for the request."""
    if not hasattr(user, _PREPARED_CACHE):
        units = _preparing_units(user)
        paths = {path for _unit, path in preparing(preparers=units)} if units else set()
        setattr(user, _PREPARED_CACHE, paths)
    return getattr(user, _PREPARED_CACHE)


def prepared_bodies_filter(user, unit: str = "", *, with_secretaries: bool = False) -> Q:
    """``bodies_prepared_by`` as a filter on units (``unit``: the path to the unit, "" for units),
    with no query of its own, for a query that asks it of many rows; ``with_secretaries`` adds the
    bodies where ``user`` is the secretary (``drafts_for_body``)."""
    memberships = memberships_of(user)
    within = Q(**{f"{unit}pk__in": []})
    if units := _preparing_units(user):
        within = Q(**{f"{unit}path__in": preparing(preparers=units, columns=["body_path"])})
    if with_secretaries:
        secretary_of = [each.org_unit_id for each in memberships if each.role == Role.SECRETARY]
        within |= Q(**{f"{unit}pk__in": secretary_of})
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
