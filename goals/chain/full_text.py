"""The words of a goal or an indicator for PostgreSQL's full-text search, kept in a stored column.

The search (``search.queries``) ranks every match of a word before it shows the best: computing
each match's ``to_tsvector`` at query time was most of its time (a common word matches about a
thousand goals: 10 ms). A generated column keeps the same value, computed by the database on every
write, whoever writes (the ORM, a bulk update, a tree move's SQL).
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db.models import Func


class SwedishSearchWords(Func):
    """``title`` weighing A and ``description`` B, stemmed in Swedish: exactly the expression of the
    GIN indexes of goals' migration 0015, which the search filters by, so that the stored value
    and the indexed one are the same. SQLite has no full-text search (the search matches words
    with ``icontains`` there), so there the column stays empty."""

    template = "%(expressions)s"
    output_field = SearchVectorField()

    def __init__(self, title: str, description: str, **extra):
        super().__init__(
            SearchVector(title, weight="A", config="swedish")
            + SearchVector(description, weight="B", config="swedish"),
            **extra,
        )
        self.title, self.description = title, description

    def deconstruct(self):
        # Written into migrations by its two field names, not by the expression it builds.
        path = f"{self.__class__.__module__}.{self.__class__.__name__}"
        return path, (self.title, self.description), {}

    def as_sqlite(self, compiler, connection, **extra_context):
        return "NULL", []
