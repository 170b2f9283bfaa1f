"""The admin keeps the steering-chain rules and shows each goal's chain."""

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from goals.models import Goal
from tests.kit.admin_forms import admin_form_errors, drag_under, goal_admin_form

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

ADD_URL = reverse("admin:goals_goal_add")


def add_administration_goal(admin, chain, title: str, *, parent):
    """Add an operational goal of the administration under ``parent`` through the admin."""
    form = goal_admin_form(
        title=title,
        level=Level.OPERATIONAL,
        org_unit=chain.group.administration.pk,
        period=chain.period.pk,
        treebeard_ref_node=parent.pk,
    )
    return admin.post(ADD_URL, form)


def test_adding_a_goal_the_rules_allow(admin, chain):
    response = add_administration_goal(admin, chain, "Fler behöriga lärare", parent=chain.body)
    assert response.status_code == 302
    goal = Goal.objects.get(title="Fler behöriga lärare")
    assert Goal.objects.get_parent(goal) == chain.body


def test_adding_a_goal_the_rules_refuse_shows_the_rule_and_saves_nothing(admin, chain):
    count = Goal.objects.count()
    response = add_administration_goal(admin, chain, "Genväg", parent=chain.strategic)
    assert response.status_code == 200
    assert admin_form_errors(response) == [
        "“Operational goal” of “Utbildningsförvaltningen” cannot break down “Strategic goal” of "
        "“Kommunfullmäktige”. “Operational goal” breaks down: "
        "“Body goal”, “Operational goal”."
    ]
    assert Goal.objects.count() == count


def test_editing_a_goal_sideways_is_refused(admin, chain, group):
    url = reverse("admin:goals_goal_change", args=[chain.body.pk])
    response = admin.post(
        url,
        goal_admin_form(chain.body, org_unit=group.other_committee.pk, treebeard_ref_node=chain.strategic.pk),
    )
    assert admin_form_errors(response) == [
        "Below it, “Tidiga insatser i läsning”: “Utbildningsförvaltningen” does not stand under “Omsorgsnämnden”: "
        "a goal breaks down only goals of its own unit or of the units above it."
    ]
    chain.body.refresh_from_db()
    assert chain.body.org_unit == group.committee


def test_drag_and_drop_where_the_rules_refuse_is_a_clear_message(admin, chain):
    response = drag_under(admin, chain.activity, chain.body)
    assert response.status_code == 400
    assert response.content.decode() == (
        "“Activity” of “Västra skolan” cannot break down “Body goal” of “Utbildningsnämnden”. "
        "“Activity” breaks down: “Operational goal”."
    )
    chain.refresh()
    assert Goal.objects.get_parent(chain.activity) == chain.department_goal


def test_the_change_page_shows_the_chain_up_to_the_vision(admin, chain):
    response = admin.get(reverse("admin:goals_goal_change", args=[chain.operational.pk]))
    assert (
        "Sjöstad – hållbart och nära (Kommunfullmäktige) → Alla barn lyckas i skolan (Kommunfullmäktige) → "
        "Fler elever klarar kunskapskraven (Utbildningsnämnden) → Tidiga insatser i läsning (Utbildningsförvaltningen)"
    ) in response.content.decode()


def test_a_goal_with_goals_under_it_cannot_be_deleted(admin, chain):
    response = admin.post(reverse("admin:goals_goal_delete", args=[chain.body.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert Goal.objects.filter(pk=chain.activity.pk).exists()
