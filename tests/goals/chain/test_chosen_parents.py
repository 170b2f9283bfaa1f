"""A unit breaks down what has been decided: a goal that is a draft, waits for its decision or was
sent back is neither offered as a parent nor accepted as one, on the portal's form, in the admin and
through the API alike (``placement.chosen_parent_problem``), except where one decision approves
both (the same body or unit decides them). A goal kept where it stands is not asked again."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.services import goal_save
from goals.chain.workflow import Status
from goals.models import Goal
from tests.kit.admin_forms import admin_form_errors, drag_under, goal_admin_form
from tests.kit.chain import add_goal
from tests.kit.clients import token_client
from tests.kit.people import member_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

# What the portal shows a Swedish reader, and the API and the admin say in English.
NOT_DECIDED_SV = (
    "”{title}” är inte beslutat ({status}). Ett mål bryter ned ett beslutat mål, eller ett mål som samma "
    "nämnd eller enhet beslutar tillsammans med det."
)
NOT_DECIDED = (
    "“{title}” is not decided ({status}). A goal breaks down a decided goal, or a goal that the same "
    "body or unit decides together with it."
)


@pytest.fixture
def undecided(chain, group):
    """Beside the decided chain: a draft body goal of the committee, one it sent back, and a draft
    operational goal of the administration."""
    draft = add_goal(Level.BODY, "Utkast till nämndmål", group.committee, chain.strategic)
    returned = add_goal(Level.BODY, "Återsänt nämndmål", group.committee, chain.strategic)
    Goal.objects.filter(pk=returned.pk).update(status=Status.RETURNED, return_comment="Förtydliga")
    operational = add_goal(Level.OPERATIONAL, "Utkast till verksamhetsmål", group.administration, chain.body)
    for goal in (draft, returned, operational):
        goal.refresh_from_db()
    return draft, returned, operational


@pytest.fixture
def karin(client, group):
    """The administration's manager, signed in on the portal."""
    user = member_of(group.administration, "karin")
    client.force_login(user)
    return user


def parents_offered(client, **place) -> list[Goal]:
    return list(client.get(reverse("goals:create"), place).context["form"].fields["parent"].queryset)


def test_the_form_offers_decided_goals_not_the_drafts_of_another_body(client, karin, chain, group, undecided):
    own_draft = undecided[2]
    # The committee's decided goal and the administration's own decided operational goal (for an
    # activity); not the committee's draft nor the goal it sent back. The administration's own draft
    # is offered for activities: the administration decides both together.
    assert parents_offered(client, unit=group.administration.slug) == [
        chain.body,
        chain.operational,
        own_draft,
    ]


def test_a_goal_not_decided_says_so_in_the_list_of_parents(client, karin, group, undecided):
    own_draft = undecided[2]
    page = client.get(reverse("goals:create"), {"unit": group.school.slug}).content.decode()
    assert (
        f'<option value="{own_draft.pk}">'
        "Verksamhetsmål: Utkast till verksamhetsmål (Utbildningsförvaltningen) – utkast, inte beslutat ännu"
        "</option>"
    ) in page


def test_the_portal_refuses_breaking_down_a_draft_of_another_body_and_says_why(
    client, karin, group, undecided
):
    draft = undecided[0]
    response = client.post(
        f"{reverse('goals:create')}?parent={draft.pk}",
        {
            "org_unit": group.administration.pk,
            "level": Level.OPERATIONAL,
            "parent": draft.pk,
            "title": "Nytt mål",
        },
    )
    # Nowhere to break it down: the page says why instead of offering a form that refuses.
    assert response.status_code == 400
    message = NOT_DECIDED_SV.format(title="Utkast till nämndmål", status="utkast")
    assert message in response.content.decode()
    assert not Goal.objects.filter(title="Nytt mål").exists()


def test_the_portal_refuses_a_goal_sent_back_posted_as_parent(client, karin, group, undecided):
    returned = undecided[1]
    response = client.post(
        f"{reverse('goals:create')}?unit={group.administration.slug}",
        {"level": Level.OPERATIONAL, "parent": returned.pk, "title": "Nytt mål"},
    )
    assert response.context["form"].errors["parent"] == [
        "Välj ett giltigt alternativ. Det valet finns inte bland tillgängliga alternativ."
    ]
    assert not Goal.objects.filter(title="Nytt mål").exists()


