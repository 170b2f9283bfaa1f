"""The demo's data as JSON, to load it again in a fraction of a seeding: the browser tests
(``tests/e2e/conftest.py``, fixtures ``demo_snapshot`` and ``demo``) seed the demo once per session
and load it before each test, whose flush removes it afterwards.

- ``take()``: the rows in the database now, as JSON.
- ``load(snapshot)``: write them back, with their ids, and start the id sequences after them.
- ``snapshot_models()``: what a snapshot holds: everything but what a flush leaves for Django to
  make again (content types, permissions) and what the demo never writes (sessions, the admin's
  log, django-axes's records), so that loading never clashes with them.
"""

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection

NOT_IN_A_SNAPSHOT = {"contenttypes", "sessions", "admin", "axes", "auth.permission"}


def snapshot_models() -> list:
    return [
        model
        for model in apps.get_models()
        if not {model._meta.app_label, model._meta.label_lower} & NOT_IN_A_SNAPSHOT
    ]


def take() -> str:
    return serializers.serialize(
        "json", [row for model in snapshot_models() for row in model._base_manager.order_by("pk")]
    )


def load(snapshot: str) -> None:
    connection.creation.deserialize_db_from_string(snapshot)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), snapshot_models()):
            cursor.execute(statement)
