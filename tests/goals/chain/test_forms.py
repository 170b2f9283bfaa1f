"""Creating and editing goals on the web: only the parents the rules allow are offered or accepted."""

import pytest
from django.urls import reverse
from django.utils import translation

from goals.chain.levels import Level
from goals.models import Goal
from tests.kit.chain import add_goal, this_year_number

pytestmark = pytest.mark.django_db

CREATE_URL = reverse("goals:create")

# The activities' dates lie in the chain's year (its term of office), whatever year the suite runs in.
THIS_YEAR = this_year_number()


@pytest.fixture
def manager(group_manager):
    return group_manager


def test_signing_in_is_needed_to_add_a_goal(client, chain, group):
    response = client.get(CREATE_URL, {"unit": group.administration.slug})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_unit_is_offered_only_the_goals_its_goals_may_break_down(manager, chain, group):
    other_body = add_goal(Level.BODY, "Omsorgens mål", group.other_committee, chain.strategic)
    response = manager.get(CREATE_URL, {"unit": group.administration.slug})
    form = response.context["form"]
    # The body goal of the committee that steers the administration, and the administration's own
    # operational goal (for an activity); not the council's goals, not the committee beside it,
    # and nothing below.
    assert list(form.fields["parent"].queryset) == [chain.body, chain.operational]
    assert other_body not in form.fields["parent"].queryset
    assert [value for value, _label in form.fields["level"].choices] == ["operational", "activity"]


def test_a_school_is_offered_its_steering_bodys_goal_and_the_operational_goals_above_it(
    manager, chain, group
):
    response = manager.get(CREATE_URL, {"unit": group.school.slug})
    assert list(response.context["form"].fields["parent"].queryset) == [
        chain.body,
        chain.operational,
        chain.department_goal,
    ]


def test_adding_an_operational_goal_under_a_body_goal(manager, chain, group):
    response = manager.post(
        f"{CREATE_URL}?unit={group.administration.slug}",
        {
            "level": Level.OPERATIONAL,
            "parent": chain.body.pk,
            "title": "Fler behöriga lärare",
            "description": "",
        },
    )
    goal = Goal.objects.get(title="Fler behöriga lärare")
    assert response["Location"] == goal.get_absolute_url()
    assert (goal.org_unit, goal.period, Goal.objects.get_parent(goal)) == (
        group.administration,
        chain.period,
        chain.body,
    )


def test_a_parent_the_rules_refuse_is_not_accepted_even_when_posted(manager, chain, group):
    count = Goal.objects.count()
    response = manager.post(
        f"{CREATE_URL}?unit={group.administration.slug}",
        {"level": Level.OPERATIONAL, "parent": chain.strategic.pk, "title": "Genväg"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["parent"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert Goal.objects.count() == count


def test_a_level_and_parent_that_do_not_fit_together_are_refused_with_the_rule(manager, chain, group):
    with translation.override("en"):
        response = manager.post(
            f"{CREATE_URL}?unit={group.school.slug}",
            {
                "level": Level.OPERATIONAL,
                "parent": chain.department_goal.pk,
                "title": "Dubbelt",
                "progress": "10",
            },
        )
    assert response.context["form"].non_field_errors() == [
        "Only activities have a start date, a due date and progress."
    ]
    assert not Goal.objects.filter(title="Dubbelt").exists()


def test_breaking_down_a_goal_offers_its_part_of_the_organisation(manager, chain, group):
    response = manager.get(CREATE_URL, {"parent": chain.body.pk})
    form = response.context["form"]
    # Not the committee itself: a body goal breaks down a goal of a body above it, not its own.
    assert list(form.fields["org_unit"].queryset) == [group.administration, group.department, group.school]
    assert list(form.fields["parent"].queryset) == [chain.body]
    assert [value for value, _label in form.fields["level"].choices] == ["operational"]


def test_breaking_down_a_goal_at_a_unit_below(manager, chain, group):
    response = manager.post(
        f"{CREATE_URL}?parent={chain.department_goal.pk}",
        {
            "org_unit": group.school.pk,
            "level": Level.ACTIVITY,
            "parent": chain.department_goal.pk,
            "title": "Högläsning varje dag",
            "start_date": f"{THIS_YEAR}-01-10",
            "due_date": f"{THIS_YEAR}-06-10",
            "progress": "20",
        },
    )
    goal = Goal.objects.get(title="Högläsning varje dag")
    assert response["Location"] == goal.get_absolute_url()
    assert (goal.org_unit, goal.progress, Goal.objects.get_parent(goal)) == (
        group.school,
        20,
        chain.department_goal,
    )


def test_a_unit_the_rules_refuse_for_the_break_down_is_refused(manager, chain, group):
    with translation.override("en"):
        response = manager.post(
            f"{CREATE_URL}?parent={chain.body.pk}",
            {
                "org_unit": group.committee.pk,
                "level": Level.OPERATIONAL,
                "parent": chain.body.pk,
                "title": "Fel",
            },
        )
    # The committee is not offered (``break_down.places_to_break_down``); posted anyway, it is refused.
    assert response.context["form"].errors == {
        "org_unit": ["Select a valid choice. That choice is not one of the available choices."]
    }
    assert not Goal.objects.filter(title="Fel").exists()


def test_editing_a_goal_moves_it_under_another_allowed_parent(manager, draft_chain, group):
    chain = draft_chain
    second = add_goal(Level.OPERATIONAL, "Digitala lärresurser", group.administration, chain.body)
    response = manager.post(
        reverse("goals:edit", args=[chain.department_goal.pk]),
        {"parent": second.pk, "title": "Läsfrämjande i grundskolan", "description": "Ny text"},
    )
    assert response.status_code == 302
    chain.refresh()
    assert Goal.objects.get_parent(chain.department_goal) == second
    assert chain.department_goal.description == "Ny text"
    assert Goal.objects.get_parent(chain.activity) == chain.department_goal


def test_editing_offers_no_parent_below_the_goal_itself(manager, draft_chain):
    chain = draft_chain
    response = manager.get(reverse("goals:edit", args=[chain.operational.pk]))
    assert list(response.context["form"].fields["parent"].queryset) == [chain.body]


def test_a_page_to_add_a_goal_needs_a_unit_or_a_goal(manager, chain):
    response = manager.get(CREATE_URL)
    assert response.status_code == 400
    assert manager.get(CREATE_URL, {"unit": "finns-inte"}).status_code == 404
    assert manager.get(CREATE_URL, {"parent": "x"}).status_code == 404
