"""The operator's tools tried for real: ``scripts/backup.py`` and ``scripts/restore.py`` run as
``make backup`` and ``make restore`` run them, in a process of their own, against the test's
database and against a second PostgreSQL server of the test's own (``second_server``), started as
``scripts/with-postgres.sh`` starts one: in a temporary folder, on a Unix socket only, as the
postgres user when the tests run as root, and removed afterwards.

- ``run_script(name, database_url, **environment)``: run ``scripts/<name>``, return the finished process.
- fixture ``second_server``: the URL of an empty database on a server of its own.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

from tests.kit.instances import database_url

ROOT = Path(__file__).resolve().parents[2]

on_postgres = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="backups are pg_dump's and pg_restore's: PostgreSQL only (make test runs on it)",
)


def run_script(name: str, database_url: str, **environment: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / name)],
        env={**os.environ, "DATABASE_URL": database_url, **environment},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _postgres_bin() -> Path:
    installed = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda path: int(path.split("/")[4])
    )
    return Path(installed[-1]).parent if installed else Path(shutil.which("initdb")).parent


@pytest.fixture
def second_server():
    pg_bin = _postgres_bin()
    as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    folder = Path(tempfile.mkdtemp(prefix="styrmodell-restore-"))
    folder.chmod(0o755)
    if as_owner:
        shutil.chown(folder, "postgres", "postgres")

    def server(*command: str) -> None:
        subprocess.run([*as_owner, str(pg_bin / command[0]), *command[1:]], check=True, capture_output=True)

    server(
        "initdb", "-D", f"{folder}/data", "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"
    )
    try:
        server(
            "pg_ctl", "-D", f"{folder}/data", "-l", f"{folder}/server.log", "-w",
            "-o", f"-c listen_addresses='' -k {folder} -c fsync=off", "start",
        )  # fmt: skip
        server("createdb", "-h", str(folder), "-U", "postgres", "styrmodell")
        yield database_url({"USER": "postgres", "HOST": str(folder), "NAME": "styrmodell"})
    finally:
        subprocess.run(
            [*as_owner, str(pg_bin / "pg_ctl"), "-D", f"{folder}/data", "-m", "immediate", "stop"],
            capture_output=True,
            check=False,
        )
        shutil.rmtree(folder, ignore_errors=True)
