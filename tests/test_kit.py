"""The kit's promises (tests/kit/once.py): a world built once per class is the same at the start of
every test, whatever the tests before it wrote, changed in memory or cached, and is gone after the
class; a transactional test cannot share it."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher

from orgunits.kinds import Kind
from orgunits.models import Membership, OrgUnit
from orgunits.rules import memberships_of
from tests.kit.once import SharedWorld, commits, pytest_collection_modifyitems
from tests.kit.organisation import Group, add_unit
from tests.kit.people import build_cast
from tests.kit.worlds import Scene

pytestmark = pytest.mark.django_db

ROWS = ["first", "second"]  # each row checks that the other's traces are gone, in either order


class TestAWorldBuiltOnce(SharedWorld):
    def build(self) -> Scene:
        group = Group()
        return Scene(build_cast(group), group)

    @pytest.mark.parametrize("row", ROWS)
    def test_a_rows_writes_are_gone_before_the_next_row(self, scene, row):
        assert not OrgUnit.objects.filter(name__in=ROWS).exists()
        assert OrgUnit.objects.filter(name="Västra skolan").exists()
        add_unit(Kind.UNIT, row, scene.world.department)

    @pytest.mark.parametrize("row", ROWS)
    def test_a_rows_objects_are_its_own(self, scene, row):
        school = scene.world.school
        assert (school.name, school.numchild) == ("Västra skolan", 0)
        school.name = row
        school.save()

    @pytest.mark.parametrize(("row", "unit"), [("first", "school"), ("second", "committee")])
    def test_a_users_memberships_are_read_afresh_in_each_row(self, scene, row, unit):
        editor = scene.cast["editor"]
        Membership.objects.create(user=editor, org_unit=getattr(scene.world, unit), role="viewer")
        assert {membership.org_unit for membership in memberships_of(editor)} == {
            scene.world.department,
            getattr(scene.world, unit),
        }

    def test_the_users_built_once_have_a_cheap_password_hash(self, scene):
        assert identify_hasher(scene.cast["editor"].password).algorithm == "md5"
        assert scene.cast["editor"].check_password("x")


class TestAnotherWorldBuiltOnce(SharedWorld):
    """The same usernames and slugs as the class above: building them again fails unless that
    class's world was rolled back after its last test."""

    def build(self) -> Scene:
        group = Group()
        return Scene(build_cast(group), group)

    def test_it_starts_from_its_own_world_alone(self, scene):
        assert OrgUnit.objects.filter(name="Västra skolan").count() == 1
        assert get_user_model().objects.filter(username="lars").count() == 1


def test_nothing_built_once_is_left_after_its_class():
    assert not OrgUnit.objects.exists()
    assert not get_user_model().objects.exists()


class Item:
    """What the collection check reads of a test."""

    def __init__(self, fixturenames, marker_kwargs=None):
        self.nodeid = "tests/test_it.py::test_it"
        self.fixturenames = fixturenames
        self.marker = None if marker_kwargs is None else pytest.mark.django_db(**marker_kwargs).mark

    def get_closest_marker(self, name):
        return self.marker


@pytest.mark.parametrize(
    ("item", "commits_its_data"),
    [
        (Item(["db"], {}), False),
        (Item(["transactional_db"]), True),
        (Item(["live_server"]), True),
        (Item(["db"], {"transaction": True}), True),
        (Item(["db"], {"reset_sequences": True}), True),
    ],
)
def test_a_transactional_test_is_told_apart(item, commits_its_data):
    assert commits(item) == commits_its_data


def test_a_transactional_test_may_not_share_a_class_transaction():
    pytest_collection_modifyitems([Item(["class_db", "db"]), Item(["transactional_db"])])
    with pytest.raises(pytest.UsageError, match="a transactional test cannot share"):
        pytest_collection_modifyitems([Item(["class_db", "live_server"])])
