"""An administration that also serves a committee takes part in that committee's processes as it
does in those of the committee it stands under (``Process.covers``), and so do the units inside it;
a committee it does not serve, or no longer serves, lends it none."""

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.placement import process_problems
from goals.chain.workflow import Status
from goals.models import Goal
from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from processes.models import Process, ProcessKind
from tests.kit.chain import add_goal
from tests.kit.organisation import add_unit
from tests.kit.people import member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def served(group, chain):
    """Samhällsbyggnadsförvaltningen stands under Byggnadsnämnden and also serves Miljö- och
    hälsoskyddsnämnden, which owns the process "Miljötillsyn" and has a decided body goal."""
    building = add_unit(Kind.COMMITTEE, "Byggnadsnämnden", group.council)
    environment = add_unit(Kind.COMMITTEE, "Miljö- och hälsoskyddsnämnden", group.council)
    administration = add_unit(Kind.ADMINISTRATION, "Samhällsbyggnadsförvaltningen", building)
    administration.also_serves.add(environment)
    return {
        "environment": environment,
        "administration": administration,
        "department": add_unit(Kind.DEPARTMENT, "Miljöavdelningen", administration),
        "goal": add_goal(Level.BODY, "Renare luft", environment, chain.strategic, status=Status.APPROVED),
        "supervision": Process.objects.create(
            kind=ProcessKind.MAIN, name="Miljötillsyn", owning_unit=environment
        ),
        "care": Process.objects.create(
            kind=ProcessKind.MAIN, name="Omsorg", owning_unit=group.other_committee
        ),
    }


def fresh(unit: OrgUnit) -> OrgUnit:
    """The unit as a new request reads it: nothing it computed before is kept."""
    return OrgUnit.objects.get(pk=unit.pk)


def test_the_administration_and_the_units_inside_it_take_part_in_the_served_committees_process(served):
    supervision = served["supervision"]
    assert supervision.covers(fresh(served["administration"]))
    assert supervision.covers(fresh(served["department"]))


def test_a_served_committee_that_only_participates_lends_its_process_too(group, served):
    shared = Process.objects.create(kind=ProcessKind.SUPPORT, name="Tillstånd", owning_unit=group.board)
    shared.participants.set([served["environment"]])
    assert shared.covers(fresh(served["administration"]))


def test_a_committee_it_does_not_serve_lends_it_nothing(group, served):
    assert not served["care"].covers(fresh(served["administration"]))
    # Nor does a served committee lend its processes to the committee's other units.
    other_administration = add_unit(Kind.ADMINISTRATION, "Omsorgsförvaltningen", group.other_committee)
    assert not served["supervision"].covers(fresh(other_administration))


def test_a_dissolved_committee_or_administration_serves_and_lends_no_longer(served):
    OrgUnit.objects.filter(pk=served["environment"].pk).update(is_active=False)
    assert not served["supervision"].covers(fresh(served["administration"]))
    OrgUnit.objects.filter(pk=served["environment"].pk).update(is_active=True)
    OrgUnit.objects.filter(pk=served["administration"].pk).update(is_active=False)
    assert not served["supervision"].covers(fresh(served["department"]))


def create(client, unit, parent, processes):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    data = {
        "level": Level.OPERATIONAL,
        "parent": parent.pk,
        "title": "Nytt mål",
        "processes": [p.pk for p in processes],
    }
    return client.post(f"{reverse('goals:create')}?unit={unit.slug}", data)


def test_the_administrations_goal_serves_the_served_committees_process(client, served):
    client.force_login(member_of(served["administration"], "sara"))

    response = create(client, served["administration"], served["goal"], [served["supervision"]])

    assert response.status_code == 302
    assert list(Goal.objects.get(title="Nytt mål").processes.all()) == [served["supervision"]]


def test_a_process_of_a_committee_it_does_not_serve_is_refused_with_the_message(client, served):
    client.force_login(member_of(served["administration"], "sara"))

    response = create(client, served["administration"], served["goal"], [served["care"]])

    assert response.context["form"].errors["processes"] == [
        "“Samhällsbyggnadsförvaltningen” does not take part in “Omsorg”. Add the unit as a participant, "
        "or choose another process."
    ]
    assert not Goal.objects.filter(title="Nytt mål").exists()


@pytest.mark.parametrize("size", [1, 10])
def test_asking_many_processes_of_a_goal_costs_as_many_queries(served, size, django_assert_num_queries):
    for number in range(size):
        Process.objects.create(
            kind=ProcessKind.MAIN, name=f"Process {number}", owning_unit=served["environment"]
        )
    processes = list(Process.objects.select_related("owning_unit").prefetch_related("participants"))
    goal = Goal(level=Level.OPERATIONAL, title="Nytt mål", org_unit=fresh(served["administration"]))

    # 1 the administration's ancestors (its steering body), 1 the bodies it also serves: once,
    # however many processes are asked
    with django_assert_num_queries(2):
        problems = process_problems(goal, processes)

    assert problems == [
        "“Samhällsbyggnadsförvaltningen” does not take part in “Omsorg”. Add the unit as a participant, "
        "or choose another process."
    ]


def test_the_apis_unit_filter_lists_the_served_committees_process_and_no_other(api, group, served):
    response = api.get(reverse("api:process-list"), {"unit": served["department"].slug})

    assert response.status_code == 200, response.content
    assert [row["name"] for row in response.json()["results"]] == ["Miljötillsyn"]


def test_the_list_filter_and_the_one_process_rule_agree_for_every_unit(group, served):
    shared = Process.objects.create(kind=ProcessKind.SUPPORT, name="Tillstånd", owning_unit=group.board)
    shared.participants.set([served["environment"], group.school])
    for unit in OrgUnit.objects.all():
        listed = set(Process.objects.taken_part_in_by(fresh(unit)))
        assert listed == {process for process in Process.objects.all() if process.covers(fresh(unit))}, (
            unit.name
        )
