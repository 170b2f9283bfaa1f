"""Signing in and out, changing one's password, and the lockout after repeated failures."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN_URL = reverse("login")


@pytest.fixture
def karin(django_user_model):
    return django_user_model.objects.create_user("karin.lind", password="rätt-lösenord")


def sign_in(client, password, address="10.0.0.1"):
    return client.post(LOGIN_URL, {"username": "karin.lind", "password": password}, REMOTE_ADDR=address)


def test_signing_in_leads_to_the_start_page_with_the_to_do_list(client, karin):
    response = sign_in(client, "rätt-lösenord")
    assert response["Location"] == reverse("home")


def test_a_wrong_password_is_said_in_swedish(client, karin):
    response = sign_in(client, "fel")
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()


def test_five_failures_lock_the_user_out_from_that_address_only(client, karin):
    for _attempt in range(5):
        sign_in(client, "fel")
    locked = sign_in(client, "rätt-lösenord")
    assert locked.status_code == 429
    assert "Inloggningen är pausad" in locked.content.decode()
    # Another address is not locked out.
    assert sign_in(client, "rätt-lösenord", address="10.0.0.2")["Location"] == reverse("home")


def test_a_success_before_the_limit_starts_the_count_again(client, karin):
    for _attempt in range(4):
        sign_in(client, "fel")
    sign_in(client, "rätt-lösenord")
    client.logout()
    for _attempt in range(4):
        sign_in(client, "fel")
    assert sign_in(client, "rätt-lösenord")["Location"] == reverse("home")


def test_changing_the_password(client, karin):
    client.force_login(karin)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "rätt-lösenord",
            "new_password1": "ett-nytt-langt-losen",
            "new_password2": "ett-nytt-langt-losen",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    assert (
        "Ditt nya lösenord gäller från och med nu."
        in client.get(reverse("password_change_done")).content.decode()
    )
    karin.refresh_from_db()
    assert karin.check_password("ett-nytt-langt-losen")


def test_signing_out_is_a_post(client, karin):
    client.force_login(karin)
    assert client.post(reverse("logout"))["Location"] == reverse("home")
    assert client.get(reverse("goals:mine"))["Location"].startswith(LOGIN_URL)
