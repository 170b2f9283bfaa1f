from pathlib import Path

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core import serializers
from django.core.management import call_command

from demo.organisation import DEMO_PASSWORD, DEMO_USERS
from orgunits.kinds import Kind
from orgunits.models import OrgUnit

pytestmark = pytest.mark.django_db


def database_dump() -> str:
    return serializers.serialize(
        "json", [*OrgUnit.objects.order_by("pk"), *get_user_model().objects.order_by("pk")]
    )


def test_running_it_twice_gives_the_same_database():
    call_command("seed_demo")
    first = database_dump()
    call_command("seed_demo")
    assert database_dump() == first


def test_it_puts_back_demo_data_that_was_changed():
    call_command("seed_demo")
    OrgUnit.objects.filter(slug="utbildningsnamnden").update(name="Skolnämnden")
    call_command("seed_demo")
    assert OrgUnit.objects.get(slug="utbildningsnamnden").name == "Utbildningsnämnden"


def test_if_empty_leaves_an_existing_organisation_alone():
    call_command("seed_demo")
    OrgUnit.objects.filter(slug="utbildningsnamnden").update(name="Skolnämnden")
    call_command("seed_demo", "--if-empty")
    assert OrgUnit.objects.get(slug="utbildningsnamnden").name == "Skolnämnden"


def test_the_demo_group_is_a_mid_sized_municipal_group():
    call_command("seed_demo")
    kinds = [unit.kind for unit in OrgUnit.objects.all()]
    assert kinds.count(Kind.COUNCIL) == 1
    assert kinds.count(Kind.EXECUTIVE_BOARD) == 1
    assert kinds.count(Kind.COMMITTEE) == 8
    assert kinds.count(Kind.ADMINISTRATION) == 6
    assert kinds.count(Kind.COMPANY) == 6  # the parent company and five subsidiaries
    assert kinds.count(Kind.FEDERATION) == 1
    parent_company = OrgUnit.objects.get(slug="sjostads-stadshus-ab")
    assert OrgUnit.objects.get_children(parent_company).filter(kind=Kind.COMPANY).count() == 5
    # Every unit stands where the rule table allows, and the tree itself is sound.
    for unit in OrgUnit.objects.all():
        unit.full_clean()
    assert OrgUnit.objects.find_problems() == ([], [], [], [], [])


def test_the_demo_users_can_sign_in_with_the_password_the_readme_gives():
    call_command("seed_demo")
    for demo_user in DEMO_USERS:
        user = authenticate(username=demo_user.username, password=DEMO_PASSWORD)
        assert user is not None, demo_user.username
        assert user.is_staff == demo_user.is_staff
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    assert f"`{DEMO_PASSWORD}`" in readme
    assert all(f"`{demo_user.username}`" in readme for demo_user in DEMO_USERS)
