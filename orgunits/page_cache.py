"""The shared cache of the pages that show the whole group (the organisation tree, the process matrix,
the chain's health), and what makes it forget.

What is cached is the part of a page that is the same for everyone of a visibility class: a rendered
fragment or a computed result, keyed by the language and what the page is asked for (period, unit,
...), and stored with the *generation* of the group's data it was computed from: an entry is served
only while that generation is the current one. Never a whole response: the user's name, CSRF token and
edit links stay out. The cache is ``settings.CACHES["default"]``, the database cache every instance
of the portal shares, so one instance's change is seen by all.

What invalidates: every statement that writes (INSERT, UPDATE, DELETE, TRUNCATE) to a table of the
apps these pages read (``WATCHED_APPS``: the units and their memberships, the goals with their links,
revisions, follow-ups, indicators and measurements, the processes, and their history tables). It is
seen where Django sends SQL to the database (``connection.execute_wrappers``), not through model
signals, because the writes that change these pages often send none: treebeard's moves rewrite paths
in bulk SQL, services ``update()``, ``bulk_create()`` and ``bulk_update()``, and a deletion's
cascade deletes in bulk. A write of any kind through any path is seen, at the cost of one regular
expression per statement (about a microsecond; reads are not looked at beyond their first word).

When: a write marks its connection; the generation changes (a new random token, so that two writers
never set the same one) at the commit, and also at the first read of the cache on that connection
after the write. The commit's change is what others see. The read's change lets a transaction read
its own writes (a test's, or a request that changes then shows). With the database cache that change
is part of the writing transaction, so no one else sees it before the data; with another cache a
reader may fill the new generation with the old data, which the commit's change leaves behind.

``invalidate_whole_group_pages()`` forgets everything at once (the benchmark's ``POST
/bench/invalidate/`` calls it).
"""

from __future__ import annotations

import pickle
import re
import secrets
import zlib
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.utils import translation

WATCHED_APPS = ("orgunits", "goals", "processes")
GENERATION_KEY = "whole-group-pages:generation"
# Long enough that the pages are served from the cache all day; a change replaces the generation,
# and each entry of an old one is computed anew at its next read.
TIMEOUT_SECONDS = 24 * 60 * 60
# The generation outlives its entries, but not forever: a key that never expires is stored as
# 9999-12-31 UTC, a moment that tools reading the table in local time cannot represent (psycopg2
# in Stockholm time reads it as the year 10000). A generation that expires costs one miss a page.
GENERATION_TIMEOUT_SECONDS = 30 * 24 * 60 * 60

_WRITE = re.compile(
    # INSERT OR IGNORE INTO: SQLite's bulk_create(ignore_conflicts=True), as in many-to-many add().
    r"""^\s*(?:(?P<truncate>TRUNCATE)|INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[`"\[]?(?P<table>\w+)""",
    re.IGNORECASE,
)


def invalidate_whole_group_pages() -> str:
    """Forget every cached whole-group page: the next read of each computes it again. Returns the new
    generation."""
    generation = secrets.token_hex(8)
    cache.set(GENERATION_KEY, generation, GENERATION_TIMEOUT_SECONDS)
    return generation


def cached(parts: tuple, compute: Callable[[], Any], *, user=None) -> Any:
    """What ``compute()`` returns for ``parts`` (what the page is asked for), from the cache when the
    group's data has not changed since. The key also holds the language and, given ``user``, the
    visibility class: anonymous or signed in, as ``Goal.objects.visible_to`` and the follow-ups'
    readers differ by nothing else.

    One query when served from the cache: the generation and the entry read together, the entry
    stored with the generation it was computed in. On a miss, ``compute``'s and three to store the
    entry, and three more first when this transaction wrote (a new generation)."""
    connection = connections[DEFAULT_DB_ALIAS]
    key = _key(parts, user)
    if getattr(connection, "whole_group_pages_written", False):
        # This transaction wrote: a new generation, so that it reads what it wrote.
        connection.whole_group_pages_written = False
        generation = invalidate_whole_group_pages()
    else:
        found = cache.get_many([GENERATION_KEY, key])
        if (generation := found.get(GENERATION_KEY)) is None:
            generation = invalidate_whole_group_pages()  # the first page read since the cache was emptied
        elif key in found:
            stored_generation, value = pickle.loads(zlib.decompress(found[key]))
            if stored_generation == generation:
                return value
    value = compute()
    # Compressed: a whole group's page is hundreds of kilobytes of HTML, which the database cache
    # reads (base64 in a text column) three times slower than it inflates a twentieth of it. One
    # entry per key, replaced when the generation has changed: the cache does not fill up with
    # the entries of old generations.
    cache.set(key, zlib.compress(pickle.dumps((generation, value)), 1), TIMEOUT_SECONDS)
    return value


def _key(parts: tuple, user) -> str:
    visibility = () if user is None else ("signed-in" if user.is_authenticated else "public",)
    language = translation.get_language()
    return ":".join(map(str, ("whole-group-pages", language, *visibility, *parts)))


def watched_tables() -> frozenset[str]:
    """The tables of the watched apps' models, with their many-to-many link tables."""
    tables = set()
    for label in WATCHED_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table.lower())
    return frozenset(tables)


class WriteWatcher:
    """An execute wrapper (Django's ``connection.execute_wrappers``) that marks the connection when a
    statement writes to a watched table, and changes the generation when the transaction commits."""

    def __init__(self, connection, tables: frozenset[str]):
        self.connection, self.tables = connection, tables

    def __call__(self, execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        write = _WRITE.match(sql) if isinstance(sql, str) else None
        if write and (write["truncate"] or write["table"].lower() in self.tables):
            self.written()
        return result

    def written(self) -> None:
        connection = self.connection
        if not connection.in_atomic_block:
            _invalidate_after_commit()  # committed already
            return
        connection.whole_group_pages_written = True
        # Once per transaction: the commit's callbacks are dropped on a rollback, with the data.
        if not any(callback is _invalidate_after_commit for _, callback, _ in connection.run_on_commit):
            transaction.on_commit(_invalidate_after_commit, using=connection.alias)


def _invalidate_after_commit() -> None:
    """A new generation once a write is committed, outside any transaction. Before the first
    ``migrate`` has made the cache's table (its migrations write to the watched tables) there is no
    cache to forget, and the write stands."""
    try:
        invalidate_whole_group_pages()
    except DatabaseError:
        if cache_table_exists():
            raise


def cache_table_exists() -> bool:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        return settings.CACHES["default"]["LOCATION"] in connection.introspection.table_names(cursor)


def watch_writes(*, connection, **kwargs) -> None:
    """``connection_created``'s receiver: watch every connection's writes, once."""
    if not any(isinstance(wrapper, WriteWatcher) for wrapper in connection.execute_wrappers):
        connection.execute_wrappers.append(WriteWatcher(connection, watched_tables()))
