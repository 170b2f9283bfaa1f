"""GIN indexes for the search (search.queries): PostgreSQL's full-text search of goals and indicators
in Swedish. Each index's expression is the one search.queries.matching builds, so the planner can use
it. SQLite has no GIN indexes and searches by a contains-match: there the migration does nothing."""

from django.db import migrations

# (table, title column, description column)
SEARCHED = [("goals_goal", "title", "description"), ("goals_indicator", "name", "description")]


def vector(title, description):
    return (
        f"(setweight(to_tsvector('swedish'::regconfig, COALESCE({title}, '')), 'A') || "
        f"setweight(to_tsvector('swedish'::regconfig, COALESCE({description}, '')), 'B'))"
    )


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, title, description in SEARCHED:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search ON {table} USING gin ({vector(title, description)})"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, _title, _description in SEARCHED:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search")


class Migration(migrations.Migration):
    dependencies = [("goals", "0014_fill_submitter_and_delegation")]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
