"""What the viewsets, fields and schema of every collection stand on: ``api.viewsets``'s bases,
``api.fields``'s parent fields and ``api.schema``."""

import pytest
import rules
from drf_spectacular.generators import SchemaGenerator
from rest_framework import mixins, serializers

from api.fields import ParentIdField, ParentSlugField, with_parent
from api.goals import GoalSerializer, GoalSummarySerializer, NewGoalSerializer
from api.permissions import PUBLIC
from api.urls import router
from api.viewsets import ReadViewSet, ReadWriteViewSet, RulesViewSet
from goals.models import Goal
from orgunits.models import OrgUnit

VIEWSETS = [viewset for _, viewset, _ in router.registry]
WRITES = {"create": "perform_create", "update": "perform_update", "destroy": "perform_destroy"}


def writes_of(viewset) -> dict[str, object]:
    """The method that saves each write the viewset answers."""
    return {action: getattr(viewset, method) for action, method in WRITES.items() if hasattr(viewset, action)}


def test_the_bases_rules():
    assert ReadViewSet.action_rules == {"list": PUBLIC, "retrieve": PUBLIC}
    assert ReadWriteViewSet.action_rules == {
        "list": PUBLIC,
        "retrieve": PUBLIC,
        "create": rules.is_staff,
        "update": rules.is_staff,
        "partial_update": rules.is_staff,
    }


@pytest.mark.parametrize("viewset", VIEWSETS, ids=[viewset.__name__ for viewset in VIEWSETS])
def test_every_write_is_saved_by_the_rules_base(viewset):
    # RulesViewSet's perform_* ask the rule with the object as it will be and lock a versioned
    # record; a DRF mixin listed before the base would save without either.
    assert writes_of(viewset) == {
        action: getattr(RulesViewSet, WRITES[action]) for action in writes_of(viewset)
    }


def test_a_mixin_listed_before_the_base_is_seen():
    class Shadowed(mixins.DestroyModelMixin, ReadViewSet):
        pass

    assert writes_of(Shadowed) == {"destroy": mixins.DestroyModelMixin.perform_destroy}


@pytest.mark.parametrize(
    ("path", "request_schema", "answer"),
    [
        ("/api/v1/orgunits/", "NewOrgUnitRequest", "OrgUnit"),
        ("/api/v1/target-groups/", "NewTargetGroupRequest", "TargetGroup"),
    ],
)
def test_a_create_with_its_own_serializer_answers_the_new_object_as_read(path, request_schema, answer):
    create = SchemaGenerator().get_schema(request=None, public=True)["paths"][path]["post"]
    assert create["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": f"#/components/schemas/{request_schema}"
    }
    assert create["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": f"#/components/schemas/{answer}"
    }


def test_a_units_parent_read_from_the_annotation_is_the_trees(group, django_assert_num_queries):
    field = ParentSlugField(tree=OrgUnit, read_only=True)
    asked = {unit.slug: field.get_attribute(unit) for unit in OrgUnit.objects.all()}
    with django_assert_num_queries(1):  # the units, each with its parent's slug
        annotated = {
            unit.slug: field.get_attribute(unit) for unit in with_parent(OrgUnit.objects.all(), "slug")
        }
    assert annotated == asked
    assert asked[group.council.slug] is None
    assert asked[group.school.slug] == group.department.slug


def test_a_goals_parent_read_from_the_annotation_is_the_trees(chain, django_assert_num_queries):
    field = ParentIdField(tree=Goal, read_only=True)
    asked = {goal.pk: field.get_attribute(goal) for goal in Goal.objects.all()}
    with django_assert_num_queries(1):  # the goals, each with its parent's id
        annotated = {goal.pk: field.get_attribute(goal) for goal in with_parent(Goal.objects.all(), "pk")}
    assert annotated == asked
    assert asked[chain.vision.pk] is None
    assert asked[chain.activity.pk] == chain.department_goal.pk


@pytest.mark.parametrize("serializer_class", [GoalSummarySerializer, GoalSerializer, NewGoalSerializer])
def test_fields_worked_out_once_per_class_are_those_the_model_gives_each_use_its_own(db, serializer_class):
    # A subclass changes fields (a new goal names its unit): each class keeps its own.
    for _ in range(2):
        first, second = serializer_class(), serializer_class()
        worked_out = serializers.ModelSerializer.get_fields(first)
        assert {name: repr(field) for name, field in first.fields.items()} == {
            name: repr(field) for name, field in worked_out.items()
        }
        assert all(first.fields[name] is not second.fields[name] for name in first.fields)
        assert {field.parent for field in second.fields.values()} == {second}
    assert NewGoalSerializer().fields["unit"].read_only is False
    assert GoalSerializer().fields["unit"].read_only is True
