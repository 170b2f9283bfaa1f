"""People to test with: a user with a role in a unit, and the fixed cast every view and endpoint is
tried with.

- ``member_of(unit, username, role="manager", position="")``: a new user (password "x") with one
  membership; by default the manager of ``unit`` and everything under it. "A user who manages the
  administration" is ``member_of(group.administration, "karin")``.
- The fixed cast over ``tests.kit.organisation.Group`` (``CAST`` names them; ``EVERYONE`` and
  ``SIGNED_IN`` are the sets a matrix row allows): ``build_cast(group)`` makes it, the ``cast``
  fixture gives it as ``{name: user}`` (``None`` for "anonymous").
- ``group_manager``: a client signed in as the manager of the whole group, in English.
- ``fast_password_hashing``: every user of the run, also those a class builds once, gets a cheap
  password hash.
"""

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from orgunits.kinds import Kind
from orgunits.models import Membership
from tests.kit.organisation import add_unit

CAST = [
    "admin",  # staff: may do everything
    "manager_inside",  # manager of the administration (under the committee) and all below it
    "manager_outside",  # manager of the care administration, under the other committee
    "editor",  # editor of the department under the administration; owns the process of a world
    "politician",  # chair of the committee, the body that decides the administration's goals
    "other_politician",  # member of the other committee
    "secretary",  # secretary of the committee
    "auditor",  # chair of the auditors: reads everything, drafts included, and writes nothing
    "anonymous",  # nobody signed in
]
EVERYONE = set(CAST)
SIGNED_IN = EVERYONE - {"anonymous"}


def member_of(unit, username: str, role: str = "manager", position: str = ""):
    """A new user with one membership: by default, the manager of ``unit`` and all under it."""
    user = get_user_model().objects.create_user(username, password="x")
    Membership.objects.create(user=user, org_unit=unit, role=role, position=position)
    return user


def build_cast(group) -> dict:
    """The fixed cast over ``group``, by the names of ``CAST``; adds the care administration
    ("Omsorgsförvaltningen", under the other committee) that ``manager_outside`` manages."""
    care_administration = add_unit(Kind.ADMINISTRATION, "Omsorgsförvaltningen", group.other_committee)
    return {
        "admin": get_user_model().objects.create_superuser("alva", password="x"),
        "manager_inside": member_of(group.administration, "karin"),
        "manager_outside": member_of(care_administration, "per"),
        "editor": member_of(group.department, "lars", role="editor"),
        "politician": member_of(group.committee, "eva", role="politician", position="chair"),
        "other_politician": member_of(group.other_committee, "anna", role="politician", position="member"),
        "secretary": member_of(group.committee, "maria", role="secretary"),
        "auditor": member_of(group.auditors, "rut", role="politician", position="chair"),
        "anonymous": None,
    }


@pytest.fixture
def cast(group) -> dict:
    return build_cast(group)


@pytest.fixture
def group_manager(client, group):
    """A client signed in as the manager of the whole group (a membership at the council), in English."""
    client.force_login(member_of(group.council, "karin.lind"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing(django_test_environment):
    """The tests make many users; a real hasher's deliberate slowness buys nothing here. Set for the
    whole session, so that users built once for a class (``tests.kit.once``) are cheap too."""
    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield
