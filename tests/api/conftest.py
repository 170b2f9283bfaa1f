import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

# The API is tried with the same fixed cast as the web (tests/test_permissions.py).
from tests.test_permissions import cast  # noqa: F401


@pytest.fixture
def api():
    """An API client that asks for English, to compare the rules' messages word for word."""
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


def client_for(user, auth: str) -> APIClient:
    """An API client for ``user`` (None: anonymous), authenticated by "token" or "session"."""
    if auth == "token":
        return token_client(user)
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def token_client(user) -> APIClient:
    """An API client that authenticates as ``user`` with a token, as a program would."""
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client
