"""The browser tests' demo is loaded from a snapshot taken once (``demo_snapshot`` in conftest.py, tests/kit/demo_snapshot.py):
it holds every row the seeding made, and the database takes new rows after them."""

from collections import Counter

from django.contrib.auth import get_user_model

from orgunits.kinds import Kind
from orgunits.models import OrgUnit
from tests.kit.demo_snapshot import snapshot_models
from tests.kit.organisation import add_unit


def test_the_demo_is_loaded_whole_and_takes_new_rows(demo, demo_snapshot):
    snapshot = Counter({model._meta.label: len(rows) for model, rows in demo_snapshot.items()})
    loaded = Counter({model._meta.label: model._base_manager.count() for model in snapshot_models()})
    assert +loaded == snapshot
    assert snapshot["orgunits.OrgUnit"] > 30 and snapshot["goals.Goal"] > 120
    add_unit(Kind.UNIT, "Ny enhet", OrgUnit.objects.get(slug="utbildningsforvaltningen"))
    assert get_user_model().objects.create_user("ny.person").pk > max(
        user.pk for user in demo_snapshot[get_user_model()]
    )
