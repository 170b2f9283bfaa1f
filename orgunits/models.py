"""The organisation tree of a municipal group: political bodies and the organisations that execute."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from orgunits.client_address import ClientAddressHistory
from orgunits.concurrency import Versioned
from orgunits.kinds import (
    KIND_ICONS,
    ORGANISATION_KINDS,
    Kind,
    is_political,
    is_reviewing,
    placement_error,
    quoted,
    serving_error,
)
from orgunits.signals import placement_checked, serving_checked
from orgunits.slugs import unique_slug
from orgunits.trees import GuardedNode, GuardedNodeManager, GuardedNodeQuerySet, ancestor_paths


class OrgUnitQuerySet(GuardedNodeQuerySet):
    def active(self) -> OrgUnitQuerySet:
        return self.filter(is_active=True)


class OrgUnitManager(GuardedNodeManager):
    queryset_class = OrgUnitQuerySet

    def active(self) -> OrgUnitQuerySet:
        return self.get_queryset().active()


class OrgUnit(GuardedNode, Versioned):
    """A political body or an executing organisation, placed in the group's tree.

    A dissolved unit (``is_active`` false) keeps its place and its history, and is hidden from the
    tree by default.
    """

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=30, blank=True, help_text=_("An abbreviation such as KS or UN.")
    )
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("The unit's name in web addresses. Made from the name when left empty."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("A dissolved unit is not active: it keeps its history but is hidden from the tree."),
    )
    # Where the tree cannot say it: an administration that stands under one committee and also
    # prepares and carries out the business of others (``MAY_ALSO_SERVE`` says which kinds).
    also_serves = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="also_served_by",
        verbose_name=_("also serves"),
        help_text=_(
            "The political bodies this administration also works for, besides the one it stands under."
        ),
    )

    # A joint committee (gemensam nämnd) belongs to its host municipality's organisation, which is
    # this group's; the others it is common to are outside the group, so they are named, not linked.
    partner_municipalities = models.CharField(
        _("partner municipalities"),
        max_length=300,
        blank=True,
        help_text=_(
            "For a joint committee: the other municipalities it is common to, besides the host, e.g. “Alvesta, Lessebo”."
        ),
    )

    objects = OrgUnitManager()
    history = HistoricalRecords(excluded_fields=["numchild"], bases=[ClientAddressHistory])

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgunits:detail", kwargs={"slug": self.slug})

    @property
    def is_political(self) -> bool:
        return is_political(self.kind)

    @property
    def is_reviewing(self) -> bool:
        """The auditors: outside the steering chain, reading it (``REVIEWING_KINDS``)."""
        return is_reviewing(self.kind)

    @property
    def part_in_chain(self) -> str:
        """How the unit takes part in the steering chain, as the pages tell it by colour and words:
        "political" (decides), "reviewing" (the auditors, outside it) or "executing" (carries out)."""
        if self.is_political:
            return "political"
        return "reviewing" if self.is_reviewing else "executing"

    @property
    def is_elected(self) -> bool:
        """Whether the council elects the unit's people, so that politicians belong here (and
        secretaries, but for the auditors, whose people are ``AUDITORS_ROLES``)."""
        return self.is_political or self.is_reviewing

    def clean(self) -> None:
        super().clean()
        if self.kind == Kind.JOINT_COMMITTEE and not self.partner_municipalities.strip():
            raise ValidationError(
                {
                    "partner_municipalities": gettext(
                        "A joint committee is common to the host and at least one other municipality: name them."
                    )
                }
            )
        # A missing or unknown kind is the kind field's own error; the rule below names the kind.
        known_kind = self.kind in Kind.values
        if known_kind and self.kind != Kind.JOINT_COMMITTEE and self.partner_municipalities.strip():
            raise ValidationError(
                {
                    "partner_municipalities": gettext(
                        "%(unit)s (%(kind)s) is not a joint committee: only a joint committee has partner municipalities."
                    )
                    % {"unit": quoted(self.name), "kind": Kind(self.kind).label.lower()}
                }
            )

    @cached_property
    def steering_body(self) -> OrgUnit | None:
        """The political body that steers this unit: its nearest political ancestor (one query)."""
        political = [unit for unit in OrgUnit.objects.get_ancestors(self) if unit.is_political]
        return political[-1] if political else None

    @cached_property
    def steering_bodies(self) -> list[OrgUnit]:
        """Every political body whose goals this unit's operational goals break down: the body that
        steers it, then the active bodies that its administration (or it) also serves, while that
        administration is active. Two queries."""
        also = OrgUnit.objects.active().filter(
            also_served_by__path__in=ancestor_paths(self.path, self.steplen, include_self=True),
            also_served_by__is_active=True,
        )
        steering = [self.steering_body] if self.steering_body else []
        return steering + [body for body in also.order_by("path") if body not in steering]

    def serving_problems(self, bodies) -> list[str]:
        """Every reason why this unit may not also serve ``bodies`` (and no others): the rule table
        (``serving_error``), a body it already stands under, a dissolved body; and what the apps
        above say a body it stops serving would break (``serving_checked``)."""
        problems = []
        for body in bodies:
            if message := serving_error(self, body):
                problems.append(message)
            elif self.path and self.is_placed_under(body):
                problems.append(
                    gettext("%(unit)s already stands under %(body)s, and serves it through the tree.")
                    % {"unit": quoted(self.name), "body": quoted(body.name)}
                )
            elif not body.is_active:
                problems.append(
                    gettext("%(body)s is dissolved: no unit serves it.") % {"body": quoted(body.name)}
                )
        if self.pk is not None:
            for _receiver, messages in serving_checked.send(sender=OrgUnit, unit=self, bodies=list(bodies)):
                problems += messages
        return problems

    @property
    def icon(self) -> str:
        return KIND_ICONS[Kind(self.kind)]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="enhet")
        super().save(*args, **kwargs)

    # Placement rules ------------------------------------------------------------------------

    def placement_problems(self, *, parent: OrgUnit | None) -> list[str]:
        """Every reason why this unit, as it is in memory, may not stand directly under ``parent``.

        Checks the rule table both ways (this unit's kind under the parent's, and the kinds of this
        unit's own children under this unit's), that the parent is neither this unit nor one of its
        descendants, and that no active unit stands under a dissolved one; then asks the apps above
        (``placement_checked``) what of theirs the change would break.
        """
        problems = []
        if message := placement_error(self, parent):
            problems.append(message)
        if parent is not None and self.pk is not None and parent.is_placed_under(self):
            problems.append(
                gettext(
                    "“%(unit)s” cannot be moved under itself or under one of its own units (“%(target)s”)."
                )
                % {"unit": self.name, "target": parent.name}
            )
        if parent is not None and self.is_active and not parent.is_active:
            problems.append(
                gettext("“%(parent)s” is dissolved: no active unit can be placed under it.")
                % {"parent": parent.name}
            )
        if self.pk is not None and self.numchild:
            children = list(OrgUnit.objects.get_children(self).only("name", "kind", "is_active"))
            problems += [message for child in children if (message := placement_error(child, self))]
            if not self.is_active and (active_children := [c.name for c in children if c.is_active]):
                problems.append(
                    gettext("Dissolve or move the active units under “%(unit)s” first: %(children)s.")
                    % {"unit": self.name, "children": ", ".join(active_children)}
                )
        for _receiver, messages in placement_checked.send(sender=OrgUnit, unit=self, parent=parent):
            problems += messages
        return problems


class Organisations:
    """The group's organisations (administrations, companies, federations), fetched in one query,
    to tell which one any unit belongs to without asking the database again."""

    def __init__(self, among: Iterable[OrgUnit] | None = None):
        """``among``: units a page has read already, the organisations among them (every active
        one must be there), instead of a query of their own."""
        if among is None:
            among = OrgUnit.objects.active().filter(kind__in=ORGANISATION_KINDS)
        self.by_path = {
            unit.path: unit for unit in among if unit.is_active and unit.kind in ORGANISATION_KINDS
        }

    def __iter__(self):
        return iter(sorted(self.by_path.values(), key=lambda unit: unit.path))

    @staticmethod
    def nearest(unit: OrgUnit) -> OrgUnit:
        """The nearest organisation at or above ``unit`` (one query), or the unit itself when none is."""
        if unit.kind in ORGANISATION_KINDS:
            return unit
        above = [
            ancestor
            for ancestor in OrgUnit.objects.get_ancestors(unit)
            if ancestor.kind in ORGANISATION_KINDS
        ]
        return above[-1] if above else unit

    def of(self, path: str) -> OrgUnit | None:
        """The nearest organisation at or above the unit at ``path``; None for the political bodies
        above them all."""
        for prefix in reversed(ancestor_paths(path, OrgUnit.steplen, include_self=True)):
            if organisation := self.by_path.get(prefix):
                return organisation
        return None


class Role(models.TextChoices):
    MANAGER = "manager", _("Manager")
    EDITOR = "editor", _("Editor")
    POLITICIAN = "politician", _("Politician")
    SECRETARY = "secretary", _("Secretary")
    VIEWER = "viewer", _("Viewer")


class Position(models.TextChoices):
    """A politician's place on a body (Kommunallagen ch. 6): the presidium (chair and the vice
    chairs), the other members, and the deputies who stand in for them. The position is shown, not
    asked: every politician of a body, deputies included, acts for it (``BODY_ROLES``)."""

    CHAIR = "chair", _("Chair")
    FIRST_VICE_CHAIR = "first_vice_chair", _("First vice chair")
    SECOND_VICE_CHAIR = "second_vice_chair", _("Second vice chair")
    MEMBER = "member", _("Member")
    DEPUTY = "deputy", _("Deputy")


# The order a body lists its politicians in, as its minutes do: the presidium, the members, the
# deputies.
POSITION_ORDER = models.Case(
    *(models.When(position=position, then=models.Value(rank)) for rank, position in enumerate(Position)),
    default=models.Value(len(Position)),
)


class MembershipQuerySet(models.QuerySet):
    def in_list_order(self) -> MembershipQuerySet:
        """By role; politicians by position (``POSITION_ORDER``); then by name."""
        return self.order_by("role", POSITION_ORDER, "user__first_name", "user__username")


# Roles that act on the unit and its whole subtree; politicians and secretaries act for their body.
SUBTREE_ROLES = frozenset({Role.MANAGER, Role.EDITOR})
BODY_ROLES = frozenset({Role.POLITICIAN, Role.SECRETARY})
# The auditors' people: the auditors the council elects, and viewers (their expert advisers). Every
# other role writes something.
AUDITORS_ROLES = frozenset({Role.POLITICIAN, Role.VIEWER})


class Membership(Versioned, models.Model):
    """A person's role in a unit: a manager or editor acts on the unit and everything under it; a
    politician or secretary acts for the political body; a viewer only reads."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    org_unit = models.ForeignKey(
        OrgUnit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation unit")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    position = models.CharField(
        _("position"),
        max_length=20,
        choices=Position.choices,
        blank=True,
        help_text=_("For politicians: chair, first or second vice chair, member or deputy."),
    )

    objects = MembershipQuerySet.as_manager()
    history = HistoricalRecords(bases=[ClientAddressHistory])

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "org_unit", "role"], name="one_role_per_user_and_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.org_unit}"

    def clean(self) -> None:
        errors = []
        if self.role == Role.POLITICIAN and not self.position:
            errors.append(
                gettext("A politician has a position: chair, first or second vice chair, member or deputy.")
            )
        if self.position and self.role != Role.POLITICIAN:
            errors.append(gettext("Only politicians have a position."))
        unit = self.org_unit if self.org_unit_id else None
        if unit and unit.is_reviewing and self.role not in AUDITORS_ROLES:
            errors.append(
                gettext(
                    "%(unit)s review the steering chain and write nothing in it: their people are the elected auditors (politicians) and viewers."
                )
                % {"unit": quoted(unit.name)}
            )
        elif unit and self.role in BODY_ROLES and not unit.is_elected:
            errors.append(
                gettext("%(unit)s is not a political body: politicians and secretaries belong to one.")
                % {"unit": quoted(unit.name)}
            )
        if errors:
            raise ValidationError(errors)


def display_name(user) -> str:
    """How the portal names a person: their full name, or their user name when it has none."""
    return user.get_full_name() or user.get_username()
