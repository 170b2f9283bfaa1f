"""The load balancer's probe, /health/: it asks the database, and answers whatever host name and
scheme the balancer uses. The answer with the database down is tried against a real closed port
under gunicorn (tests/test_gunicorn.py)."""

import json

import pytest
from django.urls import reverse

from styrmodell import health

pytestmark = pytest.mark.django_db


def test_the_probe_is_at_its_agreed_address():
    assert reverse("health") == health.PATH == "/health/"


def test_with_the_database_answering_the_instance_is_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    # A cached "ok" would hide an instance that lost its database.
    assert "no-store" in response["Cache-Control"]


def test_the_probe_answers_a_host_the_portal_does_not_serve(client, settings):
    settings.ALLOWED_HOSTS = ["styrmodell.sjostad.example"]
    # The balancer asks by the instance's address...
    response = client.get("/health/", HTTP_HOST="10.0.0.5:8000")
    assert (response.status_code, json.loads(response.content)) == (200, {"status": "ok"})
    # ...which every other address refuses.
    client.raise_request_exception = False
    assert client.get(reverse("login"), HTTP_HOST="10.0.0.5:8000").status_code == 400


def test_the_probe_answers_over_plain_http_where_pages_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/health/")
    assert (response.status_code, json.loads(response.content)) == (200, {"status": "ok"})
    assert client.get(reverse("login"))["Location"] == "https://testserver" + reverse("login")
