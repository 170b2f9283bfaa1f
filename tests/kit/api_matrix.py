"""The API's permission matrix: every route and method of /api/, tried with the whole cast.

Each ``tests/api/test_*.py`` module lists its rows in ``API_CASES`` and runs them with
``outcome``; ``tests/api/test_foundation.py`` fails when a route or method of the API has no row
in any module (``api_routes()`` against ``all_cases()``). A refusal is a 401 for an anonymous
caller and a 403 (or a 404, for an object the caller may not see) for a signed-in one, in the one
error format, never a 500; a refused write changes nothing.

- ``ApiCase(route, method, allowed, url, data=..., happened=None, shows=None)``: one row.
- ``outcome(client, case, world)``: "allowed", "refused" or "sign in"; any other answer fails.
- ``expected(case, who)``: what ``who`` of the cast should get (as on the web).
- ``all_cases()``: every module's rows; ``domain_cases("orgunits")``: one module's.
- ``ADMIN``: the rows only staff may take; ``EVERYONE`` and ``SIGNED_IN`` are in ``tests.kit.people``.
- ``ApiMatrix``: the matrix's test, once for every module. A module subclasses it with its rows and
  what they act on; the class builds that once and tries every row with the whole cast, through a
  token and through a session (``tests.kit.once``)::

      class TestTheCastOnEveryEndpoint(ApiMatrix):
          cases = API_CASES

          def build(self) -> Scene:
              group = Group()
              cast = build_cast(group)
              return Scene(cast, processes_world(group, cast))
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

from tests.kit.clients import client_for
from tests.kit.once import SharedWorld
from tests.kit.people import CAST
from tests.kit.web_matrix import expected

__all__ = ["ADMIN", "ApiCase", "ApiMatrix", "all_cases", "api_routes", "domain_cases", "expected", "outcome"]

ADMIN = {"admin"}


@dataclass
class ApiCase:
    """One route and method: how to call it, who may, and how to tell it happened."""

    route: str  # the URL name without the "api:" namespace: "orgunit-list", "orgunit-move"
    method: str
    allowed: set[str]
    url: Callable  # world -> url
    data: Callable = field(default=lambda world: None)  # world -> JSON body
    happened: Callable | None = None  # world -> bool, for a write: did it change what it should?
    shows: Callable | None = None  # (world, body) -> bool, for a list that filters what each one sees

    @property
    def id(self) -> str:
        return f"{self.method} {self.route}"


def outcome(client, case: ApiCase, world) -> str:
    response = getattr(client, case.method)(case.url(world), case.data(world), format="json")
    status = response.status_code
    if status < 300:
        if case.shows is not None and not case.shows(world, response.json()):
            return "refused"
        return "allowed"
    assert set(response.json()) == {"detail", "errors"}, response.content
    if status == 401:
        return "sign in"
    if status in (403, 404):
        return "refused"
    raise AssertionError(f"{case.id}: {status} {response.content!r}")


class ApiMatrix(SharedWorld):
    """Every row of ``cases`` tried by every one of the cast, through a token and through the
    portal's session, on the world ``build`` makes once for the class."""

    cases: list[ApiCase] = []

    @staticmethod
    def pytest_generate_tests(metafunc):
        if metafunc.function.__name__ != "test_the_cast_on_every_endpoint":
            return
        cases = metafunc.cls.cases
        metafunc.parametrize("case", cases, ids=[f"{c.id}-{i}" for i, c in enumerate(cases)])
        metafunc.parametrize("who", CAST)
        metafunc.parametrize("auth", ["token", "session"])

    def test_the_cast_on_every_endpoint(self, scene, case, who, auth):
        # A token gives exactly its user's permissions, and so does the portal's session.
        result = outcome(client_for(scene.cast[who], auth), case, scene.world)
        assert result == expected(case, who)
        if case.happened is not None:
            assert case.happened(scene.world) == (result == "allowed")


def api_routes() -> set[tuple[str, str]]:
    """Every (URL name, method) that /api/ answers, read from the URL configuration."""
    (api,) = [p for p in get_resolver().url_patterns if isinstance(p, URLResolver) and p.namespace == "api"]
    return set(_routes(api.url_patterns))


def _routes(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            actions = getattr(pattern.callback, "actions", None)  # a viewset's method → action
            for method in actions or ["get"]:
                if method != "head":  # DRF adds it to a GET route's mapping on its first request
                    yield pattern.name, method


def all_cases() -> list[ApiCase]:
    """The rows of every module in tests/api."""
    import tests.api

    domains = [
        module.name.removeprefix("test_")
        for module in pkgutil.iter_modules(tests.api.__path__)
        if module.name.startswith("test_")
    ]
    return [case for domain in domains for case in domain_cases(domain)]


def domain_cases(domain: str) -> list[ApiCase]:
    """The rows of ``tests/api/test_<domain>.py``: read here, so that no test imports another's."""
    return getattr(importlib.import_module(f"tests.api.test_{domain}"), "API_CASES", [])
