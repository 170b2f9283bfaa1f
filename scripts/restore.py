"""Restore a backup of ``scripts/backup.py`` into the portal's PostgreSQL database (``make restore``):

    BACKUP_FILE=var/backups/styrmodell-20260101-020000.dump python scripts/restore.py

The database is the portal's own (``DATABASE_URL``, read through the portal's settings) and must
exist and be empty (``createdb``): a restore over a database that holds tables is refused, unless
``RESTORE_REPLACE=1`` says to drop what the backup holds first. pg_restore runs in one transaction
and stops at the first error, so a failed restore leaves the database as it was; the objects it
makes belong to the user the portal connects as (``--no-owner --no-privileges``), whoever owned
them on the server backed up. Afterwards it counts what the portal now holds, through the portal's
own models: a database the portal cannot read fails here rather than in front of its users.

Refused, with a message and exit status 1, for SQLite (copy the file back, docs/operations.md).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from portal_database import Refused, describe, libpq_environment, run, setup_django

# What the database holds that a restore would clash with: any table, view or sequence outside
# PostgreSQL's own schemas.
USER_RELATIONS = """
    SELECT count(*) FROM pg_class JOIN pg_namespace ON pg_namespace.oid = relnamespace
    WHERE relkind IN ('r', 'v', 'm', 'S', 'p')
      AND nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg_toast%%'
"""


def relations_in_database() -> int:
    from django.db import OperationalError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute(USER_RELATIONS)
            return cursor.fetchone()[0]
    except OperationalError as error:
        raise Refused(
            f"Cannot connect to {describe()}: {str(error).strip()}\n"
            "Create the empty database first (createdb), as the user the portal connects as."
        ) from error


def portal_summary() -> str:
    from django.contrib.auth import get_user_model

    from goals.models import Goal, Measurement
    from orgunits.models import OrgUnit

    counts = {
        "units": OrgUnit.objects.count(),
        "goals": Goal.objects.count(),
        "measurements": Measurement.objects.count(),
        "users": get_user_model().objects.count(),
    }
    return ", ".join(f"{count} {what}" for what, count in counts.items())


def main() -> None:
    if not os.environ.get("BACKUP_FILE"):
        raise Refused("Name the backup to restore: BACKUP_FILE=var/backups/....dump")
    backup = Path(os.environ["BACKUP_FILE"])
    if not backup.is_file():
        raise Refused(f"{backup} is no file.")
    setup_django()
    environment = libpq_environment()
    replace = os.environ.get("RESTORE_REPLACE") == "1"
    if (relations := relations_in_database()) and not replace:
        raise Refused(
            f"{describe()} is not empty: it holds {relations} tables, views or sequences. "
            "Restore into a new, empty database (createdb), or set RESTORE_REPLACE=1 to drop and "
            "replace what the backup holds."
        )
    command = [
        "pg_restore",
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        "--single-transaction",
        f"--dbname={environment['PGDATABASE']}",
        str(backup),
    ]
    if replace:
        command[1:1] = ["--clean", "--if-exists"]
    restored = subprocess.run(command, env=environment, check=False)
    if restored.returncode != 0:
        raise Refused(f"pg_restore failed (exit status {restored.returncode}); nothing was restored.")
    print(f"Restored {backup} into {describe()}: {portal_summary()}.")


if __name__ == "__main__":
    run(main)
