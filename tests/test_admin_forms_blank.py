"""The admin's tree forms answer a missing or unknown kind or level with the field's error, never a 500."""

import pytest
from django.urls import reverse

from goals.models import Goal
from orgunits.models import OrgUnit
from tests.kit.admin_forms import goal_admin_form, unit_admin_form
from tests.kit.clients import token_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize("kind", ["", "parliament"])
def test_adding_a_unit_without_a_valid_kind_shows_the_kind_error_and_creates_nothing(admin, group, kind):
    count = OrgUnit.objects.count()
    response = admin.post(
        reverse("admin:orgunits_orgunit_add"),
        unit_admin_form(name="Ny enhet", kind=kind, treebeard_ref_node=group.administration.pk),
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["kind"]
    assert OrgUnit.objects.count() == count


def test_a_unit_without_a_kind_but_with_partners_and_bodies_served_shows_the_kind_error(admin, group):
    count = OrgUnit.objects.count()
    response = admin.post(
        reverse("admin:orgunits_orgunit_add"),
        unit_admin_form(
            name="Ny nämnd",
            kind="",
            partner_municipalities="Grannby",
            also_serves=[group.committee.pk],
            treebeard_ref_node=group.council.pk,
        ),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["kind"] == ["This field is required."]
    assert OrgUnit.objects.count() == count


@pytest.mark.parametrize("level", ["", "vision_statement"])
def test_adding_a_goal_without_a_valid_level_shows_the_level_error_and_creates_nothing(admin, chain, level):
    count = Goal.objects.count()
    response = admin.post(
        reverse("admin:goals_goal_add"),
        goal_admin_form(
            chain.strategic, title="Ny målsättning", level=level, treebeard_ref_node=chain.strategic.pk
        ),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["level"]
    assert Goal.objects.count() == count


@pytest.mark.parametrize("kind", ["", "parliament"])
def test_the_api_answers_a_unit_without_a_valid_kind_with_a_400_naming_the_field(cast, group, kind):
    count = OrgUnit.objects.count()
    response = token_client(cast["admin"]).post(
        reverse("api:orgunit-list"),
        {
            "parent": group.administration.slug,
            "name": "Ny enhet",
            "kind": kind,
            "partner_municipalities": "Grannby",
            "also_serves": [group.committee.slug],
        },
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "kind" in response.content.decode()
    assert OrgUnit.objects.count() == count


@pytest.mark.parametrize("level", ["", "vision_statement"])
def test_the_portals_goal_form_without_a_valid_level_shows_the_level_error(
    group_manager, chain, group, level
):
    count = Goal.objects.count()
    response = group_manager.post(
        f"{reverse('goals:create')}?unit={group.administration.slug}",
        {"level": level, "parent": chain.body.pk, "title": "Fler behöriga lärare", "description": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["level"]
    assert Goal.objects.count() == count
