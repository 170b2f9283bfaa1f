"""The bodies a real municipal group has besides its committees: a joint committee hosted for
several municipalities, and the auditors, who stand outside the steering chain (read everything,
drafts included, and write nothing). The cast's matrices (``tests/test_permissions.py``, the API's
``API_CASES``) try the auditor on every view and endpoint; these tests say what that means to them."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from goals.chain.levels import Level
from goals.chain.workflow import Status
from goals.follow_up.services import follow_up_save
from goals.models import Goal, ReportingPeriod
from orgunits.kinds import Kind
from orgunits.models import Membership, OrgUnit
from tests.kit.chain import add_goal
from tests.kit.clients import token_client
from tests.kit.organisation import add_unit
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


def create_unit(client, **data):
    return client.post(reverse("api:orgunit-list"), data, format="json")


# A joint committee ---------------------------------------------------------------------------


def test_a_joint_committee_names_the_municipalities_it_is_common_to(cast, group, english):
    admin = token_client(cast["admin"])
    response = create_unit(
        admin,
        name="Gemensamma överförmyndarnämnden",
        kind="joint_committee",
        parent=group.council.slug,
        partner_municipalities="Alvesta, Lessebo",
    )
    assert response.status_code == 201
    assert response.json()["partner_municipalities"] == "Alvesta, Lessebo"

    unnamed = create_unit(
        admin, name="Gemensamma IT-nämnden", kind="joint_committee", parent=group.council.slug
    )
    assert unnamed.status_code == 400
    assert unnamed.json()["errors"] == {
        "partner_municipalities": [
            "A joint committee is common to the host and at least one other municipality: name them."
        ]
    }
    not_joint = create_unit(
        admin,
        name="Kulturnämnden",
        kind="committee",
        parent=group.council.slug,
        partner_municipalities="Alvesta",
    )
    assert not_joint.status_code == 400
    assert not_joint.json()["errors"] == {
        "partner_municipalities": [
            "“Kulturnämnden” (committee) is not a joint committee: only a joint committee has partner municipalities."
        ]
    }
    assert not OrgUnit.objects.filter(name__in=["Gemensamma IT-nämnden", "Kulturnämnden"]).exists()


def test_the_joint_committees_page_says_whom_it_is_common_to(client, group):
    joint = add_unit(
        Kind.JOINT_COMMITTEE, "Gemensamma nämnden", group.council, partner_municipalities="Tingsryd"
    )
    html = client.get(joint.get_absolute_url()).content.decode()
    assert "Gemensam nämnd med" in html
    assert "Tingsryd" in html
    assert "Politiskt organ: beslutar" in html


def test_a_joint_committee_and_its_administration_take_their_place_in_the_chain(client, chain, group):
    joint = add_unit(
        Kind.JOINT_COMMITTEE, "Gemensamma nämnden", group.council, partner_municipalities="Tingsryd"
    )
    administration = add_unit(Kind.ADMINISTRATION, "Gemensamma förvaltningen", joint)
    body_goal = add_goal(Level.BODY, "Rättssäkra ställföreträdare", joint, chain.strategic)
    operational = add_goal(Level.OPERATIONAL, "Granska alla årsräkningar i tid", administration, body_goal)
    assert Goal.objects.get_parent(operational) == body_goal

    # Its politicians decide its goals; its administration prepares them.
    chair = member_of(joint, "hanna", role="politician", position="chair")
    manager = member_of(administration, "olof")
    assert chair.has_perm("goals.decide_goal", body_goal)
    assert not chair.has_perm("goals.decide_goal", chain.body)
    assert manager.has_perm("goals.edit_goal", body_goal)
    assert not manager.has_perm("goals.decide_goal", body_goal)


# The auditors ---------------------------------------------------------------------------------


@pytest.fixture
def drafts(chain, cast):
    """A draft goal and an unsent follow-up: work in progress."""
    draft = add_goal(Level.OPERATIONAL, "Utkast: läsfrämjande", chain.group.administration, chain.body)
    assert draft.status == Status.DRAFT
    interim = ReportingPeriod.objects.filter(period=chain.period).order_by("deadline").first()
    follow_up_save(
        goal=chain.operational,
        reporting_period=interim,
        by=cast["manager_inside"],
        attainment="partly",
        commentary="Arbetet pågår, ännu inte skickat.",
        version=None,
    )
    return draft, interim


def test_the_auditors_read_drafts_and_unsent_follow_ups(client, cast, chain, drafts):
    draft, interim = drafts
    client.force_login(cast["auditor"])
    assert "Utkast: läsfrämjande" in client.get(draft.get_absolute_url()).content.decode()
    follow_up = client.get(reverse("goals:follow-up", args=[chain.operational.pk, interim.pk]))
    assert "Arbetet pågår, ännu inte skickat." in follow_up.content.decode()
    listed = token_client(cast["auditor"]).get(reverse("api:goal-list"), {"status": "draft"}).json()
    assert [row["title"] for row in listed["results"]] == ["Utkast: läsfrämjande"]


def test_the_auditors_change_nothing(client, cast, chain, drafts):
    draft, _interim = drafts
    auditor = cast["auditor"]
    for permission, goal in [
        ("goals.edit_goal", draft),
        ("goals.submit_goal", draft),
        ("goals.decide_goal", chain.body),
        ("goals.report_follow_up", chain.operational),
    ]:
        assert not auditor.has_perm(permission, goal), permission
    client.force_login(auditor)
    response = client.post(
        reverse("goals:edit", args=[draft.pk]), {"title": "Ändrat", "parent": chain.body.pk}
    )
    assert response.status_code == 403
    assert Goal.objects.get(pk=draft.pk).title == "Utkast: läsfrämjande"


def test_no_goal_is_set_at_the_auditors_not_even_by_an_admin(client, cast, chain, group, english):
    staff = get_user_model().objects.create_user("sten", is_staff=True)
    assert not staff.has_perm("goals.add_goal_at_unit", group.auditors)
    assert staff.has_perm("goals.add_goal_at_unit", group.committee)
    response = token_client(cast["admin"]).post(
        reverse("api:goal-list"),
        {"unit": group.auditors.slug, "level": Level.BODY, "parent": chain.strategic.pk, "title": "Granska"},
        format="json",
    )
    assert response.status_code == 400
    assert "“Revisorerna” (auditors) cannot set a goal of level “Body goal”." in response.json()["detail"]
    assert not Goal.objects.filter(org_unit=group.auditors).exists()
    # Nor offered, not even to a superuser, who has every permission: the auditors are no place to
    # break the council's goal down at, nor to add one at.
    client.force_login(cast["admin"])
    form = client.get(reverse("goals:create"), {"parent": chain.strategic.pk}).context["form"]
    assert group.auditors not in form.fields["org_unit"].queryset
    assert client.get(reverse("goals:create"), {"unit": group.auditors.slug}).status_code == 404


def test_the_auditors_page_says_they_stand_outside_the_chain(client, cast, group, chain):
    client.force_login(cast["admin"])
    response = client.get(group.auditors.get_absolute_url())
    assert "Revisorer: granskar styrkedjan utifrån och sätter inga mål" in response.content.decode()
    assert "goals/_unit_goals.html" not in [template.name for template in response.templates]


@pytest.mark.parametrize("role", ["manager", "editor", "secretary"])
def test_no_one_at_the_auditors_holds_a_role_that_writes(cast, group, english, role):
    response = token_client(cast["admin"]).post(
        reverse("api:membership-list"),
        {"user": "lars", "org_unit": group.auditors.slug, "role": role},
        format="json",
    )
    message = (
        "“Revisorerna” review the steering chain and write nothing in it: their people are the elected "
        "auditors (politicians) and viewers."
    )
    assert response.status_code == 400
    assert response.json() == {"detail": message, "errors": {"non_field_errors": [message]}}
    assert not Membership.objects.filter(org_unit=group.auditors, role=role).exists()


def test_the_auditors_are_elected_with_positions(cast, group):
    response = token_client(cast["admin"]).post(
        reverse("api:membership-list"),
        {"user": "lars", "org_unit": group.auditors.slug, "role": "politician", "position": "member"},
        format="json",
    )
    assert response.status_code == 201
    assert Membership.objects.filter(org_unit=group.auditors, user=cast["editor"], position="member").exists()
