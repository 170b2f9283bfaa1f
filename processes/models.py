"""Cross-cutting processes, and the target groups they serve."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from orgunits.client_address import ClientAddressHistory
from orgunits.concurrency import Versioned
from orgunits.models import OrgUnit
from orgunits.slugs import unique_slug
from orgunits.trees import GuardedNode, GuardedNodeManager


class TargetGroup(GuardedNode, Versioned):
    """Residents, businesses, visitors, and their sub-groups (children and young people, ...)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)

    objects = GuardedNodeManager()

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("processes:target-group", kwargs={"slug": self.slug})

    def placement_problems(self, *, parent) -> list[str]:
        return []  # any group may have sub-groups


class ProcessKind(models.TextChoices):
    MAIN = "main", _("Main process")
    MANAGEMENT = "management", _("Management process")
    SUPPORT = "support", _("Support process")


class ProcessQuerySet(models.QuerySet):
    def active(self) -> ProcessQuerySet:
        return self.filter(is_active=True)

    def taken_part_in_by(self, unit: OrgUnit) -> ProcessQuerySet:
        """The processes ``unit`` takes part in, as ``Process.covers`` says of one: every process for
        the council at the top; else those owned by, or with as a participant, the unit, a unit
        above it, or a body its administration also serves. The two queries of
        ``steering_bodies`` (none for the top) and a filter."""
        if unit.is_root():
            return self.all()
        lending = OrgUnit.objects.filter(
            Q(path__in=unit.ancestor_paths(include_self=True))
            | Q(pk__in=[body.pk for body in unit.steering_bodies])
        )
        participating = Process.participants.through.objects.filter(orgunit__in=lending).values("process_id")
        return self.filter(Q(owning_unit__in=lending) | Q(pk__in=participating))


class Process(Versioned, models.Model):
    """A process that runs across the group's organisations towards its target groups.

    Main processes are of direct value to residents, management processes steer the others, and
    support processes (HR, finance, IT, ...) enable them. Each manager leads their own operation
    in it; the process owner coordinates the whole.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=ProcessKind.choices)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        blank=True,
        help_text=_("The process's name in web addresses. Made from the name when left empty."),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_processes",
        verbose_name=_("process owner"),
    )
    owning_unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="owned_processes", verbose_name=_("owning unit")
    )
    participants = models.ManyToManyField(
        OrgUnit, blank=True, related_name="processes", verbose_name=_("participating units")
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="processes", verbose_name=_("target groups")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = ProcessQuerySet.as_manager()
    history = HistoricalRecords(bases=[ClientAddressHistory])

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("process")
        verbose_name_plural = _("processes")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name, fallback="process")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("processes:detail", kwargs={"slug": self.slug})

    def covers(self, unit: OrgUnit, participants: list[OrgUnit] | None = None) -> bool:
        """Whether ``unit`` takes part: it, or a unit above it, is the owning unit or a participant;
        or a body its administration also serves is (``OrgUnit.steering_bodies``): an administration
        takes part in a served committee's processes as in those of the committee it stands under.

        The council at the top of a group takes part in every process: it sets the strategic
        goals per main process. Pass ``participants`` when they are already fetched. No query
        when the tree answers; else the two of ``steering_bodies``, once per ``unit`` instance.
        """
        if unit.is_root():
            return True
        taking_part = [self.owning_unit, *(self.participants.all() if participants is None else participants)]
        if any(unit.is_placed_under(participant) for participant in taking_part):
            return True
        served = {body.pk for body in unit.steering_bodies}
        return any(participant.pk in served for participant in taking_part)
