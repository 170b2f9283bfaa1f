"""Every steering-chain rule, allowed and refused, through the web form and through the admin."""

import pytest
from django.urls import reverse

from goals.chain.levels import Level
from goals.models import Goal, Period
from tests.kit.admin_forms import admin_form_errors, goal_admin_form
from tests.kit.people import member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# (level, unit, parent) with the rule's message in the admin, or None where the rules allow it.
# The web form offers only allowed parents, so there a refused parent is "not one of the choices".
CASES = {
    "vision-under-goal": (
        Level.VISION,
        "council",
        "strategic",
        "“Vision” of “Kommunfullmäktige” cannot break down “Strategic goal” of “Kommunfullmäktige”. "
        "“Vision” breaks down: “the top of the chain”.",
    ),
    "strategic-under-vision": (Level.STRATEGIC, "council", "vision", None),
    "strategic-at-committee": (
        Level.STRATEGIC,
        "committee",
        "vision",
        "“Utbildningsnämnden” (committee) cannot set a goal of level “Strategic goal”. That level is set by: “Council”.",
    ),
    "body-under-strategic": (Level.BODY, "board", "strategic", None),
    "body-under-parent-company": (Level.BODY, "subsidiary", "company_goal", None),
    "body-under-own-body": (
        Level.BODY,
        "committee",
        "body",
        "“Body goal” breaks down a goal of a unit above “Utbildningsnämnden”, not one of its own.",
    ),
    "body-sideways": (
        Level.BODY,
        "other_committee",
        "body",
        "“Omsorgsnämnden” does not stand under “Utbildningsnämnden”: a goal breaks down only goals of its own "
        "unit or of the units above it.",
    ),
    "operational-under-steering-body": (Level.OPERATIONAL, "department", "body", None),
    "operational-under-strategic": (
        Level.OPERATIONAL,
        "administration",
        "strategic",
        "“Operational goal” of “Utbildningsförvaltningen” cannot break down “Strategic goal” of "
        "“Kommunfullmäktige”. “Operational goal” breaks down: "
        "“Body goal”, “Operational goal”.",
    ),
    "operational-under-unit-above": (Level.OPERATIONAL, "school", "department_goal", None),
    "operational-under-own-unit": (
        Level.OPERATIONAL,
        "department",
        "department_goal",
        "“Operational goal” breaks down a goal of a unit above “Avdelning grundskola”, not one of its own.",
    ),
    "activity-under-own-unit": (Level.ACTIVITY, "department", "department_goal", None),
    "activity-under-body": (
        Level.ACTIVITY,
        "administration",
        "body",
        "“Activity” of “Utbildningsförvaltningen” cannot break down “Body goal” of “Utbildningsnämnden”. "
        "“Activity” breaks down: “Operational goal”.",
    ),
}


def post(client, url, level, unit, parent, **extra):
    data = {"title": "Nytt mål", "level": level, "org_unit": unit.pk, "parent": parent.pk, "description": ""}
    data.update(extra)
    return client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize("case", CASES)
def test_through_the_admin(admin_client, chain, group, case):
    level, unit_name, parent_name, message = CASES[case]
    unit, parent = getattr(group, unit_name), getattr(chain, parent_name)
    response = post(
        admin_client,
        reverse("admin:goals_goal_add"),
        level,
        unit,
        parent,
        period=chain.period.pk,
        treebeard_position="first-child",
        treebeard_ref_node=parent.pk,
    )
    created = Goal.objects.filter(title="Nytt mål").first()
    if message is None:
        assert response.status_code == 302
        assert Goal.objects.get_parent(created) == parent
    else:
        assert admin_form_errors(response) == [message]
        assert created is None


@pytest.mark.parametrize("case", CASES)
def test_through_the_web_form(client, chain, group, django_user_model, case):
    level, unit_name, parent_name, message = CASES[case]
    unit, parent = getattr(group, unit_name), getattr(chain, parent_name)
    client.force_login(member_of(group.council, "karin.lind"))
    response = post(client, f"{reverse('goals:create')}?unit={unit.slug}", level, unit, parent)
    created = Goal.objects.filter(title="Nytt mål").first()
    if message is None:
        assert response.status_code == 302
        assert (created.org_unit, Goal.objects.get_parent(created)) == (unit, parent)
    else:
        assert response.status_code == 200
        errors = response.context["form"].errors
        # Either the form never offered the choice, or it did (another level may take it) and the
        # rule says why not.
        not_offered = any("is not one of the available choices" in str(error) for error in errors.values())
        assert not_offered or errors.get("__all__") == [message], errors
        assert created is None


def test_a_second_vision_is_refused_through_the_admin(admin_client, chain, group):
    response = admin_client.post(
        reverse("admin:goals_goal_add"),
        goal_admin_form(
            title="En andra vision", level=Level.VISION, org_unit=group.council.pk, period=chain.period.pk
        ),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert admin_form_errors(response) == [
        f"“Kommunfullmäktige” already has a vision for {chain.period.year}: “Sjöstad – hållbart och nära”."
    ]
    next_year = Period.objects.create(year=chain.period.year + 1)
    response = admin_client.post(
        reverse("admin:goals_goal_add"),
        goal_admin_form(
            title="Vision nästa år", level=Level.VISION, org_unit=group.council.pk, period=next_year.pk
        ),
    )
    assert response.status_code == 302
