"""Races against a live server: real threads, real HTTP, real PostgreSQL transactions.

The tests build their data with committed transactions (``transactional_db``), start pytest-django's
``live_server`` (a threaded WSGI server: every request runs in a thread of its own, with its own
database connection) and let eight clients race each other through the API or the web forms.
SQLite has no concurrent writers (its transactions take the one write lock), so there the races
would prove nothing: the folder is skipped unless the database is PostgreSQL.

``make stress`` runs the same tests with ``STYRMODELL_STRESS_ROUNDS`` raised, and this module then
prints the figures of every scenario at the end of the run.

With ``STYRMODELL_TEST_INSTANCES=2`` (``make test`` runs the folder so a second time) the clients race
against two instances of the portal instead, gunicorns with production settings on the same
database (``tests.kit.instances``), taking turns: the two clients of every pair reach different
instances, as two people behind a load balancer may.
"""

from __future__ import annotations

import logging
import os
import traceback
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from orgunits.kinds import Kind
from tests.concurrency import figures
from tests.concurrency.racing import WORKERS, Client
from tests.kit.instances import ServerTracebacks
from tests.kit.organisation import Group, add_unit

HERE = Path(__file__).parent


def on_instances() -> bool:
    """Whether the clients race against the instances of ``tests.kit.instances`` rather than
    pytest-django's live server, a thread of the test's own process."""
    wanted = os.environ.get("STYRMODELL_TEST_INSTANCES") or "1"
    if wanted not in {"1", "2"}:
        raise pytest.UsageError(f"STYRMODELL_TEST_INSTANCES is 1 (the live server) or 2, not {wanted!r}")
    return wanted == "2"


def pytest_collection_modifyitems(config, items):
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    skip = pytest.mark.skip(
        reason="races need concurrent writers: PostgreSQL only (make test runs on it); SQLite serialises every write"
    )
    for item in items:
        if HERE in Path(item.path).parents and "live" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """The figures of every scenario, when the rounds were raised (``make stress``) or with ``-s``."""
    if not figures.RUNS:
        return
    if not os.environ.get("STYRMODELL_STRESS_ROUNDS") and config.option.capture != "no":
        return
    terminalreporter.section("concurrency figures" + (" (two instances)" if on_instances() else ""))
    terminalreporter.write_line(figures.table(figures.RUNS))


class _Tracebacks(logging.Handler):
    """Keeps the tracebacks of the server's errors (Django logs each 500 to ``django.request``)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.tracebacks: list[str] = []

    def emit(self, record):
        if record.exc_info:
            self.tracebacks.append(
                record.getMessage() + "\n" + "".join(traceback.format_exception(*record.exc_info))
            )


@pytest.fixture
def server_tracebacks(request):
    """The tracebacks of the server's errors during the test: the live server's, caught from its
    logger, or the instances', read from their logs."""
    if on_instances():
        yield ServerTracebacks(request.getfixturevalue("portal_instances"))
        return
    handler = _Tracebacks()
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield handler.tracebacks
    logger.removeHandler(handler)


@pytest.fixture
def live(request, transactional_db, server_tracebacks) -> list[str]:
    """The addresses the clients take turns at: the live server's, or each instance's. The data the
    test builds is committed, so every server sees it."""
    if on_instances():
        return [instance.url for instance in request.getfixturevalue("portal_instances")]
    return [request.getfixturevalue("live_server").url]


@pytest.fixture
def api_clients(live):
    """``api_clients(users)``: one API client per user, each with a token of its own."""

    def make(users) -> list[Client]:
        return [
            Client(live[index % len(live)], token=Token.objects.create(user=user).key)
            for index, user in enumerate(users)
        ]

    return make


@pytest.fixture
def web_clients(live):
    """``web_clients(users)``: one browser-like session per user, signed in through the sign-in page
    (every test user's password is "x")."""

    def make(users) -> list[Client]:
        clients = [Client(live[index % len(live)]) for index in range(len(users))]
        for client, user in zip(clients, users, strict=True):
            client.sign_in(user.get_username(), "x")
        return clients

    return make


@pytest.fixture
def staff(django_user_model):
    """Eight administrators: only staff place and move units."""
    return [
        django_user_model.objects.create_user(f"admin{index}", password="x", is_staff=True)
        for index in range(WORKERS)
    ]


@pytest.fixture
def organisation(group) -> Group:
    """The small group of ``tests.kit.organisation.Group``, grown with more units of every kind, so that a
    random move has many places to go, legal and not."""
    for number in range(1, 4):
        committee = add_unit(Kind.COMMITTEE, f"Nämnd {number}", group.council)
        administration = add_unit(Kind.ADMINISTRATION, f"Förvaltning {number}", committee)
        for department_number in range(1, 3):
            department = add_unit(Kind.DEPARTMENT, f"Avdelning {number}.{department_number}", administration)
            add_unit(Kind.UNIT, f"Enhet {number}.{department_number}", department)
    add_unit(Kind.ADMINISTRATION, "Kommunledningskontoret", group.board)
    add_unit(Kind.COMPANY, "Energi AB", group.company)
    add_unit(Kind.UNIT, "Kundservice", group.subsidiary)
    add_unit(Kind.DEPARTMENT, "Avdelning räddning", group.federation)
    return group
