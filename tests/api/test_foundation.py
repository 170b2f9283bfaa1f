"""What every endpoint stands on: the matrix's completeness, the permission class, the error format,
the schema and its documentation."""

import pytest
import rules
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.management import call_command
from django.urls import reverse
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from api.exceptions import field_errors
from api.permissions import PUBLIC, SIGNED_IN
from api.viewsets import RulesViewSet
from orgunits.models import Membership
from tests.kit.api_matrix import ApiCase, all_cases, api_routes, domain_cases, expected, outcome
from tests.kit.clients import token_client
from tests.kit.once import SharedWorld
from tests.kit.organisation import Group
from tests.kit.people import CAST, EVERYONE, build_cast

pytestmark = pytest.mark.django_db

API_CASES = [
    ApiCase("api-root", "get", EVERYONE, lambda w: reverse("api:api-root")),
    ApiCase("schema", "get", EVERYONE, lambda w: reverse("api:schema")),
    ApiCase("docs", "get", EVERYONE, lambda w: reverse("api:docs")),
]


def test_every_api_route_is_in_the_matrix():
    assert api_routes() == {(case.route, case.method) for case in all_cases()}


def test_the_matrix_collects_every_modules_rows():
    assert {case.id for case in domain_cases("orgunits") + API_CASES} <= {case.id for case in all_cases()}


class TestTheCastOnTheApisOwnPages(SharedWorld):
    def build(self) -> dict:
        return build_cast(Group())

    @pytest.mark.parametrize("who", CAST)
    @pytest.mark.parametrize("case", API_CASES, ids=[case.id for case in API_CASES])
    def test_the_cast_on_the_apis_own_pages(self, scene, case, who):
        assert outcome(token_client(scene[who]), case, None) == expected(case, who)


def test_the_root_lists_the_collections(api):
    collections = [
        "orgunits",
        "memberships",
        "processes",
        "target-groups",
        "indicators",
        "targets",
        "measurements",
        "reporting-periods",
        "follow-ups",
        "goals",
        "decisions",
        "periods",
        "chain-health",
        "users",
    ]
    assert api.get(reverse("api:api-root")).json() == {
        name: f"http://testserver/api/v1/{name}/" for name in collections
    }


# The permission class ---------------------------------------------------------------------------


class Thing(serializers.Serializer):
    name = serializers.CharField()

    def create(self, validated_data):
        return validated_data


class ThingViewSet(RulesViewSet, mixins.ListModelMixin, mixins.CreateModelMixin):
    """A viewset for the permission class's own tests, acting on memberships."""

    action_rules = {"list": SIGNED_IN, "create": rules.is_staff, "open": PUBLIC}
    serializer_class = Thing
    queryset = Membership.objects.none()

    def get_serializer(self, *args, **kwargs):
        return Thing(*args, **kwargs)

    def new_object(self, serializer):
        return None

    @action(detail=False)
    def open(self, request):
        return Response({})

    @action(detail=False)
    def forgotten(self, request):
        return Response({})


class ShadowedViewSet(mixins.CreateModelMixin, RulesViewSet):
    """DRF's mixin listed first: its ``perform_create`` would skip the rule."""

    action_rules = ThingViewSet.action_rules
    queryset = ThingViewSet.queryset
    get_serializer = ThingViewSet.get_serializer


def call(viewset, action_name, method, user):
    request = getattr(APIRequestFactory(), method)("/", {"name": "x"}, format="json")
    force_authenticate(request, user=user)
    return viewset.as_view({method: action_name})(request).status_code


def test_an_action_without_a_rule_is_refused_even_to_staff(admin_user):
    assert call(ThingViewSet, "forgotten", "get", admin_user) == 403
    assert call(ThingViewSet, "open", "get", AnonymousUser()) == 200


def test_a_create_whose_save_does_not_ask_the_rule_is_refused(admin_user):
    assert call(ThingViewSet, "create", "post", admin_user) == 201
    assert call(ShadowedViewSet, "create", "post", admin_user) == 403


