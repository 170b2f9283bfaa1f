"""Reminders of a body's follow-ups reach the administrations that prepare the body's business
(``orgunits.rules.preparing``): the one under it, one that also serves it, and for the council the
executive board's administration; mailed through a real SMTP server (``smtp``) by what
``manage.py send_notifications`` runs, on a day of the chain's year."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.models import Goal
from notices.models import Notice
from notices.recipients import people_answering_for
from notices.sending import send_notifications
from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from orgunits.rules import bodies_prepared_by
from tests.kit.chain import add_goal, grow_chain
from tests.kit.organisation import add_unit
from tests.kit.people import member_of
from tests.notices.conftest import with_email

pytestmark = pytest.mark.django_db


@pytest.fixture
def served(group, chain):
    """Samhällsbyggnadsförvaltningen stands under Byggnadsnämnden and also serves Miljö- och
    hälsoskyddsnämnden; each committee has a decided body goal. Sara manages the administration,
    Tove the executive board's administration (Kommunledningsförvaltningen)."""
    building = add_unit(Kind.COMMITTEE, "Byggnadsnämnden", group.council)
    environment = add_unit(Kind.COMMITTEE, "Miljö- och hälsoskyddsnämnden", group.council)
    administration = add_unit(Kind.ADMINISTRATION, "Samhällsbyggnadsförvaltningen", building)
    administration.also_serves.add(environment)
    town_hall = add_unit(Kind.ADMINISTRATION, "Kommunledningsförvaltningen", group.board)
    goals = {
        "building": add_goal(
            Level.BODY, "Snabbare bygglov", building, chain.strategic, status=Status.APPROVED
        ),
        "environment": add_goal(
            Level.BODY, "Renare luft", environment, chain.strategic, status=Status.APPROVED
        ),
    }
    return {
        "administration": administration,
        "environment": environment,
        "goals": goals,
        "sara": with_email(member_of(administration, "sara"), "sv"),
        "tove": with_email(member_of(town_hall, "tove"), "sv"),
    }


def send_on_15_september(chain) -> None:
    """A run on 15 September: the four-month report (due 20 May) is late, the interim report (due
    20 September) due within the week, for every decided goal."""
    send_notifications(now=timezone.make_aware(datetime.datetime(chain.period.year, 9, 15, 9)))


def reminded_of(smtp, user) -> set[str]:
    """The goals whose follow-ups ``user``'s reminder mails name."""
    text = "\n".join(mail.get_body(("plain",)).get_content() for mail in smtp.to(user.email))
    return {title for title in Goal.objects.values_list("title", flat=True) if f"”{title}”" in text}


def test_the_serving_administrations_manager_is_reminded_of_the_served_committees_goal(smtp, chain, served):
    send_on_15_september(chain)

    assert reminded_of(smtp, served["sara"]) == {"Snabbare bygglov", "Renare luft"}
    subjects = sorted(str(mail["Subject"]).strip() for mail in smtp.to("sara@example.se"))
    assert subjects == [
        "Styrmodell: Försenad uppföljning – 2 mål",
        "Styrmodell: Uppföljning snart att lämna – 2 mål",
    ]


def test_the_executive_boards_administration_is_reminded_of_the_councils_goals(smtp, chain, served):
    send_on_15_september(chain)

    # The vision is not followed up; the strategic goal is.
    assert reminded_of(smtp, served["tove"]) == {chain.strategic.title}


def test_a_dissolved_serving_administration_is_not_reminded_of_the_committee_it_served(smtp, chain, served):
    OrgUnit.objects.filter(pk=served["administration"].pk).update(is_active=False)

    send_on_15_september(chain)

    # The committee it stands under still has it in the tree; the one it served has it no longer.
    assert reminded_of(smtp, served["sara"]) == {"Snabbare bygglov"}
    assert not Notice.objects.filter(recipient=served["sara"], goal=served["goals"]["environment"]).exists()


def test_a_dissolved_served_committee_is_prepared_by_no_serving_administration(chain, served):
    OrgUnit.objects.filter(pk=served["environment"].pk).update(is_active=False)
    goal = Goal.objects.select_related("org_unit").get(pk=served["goals"]["environment"].pk)

    assert people_answering_for([goal])[goal.pk] == []


def test_who_is_reminded_of_a_bodys_goals_and_whose_bodies_one_prepares_agree(group, chain, served):
    """The rule read both ways: a person answers for a political body's goal exactly when the body
    is among those they prepare, for every manager in a group with a serving administration."""
    people = [
        served["sara"],
        served["tove"],
        member_of(group.administration, "karin"),
        member_of(group.department, "lars", role="editor"),
        member_of(group.subsidiary, "bo"),
    ]
    goals = list(
        Goal.objects.filter(level__in=[Level.VISION, Level.STRATEGIC, Level.BODY]).select_related("org_unit")
    )
    answering = people_answering_for(goals)
    for person in people:
        person = type(person).objects.get(pk=person.pk)  # no rules cached from before
        prepared = bodies_prepared_by(person)
        for goal in goals:
            in_own_unit = person.memberships.filter(org_unit=goal.org_unit).exists()
            assert (person in answering[goal.pk]) == (in_own_unit or goal.org_unit.path in prepared), (
                person.username,
                goal.title,
            )
    assert served["environment"].path in bodies_prepared_by(type(served["sara"]).objects.get(username="sara"))


@pytest.mark.parametrize("size", [2, 12])
def test_people_answering_for_costs_two_queries_for_any_number_of_served_committees(
    group, chain, size, django_assert_num_queries
):
    """An administration serving ``size`` committees, each with a body goal, among a chain grown to
    ``5 * size`` goals."""
    grow_chain(chain, 5 * size)
    administration = add_unit(Kind.ADMINISTRATION, "Samhällsbyggnadsförvaltningen", group.other_committee)
    served_goals = []
    for number in range(size):
        committee = add_unit(Kind.COMMITTEE, f"Nämnd {number}", group.council)
        administration.also_serves.add(committee)
        served_goals.append(add_goal(Level.BODY, f"Mål {number}", committee, chain.strategic))
    sara = member_of(administration, "sara")
    goals = list(Goal.objects.filter(period=chain.period).select_related("org_unit"))

    # 1 the units that prepare the bodies of the political goals, 1 the people in those units and
    # in the goals' own units
    with django_assert_num_queries(2):
        people = people_answering_for(goals)

    assert [goal.pk for goal in goals if sara in people[goal.pk]] == [goal.pk for goal in served_goals]


def test_an_administration_also_serving_the_executive_board_prepares_the_boards_business_not_the_councils(
    group, chain
):
    """Only the units directly under the executive board prepare the council's business; one that
    serves the board from under a committee prepares the board's, as for any body it serves."""
    administration = add_unit(Kind.ADMINISTRATION, "Samhällsbyggnadsförvaltningen", group.other_committee)
    administration.also_serves.add(group.board)
    sara = member_of(administration, "sara")
    board_goal = add_goal(Level.BODY, "Effektiv förvaltning", group.board, chain.strategic)
    goals = list(Goal.objects.filter(pk__in=[board_goal.pk, chain.strategic.pk]).select_related("org_unit"))

    assert bodies_prepared_by(sara) == {group.other_committee.path, group.board.path}
    people = people_answering_for(goals)
    assert (people[board_goal.pk], people[chain.strategic.pk]) == ([sara], [])
