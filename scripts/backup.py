"""Back up the portal's PostgreSQL database into one file (``make backup``):

    python scripts/backup.py                      # var/backups/styrmodell-YYYYMMDD-HHMMSS.dump
    BACKUP_FILE=/srv/backups/today.dump python scripts/backup.py

The database is the portal's own (``DATABASE_URL``, read through the portal's settings). The file
is pg_dump's custom format (``-Fc``): compressed, and ``pg_restore`` can restore all of it or only
some tables from it. It is written under a temporary name and renamed once pg_dump has finished
and pg_restore has read its table of contents back, so a file with the final name is a whole
backup; an existing file is never overwritten. The file holds personal data (names, e-mail
addresses, password hashes) and is made readable by its owner only.

Refused, with a message and exit status 1, for SQLite (copy the file instead, docs/operations.md).
"""

from __future__ import annotations

import os
import subprocess
from datetime import datetime
from pathlib import Path

from portal_database import ROOT, Refused, describe, libpq_environment, run, setup_django


def backup_path() -> Path:
    if named := os.environ.get("BACKUP_FILE"):
        return Path(named)
    folder = Path(os.environ.get("BACKUP_DIR") or ROOT / "var" / "backups")
    return folder / f"styrmodell-{datetime.now():%Y%m%d-%H%M%S}.dump"


def main() -> None:
    setup_django()
    environment = libpq_environment()
    target = backup_path()
    if target.exists():
        raise Refused(f"{target} exists already; name another file with BACKUP_FILE.")
    os.umask(0o077)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    try:
        dumped = subprocess.run(
            ["pg_dump", "--format=custom", f"--file={partial}"], env=environment, check=False
        )
        if dumped.returncode != 0:
            raise Refused(f"pg_dump failed (exit status {dumped.returncode}); no backup was written.")
        # Reading the table of contents back proves the file is a whole archive pg_restore takes.
        listed = subprocess.run(
            ["pg_restore", "--list", str(partial)], env=environment, capture_output=True, check=False
        )
        if listed.returncode != 0:
            raise Refused(f"pg_restore cannot read the new backup: {listed.stderr.decode().strip()}")
        partial.rename(target)
    finally:
        partial.unlink(missing_ok=True)
    print(f"Backed up {describe()} to {target} ({target.stat().st_size / 1024 / 1024:.1f} MB).")


if __name__ == "__main__":
    run(main)
