"""Who may own a goal (``goals.chain.owners``): the goal forms offer those people, grouped by their
unit and searchable, and the services refuse anyone else, from the forms and the API alike; a goal
keeps the owner it has."""

import pytest
from django.urls import reverse
from django.utils import translation

from goals.chain.levels import Level
from goals.chain.owners import owner_choices
from goals.models import Goal, Revision
from orgunits.kinds import Kind
from tests.kit.clients import token_client
from tests.kit.organisation import add_unit
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """The requests in English leave English active in this thread; the tests after these read Swedish."""
    with translation.override(translation.get_language()):
        yield


@pytest.fixture
def people(cast, group):
    """Beyond the cast: a viewer of the administration and the school's principal."""
    return cast | {
        "viewer": member_of(group.administration, "vera", role="viewer"),
        "principal": member_of(group.school, "sara"),
    }


def offered(form) -> dict[str, list[str]]:
    """The owner select's options as a person reads them: by group, each person's label."""
    return {
        str(group): [str(label) for _value, label in options]
        for group, options in form.fields["owner"].choices
        if group != ""
    }


def english_client(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_an_operational_goal_is_owned_by_the_managers_and_editors_of_its_line(client, chain, group, people):
    page = english_client(client, people["manager_inside"]).get(
        reverse("goals:create"), {"unit": group.administration.slug}
    )
    # Not the politicians, the secretary, the viewer, the administrator without a role, nor the
    # manager of the care administration beside it.
    assert offered(page.context["form"]) == {
        "Utbildningsförvaltningen": ["karin (manager)"],
        "Avdelning grundskola": ["lars (editor)"],
        "Västra skolan": ["sara (manager)"],
    }
    assert 'data-searchable="true"' in page.content.decode()


def test_a_body_goal_is_owned_also_by_its_politicians_and_secretary(client, chain, group, people):
    form = (
        english_client(client, people["manager_inside"])
        .get(reverse("goals:edit", args=[chain.body.pk]))
        .context["form"]
    )
    assert offered(form) == {
        "Utbildningsnämnden": ["eva (politician)", "maria (secretary)"],
        "Utbildningsförvaltningen": ["karin (manager)"],
        "Avdelning grundskola": ["lars (editor)"],
        "Västra skolan": ["sara (manager)"],
    }


def refusal(person: str, unit: str) -> str:
    return (
        f"“{person}” cannot own a goal of “{unit}”. Its owner is a manager or an editor of “{unit}”, "
        "of a unit above it or of a unit below it."
    )


def test_the_form_refuses_an_owner_outside_the_goals_line(client, draft_chain, group, people):
    goal = draft_chain.department_goal
    response = english_client(client, people["manager_inside"]).post(
        reverse("goals:edit", args=[goal.pk]),
        {"parent": draft_chain.operational.pk, "title": goal.title, "owner": people["manager_outside"].pk},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["owner"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert Goal.objects.get(pk=goal.pk).owner is None


def test_breaking_down_offers_the_parts_people_and_refuses_one_outside_the_unit_chosen(
    client, chain, group, people
):
    sibling = add_unit(Kind.DEPARTMENT, "Avdelning förskola", group.administration)
    head = member_of(sibling, "frida")
    client = english_client(client, people["manager_inside"])
    form = client.get(reverse("goals:create"), {"parent": chain.operational.pk}).context["form"]
    assert "Avdelning förskola" in offered(form)
    response = client.post(
        f"{reverse('goals:create')}?parent={chain.operational.pk}",
        {
            "org_unit": group.department.pk,
            "level": Level.OPERATIONAL,
            "parent": chain.operational.pk,
            "title": "Läsande förebilder",
            "owner": head.pk,
        },
    )
    assert response.context["form"].errors == {"owner": [refusal("frida", "Avdelning grundskola")]}
    assert not Goal.objects.filter(title="Läsande förebilder").exists()


def test_the_api_refuses_an_owner_outside_the_goals_line(chain, group, people):
    api = token_client(people["manager_inside"])
    response = api.post(
        reverse("api:goal-list"),
        {
            "unit": group.department.slug,
            "level": Level.OPERATIONAL,
            "parent": chain.operational.pk,
            "title": "Läsande förebilder",
            "owner": "per",
        },
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"owner": [refusal("per", "Avdelning grundskola")]}
    assert not Goal.objects.filter(title="Läsande förebilder").exists()
    response = api.post(
        reverse("api:goal-list"),
        {
            "unit": group.department.slug,
            "level": Level.OPERATIONAL,
            "parent": chain.operational.pk,
            "title": "Läsande förebilder",
            "owner": "sara",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Goal.objects.get(title="Läsande förebilder").owner == people["principal"]


def test_a_change_to_an_approved_goal_refuses_an_owner_outside_its_line(client, chain, people):
    goal = chain.operational
    response = english_client(client, people["manager_inside"]).post(
        reverse("goals:edit", args=[goal.pk]), {"title": goal.title, "owner": people["manager_outside"].pk}
    )
    assert response.context["form"].errors["owner"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert not Revision.objects.exists()


def test_a_goal_keeps_the_owner_it_has_though_they_have_moved_on(client, draft_chain, people):
    goal = draft_chain.department_goal
    Goal.objects.filter(pk=goal.pk).update(owner=people["manager_outside"])
    client = english_client(client, people["manager_inside"])
    form = client.get(reverse("goals:edit", args=[goal.pk])).context["form"]
    assert offered(form)["The goal's owner now"] == ["per"]
    response = client.post(
        reverse("goals:edit", args=[goal.pk]),
        {
            "parent": draft_chain.operational.pk,
            "title": "Läsfrämjande i alla grundskolor",
            "owner": people["manager_outside"].pk,
        },
    )
    assert response.status_code == 302
    goal.refresh_from_db()
    assert (goal.title, goal.owner) == ("Läsfrämjande i alla grundskolor", people["manager_outside"])


@pytest.mark.parametrize("size", [1, 25])
def test_the_owners_are_read_in_the_same_queries_however_many_there_are(
    group, size, django_assert_num_queries
):
    for number in range(size):
        member_of(add_unit(Kind.UNIT, f"Skola {number}", group.department), f"rektor{number}")
    # 1: the bodies the committee's administrations also serve, 2: their people with their units.
    with django_assert_num_queries(2):
        choices = owner_choices(group.committee, political=True)
    assert len(choices) == size
