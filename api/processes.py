"""Processes and their target groups: public to read; staff add them, a process's owner keeps it up to date.

Processes and target groups are addressed by their slug, and so are the units and target groups a
process names. A list costs the same queries at any size: the count and the page, and for processes
one query each for the participants and the target groups.
"""

from __future__ import annotations

import rules
from django_filters import rest_framework as filters
from rest_framework import serializers

from api.fields import ParentSlugField, UnitField, UserField, with_parent
from api.filters import UnitFilter, WordsFilter
from api.permissions import PUBLIC, reads, updates
from api.schema import changes, summaries
from api.serializers import CheckedModelSerializer, VersionedSerializer, place
from api.viewsets import ReadWriteViewSet
from orgunits.models import OrgUnit
from orgunits.slugs import unique_slug
from processes.models import Process, ProcessKind, TargetGroup

# Target groups ----------------------------------------------------------------------------------


class TargetGroupSerializer(CheckedModelSerializer):
    parent = ParentSlugField(
        tree=TargetGroup,
        read_only=True,
        help_text="The slug of the group this one is part of; null at the top.",
    )

    class Meta:
        model = TargetGroup
        fields = ["id", "slug", "name", "description", "parent", "depth"]
        read_only_fields = ["depth"]
        extra_kwargs = {"slug": {"required": False}}


class NewTargetGroupSerializer(TargetGroupSerializer):
    parent = ParentSlugField(
        tree=TargetGroup, help_text="The slug of the group to place the new one under; null for the top."
    )

    def create(self, validated_data):
        parent = validated_data.pop("parent")
        group = TargetGroup(**validated_data)
        if not group.slug:
            group.slug = unique_slug(group, group.name, fallback="target-group")
        # The tree's manager is the one door into the tree (``orgunits.trees.GuardedNodeManager``).
        return place(group, parent)


@summaries(
    list="The target groups, in tree order",
    create="Add a target group (staff)",
    **changes("a target group", by="staff"),
)
class TargetGroupViewSet(ReadWriteViewSet):
    """Whom the processes serve (residents, businesses, ... and their sub-groups): public; staff change them."""

    lookup_field = "slug"
    serializer_class = TargetGroupSerializer
    create_serializer_class = NewTargetGroupSerializer

    def get_queryset(self):
        return with_parent(TargetGroup.objects.order_by("path"), "slug")


# Processes --------------------------------------------------------------------------------------


class ProcessSerializer(CheckedModelSerializer, VersionedSerializer):
    owner = UserField(
        allow_null=True, required=False, help_text="The process owner's user name; null for none."
    )
    owning_unit = UnitField(queryset=OrgUnit.objects.active(), help_text="The slug of the owning unit.")
    participants = UnitField(
        many=True,
        required=False,
        queryset=OrgUnit.objects.active(),
        help_text="The slugs of the units taking part.",
    )
    target_groups = serializers.SlugRelatedField(
        slug_field="slug",
        many=True,
        required=False,
        queryset=TargetGroup.objects.all(),
        help_text="The slugs of the target groups served.",
    )

    class Meta:
        model = Process
        fields = [
            "id",
            "slug",
            "kind",
            "name",
            "purpose",
            "owner",
            "owning_unit",
            "participants",
            "target_groups",
            "is_active",
            "version",
        ]
        # Made from the name, and kept when the name changes: addresses stay.
        read_only_fields = ["slug"]

    clean_exclude = ("slug",)


class TakingPartFilter(UnitFilter):
    """The processes a unit takes part in, as ``Process.covers`` says (``taken_part_in_by``): the
    unit, a unit above it or a body its administration also serves owns the process or takes part;
    the council at the top takes part in every process."""

    def filter(self, queryset, value):
        return queryset if value is None else queryset.taken_part_in_by(value)


class ProcessFilter(filters.FilterSet):
    kind = filters.MultipleChoiceFilter(
        choices=ProcessKind.choices, help_text="Only processes of these kinds."
    )
    active = filters.BooleanFilter(
        field_name="is_active", help_text="Only active (true) or inactive (false) processes."
    )
    unit = TakingPartFilter(
        help_text="Only the processes that the unit with this slug (or id) takes part in, itself or "
        "through a unit above it."
    )
    target_group = filters.CharFilter(
        method="filter_target_group", help_text="Only the processes serving the target group with this slug."
    )
    search = WordsFilter(description="purpose")

    class Meta:
        model = Process
        fields = ["kind", "active", "unit", "target_group"]

    def filter_target_group(self, queryset, name, value):
        served = Process.target_groups.through.objects.filter(targetgroup__slug=value).values("process_id")
        return queryset.filter(pk__in=served)


@summaries(
    list="The processes, by kind and name",
    create="Add a process (staff)",
    **changes("a process", by="staff or its owner"),
)
class ProcessViewSet(ReadWriteViewSet):
    """The group's cross-cutting processes: public; staff add them, staff and the owner change them."""

    action_rules = {**reads(PUBLIC), "create": rules.is_staff, **updates("processes.edit_process")}
    lookup_field = "slug"
    serializer_class = ProcessSerializer
    filterset_class = ProcessFilter

    def get_queryset(self):
        return Process.objects.select_related("owner", "owning_unit").prefetch_related(
            "participants", "target_groups"
        )
