"""The goals' endpoints: goals and their workflow, decisions and periods."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from rest_framework.test import APIClient

from goals.chain.levels import Level
from goals.chain.models import ReportingPeriodKind
from goals.chain.placement import chain_problems
from goals.chain.services import goal_approve, goal_revise, goal_submit
from goals.chain.workflow import Status
from goals.follow_up.grading import Attainment
from goals.follow_up.reporting import with_latest_grade
from goals.follow_up.workflow import ReviewStatus
from goals.models import Decision, Goal, Period, Revision
from processes.models import Process, ProcessKind
from tests.kit.api_matrix import ApiCase, ApiMatrix
from tests.kit.chain import Chain, add_goal, followed_up, grow_chain, this_year_number
from tests.kit.clients import token_client
from tests.kit.organisation import Group
from tests.kit.people import EVERYONE, SIGNED_IN, build_cast
from tests.kit.worlds import Scene, World, goals_world

pytestmark = pytest.mark.django_db

EDITORS_OF_ADMINISTRATION = {"admin", "manager_inside"}
DECIDERS_OF_COMMITTEE = {"admin", "politician", "secretary"}

# The activities' dates lie in the chain's year (its term of office), whatever year the suite runs in.
THIS_YEAR = this_year_number()


@pytest.fixture
def world(chain, group, cast) -> World:
    return goals_world(chain, group, cast)


PREPARERS_OF_COMMITTEE = {"admin", "manager_inside", "secretary"}
BODY_DRAFT = "Utkast: fler behöriga lärare"


def body_draft(w) -> Goal:
    """A draft body goal of the committee, which its administration prepares (made on first use)."""
    return Goal.objects.filter(title=BODY_DRAFT).first() or add_goal(
        Level.BODY, BODY_DRAFT, w.group.committee, w.chain.strategic
    )


def goal_url(goal, action="detail"):
    return reverse(f"api:goal-{action}", args=[goal.pk])


def fresh(goal) -> Goal:
    return Goal.objects.get(pk=goal.pk)


def open_change(goal, title="Ändring") -> Revision:
    content = {name: getattr(goal, name) for name in Revision.CONTENT_FIELDS}
    return goal_revise(version=None, goal=goal, by=None, content=content | {"title": title}, processes=[])


def decided(w) -> Decision:
    goal_approve(goals=[w.submitted], by=None, meeting_date="2026-02-12", paragraph="§ 14")
    return Decision.objects.get()


APPROVAL = {"meeting_date": "2026-02-12", "paragraph": "§ 14", "registry_number": "UN 2026/12"}

API_CASES = [
    # The decided goals are public; signed-in users read them all (see the tests below).
    ApiCase("goal-list", "get", EVERYONE, lambda w: reverse("api:goal-list")),
    ApiCase("goal-detail", "get", EVERYONE, lambda w: goal_url(w.chain.operational)),
    ApiCase("goal-chain", "get", EVERYONE, lambda w: goal_url(w.chain.activity, "chain")),
    ApiCase("goal-cascade", "get", EVERYONE, lambda w: goal_url(w.chain.body, "cascade")),
    # The unit's managers and editors make and change its goals.
    ApiCase(
        "goal-list",
        "post",
        EDITORS_OF_ADMINISTRATION,
        lambda w: reverse("api:goal-list"),
        lambda w: {
            "unit": w.group.administration.slug,
            "level": Level.OPERATIONAL,
            "parent": w.chain.body.pk,
            "title": "Nytt mål",
        },
        lambda w: Goal.objects.filter(title="Nytt mål").exists(),
    ),
    ApiCase(
        "goal-detail",
        "put",
        EDITORS_OF_ADMINISTRATION,
        lambda w: goal_url(w.draft),
        lambda w: {"title": "Ändrad", "parent": w.chain.body.pk},
        lambda w: fresh(w.draft).title == "Ändrad",
    ),
    ApiCase(
        "goal-detail",
        "patch",
        EDITORS_OF_ADMINISTRATION | {"editor"},
        lambda w: goal_url(w.department_draft),
        lambda w: {"title": "Ändrad"},
        lambda w: fresh(w.department_draft).title == "Ändrad",
    ),
    ApiCase(
        "goal-revision",
        "post",
        EDITORS_OF_ADMINISTRATION,
        lambda w: goal_url(w.chain.operational, "revision"),
        lambda w: {"title": "Föreslagen"},
        lambda w: Revision.objects.filter(title="Föreslagen").exists(),
    ),
    ApiCase(
        "goal-revision",
        "get",
        SIGNED_IN,
        lambda w: (open_change(w.chain.operational), goal_url(w.chain.operational, "revision"))[1],
    ),
    ApiCase(
        "goal-revision",
        "delete",
        EDITORS_OF_ADMINISTRATION,
        lambda w: (open_change(w.chain.operational), goal_url(w.chain.operational, "revision"))[1],
        happened=lambda w: not Revision.objects.exists(),
    ),
    ApiCase(
        "goal-submit",
        "post",
        EDITORS_OF_ADMINISTRATION,
        lambda w: goal_url(w.draft, "submit"),
        happened=lambda w: fresh(w.draft).status == Status.SUBMITTED,
    ),
    # The administration under a committee, and the committee's secretary, prepare its goals; the
    # administration of another committee prepares none of them.
    ApiCase(
        "goal-list",
        "post",
        PREPARERS_OF_COMMITTEE,
        lambda w: reverse("api:goal-list"),
        lambda w: {
            "unit": w.group.committee.slug,
            "level": Level.BODY,
            "parent": w.chain.strategic.pk,
            "title": "Nytt nämndmål",
        },
        lambda w: Goal.objects.filter(title="Nytt nämndmål").exists(),
    ),
    ApiCase(
        "goal-detail",
        "patch",
        PREPARERS_OF_COMMITTEE,
        lambda w: goal_url(body_draft(w)),
        lambda w: {"title": "Ändrat nämndmål"},
        lambda w: Goal.objects.filter(title="Ändrat nämndmål").exists(),
    ),
    ApiCase(
        "goal-submit",
        "post",
        PREPARERS_OF_COMMITTEE,
        lambda w: goal_url(body_draft(w), "submit"),
        happened=lambda w: Goal.objects.get(title=BODY_DRAFT).status == Status.SUBMITTED,
    ),
    # The body that owns a goal decides it: its politicians, its secretary, and admins.
    ApiCase(
        "goal-return",
        "post",
        DECIDERS_OF_COMMITTEE,
        lambda w: goal_url(w.submitted, "return"),
        lambda w: {"comment": "Förtydliga målvärdet."},
        lambda w: fresh(w.submitted).status == Status.RETURNED,
    ),
    ApiCase(
        "goal-approve",
        "post",
        DECIDERS_OF_COMMITTEE,
        lambda w: reverse("api:goal-approve"),
        lambda w: {"goals": [w.submitted.pk], **APPROVAL},
        lambda w: fresh(w.submitted).status == Status.APPROVED,
    ),
    # Decisions and periods are public documents.
    ApiCase("decision-list", "get", EVERYONE, lambda w: reverse("api:decision-list")),
    ApiCase(
        "decision-detail", "get", EVERYONE, lambda w: reverse("api:decision-detail", args=[decided(w).pk])
    ),
    ApiCase("period-list", "get", EVERYONE, lambda w: reverse("api:period-list")),
    ApiCase(
        "period-detail", "get", EVERYONE, lambda w: reverse("api:period-detail", args=[w.chain.period.year])
    ),
]


class TestTheCastOnEveryEndpoint(ApiMatrix):
    cases = API_CASES

    def build(self) -> Scene:
        group = Group()
        cast = build_cast(group)
        return Scene(cast, goals_world(Chain(group, this_year_number()), group, cast))


# Reading ---------------------------------------------------------------------------------------


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    body = response.json()
    return [row["id"] for row in (body["results"] if isinstance(body, dict) else body)]


def test_a_goal_reads_as_its_fields(api, world):
    goal = world.chain.operational
    goal.processes.add(world.process)
    assert api.get(goal_url(goal)).json() == {
        "id": goal.pk,
        "unit": "utbildningsforvaltningen",
        "period": world.chain.period.year,
        "level": "operational",
        "status": "approved",
        "parent": world.chain.body.pk,
        "title": "Tidiga insatser i läsning",
        "description": "",
        "owner": None,
        "start_date": None,
        "due_date": None,
        "progress": None,
        "processes": ["larande"],
        "return_comment": "",
        "latest_grade": None,
    }
    assert api.get(goal_url(world.chain.vision)).json()["parent"] is None


def test_nothing_undecided_reaches_an_anonymous_caller(api, cast, world):
    undecided = {world.draft.pk, world.department_draft.pk, world.submitted.pk}
    assert not undecided & set(ids(api.get(reverse("api:goal-list"), {"page_size": 500})))
    assert ids(api.get(reverse("api:goal-list"), {"status": "draft"})) == []
    for goal in undecided:
        assert api.get(goal_url(Goal(pk=goal))).status_code == 404
    assert not undecided & set(ids(api.get(goal_url(world.chain.body, "cascade"))))
    # A proposed change is work in progress: the public reads the approved goal.
    open_change(world.chain.operational)
    assert api.get(goal_url(world.chain.operational)).json()["title"] == "Tidiga insatser i läsning"
    # Signed in, the same lists hold every goal.
    signed_in = token_client(cast["editor"])
    assert undecided <= set(ids(signed_in.get(reverse("api:goal-list"), {"page_size": 500})))
    assert {world.draft.pk, world.department_draft.pk} <= set(
        ids(signed_in.get(goal_url(world.chain.body, "cascade")))
    )


@pytest.mark.parametrize(
    ("query", "expected_goals"),
    [
        ({"unit": "avdelning-grundskola"}, ["department_goal", "activity"]),
        ({"unit": "utbildningsnamnden", "level": "operational"}, ["operational", "department_goal"]),
        ({"level": ["vision", "strategic"]}, ["vision", "strategic"]),
        ({"status": "approved", "unit": "stadshus-ab"}, ["company_goal", "subsidiary_goal"]),
        ({"process": "larande"}, ["body"]),
    ],
)
def test_filters(api, world, query, expected_goals):
    world.chain.body.processes.add(world.process)
    assert ids(api.get(reverse("api:goal-list"), query)) == [
        getattr(world.chain, name).pk for name in expected_goals
    ]


def test_the_period_filter_and_the_status_filter(cast, world):
    later = Period.objects.create(year=world.chain.period.year + 1)
    vision = add_goal(Level.VISION, "Nästa år", world.group.council, period=later)
    client = token_client(cast["editor"])
    assert ids(client.get(reverse("api:goal-list"), {"period": later.year})) == [vision.pk]
    assert ids(client.get(reverse("api:goal-list"), {"status": "submitted"})) == [world.submitted.pk]


def test_a_filter_value_that_names_nothing_is_a_400(api, world):
    response = api.get(reverse("api:goal-list"), {"unit": "ingenstans", "level": "dream"})
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "unit": ["No organisation unit has the slug or id “ingenstans”."],
        "level": ["Select a valid choice. dream is not one of the available choices."],
    }


def test_the_chain_and_the_cascade(api, world, django_assert_num_queries):
    chain = world.chain
    # 1. the goal (its place in the chain and its version), 2. its chain (or its cascade), each
    # with its unit, period, parent and grade
    with django_assert_num_queries(2):
        response = api.get(goal_url(chain.activity, "chain"))
    assert ids(response) == [
        chain.vision.pk,
        chain.strategic.pk,
        chain.body.pk,
        chain.operational.pk,
        chain.department_goal.pk,
    ]
    assert response.json()[0] == {
        "id": chain.vision.pk,
        "unit": "kommunfullmaktige",
        "period": chain.period.year,
        "level": "vision",
        "status": "approved",
        "title": "Sjöstad – hållbart och nära",
        "parent": None,
        "latest_grade": None,
    }
    with django_assert_num_queries(2):
        response = api.get(goal_url(chain.operational, "cascade"))
    assert ids(response) == [chain.department_goal.pk, chain.activity.pk]
    assert ids(api.get(goal_url(chain.vision, "chain"))) == []


def test_a_goals_processes_read_in_their_order_in_a_list_a_read_and_a_change(api, world, cast):
    # A read takes the processes from the list prefetched for it, a change's answer from the
    # relation: both in the processes' order (kind, then name), not the order they were added in.
    owner = world.group.committee
    goal = world.draft
    goal.processes.add(
        Process.objects.create(slug="arkiv", kind=ProcessKind.MANAGEMENT, name="Arkiv", owning_unit=owner),
        world.process,
        Process.objects.create(slug="ekonomi", kind=ProcessKind.MAIN, name="Ekonomi", owning_unit=owner),
    )
    served = ["ekonomi", "larande", "arkiv"]
    editor = token_client(cast["manager_inside"])
    assert editor.get(goal_url(goal)).json()["processes"] == served
    listed = editor.get(reverse("api:goal-list"), {"page_size": 500}).json()["results"]
    assert {row["id"]: row["processes"] for row in listed}[goal.pk] == served
    changed = editor.patch(goal_url(goal), {"title": "Digitala lärresurser i alla skolor"})
    assert (changed.status_code, changed.json()["processes"]) == (200, served)
    assert editor.get(goal_url(world.chain.operational)).json()["processes"] == []


def test_each_goal_shows_its_latest_grade_that_the_caller_may_read(api, world, cast):
    # The API's own annotation of the latest grade (one subquery, not the three of the report's
    # with_latest_grade): the interim report's reviewed grade is later than the four months' one;
    # the annual report's, still waiting for review, is read by signed-in users alone.
    chain = world.chain
    followed_up(chain.operational, Attainment.NOT_ACHIEVED, kind=ReportingPeriodKind.FOUR_MONTHS)
    followed_up(chain.operational, Attainment.PARTLY, kind=ReportingPeriodKind.INTERIM)
    followed_up(chain.operational, Attainment.ACHIEVED, ReviewStatus.SUBMITTED, ReportingPeriodKind.ANNUAL)
    followed_up(chain.body, Attainment.NOT_ASSESSED, ReviewStatus.DRAFT)
    editor = cast["editor"]
    for client, user, grade in [
        (api, AnonymousUser(), Attainment.PARTLY),
        (token_client(editor), editor, Attainment.ACHIEVED),
    ]:
        grades = {
            goal["id"]: goal["latest_grade"] for goal in client.get(goal_url(chain.activity, "chain")).json()
        }
        assert (grades[chain.operational.pk], grades[chain.body.pk]) == (grade, None)
        cascade = client.get(goal_url(chain.body, "cascade")).json()
        assert [goal["latest_grade"] for goal in cascade if goal["id"] == chain.operational.pk] == [grade]
        assert client.get(goal_url(chain.operational)).json()["latest_grade"] == grade
        listed = client.get(reverse("api:goal-list"), {"page_size": 500}).json()["results"]
        assert {goal["id"]: goal["latest_grade"] for goal in listed}[chain.operational.pk] == grade
        # The same grade as the report's rule gives, for every goal of the chain.
        report = with_latest_grade(Goal.objects.filter(pk__in=[goal["id"] for goal in listed]), user)
        assert {goal["id"]: goal["latest_grade"] for goal in listed} == {
            goal.pk: goal.latest_grade for goal in report
        }


@pytest.mark.parametrize("size", [10, 40])
def test_the_goal_list_takes_a_fixed_number_of_queries(api, cast, chain, django_assert_num_queries, size):
    grow_chain(chain, size)
    for goal in Goal.objects.filter(level=Level.OPERATIONAL):
        goal.processes.add(
            Process.objects.get_or_create(
                slug="larande",
                defaults={"kind": ProcessKind.MAIN, "name": "Lärande", "owning_unit": chain.group.committee},
            )[0]
        )
    # 1. the count, 2. the page, each goal with its unit, period, owner, parent and grade,
    # 3. the goals' processes
    with django_assert_num_queries(3):
        response = api.get(reverse("api:goal-list"), {"page_size": 500})
    assert response.json()["count"] == size
    client = token_client(cast["editor"])
    # and, signed in, the token with its user
    with django_assert_num_queries(4):
        assert client.get(reverse("api:goal-list"), {"page_size": 500}).json()["count"] == size


# Making and changing goals ---------------------------------------------------------------------


def post_goal(client, **data):
    return client.post(reverse("api:goal-list"), data, format="json")


def test_a_manager_adds_a_goal_that_takes_its_year_from_its_parent(cast, world):
    response = post_goal(
        token_client(cast["manager_inside"]),
        unit=world.group.school.slug,
        level=Level.ACTIVITY,
        parent=world.chain.department_goal.pk,
        title="Läsombud",
        start_date=f"{THIS_YEAR}-01-10",
        due_date=f"{THIS_YEAR}-06-10",
        progress=0,
    )
    assert response.status_code == 201, response.content
    goal = Goal.objects.get(title="Läsombud")
    assert response.json() | {"id": None} == {
        "id": None,
        "unit": "vastra-skolan",
        "period": world.chain.period.year,
        "level": "activity",
        "status": "draft",
        "parent": world.chain.department_goal.pk,
        "title": "Läsombud",
        "description": "",
        "owner": None,
        "start_date": f"{THIS_YEAR}-01-10",
        "due_date": f"{THIS_YEAR}-06-10",
        "progress": 0,
        "processes": [],
        "return_comment": "",
        "latest_grade": None,
    }
    assert Goal.objects.get_parent(goal) == world.chain.department_goal


def test_a_goal_at_the_top_needs_its_period(cast, world):
    response = post_goal(
        token_client(cast["admin"]), unit=world.group.council.slug, level="vision", title="V"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"period": ["This field is required."]}


def test_the_chain_rules_refuse_a_goal_with_the_rules_message(cast, world, english):
    chain = world.chain
    count = Goal.objects.count()
    response = post_goal(
        token_client(cast["manager_inside"]),
        unit=world.group.administration.slug,
        level=Level.OPERATIONAL,
        parent=chain.strategic.pk,
        title="Fel",
    )
    messages = chain_problems(
        Goal(level=Level.OPERATIONAL, org_unit=world.group.administration, period=chain.period, title="Fel"),
        parent=chain.strategic,
    )
    assert messages
    assert response.status_code == 400
    assert response.json() == {"detail": " ".join(messages), "errors": {"non_field_errors": messages}}
    assert Goal.objects.count() == count


def test_the_process_rule_refuses_or_the_unit_joins(cast, world, english):
    other = Process.objects.create(kind=ProcessKind.SUPPORT, name="Lokaler", owning_unit=world.group.company)
    data = {
        "unit": world.group.administration.slug,
        "level": Level.OPERATIONAL,
        "parent": world.chain.body.pk,
        "title": "Bättre lokaler",
        "processes": [other.slug],
    }
    client = token_client(cast["manager_inside"])
    response = post_goal(client, **data)
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "processes": [
            "“Utbildningsförvaltningen” does not take part in “Lokaler”. Add the unit as a participant, "
            "or choose another process."
        ]
    }
    assert not Goal.objects.filter(title="Bättre lokaler").exists()
    response = post_goal(client, **data, join_processes=True)
    assert response.status_code == 201, response.content
    assert response.json()["processes"] == ["lokaler"]
    assert world.group.administration in other.participants.all()


def test_a_draft_moves_to_another_parent(cast, world):
    other = add_goal(Level.OPERATIONAL, "Trygg skolväg", world.group.administration, world.chain.body)
    response = token_client(cast["manager_inside"]).patch(
        goal_url(world.department_draft), {"parent": other.pk}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["parent"] == other.pk
    assert Goal.objects.get_parent(fresh(world.department_draft)) == other


def test_a_move_that_breaks_the_chain_is_refused(cast, world, english):
    response = token_client(cast["admin"]).patch(
        goal_url(world.draft), {"parent": world.chain.vision.pk}, format="json"
    )
    assert response.status_code == 400
    assert (
        "“Operational goal” of “Utbildningsförvaltningen” cannot break down “Vision” of “Kommunfullmäktige”. "
        "“Operational goal” breaks down: “Body goal”, "
        "“Operational goal”." in response.json()["errors"]["non_field_errors"]
    )
    assert Goal.objects.get_parent(fresh(world.draft)) == world.chain.body


def test_an_approved_goals_update_is_refused_and_points_to_a_revision(cast, world):
    goal = world.chain.operational
    response = token_client(cast["manager_inside"]).patch(goal_url(goal), {"title": "Nytt"}, format="json")
    message = (
        "“Tidiga insatser i läsning” is approved: its content changes only through a decided revision. "
        f"Propose a change with POST /api/v1/goals/{goal.pk}/revision/."
    )
    assert response.status_code == 409  # its status allows no edit, as goal_save says (docs/reliability.md)
    assert response.json() == {"detail": message, "errors": {"non_field_errors": [message]}}
    assert fresh(goal).title == "Tidiga insatser i läsning"


def test_a_submitted_or_archived_goal_is_refused_as_on_the_web(cast, world):
    admin = token_client(cast["admin"])
    response = admin.patch(goal_url(world.submitted), {"title": "Nytt"}, format="json")
    assert response.json()["detail"] == (
        "“Förskolan ger alla en god start” waits for the decision of Utbildningsnämnden and cannot be "
        "changed now; they can send it back."
    )
    Goal.objects.filter(pk=world.chain.vision.pk).update(status=Status.ARCHIVED)
    response = admin.patch(goal_url(world.chain.vision), {"title": "Nytt"}, format="json")
    assert response.status_code == 409  # its status allows no edit, as goal_save says (docs/reliability.md)
    assert response.json()["detail"] == (
        "“Sjöstad – hållbart och nära” is archived with its closed year and is not changed any more."
    )


# The workflow ----------------------------------------------------------------------------------


def test_a_revision_is_proposed_edited_submitted_and_approved(cast, world):
    goal = world.chain.operational
    manager, politician = token_client(cast["manager_inside"]), token_client(cast["admin"])
    response = manager.post(goal_url(goal, "revision"), {"title": "Tidiga insatser i läsning och skrivning"})
    assert response.status_code == 200, response.content
    revision = Revision.objects.get()
    assert response.json() == {
        "id": revision.pk,
        "goal": goal.pk,
        "status": "draft",
        "title": "Tidiga insatser i läsning och skrivning",
        "description": "",
        "owner": None,
        "start_date": None,
        "due_date": None,
        "processes": [],
        "return_comment": "",
        "proposed_by": "karin",
    }
    # Editing it further keeps what is not sent.
    response = manager.post(goal_url(goal, "revision"), {"description": "Fler lärare"}, format="json")
    assert response.json()["title"] == "Tidiga insatser i läsning och skrivning"
    assert Revision.objects.get().description == "Fler lärare"
    assert fresh(goal).title == "Tidiga insatser i läsning"

    assert manager.post(goal_url(goal, "submit")).status_code == 200
    response = manager.delete(goal_url(goal, "revision"))
    assert response.status_code == 409
    assert response.json()["detail"] == "Only a change that is not waiting for its decision can be discarded."
    # Administration's operational goals are decided by its manager by delegation.
    response = politician.post(reverse("api:goal-approve"), {"goals": [goal.pk], **APPROVAL}, format="json")
    assert response.status_code == 201, response.content
    assert fresh(goal).title == "Tidiga insatser i läsning och skrivning"
    assert Revision.objects.get().status == Status.APPROVED


def test_discarding_without_a_revision_is_a_404(cast, world):
    response = token_client(cast["manager_inside"]).delete(goal_url(world.chain.operational, "revision"))
    assert (response.status_code, response.json()) == (
        404,
        {"detail": "No change is proposed to this goal.", "errors": {}},
    )


def test_a_draft_is_not_revised(cast, world):
    response = token_client(cast["manager_inside"]).post(goal_url(world.draft, "revision"), {"title": "X"})
    assert response.status_code == 409
    assert (
        response.json()["detail"]
        == "Only an approved goal is revised; “Utkast: digitala lärresurser” is draft."
    )


def test_illegal_transitions_are_refused_with_the_reason(cast, world):
    manager = token_client(cast["manager_inside"])
    assert manager.post(goal_url(world.draft, "submit")).status_code == 200
    # A step the goal's status does not allow (now) is a conflict with its state: 409.
    response = manager.post(goal_url(world.draft, "submit"))
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Only a draft or a goal sent back can be submitted; “Utkast: digitala lärresurser” is submitted."
    )
    politician = token_client(cast["politician"])
    response = politician.post(goal_url(world.submitted, "return"), {"comment": "  "})
    assert response.json() == {
        "detail": "Say why the goal is sent back.",
        "errors": {"non_field_errors": ["Say why the goal is sent back."]},
    }
    assert politician.post(goal_url(world.submitted, "return"), {}).json()["errors"] == {
        "comment": ["This field is required."]
    }
    response = politician.post(goal_url(world.submitted, "return"), {"comment": "Förtydliga."})
    assert response.json()["status"] == "returned"
    assert response.json()["return_comment"] == "Förtydliga."
    response = politician.post(goal_url(world.submitted, "return"), {"comment": "Igen."})
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Only a submitted goal can be sent back; “Förskolan ger alla en god start” is sent back."
    )


def test_goals_are_approved_under_one_decision(cast, world):
    second = add_goal(Level.BODY, "Fler vuxna studerar", world.group.committee, world.chain.strategic)
    goal_submit(goal=second, by=None)
    response = token_client(cast["secretary"]).post(
        reverse("api:goal-approve"),
        {"goals": [world.submitted.pk, second.pk], **APPROVAL, "minutes_url": "https://example.org/p"},
        format="json",
    )
    assert response.status_code == 201, response.content
    decision = Decision.objects.get()
    assert response.json() | {"recorded_at": None} == {
        "id": decision.pk,
        "deciding_unit": "utbildningsnamnden",
        "delegated_by": None,  # the committee decides its own goals
        "meeting_date": "2026-02-12",
        "paragraph": "§ 14",
        "registry_number": "UN 2026/12",
        "minutes_url": "https://example.org/p",
        "goals": [world.submitted.pk, second.pk],
        "recorded_at": None,
    }
    assert {fresh(world.submitted).status, fresh(second).status} == {Status.APPROVED}
    assert decision.recorded_by == cast["secretary"]


def test_one_decision_does_not_cover_two_deciding_bodies(cast, world):
    other = add_goal(Level.BODY, "Trygg omsorg", world.group.other_committee, world.chain.strategic)
    goal_submit(goal=other, by=None)
    response = token_client(cast["admin"]).post(
        reverse("api:goal-approve"), {"goals": [world.submitted.pk, other.pk], **APPROVAL}, format="json"
    )
    message = "One decision covers the goals of one deciding body or unit, not of: Omsorgsnämnden, Utbildningsnämnden."
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {"non_field_errors": [message]}}
    assert not Decision.objects.exists()
    assert fresh(world.submitted).status == fresh(other).status == Status.SUBMITTED


def test_approval_is_refused_unless_the_caller_decides_every_goal(cast, world):
    other = add_goal(Level.BODY, "Trygg omsorg", world.group.other_committee, world.chain.strategic)
    goal_submit(goal=other, by=None)
    response = token_client(cast["politician"]).post(
        reverse("api:goal-approve"), {"goals": [world.submitted.pk, other.pk], **APPROVAL}, format="json"
    )
    assert response.status_code == 403
    assert not Decision.objects.exists()


def test_approval_needs_submitted_goals_and_the_decisions_details(cast, world):
    admin = token_client(cast["admin"])
    response = admin.post(reverse("api:goal-approve"), {"goals": [world.draft.pk], **APPROVAL}, format="json")
    assert response.json()["detail"] == "“Utkast: digitala lärresurser” is draft, not submitted."
    response = admin.post(reverse("api:goal-approve"), {"goals": [world.submitted.pk]}, format="json")
    assert response.json()["errors"] == {
        "meeting_date": ["This field is required."],
        "paragraph": ["This field is required."],
    }
    response = admin.post(reverse("api:goal-approve"), {"goals": [], **APPROVAL}, format="json")
    assert response.json()["detail"] == "Choose at least one goal to approve."
    assert not Decision.objects.exists()


# Decisions and periods -------------------------------------------------------------------------


def test_decisions_are_public_and_filtered_by_body_and_year(api, world):
    decision = decided(world)
    assert ids(api.get(reverse("api:decision-list"))) == [decision.pk]
    assert ids(api.get(reverse("api:decision-list"), {"unit": "utbildningsnamnden", "year": 2026})) == [
        decision.pk
    ]
    assert ids(api.get(reverse("api:decision-list"), {"unit": "omsorgsnamnden"})) == []
    assert ids(api.get(reverse("api:decision-list"), {"year": 2025})) == []
    assert api.get(reverse("api:decision-detail", args=[decision.pk])).json()["goals"] == [world.submitted.pk]


def test_periods_are_public(api, world):
    year = world.chain.period.year
    response = api.get(reverse("api:period-detail", args=[year]))
    assert response.json() == {"year": year, "is_closed": False, "term": world.chain.period.term_label}
    assert api.get(reverse("api:period-list")).json()["count"] == 1


@pytest.mark.parametrize("size", [2, 12])
def test_the_decision_list_takes_a_fixed_number_of_queries(api, world, django_assert_num_queries, size):
    for number in range(size):
        goal = add_goal(Level.BODY, f"Mål {number}", world.group.committee, world.chain.strategic)
        goal_submit(goal=goal, by=None)
        goal_approve(goals=[goal], by=None, meeting_date="2026-03-01", paragraph=f"§ {number}")
    # 1. the count, 2. the page, each decision with its deciding unit, 3. the goals it approved
    with django_assert_num_queries(3):
        assert api.get(reverse("api:decision-list")).json()["count"] == size


@pytest.mark.parametrize("year", ["0", "2025.5", "-1", "99999"])
def test_a_year_no_date_can_have_is_a_bad_request(api, world, year):
    response = api.get("/api/v1/decisions/", {"year": year})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["year"]


def test_a_year_that_is_not_a_number_is_not_found_in_the_api_format(api, world):
    response = api.get("/api/v1/periods/%C2%84/")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")


def test_signed_in_users_read_a_proposed_change_and_the_public_does_not(cast, world):
    goal, politician = world.chain.operational, token_client(cast["politician"])
    assert politician.get(goal_url(goal, "revision")).status_code == 404  # none yet
    open_change(goal)
    response = politician.get(goal_url(goal, "revision"))
    assert (response.status_code, response.json()["status"]) == (200, "draft")
    assert response.json()["title"] == Revision.objects.get().title
    assert APIClient().get(goal_url(goal, "revision")).status_code == 401


# Versions: no silent lost update -------------------------------------------------------------------


def test_a_goal_read_carries_its_version_which_a_change_names(cast, world):
    manager = token_client(cast["manager_inside"])
    read = manager.get(goal_url(world.draft))
    assert read["ETag"] == f'"{fresh(world.draft).version}"'
    changed = manager.patch(goal_url(world.draft), {"title": "Ny rubrik"}, HTTP_IF_MATCH=read["ETag"])
    assert (changed.status_code, changed["ETag"]) == (200, f'"{fresh(world.draft).version}"')
    # The first read's version is stale now: a second change made from it is refused, and lost nothing.
    stale = manager.patch(goal_url(world.draft), {"title": "Annan rubrik"}, HTTP_IF_MATCH=read["ETag"])
    assert stale.status_code == 412
    version = int(read["ETag"].strip('"'))
    stale = manager.patch(goal_url(world.draft), {"title": "Annan rubrik", "version": version}, format="json")
    assert stale.status_code == 409
    assert stale.json()["detail"].startswith("karin saved “Ny rubrik” at ")
    assert fresh(world.draft).title == "Ny rubrik"


def test_a_change_proposed_from_no_revision_does_not_overwrite_one_proposed_meanwhile(cast, world):
    goal = world.chain.operational
    manager = token_client(cast["manager_inside"])
    assert manager.get(goal_url(goal, "revision")).status_code == 404  # nothing proposed yet
    open_change(goal, title="Någon annans ändring")
    response = manager.post(
        goal_url(goal, "revision"), {"title": "Min ändring", "version": ""}, format="json"
    )
    assert response.status_code == 400  # "version" is the version seen, or left out: never empty
    response = manager.post(goal_url(goal, "revision"), {"title": "Min ändring"}, HTTP_IF_MATCH='"7"')
    assert response.status_code == 412
    assert Revision.objects.get().title == "Någon annans ändring"
