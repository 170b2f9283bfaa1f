"""An administration serving several committees: it stands under one committee in the tree and
also serves others (``OrgUnit.also_serves``); its operational goals break down the body goals of
every committee it serves, and it prepares (drafts, edits, submits) those goals, which the
committees' politicians decide."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Goal
from goals.todo import edited_by, reported_by
from orgunits.concurrency import Conflict
from orgunits.kinds import Kind
from orgunits.services import orgunit_set_serving
from tests.kit.chain import add_goal
from tests.kit.organisation import add_unit
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(group, chain):
    """Samhällsbyggnadsförvaltningen stands under the building committee and also serves the
    environment committee; each committee has a decided body goal; Omsorgsnämnden is not served."""
    building = add_unit(Kind.COMMITTEE, "Byggnadsnämnden", group.council)
    environment = add_unit(Kind.COMMITTEE, "Miljö- och hälsoskyddsnämnden", group.council)
    administration = add_unit(Kind.ADMINISTRATION, "Samhällsbyggnadsförvaltningen", building)
    administration.also_serves.add(environment)
    building_goal = add_goal(
        Level.BODY, "Snabbare bygglov", building, chain.strategic, status=Status.APPROVED
    )
    environment_goal = add_goal(
        Level.BODY, "Renare luft", environment, chain.strategic, status=Status.APPROVED
    )
    other_goal = add_goal(
        Level.BODY, "Trygg äldreomsorg", group.other_committee, chain.strategic, status=Status.APPROVED
    )
    return {
        "building": building,
        "environment": environment,
        "administration": administration,
        "building_goal": building_goal,
        "environment_goal": environment_goal,
        "other_goal": other_goal,
    }


def test_an_administration_breaks_down_body_goals_of_both_committees_it_serves(served):
    administration = served["administration"]
    for parent in (served["building_goal"], served["environment_goal"]):
        goal = add_goal(Level.OPERATIONAL, f"Under {parent.title}", administration, parent)
        assert Goal.objects.get_parent(Goal.objects.get(pk=goal.pk)) == parent


def test_a_department_of_the_administration_breaks_down_a_goal_of_the_served_committee(served):
    department = add_unit(Kind.DEPARTMENT, "Miljöavdelningen", served["administration"])
    goal = add_goal(Level.OPERATIONAL, "Mäta partiklar", department, served["environment_goal"])
    assert Goal.objects.get_parent(goal) == served["environment_goal"]


def test_a_committee_it_does_not_serve_is_refused_with_a_message_naming_the_units(served):
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        add_goal(Level.OPERATIONAL, "Fel nämnd", served["administration"], served["other_goal"])
    assert refused.value.messages == [
        "“Samhällsbyggnadsförvaltningen” serves “Byggnadsnämnden”, “Miljö- och hälsoskyddsnämnden”: its"
        " operational goals break down the goals of these bodies, not of “Omsorgsnämnden”."
    ]
    assert not Goal.objects.filter(title="Fel nämnd").exists()


def test_a_dissolved_committee_is_served_no_longer(served):
    environment = served["environment"]
    environment.is_active = False
    environment.save(update_fields=["is_active"])
    with pytest.raises(ValidationError):
        add_goal(
            Level.OPERATIONAL, "Efter upplösningen", served["administration"], served["environment_goal"]
        )


def test_the_administration_lists_the_bodies_it_serves_steering_body_first(served):
    assert served["administration"].steering_bodies == [served["building"], served["environment"]]


@translation.override("en")
def test_only_an_administration_serves_and_only_political_bodies_are_served(group, served):
    assert group.school.serving_problems([served["environment"]]) == [
        "“Västra skolan” (unit) cannot serve “Miljö- och hälsoskyddsnämnden” (committee): only these kinds"
        " of unit serve a body they do not stand under: “Administration”."
    ]
    assert served["administration"].serving_problems([group.company]) == [
        "“Samhällsbyggnadsförvaltningen” (administration) cannot serve “Stadshus AB” (company): it may serve"
        " only: “Executive board”, “Committee”, “Joint committee”."
    ]
    assert served["administration"].serving_problems([served["building"]]) == [
        "“Samhällsbyggnadsförvaltningen” already stands under “Byggnadsnämnden”, and serves it through the tree."
    ]
    assert served["administration"].serving_problems([group.other_committee]) == []


# Preparation: the administration prepares, the committee decides --------------------------------


def test_the_manager_of_the_administration_drafts_and_submits_a_goal_of_the_served_committee(
    client, served, chain
):
    manager = member_of(served["administration"], "sara")
    client.force_login(manager)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    environment = served["environment"]
    response = client.post(
        reverse("goals:create") + f"?unit={environment.slug}",
        {
            "title": "Giftfri förskola",
            "level": Level.BODY,
            "org_unit": environment.pk,
            "parent": chain.strategic.pk,
        },
    )
    draft = Goal.objects.get(title="Giftfri förskola")
    assert response.status_code == 302
    assert (draft.org_unit, draft.status) == (environment, Status.DRAFT)
    assert manager.has_perm("goals.edit_goal", draft)
    assert manager.has_perm("goals.submit_goal", draft)
    assert not manager.has_perm("goals.decide_goal", draft)


def test_the_manager_of_the_administration_prepares_nothing_for_a_committee_it_does_not_serve(served, chain):
    manager = member_of(served["administration"], "sara")
    draft = add_goal(Level.BODY, "Utkast", served["other_goal"].org_unit, chain.strategic)
    assert not manager.has_perm("goals.edit_goal", draft)
    assert not manager.has_perm("goals.add_goal_at_unit", served["other_goal"].org_unit)


def test_the_executive_boards_administration_prepares_the_councils_goals(group, chain):
    town_hall = add_unit(Kind.ADMINISTRATION, "Kommunledningsförvaltningen", group.board)
    manager = member_of(town_hall, "tove")
    committees_manager = member_of(group.administration, "karin")
    assert manager.has_perm("goals.add_goal_at_unit", group.council)
    assert manager.has_perm("goals.edit_goal", chain.strategic)
    assert not manager.has_perm("goals.decide_goal", chain.strategic)
    assert not committees_manager.has_perm("goals.edit_goal", chain.strategic)


# The web forms offer what the rule allows --------------------------------------------------------


def test_breaking_down_a_served_committees_goal_offers_the_administration_serving_it(client, served):
    client.force_login(member_of(served["administration"], "sara"))
    response = client.get(reverse("goals:create"), {"parent": served["environment_goal"].pk})
    # Not the committee itself: its body goals break down goals of a body above it, not its own.
    assert set(response.context["form"].fields["org_unit"].queryset) == {served["administration"]}
    response = client.post(
        reverse("goals:create") + f"?parent={served['environment_goal'].pk}",
        {
            "title": "Tillsyn av förskolor",
            "level": Level.OPERATIONAL,
            "org_unit": served["administration"].pk,
            "parent": served["environment_goal"].pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    made = Goal.objects.get(title="Tillsyn av förskolor")
    assert (made.org_unit, Goal.objects.get_parent(made)) == (
        served["administration"],
        served["environment_goal"],
    )


def test_a_goal_at_the_administration_may_break_down_the_goals_of_both_committees_and_no_other(
    client, served
):
    client.force_login(member_of(served["administration"], "sara"))
    url = reverse("goals:create") + f"?unit={served['administration'].slug}"
    offered = set(client.get(url).context["form"].fields["parent"].queryset)
    assert {served["building_goal"], served["environment_goal"]} <= offered
    assert served["other_goal"] not in offered


def test_the_to_do_lists_filters_agree_with_the_rules_for_those_who_prepare(group, chain, served):
    """``goals.todo`` asks the edit and report rules of the database; for an administration serving
    two committees, the executive board's administration and a committee's secretary, it must say
    what the rules say of each goal."""
    town_hall = add_unit(Kind.ADMINISTRATION, "Kommunledningsförvaltningen", group.board)
    served_secretary = member_of(served["environment"], "maja", role="secretary")
    people = [member_of(served["administration"], "sara"), member_of(town_hall, "tove"), served_secretary]
    for user in people:
        everything = list(Goal.objects.select_related("org_unit"))
        assert set(Goal.objects.filter(edited_by(user))) == {
            goal for goal in everything if user.has_perm("goals.edit_goal", goal)
        }
        assert set(Goal.objects.filter(reported_by(user))) == {
            goal for goal in everything if user.has_perm("goals.report_follow_up", goal)
        }
    sara, tove, _maja = people
    assert served["environment_goal"] in Goal.objects.filter(edited_by(sara))
    assert chain.strategic in Goal.objects.filter(edited_by(tove))
    # The secretary drafts the committee's goals but does not write their follow-ups.
    assert served["environment_goal"] in Goal.objects.filter(edited_by(served_secretary))
    assert served["environment_goal"] not in Goal.objects.filter(reported_by(served_secretary))


@translation.override("en")
def test_the_administration_cannot_stop_serving_a_committee_whose_goals_its_goals_break_down(served):
    administration = served["administration"]
    add_goal(Level.OPERATIONAL, "Renare luft vid skolor", administration, served["environment_goal"])
    assert administration.serving_problems([]) == [
        "“Samhällsbyggnadsförvaltningen” cannot stop serving these bodies while its goals break down their"
        " goals: “Renare luft vid skolor” (" + str(served["environment_goal"].period) + ")."
    ]
    assert administration.serving_problems([served["environment"]]) == []


def test_stopping_to_serve_is_checked_again_when_written_under_the_organisations_lock(served):
    # What a form checked before a goal was placed meanwhile: the service asks the rule again, on the
    # chain as it is when it holds the lock, and refuses as a conflict, changing nothing.
    administration = served["administration"]
    add_goal(Level.OPERATIONAL, "Renare luft vid skolor", administration, served["environment_goal"])
    with pytest.raises(Conflict):
        orgunit_set_serving(unit=administration, bodies=[])
    assert list(administration.also_serves.all()) == [served["environment"]]
