"""The organisation tree of a municipal group: political bodies and the organisations that execute."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from orgunits.kinds import KIND_ICONS, Kind, is_political, placement_error

# treebeard positions that make the target the new parent; every other position makes the target
# a sibling, so the target's parent becomes the new parent.
CHILD_POSITIONS = frozenset({"first-child", "last-child", "sorted-child"})

# The value of ``OrgUnit.destination`` while a unit is not being moved.
CURRENT_PLACE = object()


@dataclass
class TreeNode:
    """A unit with its children, for rendering a (sub)tree that was fetched in one query."""

    unit: OrgUnit
    children: list[TreeNode] = field(default_factory=list)


class OrgUnitQuerySet(MP_NodeQuerySet):
    def active(self) -> OrgUnitQuerySet:
        return self.filter(is_active=True)

    def forest(self) -> list[TreeNode]:
        """Nest the units of this queryset (one query) under each other by their paths."""
        roots: list[TreeNode] = []
        by_path: dict[str, TreeNode] = {}
        for unit in self.order_by("path"):
            node = TreeNode(unit)
            by_path[unit.path] = node
            parent = by_path.get(unit.path[: -unit.steplen])
            (parent.children if parent else roots).append(node)
        return roots


class OrgUnitManager(MP_NodeManager):
    """Treebeard's manager, with the placement rules checked before any node is written.

    Every way into the tree (``add_root``, ``add_child``, ``add_sibling``, ``move``) raises a
    ``ValidationError`` with a message for the user when the placement breaks a rule, and writes
    nothing.
    """

    def get_queryset(self) -> OrgUnitQuerySet:
        return OrgUnitQuerySet(self.model, using=self._db).order_by("path")

    def active(self) -> OrgUnitQuerySet:
        return self.get_queryset().active()

    def add_root(self, create_kwargs=None, *, instance=None):
        unit = instance or self.model(**create_kwargs)
        unit.check_placement(parent=None)
        return super().add_root(instance=unit)

    def add_child(self, target, create_kwargs=None, *, instance=None):
        unit = instance or self.model(**create_kwargs)
        unit.check_placement(parent=target)
        return super().add_child(target, instance=unit)

    def add_sibling(self, target, pos=None, create_kwargs=None, *, instance=None):
        unit = instance or self.model(**create_kwargs)
        unit.check_placement(parent=self.get_parent(target, update=True))
        return super().add_sibling(target, pos, instance=unit)

    def move(self, node, target, pos=None):
        # The rules compare paths, so they must be the ones in the database, not stale copies.
        for unit in (node, target):
            unit.refresh_from_db(fields=["path", "depth", "numchild"])
        parent = target if pos in CHILD_POSITIONS else self.get_parent(target, update=True)
        node.check_placement(parent=parent)
        return super().move(node, target, pos)


class OrgUnit(MP_Node):
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

    objects = OrgUnitManager()

    # Not stored. A form that places a unit (adds or moves it) sets the new parent here (None for
    # the top), so that clean() checks the unit against the place it is going to.
    destination: OrgUnit | object | None = CURRENT_PLACE

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
    def icon(self) -> str:
        return KIND_ICONS[Kind(self.kind)]

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        base = slugify(self.name)[:90] or "enhet"
        taken = set(
            OrgUnit.objects.filter(slug__startswith=base).exclude(pk=self.pk).values_list("slug", flat=True)
        )
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        return slug

    # Placement rules ------------------------------------------------------------------------

    def placement_problems(self, *, parent: OrgUnit | None) -> list[str]:
        """Every reason why this unit, as it is in memory, may not stand directly under ``parent``.

        Checks the rule table both ways (this unit's kind under the parent's, and the kinds of this
        unit's own children under this unit's), that the parent is neither this unit nor one of its
        descendants, and that no active unit stands under a dissolved one.
        """
        problems = []
        if message := placement_error(self.kind, parent.kind if parent else None):
            problems.append(message)
        if parent is not None and self.pk is not None and parent.path.startswith(self.path):
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
            problems += [message for child in children if (message := placement_error(child.kind, self.kind))]
            if not self.is_active and (active_children := [c.name for c in children if c.is_active]):
                problems.append(
                    gettext("Dissolve or move the active units under “%(unit)s” first: %(children)s.")
                    % {"unit": self.name, "children": ", ".join(active_children)}
                )
        return problems

    def check_placement(self, *, parent: OrgUnit | None) -> None:
        if problems := self.placement_problems(parent=parent):
            raise ValidationError(problems, code="placement")

    def clean(self) -> None:
        # A form that places the unit says where (``destination``). Otherwise an existing unit is
        # checked where it stands, since a changed kind or a dissolution must still fit its parent
        # and children; a new unit without a destination is checked by the manager when placed.
        if self.destination is not CURRENT_PLACE:
            self.check_placement(parent=self.destination)
        elif self.path:
            self.check_placement(parent=OrgUnit.objects.get_parent(self, update=True))
