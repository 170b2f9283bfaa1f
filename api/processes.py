"""Processes and their target groups: public to read; staff add them, a process's owner keeps it up to date.

Processes and target groups are addressed by their slug, and so are the units and target groups a
process names. A list costs the same queries at any size: the count and the page, and for processes
one query each for the participants and the target groups.
"""

from __future__ import annotations

import rules
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers

from api.orgunits import ParentField, UnitReferenceField
from api.permissions import PUBLIC
from api.viewsets import RulesViewSet, version_field
from orgunits.models import OrgUnit
from orgunits.slugs import unique_slug
from orgunits.trees import parent_subquery
from processes.models import Process, ProcessKind, TargetGroup

# Target groups ----------------------------------------------------------------------------------


def with_parent_slug(groups: QuerySet[TargetGroup]) -> QuerySet[TargetGroup]:
    """Annotate each target group with its parent's slug (``parent_slug``) in the same query."""
    return groups.annotate(parent_slug=parent_subquery(TargetGroup, "slug"))


@extend_schema_field(OpenApiTypes.STR)
class TargetGroupParentField(ParentField):
    """The group's parent by slug; null for a group at the top."""

    tree = TargetGroup


class TargetGroupSerializer(serializers.ModelSerializer):
    parent = TargetGroupParentField(
        read_only=True, help_text="The slug of the group this one is part of; null at the top."
    )

    class Meta:
        model = TargetGroup
        fields = ["id", "slug", "name", "description", "parent", "depth"]
        read_only_fields = ["depth"]
        extra_kwargs = {"slug": {"required": False}}

    def update(self, instance, validated_data):
        for name, value in validated_data.items():
            setattr(instance, name, value)
        instance.full_clean()
        instance.save()
        return instance


class NewTargetGroupSerializer(TargetGroupSerializer):
    parent = TargetGroupParentField(
        help_text="The slug of the group to place the new one under; null for the top."
    )

    def create(self, validated_data):
        parent = validated_data.pop("parent")
        group = TargetGroup(**validated_data)
        if not group.slug:
            group.slug = unique_slug(group, group.name, fallback="target-group")
        group.full_clean()
        # The tree's manager is the one door into the tree (``orgunits.trees.GuardedNodeManager``).
        if parent is None:
            return TargetGroup.objects.add_root(instance=group)
        return TargetGroup.objects.add_child(parent, instance=group)


@extend_schema_view(
    list=extend_schema(summary="The target groups, in tree order"),
    create=extend_schema(summary="Add a target group (staff)", responses=TargetGroupSerializer),
    update=extend_schema(summary="Change a target group (staff)"),
    partial_update=extend_schema(summary="Change some of a target group's fields (staff)"),
)
class TargetGroupViewSet(
    RulesViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """Whom the processes serve (residents, businesses, ... and their sub-groups): public; staff change them."""

    action_rules = {
        "list": PUBLIC,
        "retrieve": PUBLIC,
        "create": rules.is_staff,
        "update": rules.is_staff,
        "partial_update": rules.is_staff,
    }
    lookup_field = "slug"

    def get_queryset(self):
        return with_parent_slug(TargetGroup.objects.order_by("path"))

    def get_serializer_class(self):
        return NewTargetGroupSerializer if self.action == "create" else TargetGroupSerializer


# Processes --------------------------------------------------------------------------------------


class ProcessSerializer(serializers.ModelSerializer):
    owner = serializers.SlugRelatedField(
        slug_field="username",
        queryset=get_user_model().objects.filter(is_active=True),
        allow_null=True,
        required=False,
        help_text="The process owner's user name; null for none.",
    )
    owning_unit = serializers.SlugRelatedField(
        slug_field="slug", queryset=OrgUnit.objects.active(), help_text="The slug of the owning unit."
    )
    participants = serializers.SlugRelatedField(
        slug_field="slug",
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

    version = version_field()

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

    def create(self, validated_data):
        return self.checked_save(Process(), validated_data)

    def update(self, instance, validated_data):
        return self.checked_save(instance, validated_data)

    def checked_save(self, process: Process, validated_data: dict) -> Process:
        participants = validated_data.pop("participants", None)
        target_groups = validated_data.pop("target_groups", None)
        for name, value in validated_data.items():
            setattr(process, name, value)
        process.full_clean(exclude=["slug"])
        process._history_user = self.context["request"].user
        process.save()
        if participants is not None:
            process.participants.set(participants)
        if target_groups is not None:
            process.target_groups.set(target_groups)
        return process


@extend_schema_field(OpenApiTypes.STR)
class TakingPartFilter(filters.Filter):
    """The processes a unit takes part in, as ``Process.covers`` says: the unit, or a unit above
    it, owns the process or takes part; the council at the top takes part in every process."""

    field_class = UnitReferenceField

    def filter(self, queryset, value):
        if value is None or value.depth == 1:
            return queryset
        paths = value.ancestor_paths(include_self=True)
        taking_part = Q(owning_unit__path__in=paths) | Q(
            pk__in=Process.participants.through.objects.filter(orgunit__path__in=paths).values("process_id")
        )
        return queryset.filter(taking_part)


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

    class Meta:
        model = Process
        fields = ["kind", "active", "unit", "target_group"]

    def filter_target_group(self, queryset, name, value):
        served = Process.target_groups.through.objects.filter(targetgroup__slug=value).values("process_id")
        return queryset.filter(pk__in=served)


@extend_schema_view(
    list=extend_schema(summary="The processes, by kind and name"),
    create=extend_schema(summary="Add a process (staff)"),
    update=extend_schema(summary="Change a process (staff or its owner)"),
    partial_update=extend_schema(summary="Change some of a process's fields (staff or its owner)"),
)
class ProcessViewSet(
    RulesViewSet,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
):
    """The group's cross-cutting processes: public; staff add them, staff and the owner change them."""

    action_rules = {
        "list": PUBLIC,
        "retrieve": PUBLIC,
        "create": rules.is_staff,
        "update": "processes.edit_process",
        "partial_update": "processes.edit_process",
    }
    lookup_field = "slug"
    serializer_class = ProcessSerializer
    filterset_class = ProcessFilter

    def get_queryset(self):
        return Process.objects.select_related("owner", "owning_unit").prefetch_related(
            "participants", "target_groups"
        )
