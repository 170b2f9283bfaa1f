"""The bases of every API viewset: each action's rule, asked before anything is written
(``RulesViewSet``), and the shapes most collections take (``ReadViewSet``, ``ReadWriteViewSet``)."""

from __future__ import annotations

import copy

import rules
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.generics import get_object_or_404

from api.permissions import PUBLIC, Rule, asks_rule, reads, writes
from orgunits.concurrency import Versioned


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _("The record has changed since the version named in If-Match; read it again.")


def version_seen(request, current: Versioned | None) -> int | None:
    """The version of ``current`` that a write was made from, for ``Versioned.lock_for_edit``: the
    one its ``If-Match`` header names (412 at once when that is not the version saved now), else
    the ``version`` in its body (a write that carries a stale one is a 409), else the one read at
    the start of the request. None where nothing exists yet."""
    saved = None if current is None else current.version
    if (match := request.headers.get("If-Match")) is not None:
        if match.strip() != "*" and match.strip().removeprefix("W/").strip('"') != str(saved):
            raise PreconditionFailed()
        return saved
    version = request.data.get("version") if hasattr(request.data, "get") else None
    if version is not None:
        try:
            return int(version)
        except (TypeError, ValueError) as error:
            raise exceptions.ValidationError({"version": [_("A valid integer is required.")]}) from error
    return saved


class RulesViewSet(viewsets.GenericViewSet):
    """A viewset whose actions state who may call them, in ``action_rules`` (see ``api.permissions``).

    Writes ask the rule with the object as it would be after the write, before anything is saved:
    ``create`` with the new object (``new_object``), ``update`` with the object as changed
    (``changed_object``), on top of the check on the object as it is. Then the serializer saves,
    calling the domain's service functions; a ``django.core.exceptions.ValidationError`` they raise
    becomes a 400 with its messages (``api.exceptions``), and the transaction writes nothing.

    List ``RulesViewSet`` before DRF's mixins (``class X(RulesViewSet, mixins.ListModelMixin)``), so
    that its ``perform_*`` methods are the ones that run; a create or update whose method is DRF's
    is refused (see ``api.permissions.asks_rule``).
    """

    action_rules: dict[str, Rule] = {}
    # Any value but a slash names an object (the API has no ``.json`` suffixes), so a malformed id or
    # slug (``/goals/0.5/``) reaches the view and is the API's 404, not Django's HTML page.
    lookup_value_regex = "[^/]+"

    def get_object(self):
        # The filters narrow a list; they never decide which object an address names, so an action
        # on one object (``children``) may take the list's filters for what it lists.
        lookup = self.lookup_url_kwarg or self.lookup_field
        obj = get_object_or_404(self.get_queryset(), **{self.lookup_field: self.kwargs[lookup]})
        self.check_object_permissions(self.request, obj)
        self.object_read = obj
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        # A record people edit in parallel answers with its version, which a write names in If-Match.
        read = getattr(self, "object_read", None)
        if isinstance(read, Versioned) and 200 <= response.status_code < 300 and not read._state.adding:
            response["ETag"] = f'"{read.version}"'
        return super().finalize_response(request, response, *args, **kwargs)

    def rule_object(self, obj):
        """What the action's rule is asked about, given the object (a membership's rule is its unit's)."""
        return obj

    def new_object(self, serializer) -> models.Model:
        """The object that ``create`` would make, unsaved, for the rule to look at."""
        model = serializer.Meta.model
        fields = {field.name for field in model._meta.concrete_fields}
        return model(**{name: value for name, value in serializer.validated_data.items() if name in fields})

    def changed_object(self, serializer) -> models.Model:
        """The object as ``update`` would leave it, unsaved, for the rule to look at."""
        changed = copy.copy(serializer.instance)
        fields = {field.name for field in type(changed)._meta.concrete_fields}
        for name, value in serializer.validated_data.items():
            if name in fields:
                setattr(changed, name, value)
        return changed

    @asks_rule
    def perform_create(self, serializer):
        serializer.validated_data.pop("version", None)  # a new record starts at its first version
        self.check_object_permissions(self.request, self.new_object(serializer))
        with transaction.atomic():
            serializer.save()

    @asks_rule
    def perform_update(self, serializer):
        self.check_object_permissions(self.request, self.changed_object(serializer))
        serializer.validated_data.pop("version", None)  # asked by lock_for_edit, never written
        with transaction.atomic():
            self.lock_for_edit(serializer.instance)
            serializer.save()

    def perform_destroy(self, instance):
        with transaction.atomic():
            self.lock_for_edit(instance)
            instance.delete()

    def lock_for_edit(self, instance) -> None:
        """Refuse a write made from an older version of a ``Versioned`` record (412 or 409)."""
        if isinstance(instance, Versioned):
            instance.lock_for_edit(version_seen(self.request, instance))


class ReadViewSet(RulesViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """A collection that anyone lists and reads; which objects each caller sees is ``get_queryset``'s.

    A subclass that takes more of DRF's mixins lists them after this base
    (``class X(ReadViewSet, mixins.UpdateModelMixin)``), so that ``RulesViewSet``'s ``perform_*``
    methods stay the ones that run.
    """

    action_rules = reads(PUBLIC)


class ReadWriteViewSet(ReadViewSet, mixins.CreateModelMixin, mixins.UpdateModelMixin):
    """A collection that anyone reads and staff add to and change, unless a subclass states other
    rules in its ``action_rules``.

    ``create_serializer_class``, where a subclass sets one, is the serializer of a create (a new unit
    names its parent; a unit already placed moves through ``move``); the schema describes what a
    create answers with ``serializer_class``, as the new object is read (``api.schema``).
    """

    action_rules = {**reads(PUBLIC), **writes(rules.is_staff)}
    create_serializer_class = None

    def get_serializer_class(self):
        if self.action == "create" and self.create_serializer_class is not None:
            return self.create_serializer_class
        return super().get_serializer_class()
