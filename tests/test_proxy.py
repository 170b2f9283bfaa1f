"""Behind the organisation's reverse proxy: the client's address comes from X-Forwarded-For only when
the request came from a trusted proxy, and django-axes locks out that address, not the proxy's."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.test import RequestFactory
from django.urls import reverse

from goals.chain.levels import Level
from orgunits.client_address import client_address
from tests.kit.chain import add_goal
from tests.kit.people import member_of

PROXY = "10.0.0.2"
CLIENT_A = "192.0.2.10"
CLIENT_B = "198.51.100.20"
LOGIN_URL = reverse("login")


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.1.0.0/24"]


def address_of(remote_addr, forwarded=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_address(RequestFactory().get("/", **headers))


@pytest.mark.parametrize(
    ("remote_addr", "forwarded", "expected"),
    [
        # No proxy: the peer is the client, whatever it writes in the header.
        (CLIENT_A, None, CLIENT_A),
        (CLIENT_A, CLIENT_B, CLIENT_A),
        # The proxy tells who connected to it.
        (PROXY, CLIENT_A, CLIENT_A),
        # A client's own header is passed on in front of the address the proxy saw: only the
        # right-most address a trusted proxy wrote is believed.
        (PROXY, f"{CLIENT_B}, {CLIENT_A}", CLIENT_A),
        # Two proxies of ours in a row (the second in a trusted range): skipped from the right.
        (PROXY, f"{CLIENT_B}, {CLIENT_A}, 10.1.0.7", CLIENT_A),
        # IPv6 clients too.
        (PROXY, "2001:db8::1", "2001:db8::1"),
        # A proxy that sent no header, or garbage, leaves the last address vouched for.
        (PROXY, None, PROXY),
        (PROXY, "not-an-address", PROXY),
        (PROXY, f"{CLIENT_A}, 10.1.0.7, <script>", PROXY),
        (PROXY, f"garbage, {CLIENT_A}", CLIENT_A),
        # Every hop ours: the furthest one is the closest we get to the client.
        (PROXY, "10.1.0.5, 10.1.0.7", "10.1.0.5"),
    ],
)
def test_the_client_address_is_forwarded_only_by_a_trusted_proxy(
    behind_proxy, remote_addr, forwarded, expected
):
    assert address_of(remote_addr, forwarded) == expected


def test_without_trusted_proxies_the_header_is_never_read(settings):
    settings.TRUSTED_PROXIES = []
    assert address_of(PROXY, CLIENT_A) == PROXY


@pytest.fixture
def karin(django_user_model):
    return django_user_model.objects.create_user("karin.lind", password="rätt-lösenord")


def sign_in(client, password, *, remote_addr=PROXY, forwarded=None):
    headers = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(LOGIN_URL, {"username": "karin.lind", "password": password}, **headers)


@pytest.mark.django_db
def test_guesses_through_the_proxy_lock_out_the_guesser_not_the_user(client, karin, behind_proxy):
    for _attempt in range(5):
        sign_in(client, "fel", forwarded=CLIENT_A)
    locked = sign_in(client, "rätt-lösenord", forwarded=CLIENT_A)
    assert locked.status_code == 429
    assert "Inloggningen är pausad" in locked.content.decode()
    # Karin herself, at another desk behind the same proxy, still signs in.
    assert sign_in(client, "rätt-lösenord", forwarded=CLIENT_B)["Location"] == reverse("home")
    # What axes recorded names the clients, never the proxy.
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT_A]
    assert set(AccessLog.objects.values_list("ip_address", flat=True)) == {CLIENT_B}


@pytest.mark.django_db
def test_a_forged_header_from_outside_does_not_escape_the_lockout(client, karin, behind_proxy):
    # Straight to the portal, not through the proxy: a new made-up address on every guess.
    for attempt in range(5):
        sign_in(client, "fel", remote_addr=CLIENT_A, forwarded=f"203.0.113.{attempt}")
    locked = sign_in(client, "rätt-lösenord", remote_addr=CLIENT_A, forwarded="203.0.113.99")
    assert locked.status_code == 429
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == [CLIENT_A]


@pytest.mark.django_db
def test_the_history_records_the_forwarded_clients_address(client, group, chain, behind_proxy):
    draft = add_goal(Level.OPERATIONAL, "Utkast", group.administration, chain.body)
    client.force_login(member_of(group.administration, "karin"))
    client.post(
        reverse("goals:edit", args=[draft.pk]),
        {"title": "Ändrad", "parent": chain.body.pk},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"{CLIENT_B}, {CLIENT_A}",
    )
    versions = list(draft.history.order_by("history_date").values_list("title", "ip_address"))
    # Made by the test kit outside any request: no address; edited through the proxy: the client's.
    assert versions == [("Utkast", None), ("Ändrad", CLIENT_A)]
