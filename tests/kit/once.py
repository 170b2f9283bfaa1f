"""Data built once for a class of tests, with each test's writes rolled back after it.

A permission matrix tries every view with the eight people of the cast: hundreds of tests over the
same organisation, chain and cast. Building those for each test was most of the suite's time;
building them once per class, and rolling back what each test writes, gives every test the same
start for a fraction of it::

    class TestTheMatrix(SharedWorld):
        def build(self):  # called once, in the class's transaction
            group = Group()
            cast = build_cast(group)
            return Scene(cast, goals_world(Chain(group, this_year_number()), group, cast))

        def test_a_row(self, scene, client):  # scene: this test's own copy
            client.force_login(scene.cast["editor"]) ...

How it holds together:

- ``class_db`` opens a transaction around the class, with the database unblocked, and rolls it
  back when the class's last test is done; ``SharedWorld.built`` asks for it and calls ``build``.
- Each test asks for ``db`` (``SharedWorld.scene`` does): pytest-django's transaction of the test
  is then a savepoint inside the class's, so what a test writes is gone before the next one starts.
- ``scene`` is ``own_copy(built)``, a deep copy, as Django's ``TestCase.setUpTestData`` hands each
  test its class data: a test may change or cache on the objects it holds
  (``orgunits.rules.memberships_of`` keeps a user's memberships on the user object), and the next
  test still gets them as built, which is what the database holds again after the rollback. Never
  use ``built`` in a test. Ask for ``class_db`` yourself only to build in a class-scoped fixture of
  your own.
- Class scope, not module scope: the module's other tests build worlds of their own and must not
  find this one in the database (the slugs and usernames would clash).
- Only ``db`` tests: a ``transactional_db`` or ``live_server`` test (``tests/concurrency``,
  ``tests/e2e``) commits and flushes, which no transaction around it can survive; collection fails
  if such a test asks for ``class_db``.
- PostgreSQL's sequences are not rolled back: compare objects, or the ``pk`` of the copy, never an
  id written down in the test.
- Users built once get a cheap password hash too (``tests.kit.people.fast_password_hashing`` is
  session-scoped).
"""

import copy

import pytest
from django.db import transaction

TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(scope="class")
def class_db(request, django_db_setup, django_db_blocker):
    """A transaction around the class's tests, rolled back after the last; see the module's text."""
    if request.cls is None:
        raise pytest.UsageError("class_db is for the fixtures of a test class; see tests/kit/once.py")
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


def own_copy(built):
    """A test's own copy of what a class built once (objects, lists and dicts of them)."""
    return copy.deepcopy(built)


class SharedWorld:
    """A test class whose tests share what ``build`` makes once; each test asks for ``scene``, its
    own copy, and finds the database as ``build`` left it."""

    def build(self):
        raise NotImplementedError("a SharedWorld says what it builds in build()")

    @pytest.fixture(scope="class")
    @classmethod
    def built(cls, class_db):
        return cls().build()

    @pytest.fixture
    def scene(self, built, db):
        return own_copy(built)


def commits(item) -> bool:
    """Whether the test commits its data (a transactional test), which no outer transaction survives."""
    marker = item.get_closest_marker("django_db")
    return bool(
        TRANSACTIONAL_FIXTURES & set(item.fixturenames)
        or (marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    )


def pytest_collection_modifyitems(items):
    mixed = [
        item.nodeid for item in items if "class_db" in getattr(item, "fixturenames", ()) and commits(item)
    ]
    if mixed:
        raise pytest.UsageError(
            "a transactional test cannot share a class's transaction (class_db): " + ", ".join(mixed)
        )