def test_a_rule_that_ignores_the_object_is_asked_before_the_data_is_read(django_user_model):
    user = django_user_model.objects.create_user("ulla")
    request = APIRequestFactory().post("/", {}, format="json")  # invalid: no name
    force_authenticate(request, user=user)
    assert ThingViewSet.as_view({"post": "create"})(request).status_code == 403


# The error format -------------------------------------------------------------------------------


def test_nested_errors_are_flattened_to_field_paths():
    detail = {
        "title": ["Required."],
        "non_field_errors": ["Whole."],
        "targets": [{}, {"value": ["Too big."]}],
        "owner": {"name": ["Empty."]},
    }
    assert field_errors(detail) == {
        "title": ["Required."],
        "non_field_errors": ["Whole."],
        "targets.1.value": ["Too big."],
        "owner.name": ["Empty."],
    }


def test_a_django_validation_error_is_a_400_with_its_messages():
    from api.exceptions import exception_handler

    response = exception_handler(ValidationError({"__all__": ["Wrong place."], "name": ["Too long."]}), {})
    assert response.status_code == 400
    assert response.data == {
        "detail": "Wrong place.",
        "errors": {"non_field_errors": ["Wrong place."], "name": ["Too long."]},
    }


def test_an_unsupported_method_is_a_405_in_the_error_format(api, group):
    response = api.delete(reverse("api:orgunit-detail", args=[group.school.slug]))
    assert response.json() == {"detail": 'Method "DELETE" not allowed.', "errors": {}}
    assert response.status_code == 405
    assert api.options(reverse("api:orgunit-list")).status_code == 401  # no rule: closed


# The schema and its documentation ---------------------------------------------------------------


def test_the_schema_generates_without_warnings(tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert "/api/v1/orgunits/{slug}/move/" in (tmp_path / "schema.yaml").read_text()


def model_serializers(base=serializers.ModelSerializer):
    """Every model serializer of the API, however deep it stands below DRF's."""
    for serializer_class in base.__subclasses__():
        if serializer_class.__module__.startswith("api.") and hasattr(serializer_class, "Meta"):
            yield serializer_class
        yield from model_serializers(serializer_class)


def test_the_schema_says_null_wherever_a_relation_may_be_empty(api):
    # A reviewer or a goal owner may be nobody: a client that trusts the schema must expect null.
    schema = api.get(reverse("api:schema"), {"format": "json"}).json()["components"]["schemas"]
    checked = set()
    for serializer_class in set(model_serializers()):
        model = serializer_class.Meta.model
        properties = schema.get(serializer_class.__name__.removesuffix("Serializer"), {}).get(
            "properties", {}
        )
        for name, field in serializer_class().fields.items():
            try:
                model_field = model._meta.get_field(field.source)
            except FieldDoesNotExist:
                continue
            if model_field.concrete and model_field.is_relation and model_field.null and name in properties:
                checked.add(f"{serializer_class.__name__}.{name}")
                assert properties[name].get("nullable") is True, f"{serializer_class.__name__}.{name}"
    assert {
        "FollowUpSerializer.reported_by",
        "FollowUpSerializer.reviewed_by",
        "GoalSerializer.owner",
        "RevisionSerializer.proposed_by",
        "DecisionSerializer.delegated_by",
    } <= checked


def test_every_error_response_in_the_schema_has_the_one_format(api):
    schema = api.get(reverse("api:schema"), {"format": "json"}).json()
    error = {"$ref": "#/components/schemas/Error"}
    responses = [
        (path, method, code, response)
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for code, response in operation["responses"].items()
        if code >= "400"
    ]
    assert responses
    assert all(response["content"]["application/json"]["schema"] == error for *_, response in responses)
    assert schema["components"]["schemas"]["Error"]["required"] == ["detail", "errors"]


def test_the_docs_render_without_a_cdn(api):
    response = api.get(reverse("api:docs"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn." not in html and "unpkg" not in html
    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    # No inline script: Swagger UI's start-up script has its own address, and points at the schema.
    assert "<script>" not in html
    script = api.get(reverse("api:docs"), {"script": ""})
    assert script["Content-Type"] == "application/javascript"
    assert reverse("api:schema") in script.content.decode()
