"""Portal users from a provider's claims (signin.identities.user_from_claims): the subject id is
the key, the name, address and staff follow the provider, a local account is never taken over."""

import threading

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection

from signin.identities import user_from_claims
from signin.models import OidcIdentity

pytestmark = pytest.mark.django_db

ENTRA = "https://login.microsoftonline.com/4f0c8d1e/v2.0"
KEYCLOAK = "https://sso.kommun.example/realms/kommun"
KARIN = {
    "sub": "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ",
    "preferred_username": "karin.lind@kommun.example",
    "given_name": "Karin",
    "family_name": "Lind",
    "email": "karin.lind@kommun.example",
}


@pytest.fixture
def staff_group(settings):
    settings.OIDC_STAFF_CLAIM = "groups"
    settings.OIDC_STAFF_VALUE = "styrmodell-admin"


def test_the_first_sign_in_creates_a_user_without_a_password(settings):
    karin = user_from_claims(issuer=ENTRA, claims=KARIN)
    assert (karin.username, karin.get_full_name(), karin.email, karin.is_staff) == (
        "karin.lind@kommun.example",
        "Karin Lind",
        "karin.lind@kommun.example",
        False,
    )
    assert not karin.has_usable_password()
    assert list(OidcIdentity.objects.values_list("user", "issuer", "subject")) == [
        (karin.pk, ENTRA, KARIN["sub"])
    ]


def test_the_subject_id_is_the_key_not_the_email_address():
    karin = user_from_claims(issuer=ENTRA, claims=KARIN)
    # Her address changes: still her.
    again = user_from_claims(issuer=ENTRA, claims={**KARIN, "email": "karin.ek@kommun.example"})
    assert (again.pk, again.email) == (karin.pk, "karin.ek@kommun.example")
    # Her old address given to someone else, with another subject id: another user.
    newcomer = user_from_claims(
        issuer=ENTRA,
        claims={"sub": "other-subject", "email": "karin.lind@kommun.example", "name": "Karin Berg"},
    )
    assert newcomer.pk != karin.pk
    assert get_user_model().objects.count() == 2


def test_the_same_subject_id_at_another_provider_is_another_person():
    at_entra = user_from_claims(issuer=ENTRA, claims=KARIN)
    at_keycloak = user_from_claims(issuer=KEYCLOAK, claims=KARIN)
    assert at_entra.pk != at_keycloak.pk
    assert at_keycloak.username != at_entra.username  # the name is taken: a suffix is added


def test_a_local_account_of_the_same_name_is_not_taken_over():
    local = get_user_model().objects.create_user("karin.lind@kommun.example", password="lokalt-lösenord")
    karin = user_from_claims(issuer=ENTRA, claims=KARIN)
    assert karin.pk != local.pk
    assert karin.username.startswith("karin.lind@kommun.example-")
    local.refresh_from_db()
    assert local.check_password("lokalt-lösenord")
    assert not OidcIdentity.objects.filter(user=local).exists()


def test_a_provider_that_sends_only_the_whole_name():
    user = user_from_claims(issuer=ENTRA, claims={"sub": "s-1", "name": "Anna-Karin Sjöberg Holm"})
    assert (user.first_name, user.last_name, user.username) == ("Anna-Karin", "Sjöberg Holm", "s-1")


def test_the_staff_group_gives_staff_and_leaving_it_takes_it_away(staff_group):
    assert user_from_claims(issuer=ENTRA, claims={**KARIN, "groups": ["alla", "styrmodell-admin"]}).is_staff
    after_leaving = user_from_claims(issuer=ENTRA, claims={**KARIN, "groups": ["alla"]})
    after_leaving.refresh_from_db()
    assert after_leaving.is_staff is False


def test_a_true_claim_gives_staff_when_no_value_is_named(settings):
    settings.OIDC_STAFF_CLAIM = "styrmodell_staff"
    assert user_from_claims(issuer=ENTRA, claims={**KARIN, "styrmodell_staff": True}).is_staff
    assert not user_from_claims(issuer=ENTRA, claims={**KARIN, "styrmodell_staff": "false"}).is_staff


def test_without_a_staff_claim_staff_is_the_portals_to_set():
    karin = user_from_claims(issuer=ENTRA, claims=KARIN)
    karin.is_staff = True
    karin.save(update_fields=["is_staff"])
    assert user_from_claims(issuer=ENTRA, claims={**KARIN, "groups": []}).is_staff


@pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="races need concurrent writers: PostgreSQL only; SQLite serialises every write",
)
@pytest.mark.django_db(transaction=True)
def test_two_first_sign_ins_at_once_make_one_user():
    """Two tabs finishing Karin's first sign-in at the same moment, each in its own transaction:
    the unique subject id lets one create her, and the other finds her."""
    start = threading.Barrier(2)
    users, errors = [], []

    def sign_in():
        try:
            start.wait()
            users.append(user_from_claims(issuer=ENTRA, claims=KARIN).pk)
        except Exception as error:  # reported below: a thread's exception would be lost
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sign_in) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert users[0] == users[1]
    assert list(OidcIdentity.objects.values_list("user", flat=True)) == [users[0]]
    assert get_user_model().objects.count() == 1


@pytest.mark.parametrize("others", [1, 20])
def test_a_returning_sign_in_takes_the_same_queries_however_many_users_there_are(
    others, django_assert_num_queries, staff_group
):
    for number in range(others):
        user_from_claims(issuer=ENTRA, claims={"sub": f"other-{number}", "name": f"Person {number}"})
    user_from_claims(issuer=ENTRA, claims=KARIN)
    # savepoint; her identity with her user, locked; her user's changed name; the identity's
    # last sign-in; release
    with django_assert_num_queries(5):
        user_from_claims(issuer=ENTRA, claims={**KARIN, "family_name": "Ek", "groups": ["styrmodell-admin"]})
