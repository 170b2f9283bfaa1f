"""The fields that several of the API's serializers declare: a record's version, a node's parent in
its tree, a person and a unit.

People are named by their user name, units and the other trees' nodes by their slug, goals by their
id, in every read and every write.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty
from rest_framework.relations import MANY_RELATION_KWARGS

from orgunits.models import OrgUnit
from orgunits.trees import parent_subquery


def version_field():
    """A ``Versioned`` record's version in a write: the one the change was made from. Write-only:
    a read gives it as the ``ETag`` header."""
    return serializers.IntegerField(
        write_only=True,
        required=False,
        min_value=1,
        help_text="The version the change was made from (the ETag of the read); a stale one is refused with 409.",
    )


class NotBlankMixin:
    """A relation named by a name or an id: an empty one is refused (``null`` is how a write says
    "none", where the field allows it), as the schema's ``minLength`` says. DRF itself reads ``""``
    as ``null`` in a relation, for HTML forms' empty choice."""

    default_error_messages = {"blank": gettext_lazy("This field may not be blank.")}

    def run_validation(self, data=empty):
        if data == "":
            self.fail("blank")
        return super().run_validation(data)


# Parents ----------------------------------------------------------------------------------------


def with_parent(nodes: QuerySet, key: str) -> QuerySet:
    """Annotate each node of a tree with its parent's ``key`` (as ``parent_<key>``; None at the top)
    in the same query: what a parent field reads, so that a list asks nothing per node."""
    return nodes.annotate(**{f"parent_{key}": parent_subquery(nodes.model, key)})


class TreeParentMixin:
    """A node's parent in ``tree``, by the parent's ``key``; null at the top.

    Read from ``with_parent``'s annotation where there is one, otherwise asked of the tree. Where it
    is written (the parent of a new node) it names one of ``tree``'s nodes, or of ``queryset``.
    """

    key: str

    def __init__(self, *, tree, **kwargs):
        self.tree = tree
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", tree.objects.all())
        super().__init__(allow_null=True, **kwargs)

    def get_attribute(self, instance):
        annotation = f"parent_{self.key}"
        if hasattr(instance, annotation):
            return getattr(instance, annotation)
        parent = self.tree.objects.get_parent(instance, update=True)
        return None if parent is None else getattr(parent, self.key)

    def to_representation(self, value):
        return value


@extend_schema_field(OpenApiTypes.STR)
class ParentSlugField(NotBlankMixin, TreeParentMixin, serializers.SlugRelatedField):
    """The parent by its slug: a unit's, a target group's."""

    key = "slug"

    def __init__(self, **kwargs):
        super().__init__(slug_field=self.key, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class ParentIdField(NotBlankMixin, TreeParentMixin, serializers.PrimaryKeyRelatedField):
    """The parent by its id: a goal's."""

    key = "pk"


# Relations prefetched as lists ------------------------------------------------------------------


def prefetched_list(relation: str) -> str:
    """Where ``Prefetch(relation, to_attr=prefetched_list(relation))`` puts each object's related
    objects, for a field of ``ListedSlugRelatedField(many=True)`` to read."""
    return f"{relation}_list"


class ListedManyRelatedField(serializers.ManyRelatedField):
    """A to-many relation read from the plain list that the queryset prefetched for it
    (``prefetched_list``), where it did; otherwise read as the REST framework reads it. A prefetch
    into the relation itself makes a manager and a queryset per object to hold the list (about 30 µs
    each, 1.5 ms for a page of 50); one ``to_attr`` keeps the list alone."""

    def get_attribute(self, instance):
        listed = getattr(instance, prefetched_list(self.source), None)
        return super().get_attribute(instance) if listed is None else listed


class ListedSlugRelatedField(serializers.SlugRelatedField):
    """A ``SlugRelatedField`` whose ``many=True`` reads the prefetched list (``ListedManyRelatedField``)."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        # The REST framework's own, with the field above.
        list_kwargs = {key: value for key, value in kwargs.items() if key in MANY_RELATION_KWARGS}
        return ListedManyRelatedField(child_relation=cls(*args, **kwargs), **list_kwargs)


# People and units -------------------------------------------------------------------------------


class UserField(NotBlankMixin, serializers.SlugRelatedField):
    """A person, by user name; a write names an active user."""

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", get_user_model().objects.filter(is_active=True))
        super().__init__(slug_field="username", **kwargs)


class UnitField(NotBlankMixin, serializers.SlugRelatedField):
    """An organisation unit, by its slug; a write names one of ``queryset`` (by default any unit)."""

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", OrgUnit.objects.all())
        super().__init__(slug_field="slug", **kwargs)
