"""A token in the ``Authorization`` header, as ``Token <key>`` or as ``Bearer <key>`` (what clients
generated from the schema send), and how the schema tells clients so."""

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from orgunits.models import Membership
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


def memberships_with(authorization: str | None, language: str = "en"):
    client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
    if authorization is not None:
        client.credentials(HTTP_AUTHORIZATION=authorization)
    return client.get(reverse("api:membership-list"))


@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
def test_a_token_signs_in_with_either_keyword(group, keyword):
    karin = member_of(group.administration, "karin")
    key = Token.objects.create(user=karin).key
    response = memberships_with(f"{keyword} {key}")
    assert response.status_code == 200
    # The list is the one karin manages: only her own membership in the administration.
    assert [row["id"] for row in response.json()["results"]] == [Membership.objects.get(user=karin).pk]


def test_without_a_token_the_same_list_asks_for_credentials(group):
    member_of(group.administration, "karin")
    response = memberships_with(None)
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication credentials were not provided.", "errors": {}}


@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
@pytest.mark.parametrize(
    ("language", "message"), [("en", "Invalid token."), ("sv", 'Ogiltig "token".')], ids=["en", "sv"]
)
def test_a_wrong_token_is_refused_with_a_message_in_the_callers_language(group, keyword, language, message):
    response = memberships_with(f"{keyword} not-a-token", language)
    assert response.status_code == 401
    assert response.json() == {"detail": message, "errors": {}}
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("keyword", ["Token", "Bearer"])
def test_the_token_of_a_deactivated_user_is_refused(group, keyword):
    karin = member_of(group.administration, "karin")
    key = Token.objects.create(user=karin).key
    karin.is_active = False
    karin.save(update_fields=["is_active"])
    response = memberships_with(f"{keyword} {key}")
    assert response.status_code == 401
    assert response.json() == {"detail": "User inactive or deleted.", "errors": {}}


def test_a_keyword_without_a_key_is_refused():
    response = memberships_with("Bearer")
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token header. No credentials provided.", "errors": {}}


def test_the_schema_offers_the_bearer_scheme_beside_the_token_scheme():
    schema = APIClient().get(reverse("api:schema"), {"format": "json"}).json()
    schemes = schema["components"]["securitySchemes"]
    assert schemes["bearerAuth"]["type"] == "http" and schemes["bearerAuth"]["scheme"] == "bearer"
    assert schemes["tokenAuth"]["name"] == "Authorization"
    # Every operation that takes a token takes it either way.
    securities = [
        operation["security"]
        for operations in schema["paths"].values()
        for operation in operations.values()
        if {"tokenAuth": []} in operation["security"]
    ]
    assert securities
    assert all({"bearerAuth": []} in security for security in securities)
