"""The web's permission matrix: a ``Case`` per view and action, tried with the whole cast
(``tests/test_permissions.py`` lists them in ``CASES``).

- ``Case(view, allowed, url, method="get", data=..., happened=None)``: the URL name, the names of
  the cast allowed, and functions of the world giving the URL, the posted data and (for an action)
  whether it happened.
- ``outcome(client, user, case, world)``: "allowed", "refused" (a 403, or the sign-in page for a
  signed-in user) or "sign in" (an anonymous visitor sent to sign in); any other answer fails.
- ``expected(case, who)``: what ``who`` of the cast should get; the API's matrix asks the same.
"""

from dataclasses import dataclass, field

from django.urls import reverse


@dataclass
class Case:
    """One view or action: how to call it, who may, and (for an action) how to tell it happened."""

    view: str
    allowed: set[str]
    url: object  # world -> url
    method: str = "get"
    data: object = field(default=lambda world: {})
    happened: object = None  # world -> bool, for an action


def outcome(client, user, case: Case, world) -> str:
    if user is not None:
        client.force_login(user)
    response = getattr(client, case.method)(case.url(world), case.data(world))
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith((reverse("login"), reverse("admin:login"))):
            return "sign in" if user is None else "refused"
        return "allowed"
    return {200: "allowed", 403: "refused"}[response.status_code]


def expected(case, who: str) -> str:
    """What ``who`` should get from a row: allowed, or refused (an anonymous visitor: sent to sign in)."""
    if who in case.allowed:
        return "allowed"
    return "sign in" if who == "anonymous" else "refused"


def case_id(case: Case) -> str:
    return f"{case.method} {case.view}" + (f" {case.url.__code__.co_firstlineno}" if case.happened else "")
