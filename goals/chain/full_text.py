"""The words of a goal, a unit or an indicator for PostgreSQL's full-text search, as one expression:
the GIN indexes match on it, a goal keeps it in a stored column, and the search compiles it for
every kind it searches.

The search (``search.queries``) ranks every match of a word before it shows the best: computing
each match's ``to_tsvector`` at query time was most of its time (a common word matches about a
thousand goals: 10 ms). A generated column keeps the same value, computed by the database on every
write, whoever writes (the ORM, a bulk update, a tree move's SQL).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.db.models import F, Func


class SwedishSearchWords(Func):
    """``title`` weighing A and ``description`` B, stemmed in Swedish: exactly the SQL of the GIN
    indexes of goals' and units' migrations (0015, 0009), which the search filters by, so that
    PostgreSQL uses them and the stored value is the indexed one. It is what
    ``SearchVector(title, weight="A", config="swedish") + SearchVector(description, weight="B",
    config="swedish")`` writes, as one function, which the ORM compiles in a tenth of the time of
    those six nested expressions. SQLite has no full-text search (the search matches words with
    ``icontains`` there), so there the column stays empty."""

    output_field = SearchVectorField()

    def __init__(self, title: str, description: str, **extra):
        super().__init__(F(title), F(description), **extra)
        self.title, self.description = title, description

    def deconstruct(self):
        # Written into migrations by its two field names, not by the expression it builds.
        path = f"{self.__class__.__module__}.{self.__class__.__name__}"
        return path, (self.title, self.description), {}

    def as_sql(self, compiler, connection, **extra_context):
        (title, title_params), (description, description_params) = (
            compiler.compile(expression) for expression in self.get_source_expressions()
        )
        sql = (
            f"(setweight(to_tsvector('swedish'::regconfig, COALESCE({title}, '')), 'A') || "
            f"setweight(to_tsvector('swedish'::regconfig, COALESCE({description}, '')), 'B'))"
        )
        return sql, [*title_params, *description_params]

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []
