"""The organisation: its units (public to read, staff to change) and its people's roles (memberships).

Units are addressed by their slug everywhere: in the URL, as a parent, as a move's target, in a
membership. A list costs the same queries at any size: the count and the page (and the unit, for
an action on one), besides the caller's token and memberships.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

import rules
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from api.fields import ParentSlugField, UnitField, UserField, with_parent
from api.filters import UnitFilter, WordsFilter
from api.permissions import PUBLIC, SIGNED_IN, reads, writes
from api.schema import changes, summaries
from api.serializers import CheckedModelSerializer, VersionedSerializer, place
from api.viewsets import ReadWriteViewSet
from orgunits.kinds import Kind
from orgunits.models import Membership, OrgUnit, Role, display_name
from orgunits.rules import memberships_of
from orgunits.services import orgunit_dissolve, orgunit_restore, orgunit_set_serving
from orgunits.trees import subtree_of

# Units ------------------------------------------------------------------------------------------


class OrgUnitSerializer(CheckedModelSerializer, VersionedSerializer):
    # The placement rules are among the model's checks: a new kind must still fit its parent and its
    # children, and the goals placed at it.
    parent = ParentSlugField(
        tree=OrgUnit,
        read_only=True,
        help_text="The slug of the unit this one stands under; null at the top.",
    )

    also_serves = serializers.SlugRelatedField(
        many=True,
        required=False,
        slug_field="slug",
        queryset=OrgUnit.objects.all(),
        help_text="The slugs of the political bodies an administration also serves, besides the one it stands under.",
    )

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "slug",
            "name",
            "short_name",
            "kind",
            "description",
            "partner_municipalities",
            "is_active",
            "parent",
            "also_serves",
            "depth",
            "version",
        ]
        # Where a unit stands changes through `move`, whether it is active through `dissolve` and
        # `restore`: each keeps its own rule.
        read_only_fields = ["is_active", "depth"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if (bodies := attrs.get("also_serves")) is not None:
            # The rule of OrgUnit.serving_problems, asked of the unit as the write would leave it.
            current = self.instance or OrgUnit()
            unit = OrgUnit(
                pk=current.pk,
                name=attrs.get("name", current.name),
                kind=attrs.get("kind", current.kind),
                path=current.path,
            )
            if problems := unit.serving_problems(bodies):
                raise serializers.ValidationError({"also_serves": problems})
        return attrs

    def update(self, instance, validated_data):
        bodies = validated_data.pop("also_serves", None)
        unit = super().update(instance, validated_data)
        return unit if bodies is None else orgunit_set_serving(unit=unit, bodies=bodies)


class NewOrgUnitSerializer(OrgUnitSerializer):
    parent = ParentSlugField(
        tree=OrgUnit, help_text="The slug of the unit to place the new one under; null for the top."
    )

    def create(self, validated_data):
        parent = validated_data.pop("parent")
        bodies = validated_data.pop("also_serves", None)
        # The manager checks the rule table, and refuses a wrong placement with the rule's message.
        unit = place(OrgUnit(**validated_data), parent)
        return unit if bodies is None else orgunit_set_serving(unit=unit, bodies=bodies)


class MoveSerializer(serializers.Serializer):
    target = UnitField(help_text="The slug of the unit to move relative to.")
    position = serializers.ChoiceField(
        choices=["first-child", "last-child", "left", "right", "first-sibling", "last-sibling"],
        help_text="Under the target (first-child, last-child), or beside it (left, right, first-sibling, last-sibling).",
    )


class SubtreeFilter(UnitFilter):
    def filter(self, queryset, value):
        return queryset if value is None else queryset.filter(subtree_of(value))


class OrgUnitFilter(filters.FilterSet):
    kind = filters.MultipleChoiceFilter(choices=Kind.choices, help_text="Only units of these kinds.")
    active = filters.BooleanFilter(
        field_name="is_active", help_text="Only active (true) or dissolved (false) units."
    )
    subtree = SubtreeFilter(help_text="Only the unit with this slug (or id) and the units under it.")
    search = WordsFilter()

    class Meta:
        model = OrgUnit
        fields = ["kind", "active", "subtree"]


def with_served(units: QuerySet[OrgUnit]) -> QuerySet[OrgUnit]:
    """Units with the slugs of the bodies each also serves: one query for a whole page."""
    return units.prefetch_related(Prefetch("also_serves", queryset=OrgUnit.objects.only("slug")))


ACTIONS_ON_ONE = frozenset({"children", "ancestors", "subtree", "move", "dissolve", "restore"})

UNIT_LIST = extend_schema(responses=OrgUnitSerializer(many=True))


@summaries(
    list="The organisation's units, in tree order",
    create="Place a new unit (staff)",
    **changes("a unit", by="staff"),
)
class OrgUnitViewSet(ReadWriteViewSet):
    """The organisation tree: anyone reads it; staff place, change and move units."""

    action_rules = {
        **reads(PUBLIC),
        "children": PUBLIC,
        "ancestors": PUBLIC,
        "subtree": PUBLIC,
        **writes(rules.is_staff),
        "move": rules.is_staff,
        "dissolve": rules.is_staff,
        "restore": rules.is_staff,
    }
    lookup_field = "slug"
    serializer_class = OrgUnitSerializer
    create_serializer_class = NewOrgUnitSerializer
    filterset_class = OrgUnitFilter

    def get_queryset(self):
        units = with_parent(OrgUnit.objects.all(), "slug")
        # An action on one unit reads the unit only to act on it, then answers with `unit()`.
        return units if self.action in ACTIONS_ON_ONE else with_served(units)

    def units(self, queryset) -> Response:
        """A page of units, filtered like the list."""
        page = self.paginate_queryset(self.filter_queryset(with_served(with_parent(queryset, "slug"))))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def unit(self, unit: OrgUnit) -> Response:
        return Response(self.get_serializer(with_served(self.get_queryset()).get(pk=unit.pk)).data)

    @UNIT_LIST
    @action(detail=True)
    def children(self, request, slug=None):
        """The units directly under this one."""
        return self.units(OrgUnit.objects.get_children(self.get_object()))

    @UNIT_LIST
    @action(detail=True)
    def ancestors(self, request, slug=None):
        """The units above this one, from the top down."""
        return self.units(OrgUnit.objects.get_ancestors(self.get_object()).order_by("path"))

    @UNIT_LIST
    @action(detail=True)
    def subtree(self, request, slug=None):
        """This unit and every unit under it, in tree order."""
        return self.units(OrgUnit.objects.filter(subtree_of(self.get_object())))

    @extend_schema(request=MoveSerializer, responses=OrgUnitSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, slug=None):
        """Move the unit, with everything under it, relative to another unit (staff).

        Refused with the rule's message when the unit may not stand there.
        """
        unit = self.get_object()
        move = MoveSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        with transaction.atomic():
            OrgUnit.objects.move(unit, move.validated_data["target"], move.validated_data["position"])
        return self.unit(unit)

    @extend_schema(request=None, responses=OrgUnitSerializer)
    @action(detail=True, methods=["post"])
    def dissolve(self, request, slug=None):
        """Dissolve the unit: it keeps its place and history but leaves the active tree (staff).

        Refused while active units stand under it.
        """
        return self.unit(orgunit_dissolve(unit=self.get_object()))

    @extend_schema(request=None, responses=OrgUnitSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request, slug=None):
        """Make a dissolved unit active again (staff); refused while its parent is dissolved."""
        return self.unit(orgunit_restore(unit=self.get_object()))


# Memberships ------------------------------------------------------------------------------------


def memberships_manageable_by(user) -> QuerySet[Membership]:
    """The memberships ``user`` may manage, as ``orgunits.manage_memberships`` says object by object:
    every one for staff; for a manager, those of their units and every unit under them."""
    memberships = Membership.objects.select_related("user", "org_unit")
    if user.is_staff or (user.is_active and user.is_superuser):  # has_perm grants a superuser all
        return memberships
    managed = [membership.org_unit for membership in memberships_of(user) if membership.role == Role.MANAGER]
    if not managed:
        return memberships.none()
    return memberships.filter(reduce(or_, (subtree_of(unit, "org_unit__") for unit in managed)))


class MembershipSerializer(CheckedModelSerializer, VersionedSerializer):
    user = UserField(help_text="The person's user name.")
    user_name = serializers.SerializerMethodField(help_text="The person's name as the portal shows it.")
    org_unit = UnitField(help_text="The slug of the unit.")

    class Meta:
        model = Membership
        fields = ["id", "user", "user_name", "org_unit", "role", "position", "version"]
        # The unique check runs in save(), after the permission check, and says it as the web does.
        validators = []

    def get_user_name(self, membership) -> str:
        return display_name(membership.user)

    def check_instance(self, membership: Membership) -> None:
        others = Membership.objects.exclude(pk=membership.pk)
        if others.filter(user=membership.user, org_unit=membership.org_unit, role=membership.role).exists():
            raise ValidationError(
                gettext("%(user)s already has that role here.") % {"user": display_name(membership.user)}
            )
        super().check_instance(membership)


class MembershipFilter(filters.FilterSet):
    org_unit = filters.CharFilter(field_name="org_unit__slug", help_text="Only the unit with this slug.")
    user = filters.CharFilter(field_name="user__username", help_text="Only the person with this user name.")
    role = filters.ChoiceFilter(choices=Role.choices)

    class Meta:
        model = Membership
        fields = ["org_unit", "user", "role"]


class MembershipViewSet(ReadWriteViewSet, mixins.DestroyModelMixin):
    """People's roles in units: staff manage them all, a manager those of their part of the organisation.

    A list shows the memberships the caller may manage, and nothing else.
    """

    action_rules = {
        "list": SIGNED_IN,
        "retrieve": "orgunits.manage_memberships",
        **writes("orgunits.manage_memberships"),
        "destroy": "orgunits.manage_memberships",
    }
    serializer_class = MembershipSerializer
    filterset_class = MembershipFilter

    def get_queryset(self):
        return memberships_manageable_by(self.request.user).order_by(
            "org_unit__path", "role", "user__username"
        )

    def rule_object(self, membership):
        return membership.org_unit
