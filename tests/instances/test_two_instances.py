"""Two instances of the portal behind one proxy share nothing but PostgreSQL, and a person going
from one to the other between two clicks notices nothing: the session, the messages, the data, a
file's preview waiting to be imported, the lockout of a guessed password and the cache are the
same on both.

Two gunicorns on the loopback (``tests.kit.instances``), production settings, on the test
database; each test writes committed data (``transactional_db``) that both read. The
notification sender run twice at once is tests/notices/test_concurrent_runs.py (two runs, each
with its own connection, as on two machines); the concurrency suite runs against both instances
with ``STYRMODELL_TEST_INSTANCES=2`` (``make test``).
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Goal, Indicator, Measurement, Period, ReportingPeriod
from tests.concurrency.racing import notices_in
from tests.kit.chain import add_goal
from tests.kit.instances import CSRF_FIELD, ServerTracebacks, form_token, loopback_session, manage, sign_in
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db(transaction=True)

LOGIN = reverse("login")
PASSWORD_CHANGE = reverse("password_change")


@pytest.fixture
def a_and_b(portal_instances):
    """The two instances' addresses; neither may answer a request of the test with a server error."""
    errors = ServerTracebacks(portal_instances)
    yield tuple(instance.url for instance in portal_instances)
    assert list(errors) == []


def test_a_session_made_on_one_instance_is_signed_in_on_the_other_until_signed_out_there(a_and_b, group):
    a, b = a_and_b
    member_of(group.administration, "karin")
    browser = loopback_session()

    assert sign_in(browser, a, "karin", "x").headers["Location"] == reverse("home")

    # The next click reaches the other instance: still signed in.
    on_b = browser.get(b + PASSWORD_CHANGE, allow_redirects=False)
    assert on_b.status_code == 200
    assert 'name="old_password"' in on_b.text
    # Signed out there, the first instance no longer knows the session either.
    browser.post(b + reverse("logout"), data={"csrfmiddlewaretoken": CSRF_FIELD.search(on_b.text).group(1)})
    on_a = browser.get(a + PASSWORD_CHANGE, allow_redirects=False)
    assert on_a.status_code == 302
    assert on_a.headers["Location"].startswith(LOGIN)


def test_a_goal_changed_through_one_instance_is_seen_on_the_other_at_once(a_and_b, group, chain):
    a, b = a_and_b
    draft = add_goal(Level.OPERATIONAL, "Fler elever läser", group.administration, chain.body)
    member_of(group.administration, "karin")
    browser = loopback_session()
    sign_in(browser, a, "karin", "x")
    edit = f"/goals/{draft.pk}/edit/"

    saved = browser.post(
        a + edit,
        data={
            "title": "Alla elever läser varje dag",
            "parent": chain.body.pk,
            "seen_version": draft.version,
            "csrfmiddlewaretoken": form_token(browser, a + edit),
        },
        allow_redirects=False,
    )
    assert saved.status_code == 302, saved.text
    # Read straight away on the other instance: the page and the API both give the new title.
    assert "Alla elever läser varje dag" in browser.get(b + saved.headers["Location"]).text
    assert browser.get(f"{b}/api/v1/goals/{draft.pk}/").json()["title"] == "Alla elever läser varje dag"

    # Sent for decision on one, the message it leaves is shown by the other, where the redirect lands.
    sent = browser.post(
        f"{a}/goals/{draft.pk}/submit/",
        data={"csrfmiddlewaretoken": form_token(browser, b + saved.headers["Location"])},
        allow_redirects=False,
    )
    landing = browser.get(b + sent.headers["Location"])
    assert notices_in(landing.text) == [f"Målet skickades till {draft.deciding_unit.name} för beslut."]
    assert Goal.objects.get(pk=draft.pk).status == Status.SUBMITTED


def test_a_measurement_file_previewed_on_one_instance_is_imported_on_the_other(a_and_b, django_user_model):
    """The preview's rows wait in the session, not in the memory of the instance that read the file."""
    a, b = a_and_b
    ReportingPeriod.objects.add_defaults(Period.objects.create(year=2025))
    Indicator.objects.create(code="UF-LAS-01", name="Läsförståelse åk 3")
    django_user_model.objects.create_user("ingrid", password="x", is_staff=True)
    browser = loopback_session()
    sign_in(browser, a, "ingrid", "x")
    page = "/goals/measurements/import/"

    preview = browser.post(
        a + page,
        data={"csrfmiddlewaretoken": form_token(browser, a + page)},
        files={"file": ("läsning.csv", b"indicator;year;value\nUF-LAS-01;2025;12,5\n", "text/csv")},
    )
    token = re.search(r'name="token" value="([^"]+)"', preview.text).group(1)
    assert Measurement.objects.count() == 0  # nothing written before it is confirmed

    done = browser.post(
        b + page,
        data={"token": token, "csrfmiddlewaretoken": CSRF_FIELD.search(preview.text).group(1)},
        allow_redirects=False,
    )
    assert notices_in(browser.get(a + done.headers["Location"]).text) == [
        "läsning.csv importerades: 1 nya, 0 ändrade, 0 oförändrade."
    ]
    assert list(Measurement.objects.values_list("indicator__code", "year", "value")) == [
        ("UF-LAS-01", 2025, Decimal("12.5"))
    ]


def test_guessed_passwords_count_across_instances(a_and_b, django_user_model):
    """Five wrong passwords, spread over both instances, lock the pair out on both: the count lives
    in the database (django-axes's database handler), not in one process."""
    a, b = a_and_b
    django_user_model.objects.create_user("karin", password="rätt-lösenord")
    guesser = loopback_session()
    answers = [sign_in(guesser, (a, b)[attempt % 2], "karin", "fel").status_code for attempt in range(5)]
    # Refused four times; the fifth failure, wherever it lands, locks the pair out.
    assert answers == [200, 200, 200, 200, 429]
    for base in (a, b):
        locked = sign_in(loopback_session(), base, "karin", "rätt-lösenord")
        assert locked.status_code == 429
        assert "Inloggningen är pausad" in locked.text


def test_the_cache_is_one_that_every_instance_shares(portal_instances):
    """Set by one process with the instances' settings, read and then deleted by another, and by
    this one: the default cache lives in the database, not in a process's memory."""
    first, second = portal_instances
    shell = "from django.core.cache import cache; "
    manage(
        first.environment,
        "shell",
        "--no-imports",
        "-c",
        shell + "cache.set('shared-by-all', 'satt av a', 60)",
    )
    assert (
        manage(second.environment, "shell", "--no-imports", "-c", shell + "print(cache.get('shared-by-all'))")
        == "satt av a\n"
    )
    assert cache.get("shared-by-all") == "satt av a"

    manage(second.environment, "shell", "--no-imports", "-c", shell + "cache.delete('shared-by-all')")
    assert cache.get("shared-by-all") is None
    assert (
        manage(first.environment, "shell", "--no-imports", "-c", shell + "print(cache.get('shared-by-all'))")
        == "None\n"
    )