def test_an_activity_breaks_down_a_draft_that_the_same_administration_decides(
    client, karin, group, undecided
):
    own_draft = undecided[2]
    response = client.post(
        f"{reverse('goals:create')}?unit={group.school.slug}",
        {"level": Level.ACTIVITY, "parent": own_draft.pk, "title": "Ny aktivitet"},
    )
    assert response.status_code == 302
    assert Goal.objects.get_parent(Goal.objects.get(title="Ny aktivitet")) == own_draft


def test_a_draft_kept_under_its_undecided_parent_is_still_edited(client, karin, draft_chain):
    # The draft chain's goals stand under drafts (placed as a whole plan): editing one is no dead end.
    response = client.post(
        reverse("goals:edit", args=[draft_chain.operational.pk]),
        {"title": "Tidiga insatser i läsning och räkning", "parent": draft_chain.body.pk},
    )
    assert response.status_code == 302
    assert Goal.objects.get(pk=draft_chain.operational.pk).title == "Tidiga insatser i läsning och räkning"


def test_moving_a_goal_under_a_draft_of_another_body_is_refused(chain, undecided):
    draft, _returned, own_draft = undecided
    with pytest.raises(ValidationError) as refusal:
        goal_save(goal=Goal.objects.get(pk=own_draft.pk), parent=draft)
    assert refusal.value.messages == [NOT_DECIDED.format(title="Utkast till nämndmål", status="draft")]
    assert Goal.objects.get_parent(Goal.objects.get(pk=own_draft.pk)) == chain.body


def test_the_api_refuses_an_undecided_parent_with_400_and_why(group, undecided):
    returned = undecided[1]
    client = token_client(member_of(group.administration, "karin"))
    response = client.post(
        reverse("api:goal-list"),
        {
            "unit": group.administration.slug,
            "level": Level.OPERATIONAL,
            "parent": returned.pk,
            "title": "Nytt mål",
        },
        format="json",
    )
    assert response.status_code == 400
    message = NOT_DECIDED.format(title="Återsänt nämndmål", status="sent back")
    # Where the other chain rules' refusals go: about the place, not one field.
    assert response.json() == {"detail": message, "errors": {"non_field_errors": [message]}}
    assert not Goal.objects.filter(title="Nytt mål").exists()


def test_the_api_accepts_a_decided_parent(group, chain, undecided):
    client = token_client(member_of(group.administration, "karin"))
    response = client.post(
        reverse("api:goal-list"),
        {
            "unit": group.administration.slug,
            "level": Level.OPERATIONAL,
            "parent": chain.body.pk,
            "title": "Nytt mål",
        },
        format="json",
    )
    assert response.status_code == 201
    assert Goal.objects.get_parent(Goal.objects.get(title="Nytt mål")) == chain.body


def test_the_admin_refuses_an_undecided_parent(admin, chain, group, undecided):
    draft = undecided[0]
    new = goal_admin_form(
        title="Nytt mål",
        level=Level.OPERATIONAL,
        org_unit=group.administration.pk,
        period=chain.period.pk,
        treebeard_ref_node=draft.pk,
    )
    response = admin.post(reverse("admin:goals_goal_add"), new)
    assert admin_form_errors(response) == [NOT_DECIDED.format(title="Utkast till nämndmål", status="draft")]
    assert not Goal.objects.filter(title="Nytt mål").exists()


def test_the_admin_refuses_dragging_a_goal_under_an_undecided_one(admin, chain, undecided):
    draft, _returned, own_draft = undecided
    response = drag_under(admin, own_draft, draft)
    assert response.status_code == 400
    assert response.content.decode() == NOT_DECIDED.format(title="Utkast till nämndmål", status="draft")
    assert Goal.objects.get_parent(Goal.objects.get(pk=own_draft.pk)) == chain.body


def test_the_api_refuses_moving_a_goal_under_an_undecided_parent(group, chain, undecided):
    draft, _returned, own_draft = undecided
    client = token_client(member_of(group.administration, "karin"))
    response = client.patch(
        reverse("api:goal-detail", args=[own_draft.pk]), {"parent": draft.pk}, format="json"
    )
    message = NOT_DECIDED.format(title="Utkast till nämndmål", status="draft")
    assert (response.status_code, response.json()) == (
        400,
        {"detail": message, "errors": {"non_field_errors": [message]}},
    )
    assert Goal.objects.get_parent(Goal.objects.get(pk=own_draft.pk)) == chain.body
