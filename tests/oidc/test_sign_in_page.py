"""The sign-in page with and without single sign-on, password sign-in switched off, and the
provider's pages when something goes wrong, through Django's test client. Signing in through a
real provider is tests/e2e/test_oidc.py."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from signin.identities import user_from_claims
from tests.oidc.server import CLIENT_ID, CLIENT_SECRET, free_port

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def karin(django_user_model):
    return django_user_model.objects.create_user("karin.lind", password="rätt-lösenord", is_staff=True)


@pytest.fixture
def sso(settings):
    """Set up for a provider that is not running: nothing here reaches it unless a test says so."""
    settings.OIDC_ISSUER = f"http://127.0.0.1:{free_port()}"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "Kommunens konto"


def test_without_single_sign_on_the_page_has_the_password_form_only(client):
    page = client.get(reverse("login")).content.decode()
    assert 'name="password"' in page
    assert "Logga in med" not in page
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


def test_with_single_sign_on_the_page_offers_the_provider_first(client, sso):
    page = client.get(reverse("login") + "?next=/goals/mine/").content.decode()
    assert page.index("Logga in med Kommunens konto") < page.index('name="password"')
    assert f'href="{reverse("oidc_authentication_init")}?next=/goals/mine/"' in page


def test_password_sign_in_switched_off(client, sso, settings, karin):
    settings.PASSWORD_SIGN_IN = False
    page = client.get(reverse("login")).content.decode()
    assert "Logga in med Kommunens konto" in page
    assert 'name="password"' not in page

    refused = client.post(reverse("login"), {"username": "karin.lind", "password": "rätt-lösenord"})
    assert refused.status_code == 403
    assert "Inloggning med lösenord är avstängd: logga in med Kommunens konto." in refused.content.decode()
    # The admin's password form gets nowhere either.
    client.post(reverse("admin:login"), {"username": "karin.lind", "password": "rätt-lösenord"})
    assert SESSION_KEY not in client.session


def test_the_admin_sends_staff_to_the_portals_sign_in_page(client, sso, settings):
    settings.PASSWORD_SIGN_IN = False
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login") + "?next=%2Fadmin%2F"
    assert "Logga in med Kommunens konto" in response.content.decode()


def test_a_provider_that_does_not_answer_gets_a_page_in_swedish(client, sso):
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 503
    assert "Inloggning med Kommunens konto fungerar inte just nu" in response.content.decode()


def test_a_sign_in_cancelled_at_the_provider_is_said_so(client, sso):
    response = client.get(reverse("oidc_authentication_callback") + "?error=access_denied&state=x")
    assert response.status_code == 403
    assert "eller så avbröts inloggningen" in response.content.decode()


def test_a_callback_without_a_started_sign_in_is_refused(client, sso):
    response = client.get(reverse("oidc_authentication_callback") + "?code=stolen&state=guessed")
    assert response.status_code == 403
    assert SESSION_KEY not in client.session


def test_signing_out_a_password_user_stays_in_the_portal(client, sso, karin):
    client.force_login(karin)
    assert client.post(reverse("logout"))["Location"] == reverse("home")
    assert SESSION_KEY not in client.session


def test_password_sign_in_cannot_be_switched_off_without_single_sign_on():
    environment = {key: value for key, value in os.environ.items() if not key.startswith("STYRMODELL_OIDC_")}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**environment, "STYRMODELL_PASSWORD_SIGN_IN": "false"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "STYRMODELL_PASSWORD_SIGN_IN is off but single sign-on is not set up" in result.stderr


def test_deactivating_a_single_sign_on_user_ends_their_session(client, sso):
    karin = user_from_claims(
        issuer="https://sso.kommun.example", claims={"sub": "karin", "name": "Karin Lind"}
    )
    client.force_login(karin, backend="signin.backends.OidcBackend")
    assert client.get(reverse("goals:mine")).status_code == 200
    karin.is_active = False
    karin.save(update_fields=["is_active"])
    assert client.get(reverse("goals:mine"))["Location"].startswith(reverse("login"))


def test_signing_out_while_the_provider_is_down_still_signs_out_of_the_portal(client, sso):
    karin = user_from_claims(
        issuer="https://sso.kommun.example", claims={"sub": "karin", "name": "Karin Lind"}
    )
    client.force_login(karin, backend="signin.backends.OidcBackend")
    session = client.session
    session["oidc_id_token"] = "eyJ.the-id-token.sig"
    session.save()
    assert client.post(reverse("logout"))["Location"] == reverse("home")
    assert SESSION_KEY not in client.session
