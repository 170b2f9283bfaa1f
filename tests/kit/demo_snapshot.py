"""The demo's rows, kept in memory to write them back in a fraction of a seeding: the browser tests
(``tests/e2e/conftest.py``, fixtures ``demo_snapshot`` and ``demo``) seed the demo once per session
and load it before each test, whose flush removes it afterwards.

- ``take()``: the rows in the database now, per model (many-to-many tables included).
- ``load(snapshot)``: write them back as they were, ids and timestamps included, one insert per
  batch of rows, and start the id sequences after them.
- ``snapshot_models()``: what a snapshot holds: everything but what a flush leaves for Django to
  make again (content types, permissions) and what the demo never writes (sessions, the admin's
  log, django-axes's records), so that loading never clashes with them.
"""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction

NOT_IN_A_SNAPSHOT = {"contenttypes", "sessions", "admin", "axes", "auth.permission"}
ROWS_PER_INSERT = 500  # well under PostgreSQL's limit of parameters in one statement

Snapshot = dict[type[models.Model], list[models.Model]]


def snapshot_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if not {model._meta.app_label, model._meta.label_lower} & NOT_IN_A_SNAPSHOT
    ]


def take() -> Snapshot:
    return {model: list(model._base_manager.order_by("pk")) for model in snapshot_models()}


def load(snapshot: Snapshot) -> None:
    # A raw insert, as loading a fixture does: the rows go in as they are, with no save() and no
    # field's pre_save (an auto_now timestamp keeps the seeding's time). The foreign keys are
    # checked at the commit, so the tables' order does not matter.
    with transaction.atomic():
        for model, rows in snapshot.items():
            # A generated column (a goal's search words) is the database's to write.
            fields = [field for field in model._meta.local_concrete_fields if not field.generated]
            for start in range(0, len(rows), ROWS_PER_INSERT):
                model._base_manager._insert(rows[start : start + ROWS_PER_INSERT], fields=fields, raw=True)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(snapshot)):
                cursor.execute(statement)
