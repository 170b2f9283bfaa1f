"""How writers that race for the same records are kept apart, and how the loser is told.

Many people use the portal at once: two admins reorganise, two politicians decide the same goal.
Three mechanisms keep such writes whole, shared by every app (this is the bottom one):

- ``lock(key)`` serialises, until the transaction ends, every writer that takes the same key: a
  PostgreSQL advisory lock. The trees lock their structure with it (``orgunits.trees``).
- ``Versioned`` records carry a version that every save raises, so that an edit made from an
  older version is refused instead of overwriting another person's (a lost update).
- ``Conflict`` is the refusal a writer gets when, once it holds the lock, it finds that someone
  else changed the record first. It is a ``ValidationError`` (the pages show its message like any
  rule's), and the API answers it with 409 Conflict instead of 400.
"""

from __future__ import annotations

import zlib

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Conflict(ValidationError):
    """A write refused because the record changed since the writer read it: the message says what
    happened instead, so the person can look again and decide."""


def lock(*keys: str, shared: bool = False) -> None:
    """Hold the named locks until the current transaction ends; others wait for them. A ``shared``
    lock waits only for the writers that hold the key's exclusive lock, as a reader would: many
    hold it at once.

    Keys are taken in sorted order, so two writers that need the same keys never deadlock on them.
    On PostgreSQL each key is a transaction-level advisory lock. SQLite (the embedded default) has
    no such locks, but there every transaction begins ``IMMEDIATE`` (see the settings) and so
    already holds the database's single write lock: writers are serialised, more coarsely.
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("lock() outside a transaction would be released at once.")
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for key in sorted(set(keys)):
            # A 32-bit hash: two keys that collide only wait for each other, never break anything.
            function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
            cursor.execute(f"SELECT {function}(%s)", [zlib.crc32(key.encode())])


def reread(record: models.Model, *, fresh: models.Model | None = None) -> None:
    """Give ``record`` the values it has in the database now: those of ``fresh`` where the caller
    has just read them (under a lock), else one query. Related objects it holds are kept where
    they are still the same ones (setting a foreign key's id forgets the object only when the id
    changed)."""
    if fresh is None:
        fresh = type(record)._base_manager.get(pk=record.pk)
    for field in record._meta.concrete_fields:
        setattr(record, field.attname, getattr(fresh, field.attname))


class Versioned(models.Model):
    """A record that people edit in parallel: its ``version`` goes up by one with every save, so
    that an edit made from an older version is told apart and refused (``check_version``) instead
    of silently overwriting what another person saved meanwhile."""

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    class Meta:
        abstract = True

    def save(self, *args, update_fields=None, **kwargs):
        if not self._state.adding:
            self.version += 1
            if update_fields is not None:
                update_fields = [*update_fields, "version"]
        super().save(*args, update_fields=update_fields, **kwargs)

    def check_version(self, seen: int | None) -> None:
        """Refuse (``Conflict``) an edit made from version ``seen`` (None: made when the record did
        not exist yet) of this record as read, under a lock (``select_for_update``), just now."""
        if seen != (None if self._state.adding else self.version):
            raise self.stale_conflict()

    def lock_for_edit(self, seen: int | None) -> None:
        """Lock this record's row until the transaction ends, and refuse (``Conflict``) the edit
        in memory when it was made from an older version than the one saved (``seen``). The edit
        itself is kept; only the version is read."""
        if self._state.adding:
            return
        current = (
            type(self)._base_manager.select_for_update().values_list("version", flat=True).get(pk=self.pk)
        )
        if seen is not None and seen != current:
            raise type(self)._base_manager.get(pk=self.pk).stale_conflict()
        self.version = current

    def stale_conflict(self) -> Conflict:
        """The refusal of an edit made before the save that made this record what it is: who saved
        it, and when, where its history says."""
        from orgunits.models import display_name  # the models build on this module

        latest = self.history.first() if hasattr(self, "history") and not self._state.adding else None
        if latest is not None and latest.history_user is not None:
            message = gettext(
                "%(user)s saved “%(record)s” at %(time)s, after you opened it. Compare with what is saved now and save again."
            ) % {
                "user": display_name(latest.history_user),
                "record": self,
                "time": timezone.localtime(latest.history_date).strftime("%Y-%m-%d %H:%M"),
            }
        else:
            message = gettext(
                "Someone else saved “%(record)s” after you opened it. Compare with what is saved now and save again."
            ) % {"record": self}
        return Conflict(message, code="stale")
