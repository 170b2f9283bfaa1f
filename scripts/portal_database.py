"""The portal's database as ``scripts/backup.py`` and ``scripts/restore.py`` reach it: read from the
portal's own settings (``DATABASE_URL``, or the SQLite file under ``var/`` when it is not set), so a
backup is always taken of the database the portal really uses.

PostgreSQL's tools get the connection through libpq's environment (``PGHOST``, ``PGPASSWORD``, ...),
never on their command line, where any user of the machine could read the password.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Refused(Exception):
    """What the operator reads, on standard error, when a script will not go on."""


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styrmodell.settings")
    import django

    django.setup()


def libpq_environment() -> dict[str, str]:
    """The environment for pg_dump and pg_restore to connect to the portal's database.

    Refused for SQLite: its backup is a copy of one file, which these scripts do not take
    (``docs/operations.md`` says how)."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        raise Refused(
            f"The portal's database is {database['ENGINE'].rsplit('.', 1)[-1]} ({database['NAME']}), "
            "not PostgreSQL: make backup and make restore work on PostgreSQL only. For SQLite, stop "
            'the portal and copy the file, or run: sqlite3 FILE ".backup COPY" (docs/operations.md).'
        )
    environment = dict(os.environ)
    for setting, variable in (
        ("NAME", "PGDATABASE"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
    ):
        if database.get(setting):
            environment[variable] = str(database[setting])
    if sslmode := database.get("OPTIONS", {}).get("sslmode"):
        environment["PGSSLMODE"] = sslmode
    return environment


def describe() -> str:
    """The database named for the operator: its name and server, never its password."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    server = database.get("HOST") or "localhost"
    if database.get("PORT"):
        server += f":{database['PORT']}"
    return f"{database['NAME']} on {server}"


def run(main) -> None:
    """Run a script's ``main``, turning a refusal into its message and exit status 1."""
    try:
        main()
    except Refused as refusal:
        print(f"{Path(sys.argv[0]).name}: {refusal}", file=sys.stderr)
        sys.exit(1)
