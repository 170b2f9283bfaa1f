"""Deleting a draft goal through the API: whoever may edit it; never a goal that was decided, that
others break down or that follow-ups report on (409, saying why)."""

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.services import goal_approve, goal_return, goal_submit
from goals.models import Goal
from tests.kit.api_matrix import ApiCase, ApiMatrix
from tests.kit.chain import Chain, add_goal, this_year_number
from tests.kit.clients import token_client
from tests.kit.organisation import Group
from tests.kit.people import build_cast
from tests.kit.worlds import Scene, World, goals_world

pytestmark = pytest.mark.django_db

# The department's draft: its own editor, the administration's manager above it, and staff.
EDITORS_OF_DEPARTMENT = {"admin", "manager_inside", "editor"}


@pytest.fixture
def world(chain, group, cast) -> World:
    return goals_world(chain, group, cast)


@pytest.fixture
def manager(cast):
    return token_client(cast["manager_inside"])


def goal_url(goal):
    return reverse("api:goal-detail", args=[goal.pk])


def exists(goal) -> bool:
    return Goal.objects.filter(pk=goal.pk).exists()


API_CASES = [
    ApiCase(
        "goal-detail",
        "delete",
        EDITORS_OF_DEPARTMENT,
        lambda w: goal_url(w.department_draft),
        happened=lambda w: not exists(w.department_draft),
    ),
]


class TestTheCastOnEveryEndpoint(ApiMatrix):
    cases = API_CASES

    def build(self) -> Scene:
        group = Group()
        cast = build_cast(group)
        return Scene(cast, goals_world(Chain(group, this_year_number()), group, cast))


def test_a_deleted_draft_leaves_the_chain_whole(manager, world):
    parent = world.draft
    response = manager.delete(goal_url(world.department_draft))
    assert response.status_code == 204
    assert not exists(world.department_draft)
    assert Goal.objects.get(pk=parent.pk).numchild == 0
    assert Goal.objects.find_problems() == ([], [], [], [], [])


def test_a_goal_sent_back_can_be_deleted(manager, world):
    goal_submit(goal=world.department_draft, by=None)
    goal_return(goal=world.department_draft, by=None, comment="Gör om")
    assert manager.delete(goal_url(world.department_draft)).status_code == 204
    assert not exists(world.department_draft)


def test_a_submitted_goal_is_refused_saying_why(cast, world):
    response = token_client(cast["admin"]).delete(goal_url(world.submitted))
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Only a draft or a goal sent back can be deleted; “Förskolan ger alla en god start” is submitted."
    )
    assert exists(world.submitted)


def test_a_decided_goal_is_refused_saying_why(cast, world):
    goal = world.chain.operational
    response = token_client(cast["admin"]).delete(goal_url(goal))
    assert response.status_code == 409
    assert response.json()["detail"] == (
        f"Only a draft or a goal sent back can be deleted; “{goal.title}” is approved."
    )
    assert exists(goal)


def test_a_draft_that_others_break_down_is_refused_saying_why(manager, world):
    response = manager.delete(goal_url(world.draft))
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Goals break down “Utkast: digitala lärresurser”: delete or move them first."
    )
    assert exists(world.draft) and exists(world.department_draft)


def test_a_draft_named_by_a_decision_is_refused(manager, world):
    # A data fault that no workflow makes, but the record of a decision is never lost with a goal.
    decision = goal_approve(goals=[world.submitted], by=None, meeting_date="2026-02-12", paragraph="§ 14")
    world.department_draft.decisions.add(decision)
    response = manager.delete(goal_url(world.department_draft))
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "A decision names “Utkast: skolbibliotek”: it stays as the record of what was decided."
    )
    assert exists(world.department_draft)


def test_someone_who_may_not_edit_it_is_told_why(cast, world):
    response = token_client(cast["manager_outside"]).delete(goal_url(world.department_draft))
    assert response.status_code == 403
    assert response.json()["detail"].startswith("Only the managers and editors of the goal's unit")
    assert exists(world.department_draft)


def test_a_delete_from_an_older_version_is_refused(manager, world):
    version = world.department_draft.version
    response = manager.patch(goal_url(world.department_draft), {"title": "Ändrad"}, format="json")
    assert response.status_code == 200
    response = manager.delete(goal_url(world.department_draft), HTTP_IF_MATCH=f'"{version}"')
    assert response.status_code == 412
    assert exists(world.department_draft)
    response = manager.delete(goal_url(world.department_draft), {"version": version}, format="json")
    assert response.status_code == 409
    assert exists(world.department_draft)


def test_the_refusal_in_swedish(cast, world):
    client = token_client(cast["admin"])
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "sv"
    response = client.delete(goal_url(world.draft))
    assert response.json()["detail"] == (
        "Det finns mål som bryts ned från ”Utkast: digitala lärresurser”: ta bort eller flytta dem först."
    )


def test_a_level_below_is_deleted_alone(manager, world):
    # An activity under the department's draft is a goal like any other: the draft waits for it.
    activity = add_goal(Level.ACTIVITY, "Aktivitet", world.group.department, world.department_draft)
    assert manager.delete(goal_url(world.department_draft)).status_code == 409
    assert manager.delete(goal_url(activity)).status_code == 204
    assert manager.delete(goal_url(world.department_draft)).status_code == 204
