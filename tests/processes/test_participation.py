"""A goal's unit takes part in each process the goal serves; a strategic goal serves main processes."""

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from goals.models import Goal
from tests.kit.admin_forms import goal_admin_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

NOT_PART = (
    "“{unit}” does not take part in “{process}”. Add the unit as a participant, or choose another process."
)


@pytest.fixture
def manager(group_manager):
    return group_manager


def create(client, unit, parent, processes, **extra):
    data = {
        "level": Level.OPERATIONAL,
        "parent": parent.pk,
        "title": "Nytt mål",
        "processes": [p.pk for p in processes],
    }
    data.update(extra)
    return client.post(f"{reverse('goals:create')}?unit={unit.slug}", data)


def test_a_unit_under_a_participant_may_serve_the_process(manager, chain, group, processes):
    # The committee takes part, and the administration stands under it.
    response = create(manager, group.administration, chain.body, [processes.learning])
    assert response.status_code == 302
    assert list(Goal.objects.get(title="Nytt mål").processes.all()) == [processes.learning]


def test_the_owning_unit_takes_part_in_its_process(manager, chain, group, processes):
    processes.learning.participants.clear()
    assert create(manager, group.school, chain.department_goal, [processes.learning]).status_code == 302


def test_a_unit_outside_the_process_is_refused_with_the_offer_to_join(manager, chain, group, processes):
    response = create(manager, group.administration, chain.body, [processes.care])
    assert response.context["form"].errors["processes"] == [
        NOT_PART.format(unit="Utbildningsförvaltningen", process="Omsorg och stöd")
    ]
    assert "Add the unit as a participant in the chosen processes" in response.content.decode()
    assert not Goal.objects.filter(title="Nytt mål").exists()


def test_joining_adds_the_unit_as_a_participant(manager, chain, group, processes):
    response = create(manager, group.administration, chain.body, [processes.care], join_processes="on")
    assert response.status_code == 302
    assert list(Goal.objects.get(title="Nytt mål").processes.all()) == [processes.care]
    assert list(processes.care.participants.all()) == [group.administration]


def test_a_strategic_goal_serves_only_main_processes(admin, chain, group, processes):
    processes.hr.participants.set([group.council])
    strategic_goal = goal_admin_form(
        title="Trygg kommun",
        level=Level.STRATEGIC,
        org_unit=group.council.pk,
        period=chain.period.pk,
        treebeard_ref_node=chain.vision.pk,
    )
    response = admin.post(reverse("admin:goals_goal_add"), strategic_goal | {"processes": [processes.hr.pk]})
    assert response.context["adminform"].form.errors["processes"] == [
        "A strategic goal serves main processes; “HR” is a support process."
    ]
    response = admin.post(
        reverse("admin:goals_goal_add"), strategic_goal | {"processes": [processes.learning.pk]}
    )
    assert response.status_code == 302
    assert list(Goal.objects.get(title="Trygg kommun").processes.all()) == [processes.learning]


def test_the_admin_refuses_a_unit_outside_the_process(admin, draft_chain, group, processes):
    chain = draft_chain
    response = admin.post(
        reverse("admin:goals_goal_change", args=[chain.body.pk]),
        goal_admin_form(
            chain.body,
            org_unit=group.committee.pk,
            processes=[processes.care.pk],
            treebeard_ref_node=chain.strategic.pk,
        ),
    )
    assert response.context["adminform"].form.errors["processes"] == [
        NOT_PART.format(unit="Utbildningsnämnden", process="Omsorg och stöd")
    ]
    assert list(chain.body.processes.all()) == []
