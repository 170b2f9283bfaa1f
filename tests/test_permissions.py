"""The fixed cast tried on every view and action of the portal, each allowed and each refused.

Refusals are a 403 for a signed-in user and a redirect to the sign-in page for an anonymous
visitor, never a 500; a refused POST changes nothing, and nothing undecided reaches an anonymous
visitor. ``test_every_view_is_in_the_matrix`` keeps the matrix complete as views are added.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from goals.chain.levels import Level
from goals.chain.services import goal_revise
from goals.chain.workflow import Status
from goals.follow_up.services import follow_up_save, follow_up_submit
from goals.models import FollowUp, Goal, ReportingPeriod, ReportingPeriodKind, ReviewStatus, Revision
from notices.models import NoticePreferences
from orgunits.models import Membership
from processes.models import Process
from tests.kit.chain import Chain, add_goal, this_year_number
from tests.kit.measurement_files import (
    measurement_import_confirmed,
    measurement_import_staged,
    measurement_import_staged_at_school,
    measurements_imported,
)
from tests.kit.once import SharedWorld
from tests.kit.organisation import Group
from tests.kit.people import CAST, EVERYONE, SIGNED_IN, build_cast
from tests.kit.web_matrix import Case, case_id, expected, outcome
from tests.kit.worlds import Scene, World, goals_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(chain, group, cast) -> World:
    return goals_world(chain, group, cast)


def title_of(goal) -> str:
    return Goal.objects.get(pk=goal.pk).title


def status_of(goal) -> str:
    return Goal.objects.get(pk=goal.pk).status


def decide(world, action):
    unit = world.group.committee
    prefix = f"unit-{unit.pk}"
    return {
        "unit": unit.pk,
        f"{prefix}-goals": [world.submitted.pk],
        f"{prefix}-meeting_date": "2026-02-12",
        f"{prefix}-paragraph": "§ 14",
        f"{prefix}-comment": "Förtydliga målvärdet.",
        f"{prefix}-action": action,
    }


def open_change(world):
    content = {name: getattr(world.chain.operational, name) for name in Revision.CONTENT_FIELDS}
    goal_revise(
        version=None,
        goal=world.chain.operational,
        by=None,
        content=content | {"title": "Ändring"},
        processes=[],
    )


def follow_up_url(world, goal, step="") -> str:
    """The goal's annual follow-up page, or with ``step`` that step's address (submit, review, return)."""
    annual = ReportingPeriod.objects.get(period=world.chain.period, kind=ReportingPeriodKind.ANNUAL)
    return reverse(f"goals:follow-up-{step}" if step else "goals:follow-up", args=[goal.pk, annual.pk])


def body_draft(world) -> Goal:
    """A draft body goal of the committee, which its administration prepares (made on first use)."""
    goal = Goal.objects.filter(title="Utkast: fler behöriga lärare").first()
    return goal or add_goal(
        Level.BODY, "Utkast: fler behöriga lärare", world.group.committee, world.chain.strategic
    )


def submitted_follow_up(world):
    annual = ReportingPeriod.objects.get(period=world.chain.period, kind=ReportingPeriodKind.ANNUAL)
    follow_up = follow_up_save(
        version=None,
        goal=world.chain.body,
        reporting_period=annual,
        by=None,
        attainment="partly",
        commentary="Bättre.",
    )
    follow_up_submit(follow_up=follow_up, by=None)


CASES = [
    # What everyone may see: the decided goals are public documents.
    Case("home", EVERYONE, lambda w: reverse("home")),
    Case("orgunits:tree", EVERYONE, lambda w: reverse("orgunits:tree")),
    Case("orgunits:detail", EVERYONE, lambda w: w.group.administration.get_absolute_url()),
    Case("goals:chain", EVERYONE, lambda w: reverse("goals:chain")),
    Case("goals:detail", EVERYONE, lambda w: w.chain.operational.get_absolute_url()),
    Case("goals:matrix", EVERYONE, lambda w: reverse("goals:matrix") + "?format=csv"),
    # A unit's chain: the decided goals for everyone, the drafts too when signed in.
    Case(
        "goals:unit-chain",
        EVERYONE,
        lambda w: reverse("goals:unit-chain", args=[w.group.administration.slug]),
    ),
    # Decided goals are public: anyone may print a body's.
    Case(
        "goals:decided-document",
        EVERYONE,
        lambda w: (
            reverse("goals:decided-document", args=[w.group.committee.slug]) + f"?year={w.chain.period.year}"
        ),
    ),
    Case("processes:list", EVERYONE, lambda w: reverse("processes:list")),
    Case("processes:detail", EVERYONE, lambda w: w.process.get_absolute_url()),
    Case("search:search", EVERYONE, lambda w: reverse("search:search") + "?q=läsning"),
    Case(
        "processes:target-group",
        EVERYONE,
        lambda w: reverse("processes:target-group", args=[w.target_group.slug]),
    ),
    Case(
        "goals:choose-period",
        EVERYONE,
        lambda w: reverse("goals:choose-period"),
        "post",
        lambda w: {"period": w.chain.period.pk, "next": "/goals/"},
    ),
    Case("set_language", EVERYONE, lambda w: reverse("set_language"), "post", lambda w: {"language": "en"}),
    Case("login", EVERYONE, lambda w: reverse("login")),
    Case("health", EVERYONE, lambda w: reverse("health")),  # the load balancer's probe
    Case("password_reset", EVERYONE, lambda w: reverse("password_reset")),
    Case("logout", EVERYONE, lambda w: reverse("logout"), "post"),
    # What a signed-in user may see: drafts, their own goals, history.
    Case("goals:mine", SIGNED_IN, lambda w: reverse("goals:mine")),
    Case(
        "goals:choose-my-unit",
        SIGNED_IN,
        lambda w: reverse("goals:choose-my-unit"),
        "post",
        lambda w: {"unit": w.group.school.pk},
    ),
    Case("goals:history", SIGNED_IN, lambda w: reverse("goals:history", args=[w.chain.operational.pk])),
    Case("orgunits:history", SIGNED_IN, lambda w: reverse("orgunits:history", args=[w.group.school.slug])),
    Case("processes:history", SIGNED_IN, lambda w: reverse("processes:history", args=[w.process.slug])),
    Case("goals:queue", SIGNED_IN, lambda w: reverse("goals:queue")),
    Case("password_change", SIGNED_IN, lambda w: reverse("password_change")),
    Case("password_change_done", SIGNED_IN, lambda w: reverse("password_change_done")),
    # Goals: the managers and editors of the unit's part of the organisation, and admins.
    Case(
        "goals:create",
        {"admin", "manager_inside"},
        lambda w: f"{reverse('goals:create')}?unit={w.group.administration.slug}",
    ),
    Case(
        "goals:create",
        {"admin", "manager_inside", "editor"},  # the editor below may break it down at the department
        lambda w: f"{reverse('goals:create')}?parent={w.chain.operational.pk}",
    ),
    Case(
        "goals:create",
        {"admin", "manager_inside"},
        lambda w: f"{reverse('goals:create')}?unit={w.group.administration.slug}",
        "post",
        lambda w: {"level": Level.OPERATIONAL, "parent": w.chain.body.pk, "title": "Nytt mål"},
        lambda w: Goal.objects.filter(title="Nytt mål").exists(),
    ),
    Case(
        "goals:edit",
        {"admin", "manager_inside"},
        lambda w: reverse("goals:edit", args=[w.draft.pk]),
        "post",
        lambda w: {"title": "Ändrad", "parent": w.chain.body.pk},
        lambda w: title_of(w.draft) == "Ändrad",
    ),
    Case(
        "goals:edit",
        {"admin", "manager_inside", "editor"},
        lambda w: reverse("goals:edit", args=[w.department_draft.pk]),
        "post",
        lambda w: {"title": "Ändrad", "parent": w.draft.pk},
        lambda w: title_of(w.department_draft) == "Ändrad",
    ),
    Case(  # an approved goal: the edit proposes a change
        "goals:edit",
        {"admin", "manager_inside"},
        lambda w: reverse("goals:edit", args=[w.chain.operational.pk]),
        "post",
        lambda w: {"title": "Föreslagen"},
        lambda w: Revision.objects.filter(title="Föreslagen").exists(),
    ),
    Case(
        "goals:submit",
        {"admin", "manager_inside"},
        lambda w: reverse("goals:submit", args=[w.draft.pk]),
        "post",
        happened=lambda w: status_of(w.draft) == Status.SUBMITTED,
    ),
    Case(
        "goals:discard-revision",
        {"admin", "manager_inside"},
        lambda w: (open_change(w), reverse("goals:discard-revision", args=[w.chain.operational.pk]))[1],
        "post",
        happened=lambda w: not Revision.objects.exists(),
    ),
    # Preparing: the administration under a committee, and the committee's secretary, draft, edit
    # and submit the committee's goals; the politicians decide them. The administration under
    # another committee prepares none of them (manager_outside prepares Omsorgsnämnden's instead).
    Case(
        "goals:create",
        {"admin", "manager_inside", "secretary"},
        lambda w: f"{reverse('goals:create')}?unit={w.group.committee.slug}",
    ),
    Case(
        "goals:create",
        {"admin", "manager_outside"},
        lambda w: f"{reverse('goals:create')}?unit={w.group.other_committee.slug}",
    ),
    Case(
        "goals:create",
        {"admin", "manager_inside", "secretary"},
        lambda w: f"{reverse('goals:create')}?unit={w.group.committee.slug}",
        "post",
        lambda w: {"level": Level.BODY, "parent": w.chain.strategic.pk, "title": "Nytt nämndmål"},
        lambda w: Goal.objects.filter(title="Nytt nämndmål").exists(),
    ),
    Case(
        "goals:edit",
        {"admin", "manager_inside", "secretary"},
        lambda w: reverse("goals:edit", args=[body_draft(w).pk]),
        "post",
        lambda w: {"title": "Ändrat nämndmål", "parent": w.chain.strategic.pk},
        lambda w: Goal.objects.filter(title="Ändrat nämndmål").exists(),
    ),
    Case(
        "goals:submit",
        {"admin", "manager_inside", "secretary"},
        lambda w: reverse("goals:submit", args=[body_draft(w).pk]),
        "post",
        happened=lambda w: status_of(body_draft(w)) == Status.SUBMITTED,
    ),
    # Deciding: the political body that owns the goal, its secretary, and admins.
    Case(
        "goals:queue",
        {"admin", "politician", "secretary"},
        lambda w: reverse("goals:queue"),
        "post",
        lambda w: decide(w, "approve"),
        lambda w: status_of(w.submitted) == Status.APPROVED,
    ),
    Case(
        "goals:queue",
        {"admin", "politician", "secretary"},
        lambda w: reverse("goals:queue"),
        "post",
        lambda w: decide(w, "return"),
        lambda w: status_of(w.submitted) == Status.RETURNED,
    ),
    # The organisation's people: its managers within their subtree, and admins.
    Case(
        "orgunits:members",
        {"admin", "manager_inside"},
        lambda w: reverse("orgunits:members", args=[w.group.department.slug]),
    ),
    Case(
        "orgunits:members",
        {"admin", "manager_inside"},
        lambda w: reverse("orgunits:members", args=[w.group.department.slug]),
        "post",
        lambda w: {"remove": Membership.objects.get(user__username="lars").pk},
        lambda w: not Membership.objects.filter(user__username="lars").exists(),
    ),
    # A process: its owner (here the editor), and admins.
    Case(
        "processes:edit",
        {"admin", "editor"},
        lambda w: reverse("processes:edit", args=[w.process.slug]),
        "post",
        lambda w: {
            "name": "Lärande",
            "purpose": "Nytt syfte",
            "owner": w.process.owner_id,
            "owning_unit": w.group.committee.pk,
            "is_active": "on",
        },
        lambda w: Process.objects.get(pk=w.process.pk).purpose == "Nytt syfte",
    ),
    # Indicators are public, like the decided goals they measure.
    Case("goals:indicators", EVERYONE, lambda w: reverse("goals:indicators")),
    Case(
        "goals:indicator",
        EVERYONE,
        lambda w: w.chain.operational.indicators.create(
            code="UF-LAS-01", name="Läsförmåga"
        ).get_absolute_url(),
    ),
    # Importing measurements: the page, staff and whoever manages or edits a unit; the POST confirms a
    # preview, whose values are written by staff and those responsible for the goals the indicator
    # measures (a refused preview is a 403 that lists the rows refused).
    Case(
        "goals:import-measurements",
        {"admin", "manager_inside", "manager_outside", "editor"},
        lambda w: reverse("goals:import-measurements"),
    ),
    Case(  # the administration's goal: its manager
        "goals:import-measurements",
        {"admin", "manager_inside"},
        measurement_import_staged,
        "post",
        measurement_import_confirmed,
        measurements_imported,
    ),
    Case(  # the school's activity: also the editor of the department above the school
        "goals:import-measurements",
        {"admin", "manager_inside", "editor"},
        measurement_import_staged_at_school,
        "post",
        measurement_import_confirmed,
        measurements_imported,
    ),
    # Follow-up: the goal's managers and editors (and for a body's goal its administration) report,
    # the deciders review; everyone reads the report.
    Case("goals:report", EVERYONE, lambda w: reverse("goals:report") + "?format=xlsx"),
    Case("goals:health", EVERYONE, lambda w: reverse("goals:health")),
    Case("goals:health-export", EVERYONE, lambda w: reverse("goals:health-export")),
    Case("goals:follow-up", EVERYONE, lambda w: follow_up_url(w, w.chain.operational)),
    Case(  # the page's POST saves a draft
        "goals:follow-up",
        {"admin", "manager_inside"},
        lambda w: follow_up_url(w, w.chain.body),
        "post",
        lambda w: {"attainment": "partly", "commentary": "Fler elever läser."},
        lambda w: FollowUp.objects.filter(goal=w.chain.body).exists(),
    ),
    Case(
        "goals:follow-up-submit",
        {"admin", "manager_inside"},
        lambda w: follow_up_url(w, w.chain.body, "submit"),
        "post",
        lambda w: {"attainment": "partly", "commentary": "Fler elever läser."},
        lambda w: FollowUp.objects.filter(goal=w.chain.body, status=ReviewStatus.SUBMITTED).exists(),
    ),
    Case(
        "goals:follow-up-review",
        {"admin", "politician", "secretary"},
        lambda w: (submitted_follow_up(w), follow_up_url(w, w.chain.body, "review"))[1],
        "post",
        happened=lambda w: FollowUp.objects.get().status == ReviewStatus.REVIEWED,
    ),
    Case(
        "goals:follow-up-return",
        {"admin", "politician", "secretary"},
        lambda w: (submitted_follow_up(w), follow_up_url(w, w.chain.body, "return"))[1],
        "post",
        lambda w: {"comment": "Beskriv effekten."},
        lambda w: FollowUp.objects.get().status == ReviewStatus.RETURNED,
    ),
    # A person's own choice of notices: there is no one else's to ask for, so signed in is enough.
    Case("notices:preferences", SIGNED_IN, lambda w: reverse("notices:preferences")),
    Case(
        "notices:preferences",
        SIGNED_IN,
        lambda w: reverse("notices:preferences"),
        "post",
        lambda w: {"delivery": "digest", "reminders": "on", "language": "en"},
        lambda w: NoticePreferences.objects.filter(delivery="digest", language="en").exists(),
    ),
    # The admin site: staff only.
    Case("admin:index", {"admin"}, lambda w: reverse("admin:index")),
]


class TestTheCastOnEveryView(SharedWorld):
    """The group, the chain, the cast and the world are built once for the class and each row's
    writes rolled back after it (tests/kit/once.py): every row starts from the same world."""

    def build(self) -> Scene:
        group = Group()
        cast = build_cast(group)
        return Scene(cast, goals_world(Chain(group, this_year_number()), group, cast))

    @pytest.mark.parametrize("who", CAST)
    @pytest.mark.parametrize("case", CASES, ids=[f"{case_id(c)}-{i}" for i, c in enumerate(CASES)])
    def test_the_cast_on_every_view(self, client, scene, case, who):
        result = outcome(client, scene.cast[who], case, scene.world)
        assert result == expected(case, who)
        if case.happened is not None:
            assert case.happened(scene.world) == (result == "allowed")


def names_of(patterns, namespace="") -> set[str]:
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                names.add("admin:index")  # the admin is Django's; its gate is staff, tried once
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= names_of(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


# Django's own pages that need a token from an e-mail, and the pages shown after them.
EMAIL_TOKEN_PAGES = {
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


# The benchmark's floor view and cache invalidation: a 404 for everyone unless benchmarking is on
# (tests/test_benchmarking.py).
BENCHMARK_PAGES = {"bench-floor", "bench-invalidate"}

# The way to the OpenID provider and back: a 404 for everyone unless single sign-on is set up
# (tests/e2e/test_oidc.py signs in through a real provider).
SINGLE_SIGN_ON_PAGES = {"oidc_authentication_init", "oidc_authentication_callback"}


def api_pages(names: set[str]) -> set[str]:
    """The API's routes, its schema and its docs (namespace "api"): tests/api/ has their own matrix,
    with a test that fails when one of them has no row there."""
    return {name for name in names if name.startswith("api:")}


def test_every_view_is_in_the_matrix():
    names = names_of(get_resolver().url_patterns)
    assert names - EMAIL_TOKEN_PAGES - BENCHMARK_PAGES - SINGLE_SIGN_ON_PAGES - api_pages(names) == {
        case.view for case in CASES
    }


def test_nothing_undecided_reaches_an_anonymous_visitor(client, world):
    assert client.get(world.draft.get_absolute_url()).status_code == 404
    assert client.get(world.submitted.get_absolute_url()).status_code == 404
    open_change(world)
    html = client.get(world.chain.operational.get_absolute_url()).content.decode()
    assert "Ändring" not in html


def test_a_break_down_offers_only_the_units_the_user_may_add_to(client, cast, chain, group):
    client.force_login(cast["editor"])
    response = client.get(reverse("goals:create"), {"parent": chain.operational.pk})
    assert list(response.context["form"].fields["org_unit"].queryset) == [group.department, group.school]


@pytest.mark.parametrize(
    ("who", "shown"), [("manager_inside", True), ("politician", False), ("anonymous", False)]
)
def test_the_goal_page_shows_only_the_buttons_the_user_may_use(client, cast, world, who, shown):
    if cast[who] is not None:
        client.force_login(cast[who])
    html = client.get(world.chain.operational.get_absolute_url()).content.decode()
    assert ("Föreslå en ändring" in html) == shown
    assert ("Bryt ned" in html) == shown
    if who != "anonymous":
        html = client.get(world.draft.get_absolute_url()).content.decode()
        assert ("Redigera" in html) == shown
        assert ("Skicka till Utbildningsförvaltningen för beslut" in html) == shown


@pytest.mark.parametrize("who", CAST)
def test_values_are_written_in_the_admin_by_staff_only(client, cast, world, who):
    """The admin is staff's (Django's own gate), and staff may write every indicator's values: the
    pages where measurements and targets (inline, on the indicator's page) are written refuse
    everyone else, and a refused write adds nothing."""
    indicator = world.chain.operational.indicators.create(code="UF-LAS-01", name="Läsförmåga")
    if cast[who] is not None:
        client.force_login(cast[who])
    pages = [
        reverse("admin:goals_measurement_add"),
        reverse("admin:goals_indicator_change", args=[indicator.pk]),
    ]
    opened = [client.get(page).status_code for page in pages]
    response = client.post(
        reverse("admin:goals_measurement_add"),
        {"indicator": indicator.pk, "year": 2025, "gender": "T", "value": "14", "source": "manual"},
    )
    if who == "admin":
        assert opened == [200, 200]
        assert response["Location"] == reverse("admin:goals_measurement_changelist")
    else:
        assert opened == [302, 302]
        assert response["Location"].startswith(reverse("admin:login"))
    assert indicator.measurements.exists() == (who == "admin")
