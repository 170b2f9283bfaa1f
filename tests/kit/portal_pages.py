"""Every page of the portal, by the name of its URL, for the tests that read them all (the language
crawl in ``tests/test_translations_crawl.py``, axe in ``tests/e2e/test_axe_everywhere.py``).

- ``PortalObjects``: what the pages are about (a unit, a body, goals, a process, ...), taken from the
  test kit's worlds or from the demo.
- ``portal_pages(objects)`` -> ``{url name: [address, ...]}``: where each page is reached; a page
  that answers a GET with 405, a redirect or a refusal is read as the visitor gets it.
- ``portal_url_names()``: the named URLs of the portal's apps (and the site's sign-in pages), so that
  a test fails when a new one is not in ``portal_pages``; ``NOT_PAGES`` says what is left out and why.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# The portal's own pages: the apps' namespaces and the site's named URLs outside them.
PORTAL_NAMESPACES = ("orgunits", "goals", "processes", "search", "notices")
PORTAL_NAMES = (
    "home",
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
)
NOT_PAGES = {
    # Steps of the OpenID sign-in: they send the browser to the organisation's provider.
    "oidc_authentication_init",
    "oidc_authentication_callback",
    # Measuring the floor of the benchmark (on only under STYRMODELL_BENCHMARK), no page.
    "bench-floor",
    # Empties the whole-group pages' cache for the benchmark (POST, on only under STYRMODELL_BENCHMARK).
    "bench-invalidate",
    # The load balancer's probe: JSON, no page.
    "health",
    # An Excel file, no page.
    "goals:health-export",
}
# Addresses of no named URL of ours: a missing page (the styled 404), the admin's start and lists.
OTHER_PAGES = "other"


@dataclass
class PortalObjects:
    unit: object  # an administration, whose manager reads the pages
    body: object  # the political body above it
    goal: object  # decided
    draft: object  # of the unit
    activity: object
    indicator: object
    follow_up_goal: object  # a decided goal followed up in ``reporting_period``
    reporting_period: object
    process: object
    target_group: object
    year: int


def portal_pages(objects: PortalObjects) -> dict[str, list[str]]:
    o = objects
    unit, body, goal = o.unit.slug, o.body.slug, o.goal.pk
    follow_up = [o.follow_up_goal.pk, o.reporting_period.pk]
    process = o.process.slug
    return {
        "home": [reverse("home")],
        "orgunits:tree": [reverse("orgunits:tree"), reverse("orgunits:tree") + "?dissolved=1"],
        "orgunits:detail": [reverse("orgunits:detail", args=[unit]), reverse("orgunits:detail", args=[body])],
        "orgunits:members": [reverse("orgunits:members", args=[unit])],
        "orgunits:history": [reverse("orgunits:history", args=[unit])],
        "goals:chain": [reverse("goals:chain")],
        "goals:mine": [reverse("goals:mine")],
        "goals:choose-my-unit": [reverse("goals:choose-my-unit")],
        "goals:choose-period": [reverse("goals:choose-period")],
        "goals:create": [
            reverse("goals:create"),
            f"{reverse('goals:create')}?unit={unit}",
            f"{reverse('goals:create')}?parent={goal}",
        ],
        "goals:matrix": [reverse("goals:matrix")],
        "goals:unit-chain": [reverse("goals:unit-chain", args=[unit])],
        "goals:queue": [reverse("goals:queue")],
        "goals:decided-document": [f"{reverse('goals:decided-document', args=[body])}?year={o.year}"],
        "goals:indicators": [reverse("goals:indicators")],
        "goals:indicator": [o.indicator.get_absolute_url()],
        "goals:import-measurements": [reverse("goals:import-measurements")],
        "goals:report": [reverse("goals:report")],
        "goals:health": [reverse("goals:health")],
        "goals:follow-up": [reverse("goals:follow-up", args=follow_up)],
        "goals:follow-up-submit": [reverse("goals:follow-up-submit", args=follow_up)],
        "goals:follow-up-review": [reverse("goals:follow-up-review", args=follow_up)],
        "goals:follow-up-return": [reverse("goals:follow-up-return", args=follow_up)],
        "goals:detail": [
            o.goal.get_absolute_url(),
            o.draft.get_absolute_url(),
            o.activity.get_absolute_url(),
        ],
        "goals:edit": [reverse("goals:edit", args=[o.draft.pk]), reverse("goals:edit", args=[goal])],
        "goals:history": [reverse("goals:history", args=[goal])],
        "goals:submit": [reverse("goals:submit", args=[o.draft.pk])],
        "goals:discard-revision": [reverse("goals:discard-revision", args=[goal])],
        "processes:list": [reverse("processes:list")],
        "processes:target-group": [reverse("processes:target-group", args=[o.target_group.slug])],
        "processes:detail": [reverse("processes:detail", args=[process])],
        "processes:edit": [reverse("processes:edit", args=[process])],
        "processes:history": [reverse("processes:history", args=[process])],
        "search:search": [reverse("search:search"), reverse("search:search") + "?q=läsning"],
        "notices:preferences": [reverse("notices:preferences")],
        "login": [reverse("login")],
        "logout": [reverse("logout")],
        "password_change": [reverse("password_change")],
        "password_change_done": [reverse("password_change_done")],
        "password_reset": [reverse("password_reset")],
        "password_reset_done": [reverse("password_reset_done")],
        "password_reset_confirm": [reverse("password_reset_confirm", args=["MQ", "set-password"])],
        "password_reset_complete": [reverse("password_reset_complete")],
        "set_language": [reverse("set_language")],
        OTHER_PAGES: [
            "/organisation/finns-inte/",
            reverse("admin:index"),
            reverse("admin:orgunits_orgunit_changelist"),
            reverse("admin:goals_goal_changelist"),
            reverse("admin:processes_process_changelist"),
        ],
    }


def portal_url_names() -> set[str]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(
                    pattern.url_patterns, namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                )
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield namespace + pattern.name

    return {
        name
        for name in walk(get_resolver().url_patterns)
        if (":" in name and name.split(":")[0] in PORTAL_NAMESPACES) or name in PORTAL_NAMES
    }
