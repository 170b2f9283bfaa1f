"""The kinds of organisation unit, and the one table that says which kind may stand under which.

Every path that places a unit in the tree (creating it, changing its kind, moving it, the admin's
drag and drop) asks :func:`placement_error`, so the rule lives here and nowhere else.
"""

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    COUNCIL = "council", _("Council")
    EXECUTIVE_BOARD = "executive_board", _("Executive board")
    COMMITTEE = "committee", _("Committee")
    JOINT_COMMITTEE = "joint_committee", _("Joint committee")
    ADMINISTRATION = "administration", _("Administration")
    DEPARTMENT = "department", _("Department")
    UNIT = "unit", _("Unit")
    COMPANY = "company", _("Company")
    FEDERATION = "federation", _("Federation")
    AUDITORS = "auditors", _("Auditors")


# Kinds that decide (political bodies). A company or a federation decides through its board, so it
# counts as political; the departments and units below it carry out its decisions.
POLITICAL_KINDS = frozenset(
    {
        Kind.COUNCIL,
        Kind.EXECUTIVE_BOARD,
        Kind.COMMITTEE,
        Kind.JOINT_COMMITTEE,
        Kind.COMPANY,
        Kind.FEDERATION,
    }
)

# Kinds that review the steering chain from outside it: the auditors, elected by the council
# (Kommunallagen ch. 12), set no goals, decide and prepare nothing, and read everything. Their people
# are the elected auditors (as politicians, with their positions) and viewers.
REVIEWING_KINDS = frozenset({Kind.AUDITORS})

# The organisations of the group: what people mean by "an organisation" when they ask who
# contributes to a process. Every unit inside one belongs to the nearest one above it.
ORGANISATION_KINDS = frozenset({Kind.ADMINISTRATION, Kind.COMPANY, Kind.FEDERATION})

# Stands for "no parent": the top of a municipal group. A second council at the top is a second group.
TOP = None

# The rule table: each kind, and the kinds it may stand directly under.
ALLOWED_PARENT_KINDS: dict[Kind, tuple[Kind | None, ...]] = {
    Kind.COUNCIL: (TOP,),
    Kind.EXECUTIVE_BOARD: (Kind.COUNCIL,),
    Kind.COMMITTEE: (Kind.COUNCIL,),
    # Hosted by this municipality for others too (Kommunallagen ch. 9): in the host's tree it stands
    # under the host's council, like any committee, and names the others in partner_municipalities.
    Kind.JOINT_COMMITTEE: (Kind.COUNCIL,),
    Kind.ADMINISTRATION: (Kind.EXECUTIVE_BOARD, Kind.COMMITTEE, Kind.JOINT_COMMITTEE),
    # A company's or a federation's own operations are organised in departments and units.
    Kind.DEPARTMENT: (Kind.ADMINISTRATION, Kind.COMPANY, Kind.FEDERATION),
    Kind.UNIT: (Kind.ADMINISTRATION, Kind.DEPARTMENT, Kind.COMPANY, Kind.FEDERATION),
    Kind.COMPANY: (Kind.COUNCIL, Kind.COMPANY),
    Kind.FEDERATION: (Kind.COUNCIL,),
    # Elected by the council and answering to it alone; nothing stands under them.
    Kind.AUDITORS: (Kind.COUNCIL,),
}

# The second rule table: each kind that may also serve political bodies other than the one it stands
# under, and the kinds it may serve. Many municipalities have one administration (a
# samhällsbyggnadsförvaltning) that prepares and carries out the business of two or three committees;
# it stands under one of them in the tree and serves the others.
MAY_ALSO_SERVE: dict[Kind, tuple[Kind, ...]] = {
    Kind.ADMINISTRATION: (Kind.EXECUTIVE_BOARD, Kind.COMMITTEE, Kind.JOINT_COMMITTEE),
}

# Heroicons (outline) shown beside the kind's name; the name is always there as text too.
KIND_ICONS: dict[Kind, str] = {
    Kind.COUNCIL: "building-library",
    Kind.EXECUTIVE_BOARD: "scale",
    Kind.COMMITTEE: "user-group",
    Kind.JOINT_COMMITTEE: "users",
    Kind.ADMINISTRATION: "building-office-2",
    Kind.DEPARTMENT: "rectangle-group",
    Kind.UNIT: "home-modern",
    Kind.COMPANY: "building-storefront",
    Kind.FEDERATION: "link",
    Kind.AUDITORS: "document-magnifying-glass",
}

_TOP_LABEL = _("the top of the organisation")


def quoted(name) -> str:
    """A name in the quotation marks of the active language: “English”, ”svenska”."""
    return gettext("“%(name)s”") % {"name": name}


def _label(kind: Kind | None) -> str:
    return quoted(_TOP_LABEL if kind is TOP else Kind(kind).label)


def is_political(kind: str) -> bool:
    return kind in POLITICAL_KINDS


def is_reviewing(kind: str) -> bool:
    return kind in REVIEWING_KINDS


def placement_error(unit, parent) -> str | None:
    """Say why ``unit`` may not stand directly under ``parent`` (``None``: the top of the tree).

    Both are units or anything with a ``name`` and a ``kind``, as the change would leave them.
    Returns ``None`` when the rule table allows the placement, otherwise a message that names both
    units and their kinds, and the places the unit's kind may stand: whoever reads it in the admin,
    a web form or the API sees which unit could not go where.
    """
    kind, parent_kind = Kind(unit.kind), (Kind(parent.kind) if parent is not None else TOP)
    allowed = ALLOWED_PARENT_KINDS[kind]
    if parent_kind in allowed:
        return None
    names = {
        "unit": quoted(unit.name),
        "kind": kind.label.lower(),
        "kind_label": _label(kind),
        "allowed": ", ".join(_label(allowed_kind) for allowed_kind in allowed),
    }
    if parent is None:
        message = gettext(
            "%(unit)s (%(kind)s) cannot be placed at the top of the organisation: %(kind_label)s may be placed under: %(allowed)s."
        )
    else:
        message = gettext(
            "%(unit)s (%(kind)s) cannot be placed under %(parent)s (%(parent_kind)s): %(kind_label)s may be placed under: %(allowed)s."
        )
        names |= {"parent": quoted(parent.name), "parent_kind": parent_kind.label.lower()}
    return message % names


def serving_error(unit, body) -> str | None:
    """Say why ``unit`` may not also serve the political body ``body``, naming both units; ``None``
    when it may (``MAY_ALSO_SERVE``). Whether ``unit`` already stands under ``body`` is the model's
    question (``OrgUnit.serving_problems``). A missing or unknown kind is its own field's error, not
    this rule's: ``None`` then too."""
    if unit.kind not in Kind.values:
        return None
    allowed = MAY_ALSO_SERVE.get(Kind(unit.kind), ())
    if body.kind in allowed:
        return None
    if not allowed:
        message = gettext(
            "%(unit)s (%(kind)s) cannot serve %(body)s (%(body_kind)s): only these kinds of unit serve a body they do not stand under: %(serving)s."
        )
    else:
        message = gettext(
            "%(unit)s (%(kind)s) cannot serve %(body)s (%(body_kind)s): it may serve only: %(allowed)s."
        )
    return message % {
        "unit": quoted(unit.name),
        "kind": Kind(unit.kind).label.lower(),
        "body": quoted(body.name),
        "body_kind": Kind(body.kind).label.lower(),
        "allowed": ", ".join(quoted(Kind(kind).label) for kind in allowed),
        "serving": ", ".join(quoted(Kind(kind).label) for kind in MAY_ALSO_SERVE),
    }
