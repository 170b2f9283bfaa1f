"""Clients and languages: how a test calls the portal and reads its messages.

- ``english``: run the test in English, to compare the rules' messages word for word.
- ``in_swedish(day)``: a date as the portal's Swedish pages write it ("20 september 2026").
- ``admin``: pytest-django's signed-in superuser's client, browsing the admin in English.
- ``api``: an anonymous API client asking for English.
- ``client_for(user, auth)``: an API client for ``user`` (None: anonymous) through a "token" or
  the portal's "session"; ``token_client(user)`` the token one.

pytest-django's own ``client`` (a web client; ``client.force_login(user)`` signs in),
``admin_client`` and ``django_assert_num_queries`` are there too.
"""

import datetime

import pytest
from django.utils import translation
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

SWEDISH_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def in_swedish(day: datetime.date) -> str:
    """``day`` as the portal's Swedish pages write it, spelled out here rather than asked of
    Django, so that a test notices when a page writes dates some other way."""
    return f"{day.day} {SWEDISH_MONTHS[day.month - 1]} {day.year}"


@pytest.fixture
def english():
    """Run the test in English, for tests that compare the rules' messages word for word."""
    with translation.override("en"):
        yield


@pytest.fixture
def admin(admin_client):
    """pytest-django's signed-in superuser, browsing the admin in English."""
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


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
