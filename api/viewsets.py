"""The base of every API viewset: each action's rule, asked before anything is written."""

from __future__ import annotations

import copy

from django.db import models, transaction
from rest_framework import viewsets
from rest_framework.generics import get_object_or_404

from api.permissions import Rule, asks_rule


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
        return obj

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
        self.check_object_permissions(self.request, self.new_object(serializer))
        with transaction.atomic():
            serializer.save()

    @asks_rule
    def perform_update(self, serializer):
        self.check_object_permissions(self.request, self.changed_object(serializer))
        with transaction.atomic():
            serializer.save()

    def perform_destroy(self, instance):
        with transaction.atomic():
            instance.delete()
