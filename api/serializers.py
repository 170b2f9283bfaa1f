"""What several of the API's serializers share: the version a write names, and saving through the
model's own checks.

The bases say what they do in comments, not docstrings: the schema describes a serializer with the
first docstring of its class or its bases.
"""

from __future__ import annotations

import copy

from django.db import models
from rest_framework import serializers
from rest_framework.utils import model_meta

from api.fields import version_field


class VersionedSerializer(serializers.ModelSerializer):
    # A record that people edit in parallel (``orgunits.concurrency.Versioned``): a write names the
    # version it was made from in ``version`` (listed in ``Meta.fields``) or in ``If-Match``, and
    # ``RulesViewSet`` refuses a stale one.

    version = version_field()


class FieldsOnceSerializer(serializers.ModelSerializer):
    # Works out its fields from the model once per class, and copies them for each use as the REST
    # framework copies the declared ones: ``ModelSerializer`` reads the model's ``_meta`` and each
    # field's options on every use, 0.3 ms for a goal's summary and 0.7 ms for a whole goal, on every
    # request. Only for a serializer whose fields depend on its class alone (not on the request,
    # the instance or the context).

    def get_fields(self):
        cls = type(self)
        if "_fields_once" not in cls.__dict__:
            cls._fields_once = super().get_fields()
        return copy.deepcopy(cls._fields_once)


class CheckedModelSerializer(serializers.ModelSerializer):
    # Saves as the web's forms do: every field set, then the model's own checks (``full_clean``, the
    # placement and date rules included), then the save, so that a rule's refusal is a 400 with the
    # rule's message. Many-to-many fields are set after the save; the history records the caller.

    # Fields the model's checks leave out (a slug that saving makes from the name).
    clean_exclude: tuple[str, ...] = ()

    def create(self, validated_data):
        return self.checked_save(self.Meta.model(), validated_data)

    def update(self, instance, validated_data):
        return self.checked_save(instance, validated_data)

    def checked_save(self, instance: models.Model, validated_data: dict) -> models.Model:
        relations = model_meta.get_field_info(type(instance)).relations
        many = {
            name: validated_data.pop(name)
            for name in list(validated_data)
            if name in relations and relations[name].to_many
        }
        for name, value in validated_data.items():
            setattr(instance, name, value)
        self.check_instance(instance)
        instance._history_user = self.context["request"].user
        instance.save()
        for name, values in many.items():
            getattr(instance, name).set(values)
        return instance

    def check_instance(self, instance: models.Model) -> None:
        """The checks before saving: the model's own; a subclass adds its own before them."""
        instance.full_clean(exclude=self.clean_exclude)


def place(node, parent):
    """Add ``node``, unsaved, to its tree under ``parent`` (at the top where that is None), after the
    model's own checks. The tree's manager (``orgunits.trees.GuardedNodeManager``) refuses a
    placement that breaks a rule, with the rule's message."""
    node.full_clean()
    nodes = type(node).objects
    if parent is None:
        return nodes.add_root(instance=node)
    return nodes.add_child(parent, instance=node)
