from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core import serializers
from django.core.management import call_command
from django.test import RequestFactory

from demo.organisation import DEMO_PASSWORD, DEMO_USERS
from goals.chain import process_problems
from goals.levels import Level, Status
from goals.models import Decision, Goal, Period
from orgunits.kinds import Kind
from orgunits.models import Organisations, OrgUnit
from processes.models import Process, ProcessKind, TargetGroup

pytestmark = pytest.mark.django_db


def database_dump() -> str:
    rows = [
        *OrgUnit.objects.order_by("pk"),
        *get_user_model().objects.order_by("pk"),
        *Period.objects.order_by("pk"),
        *Goal.objects.order_by("pk"),
        *TargetGroup.objects.order_by("pk"),
        *Process.objects.order_by("pk"),
        *Decision.objects.order_by("pk"),
    ]
    return serializers.serialize("json", rows)


def test_running_it_twice_gives_the_same_database():
    call_command("seed_demo")
    first = database_dump()
    call_command("seed_demo")
    assert database_dump() == first


def test_it_puts_back_demo_data_that_was_changed():
    call_command("seed_demo")
    OrgUnit.objects.filter(slug="utbildningsnamnden").update(name="Skolnämnden")
    call_command("seed_demo")
    assert OrgUnit.objects.get(slug="utbildningsnamnden").name == "Utbildningsnämnden"


def test_if_empty_leaves_an_existing_organisation_alone():
    call_command("seed_demo")
    OrgUnit.objects.filter(slug="utbildningsnamnden").update(name="Skolnämnden")
    call_command("seed_demo", "--if-empty")
    assert OrgUnit.objects.get(slug="utbildningsnamnden").name == "Skolnämnden"


def test_the_demo_group_is_a_mid_sized_municipal_group():
    call_command("seed_demo")
    kinds = [unit.kind for unit in OrgUnit.objects.all()]
    assert kinds.count(Kind.COUNCIL) == 1
    assert kinds.count(Kind.EXECUTIVE_BOARD) == 1
    assert kinds.count(Kind.COMMITTEE) == 8
    assert kinds.count(Kind.ADMINISTRATION) == 6
    assert kinds.count(Kind.COMPANY) == 6  # the parent company and five subsidiaries
    assert kinds.count(Kind.FEDERATION) == 1
    parent_company = OrgUnit.objects.get(slug="sjostads-stadshus-ab")
    assert OrgUnit.objects.get_children(parent_company).filter(kind=Kind.COMPANY).count() == 5
    # Every unit stands where the rule table allows, and the tree itself is sound.
    for unit in OrgUnit.objects.all():
        unit.full_clean()
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])


def test_the_demo_users_can_sign_in_with_the_password_the_readme_gives():
    call_command("seed_demo")
    for demo_user in DEMO_USERS:
        request = RequestFactory().post("/accounts/login/")  # django-axes asks for the request
        user = authenticate(request, username=demo_user.username, password=DEMO_PASSWORD)
        assert user is not None, demo_user.username
        assert user.is_staff == demo_user.is_staff
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"`{DEMO_PASSWORD}`" in readme
    assert all(f"`{demo_user.username}`" in readme for demo_user in DEMO_USERS)


def test_every_demo_goal_has_an_unbroken_chain_up_to_the_vision():
    call_command("seed_demo")
    vision = Goal.objects.get(level=Level.VISION)
    goals = list(Goal.objects.select_related("org_unit", "period"))
    assert len(goals) > 60
    for goal in goals:
        goal.full_clean()  # every rule of the steering chain, against its parent and its children
        assert goal == vision or Goal.objects.get_ancestors(goal).first() == vision, goal.title
    levels = {level: sum(goal.level == level for goal in goals) for level in Level}
    assert levels[Level.VISION] == 1
    assert 5 <= levels[Level.STRATEGIC] <= 7
    assert levels[Level.ACTIVITY] >= 15
    assert Goal.objects.find_problems() == ([], [], [], [], [])


def test_every_committee_company_and_the_federation_has_body_goals():
    call_command("seed_demo")
    bodies = OrgUnit.objects.filter(kind__in=[Kind.COMMITTEE, Kind.COMPANY, Kind.FEDERATION])
    without_goals = [unit.name for unit in bodies if not unit.goals.filter(level=Level.BODY).exists()]
    assert without_goals == []


def test_every_demo_goal_serves_processes_its_unit_takes_part_in():
    call_command("seed_demo")
    for goal in Goal.objects.select_related("org_unit").prefetch_related("processes__participants"):
        assert process_problems(goal, goal.processes.select_related("owning_unit")) == [], goal.title


def test_each_main_process_has_goals_from_several_kinds_of_organisation_for_a_named_target_group():
    call_command("seed_demo")
    organisations = Organisations()
    for process in Process.objects.filter(kind=ProcessKind.MAIN):
        serving = {organisations.of(goal.org_unit.path) for goal in process.goals.select_related("org_unit")}
        assert len(serving - {None}) >= 2, process.name
        assert process.target_groups.exists(), process.name
    learning = Process.objects.get(slug="larande")
    serving = {organisations.of(goal.org_unit.path) for goal in learning.goals.select_related("org_unit")}
    kinds = [organisation.kind for organisation in serving if organisation]
    assert {Kind.ADMINISTRATION, Kind.COMPANY, Kind.FEDERATION} <= set(kinds)
    assert kinds.count(Kind.ADMINISTRATION) >= 2


def test_the_demo_plan_is_decided_one_decision_per_deciding_body():
    call_command("seed_demo")
    goals = list(Goal.objects.select_related("org_unit").prefetch_related("decisions"))
    assert {goal.status for goal in goals} == {Status.APPROVED}
    for goal in goals:
        [decision] = goal.decisions.all()
        assert decision.deciding_unit == goal.deciding_unit, goal.title
    council_decision = Decision.objects.get(deciding_unit__kind=Kind.COUNCIL)
    assert str(council_decision) == f"KF {council_decision.meeting_date:%Y}-11-25 § 187"
