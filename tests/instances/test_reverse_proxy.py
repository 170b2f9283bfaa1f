"""The portal as an operator runs it: nginx with the repository's configuration (deploy/nginx.conf)
ending TLS in front of two instances, which trust it (``STYRMODELL_TRUSTED_PROXIES``,
``STYRMODELL_PROXY_SSL_HEADER``) and keep every production setting, the HTTPS redirect included.

Every client is on the loopback, but each may speak from an address of its own there (127.0.0.x):
what django-axes locks out and what the history records is the address nginx saw connect, which
reaches the portal only through the forwarded header.
"""

from __future__ import annotations

import time

import pytest
import requests
from axes.models import AccessAttempt
from django.urls import reverse
from requests.adapters import HTTPAdapter

from goals.chain.levels import Level
from goals.models import Goal
from tests.kit.chain import add_goal
from tests.kit.instances import Instance, Proxy, ServerTracebacks, form_token, running, sign_in
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def proxied(instance_environment, tmp_path_factory):
    """nginx on HTTPS in front of two instances that trust it; (proxy, instances)."""
    environment = {
        **instance_environment,
        "DJANGO_SECURE_SSL_REDIRECT": "true",
        "STYRMODELL_TRUSTED_PROXIES": "127.0.0.1",
        "STYRMODELL_PROXY_SSL_HEADER": "X-Forwarded-Proto",
    }
    folder = tmp_path_factory.mktemp("proxy")
    names = ("behind-a", "behind-b")
    instances = [Instance(name, environment, folder / f"{name}.log") for name in names]
    with running(instances), Proxy(folder, instances) as proxy:
        yield proxy, instances


@pytest.fixture
def proxy(proxied):
    """The proxy; none of the instances behind it may answer the test with a server error."""
    proxy, instances = proxied
    errors = ServerTracebacks(instances)
    yield proxy
    assert list(errors) == []


class FromAddress(HTTPAdapter):
    """Connections made from one loopback address (Linux answers to all of 127.0.0.0/8)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs, source_address=(self.address, 0))


def browser_at(address: str, proxy: Proxy) -> requests.Session:
    """A browser on the machine with ``address``, trusting the proxy's certificate."""
    session = requests.Session()
    session.trust_env = False  # the machine's CA bundle and proxies in the environment would win
    session.verify = str(proxy.certificate)
    session.mount("https://", FromAddress(address))
    session.mount("http://", FromAddress(address))
    return session


def test_the_requests_are_spread_over_the_instances(proxied, proxy):
    _proxy, instances = proxied
    marks = [instance.mark() for instance in instances]
    browser = browser_at("127.0.0.1", proxy)
    for _click in range(4):
        assert browser.get(proxy.url + "/processes/").status_code == 200

    # Each instance's access log (one line a request, written once the answer has gone) shows the
    # pages served by it.
    def served() -> list[int]:
        return [
            instance.output(mark).count("GET /processes/")
            for instance, mark in zip(instances, marks, strict=True)
        ]

    deadline = time.monotonic() + 10
    while sum(served()) < 4 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert served() == [2, 2]


def test_the_portal_answers_on_https_and_sends_plain_http_there(proxy):
    browser = browser_at("127.0.0.1", proxy)

    plain = browser.get(proxy.plain_url + "/organisation/", allow_redirects=False)
    assert plain.status_code == 301
    assert plain.headers["Location"].startswith("https://127.0.0.1:")
    assert plain.headers["Location"].endswith("/organisation/")

    page = browser.get(proxy.url + "/organisation/")
    assert page.status_code == 200
    assert "max-age=31536000" in page.headers["Strict-Transport-Security"]
    assert "Secure" in page.headers["Set-Cookie"]  # the CSRF cookie: the portal knows it is on HTTPS


def test_guesses_lock_out_the_guessers_address_not_everyone_behind_the_proxy(proxy, django_user_model):
    django_user_model.objects.create_user("karin", password="rätt-lösenord")
    guesser = browser_at("127.0.0.2", proxy)
    answers = [sign_in(guesser, proxy.url, "karin", "fel").status_code for _attempt in range(5)]
    assert answers == [200, 200, 200, 200, 429]
    assert sign_in(guesser, proxy.url, "karin", "rätt-lösenord").status_code == 429

    # Karin, at her own computer, signs in through the same proxy.
    karin = browser_at("127.0.0.3", proxy)
    assert sign_in(karin, proxy.url, "karin", "rätt-lösenord").headers["Location"] == reverse("home")
    assert list(AccessAttempt.objects.values_list("ip_address", flat=True)) == ["127.0.0.2"]


def test_the_history_records_the_address_of_whoever_saved(proxy, group, chain):
    draft = add_goal(Level.OPERATIONAL, "Fler elever läser", group.administration, chain.body)
    member_of(group.administration, "karin")
    karin = browser_at("127.0.0.4", proxy)
    sign_in(karin, proxy.url, "karin", "x")
    edit = f"{proxy.url}/goals/{draft.pk}/edit/"

    karin.post(
        edit,
        data={
            "title": "Alla elever läser varje dag",
            "parent": chain.body.pk,
            "seen_version": draft.version,
            "csrfmiddlewaretoken": form_token(karin, edit),
        },
        headers={"Origin": proxy.url},  # as a browser posts a form (Django checks it on HTTPS)
    )

    latest = Goal.history.filter(id=draft.pk).latest("history_date")
    assert (latest.title, latest.ip_address) == ("Alla elever läser varje dag", "127.0.0.4")


def test_a_person_stays_signed_in_while_an_instance_stops(proxied, proxy, group):
    _proxy, instances = proxied
    member_of(group.administration, "karin")
    karin = browser_at("127.0.0.5", proxy)
    assert sign_in(karin, proxy.url, "karin", "x").headers["Location"] == reverse("home")

    instances[0].stop()
    try:
        # Every next click goes to the instance still running, signed in all the same.
        for _click in range(4):
            page = karin.get(proxy.url + reverse("password_change"), allow_redirects=False)
            assert page.status_code == 200
            assert 'name="old_password"' in page.text
    finally:
        instances[0].start()
