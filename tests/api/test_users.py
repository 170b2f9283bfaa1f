"""The users' endpoint: staff list, add, change and deactivate users; no password ever passes."""

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from orgunits.models import Membership, Role
from signin.identities import user_from_claims
from signin.models import OidcIdentity
from tests.kit.api_matrix import ADMIN, ApiCase, ApiMatrix
from tests.kit.clients import token_client
from tests.kit.organisation import Group
from tests.kit.people import build_cast
from tests.kit.worlds import Scene

pytestmark = pytest.mark.django_db

User = get_user_model()
ISSUER = "https://login.example.se/tenant/v2.0"


@dataclass
class UsersWorld:
    group: Group
    someone: object  # an ordinary user, with a membership


def users_world(group, cast) -> UsersWorld:
    someone = User.objects.create_user("sofia", email="sofia@example.se", first_name="Sofia")
    Membership.objects.create(user=someone, org_unit=group.school, role=Role.EDITOR)
    return UsersWorld(group, someone)


def user_url(user, action="detail"):
    return reverse(f"api:user-{action}", args=[user.username])


def fresh(user):
    return User.objects.get(pk=user.pk)


API_CASES = [
    ApiCase("user-list", "get", ADMIN, lambda w: reverse("api:user-list")),
    ApiCase("user-detail", "get", ADMIN, lambda w: user_url(w.someone)),
    ApiCase(
        "user-list",
        "post",
        ADMIN,
        lambda w: reverse("api:user-list"),
        lambda w: {"username": "ny.person", "first_name": "Ny"},
        lambda w: User.objects.filter(username="ny.person").exists(),
    ),
    ApiCase(
        "user-detail",
        "put",
        ADMIN,
        lambda w: user_url(w.someone),
        lambda w: {"first_name": "Sofie", "last_name": "Ek", "email": "sofie@example.se"},
        lambda w: fresh(w.someone).first_name == "Sofie",
    ),
    ApiCase(
        "user-detail",
        "patch",
        ADMIN,
        lambda w: user_url(w.someone),
        lambda w: {"last_name": "Ek"},
        lambda w: fresh(w.someone).last_name == "Ek",
    ),
    ApiCase(
        "user-deactivate",
        "post",
        ADMIN,
        lambda w: user_url(w.someone, "deactivate"),
        happened=lambda w: not fresh(w.someone).is_active,
    ),
]


class TestTheCastOnEveryEndpoint(ApiMatrix):
    cases = API_CASES

    def build(self) -> Scene:
        group = Group()
        cast = build_cast(group)
        return Scene(cast, users_world(group, cast))


@pytest.fixture
def world(group, cast) -> UsersWorld:
    return users_world(group, cast)


@pytest.fixture
def staff_client(cast):
    return token_client(cast["admin"])


@pytest.fixture
def plain_staff(db):
    """Staff who is not a superuser: manages users, but not who is staff."""
    return User.objects.create_user("staffan", is_staff=True)


def test_a_user_reads_as_their_names_and_how_they_sign_in(staff_client, world):
    OidcIdentity.objects.create(user=world.someone, issuer=ISSUER, subject="abc-123")
    body = staff_client.get(user_url(world.someone)).json()
    body.pop("date_joined")
    assert body == {
        "id": world.someone.pk,
        "username": "sofia",
        "first_name": "Sofia",
        "last_name": "",
        "email": "sofia@example.se",
        "is_active": True,
        "is_staff": False,
        "subject": "abc-123",
        "issuer": ISSUER,
        "last_sign_in": None,
    }


def test_the_list_filters_by_words_and_by_active(staff_client, world):
    User.objects.create_user("sven.gone", first_name="Sven", is_active=False)

    def usernames(**query):
        response = staff_client.get(reverse("api:user-list"), query)
        assert response.status_code == 200, response.content
        return [row["username"] for row in response.json()["results"]]

    assert usernames(search="SOFIA example") == ["sofia"]
    assert usernames(active="false") == ["sven.gone"]
    assert "sven.gone" not in usernames(active="true")
    assert "sofia" in usernames(active="true")


@pytest.mark.parametrize("size", [1, 20])
def test_the_list_costs_the_same_queries_at_any_size(cast, world, size, django_assert_num_queries):
    for number in range(size):
        user = User.objects.create_user(f"person{number}")
        OidcIdentity.objects.create(user=user, issuer=ISSUER, subject=f"s{number}")
    client = APIClient()
    client.force_authenticate(cast["admin"])
    # 1. the count, 2. the page, each user with their single sign-on identity
    with django_assert_num_queries(2):
        response = client.get(reverse("api:user-list"), {"page_size": 100})
    assert response.json()["count"] == User.objects.count()


def test_a_user_made_through_the_api_has_no_password_that_works(staff_client, world):
    response = staff_client.post(
        reverse("api:user-list"),
        {"username": "ny.person", "email": "ny@example.se", "password": "hemligt123"},
        format="json",
    )
    assert response.status_code == 201, response.content
    made = User.objects.get(username="ny.person")
    assert not made.has_usable_password()
    assert (made.email, made.is_staff, made.is_active) == ("ny@example.se", False, True)
    assert response.json()["subject"] is None


