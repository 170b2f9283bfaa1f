"""A unit's people and roles: its managers (and admins) add and remove them in the web UI."""

import html
import re

import pytest
from django.urls import reverse

from orgunits.kinds import Kind
from orgunits.models import Membership
from tests.kit.organisation import add_unit
from tests.kit.people import member_of

pytestmark = pytest.mark.django_db


def members_url(unit):
    return reverse("orgunits:members", args=[unit.slug])


@pytest.fixture
def newcomer(django_user_model):
    return django_user_model.objects.create_user("ny", password="x", first_name="Nora", last_name="Ny")


def test_a_manager_adds_a_person_to_a_unit_in_their_subtree(client, group, newcomer):
    client.force_login(member_of(group.administration, "karin"))
    response = client.post(
        members_url(group.department), {"user": newcomer.pk, "role": "editor"}, follow=True
    )
    assert [(m.user, m.role) for m in group.department.memberships.all()] == [(newcomer, "editor")]
    assert "Nora Ny lades till." in response.content.decode()


def test_a_manager_removes_a_role(client, group, newcomer):
    membership = Membership.objects.create(user=newcomer, org_unit=group.school, role="viewer")
    client.force_login(member_of(group.administration, "karin"))
    client.post(members_url(group.school), {"remove": membership.pk})
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_a_role_is_given_only_once(client, group, newcomer):
    Membership.objects.create(user=newcomer, org_unit=group.department, role="editor")
    client.force_login(member_of(group.administration, "karin"))
    response = client.post(members_url(group.department), {"user": newcomer.pk, "role": "editor"})
    assert response.context["form"].non_field_errors() == ["Nora Ny har redan den rollen här."]
    assert group.department.memberships.count() == 1


def test_politicians_belong_to_a_political_body(client, group, newcomer):
    client.force_login(member_of(group.administration, "karin"))
    response = client.post(
        members_url(group.department), {"user": newcomer.pk, "role": "politician", "position": "member"}
    )
    assert response.context["form"].non_field_errors() == [
        "”Avdelning grundskola” är inget politiskt organ: förtroendevalda och sekreterare hör till ett sådant."
    ]


@pytest.mark.parametrize(
    ("role", "unit_name", "allowed"),
    [
        ("manager", "administration", True),
        ("editor", "administration", False),
        ("politician", "committee", False),
        ("secretary", "committee", False),
        ("viewer", "administration", False),
    ],
)
def test_only_managers_of_the_subtree_and_admins_manage_people(client, group, role, unit_name, allowed):
    position = "chair" if role == "politician" else ""
    client.force_login(member_of(getattr(group, unit_name), "someone", role=role, position=position))
    status = client.get(members_url(group.department)).status_code
    assert status == (200 if allowed else 403)


def test_a_manager_outside_the_subtree_is_refused_and_changes_nothing(client, group, newcomer):
    care = add_unit(Kind.ADMINISTRATION, "Omsorgsförvaltningen", group.other_committee)
    membership = Membership.objects.create(user=newcomer, org_unit=group.department, role="viewer")
    client.force_login(member_of(care, "per"))
    assert client.post(members_url(group.department), {"remove": membership.pk}).status_code == 403
    assert client.post(members_url(care), {"remove": membership.pk}).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_admins_manage_people_anywhere_and_visitors_are_asked_to_sign_in(client, admin_client, group):
    assert admin_client.get(members_url(group.committee)).status_code == 200
    assert client.get(members_url(group.committee))["Location"].startswith(reverse("login"))


def test_the_unit_page_offers_the_people_page_only_to_those_who_may_use_it(client, group):
    assert "Personer och roller" not in client.get(group.department.get_absolute_url()).content.decode()
    client.force_login(member_of(group.administration, "karin"))
    assert "Personer och roller" in client.get(group.department.get_absolute_url()).content.decode()


def shown_roles(response) -> list[tuple[str, str]]:
    """The people table as read: each person and their role, from top to bottom."""
    rows = re.findall(r'<th scope="row">([^<]*)</th>\s*<td>([^<]*)</td>', response.content.decode())
    return [(person, html.unescape(role)) for person, role in rows]


def test_a_bodys_politicians_are_listed_by_position_in_swedish(admin_client, group):
    for username, position in [
        ("dag", "deputy"),
        ("mona", "member"),
        ("sara", "second_vice_chair"),
        ("fia", "first_vice_chair"),
        ("cilla", "chair"),
    ]:
        member_of(group.committee, username, role="politician", position=position)
    member_of(group.committee, "maria", role="secretary")
    assert shown_roles(admin_client.get(members_url(group.committee))) == [
        ("cilla", "Förtroendevald (ordförande)"),
        ("fia", "Förtroendevald (1:e vice ordförande)"),
        ("sara", "Förtroendevald (2:e vice ordförande)"),
        ("mona", "Förtroendevald (ledamot)"),
        ("dag", "Förtroendevald (ersättare)"),
        ("maria", "Nämndsekreterare"),
    ]


@pytest.mark.parametrize("position", ["first_vice_chair", "second_vice_chair"])
def test_a_vice_chair_is_added_through_the_form(admin_client, group, newcomer, position):
    response = admin_client.post(
        members_url(group.committee), {"user": newcomer.pk, "role": "politician", "position": position}
    )
    assert response.status_code == 302
    assert [(m.user, m.role, m.position) for m in group.committee.memberships.all()] == [
        (newcomer, "politician", position)
    ]


def test_a_politician_without_a_position_is_told_the_five_positions(admin_client, group, newcomer):
    response = admin_client.post(members_url(group.committee), {"user": newcomer.pk, "role": "politician"})
    assert response.context["form"].non_field_errors() == [
        "En förtroendevald har ett uppdrag: ordförande, 1:e eller 2:e vice ordförande, ledamot eller ersättare."
    ]


@pytest.mark.parametrize("size", [2, 20])
def test_the_people_page_takes_a_fixed_number_of_queries(client, group, django_assert_num_queries, size):
    positions = ["chair", "first_vice_chair", "second_vice_chair", "member", "deputy"]
    for number in range(size):
        member_of(group.committee, f"politiker{number}", role="politician", position=positions[number % 5])
    client.force_login(member_of(group.council, "karin.lind"))
    # 1. the session, 2. the user, 3. the unit, 4. the user's memberships (for the rule), 5. the
    # header's to-do count, 6. the unit's people in list order with their users, 7. the form's users
    with django_assert_num_queries(7):
        response = client.get(members_url(group.committee))
    assert len(shown_roles(response)) == size
