"""A GIN index for the search of organisation units (search.queries): PostgreSQL's full-text search
in Swedish of a unit's name and description. Its expression is the one search.queries.matching
builds, so that a search finds the few matching units without working out the words of every unit
of the group (2,000 at the default scale: 2.7 ms). SQLite has no GIN indexes and searches by a
contains-match: there the migration does nothing."""

from django.db import migrations

INDEX = "orgunits_orgunit_search"
VECTOR = (
    "(setweight(to_tsvector('swedish'::regconfig, COALESCE(name, '')), 'A') || "
    "setweight(to_tsvector('swedish'::regconfig, COALESCE(description, '')), 'B'))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON orgunits_orgunit USING gin ({VECTOR})")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("orgunits", "0008_history_client_address")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