def test_no_password_field_in_the_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for name in ("User", "NewUserRequest", "UserRequest", "PatchedUserRequest"):
        assert "password" not in schema["components"]["schemas"][name]["properties"]


def test_a_single_sign_on_user_made_ahead_is_the_one_their_first_sign_in_finds(settings, staff_client, world):
    settings.OIDC_ISSUER = ISSUER
    response = staff_client.post(
        reverse("api:user-list"), {"username": "nils.holm", "subject": "00u-nils"}, format="json"
    )
    assert response.status_code == 201, response.content
    assert (response.json()["subject"], response.json()["issuer"]) == ("00u-nils", ISSUER)
    made = User.objects.get(username="nils.holm")

    # A membership names them before they ever sign in.
    response = staff_client.post(
        reverse("api:membership-list"),
        {"user": "nils.holm", "org_unit": world.group.school.slug, "role": Role.MANAGER},
        format="json",
    )
    assert response.status_code == 201, response.content

    signed_in = user_from_claims(
        issuer=ISSUER, claims={"sub": "00u-nils", "given_name": "Nils", "email": "nils@example.se"}
    )
    assert signed_in == made
    assert list(Membership.objects.filter(user=signed_in).values_list("org_unit", flat=True)) == [
        world.group.school.pk
    ]


def test_a_subject_id_names_one_user(staff_client, world):
    OidcIdentity.objects.create(user=world.someone, issuer=ISSUER, subject="abc-123")
    response = staff_client.post(
        reverse("api:user-list"), {"username": "annan", "subject": "abc-123", "issuer": ISSUER}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"subject": ["This subject id already belongs to sofia."]}
    assert not User.objects.filter(username="annan").exists()


def test_a_subject_id_needs_an_issuer_when_none_is_set_up(settings, staff_client, world):
    settings.OIDC_ISSUER = ""
    response = staff_client.post(
        reverse("api:user-list"), {"username": "annan", "subject": "x"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "issuer": ["Name the issuer: single sign-on has no issuer set up here."]
    }


def test_a_taken_user_name_is_refused(staff_client, world):
    response = staff_client.post(reverse("api:user-list"), {"username": "sofia"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"username": ["A user with that username already exists."]}


def test_only_a_superuser_decides_who_is_staff(plain_staff, cast, world):
    client = token_client(plain_staff)
    response = client.patch(user_url(world.someone), {"is_staff": True}, format="json")
    assert response.status_code == 403
    assert response.json() == {"detail": "Only a superuser may decide who is staff.", "errors": {}}
    assert not fresh(world.someone).is_staff
    response = client.post(reverse("api:user-list"), {"username": "boss", "is_staff": True}, format="json")
    assert response.status_code == 403
    assert not User.objects.filter(username="boss").exists()

    response = token_client(cast["admin"]).patch(user_url(world.someone), {"is_staff": True}, format="json")
    assert response.status_code == 200
    assert fresh(world.someone).is_staff


def test_staff_leave_a_superusers_account_alone(plain_staff, cast):
    response = token_client(plain_staff).post(user_url(cast["admin"], "deactivate"))
    assert response.status_code == 403
    assert response.json()["detail"] == "Only a superuser may change a superuser's account."
    assert fresh(cast["admin"]).is_active


def test_staff_change_an_ordinary_users_names(plain_staff, world):
    response = token_client(plain_staff).patch(
        user_url(world.someone), {"first_name": "Sofie"}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["first_name"] == "Sofie"


def test_a_deactivated_user_keeps_memberships_and_loses_their_token(staff_client, world):
    their_client = token_client(world.someone)
    assert their_client.get(reverse("api:goal-list")).status_code == 200
    response = staff_client.post(user_url(world.someone, "deactivate"))
    assert response.status_code == 200
    assert response.json()["is_active"] is False
    assert fresh(world.someone).is_active is False
    assert Membership.objects.filter(user=world.someone).count() == 1
    assert their_client.get(reverse("api:goal-list")).status_code == 401
    # and made active again by a change
    response = staff_client.patch(user_url(world.someone), {"is_active": True}, format="json")
    assert fresh(world.someone).is_active is True


def test_no_one_deactivates_themselves(cast):
    response = token_client(cast["admin"]).post(user_url(cast["admin"], "deactivate"))
    assert response.status_code == 400
    assert response.json()["errors"] == {"is_active": ["You cannot deactivate yourself."]}
    assert fresh(cast["admin"]).is_active


def test_no_one_takes_away_their_own_staff_status(cast):
    response = token_client(cast["admin"]).patch(user_url(cast["admin"]), {"is_staff": False}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"is_staff": ["You cannot take away your own administration rights."]}
    assert fresh(cast["admin"]).is_staff


def test_users_cannot_be_deleted(staff_client, world):
    response = staff_client.delete(user_url(world.someone))
    assert response.status_code == 405
    assert User.objects.filter(pk=world.someone.pk).exists()


def test_refusals_in_swedish(plain_staff, world):
    client = token_client(plain_staff)
    client.credentials(
        HTTP_AUTHORIZATION=client._credentials["HTTP_AUTHORIZATION"], HTTP_ACCEPT_LANGUAGE="sv"
    )
    response = client.patch(user_url(world.someone), {"is_staff": True}, format="json")
    assert response.json()["detail"] == "Bara en superanvändare får bestämma vem som är administratör."
