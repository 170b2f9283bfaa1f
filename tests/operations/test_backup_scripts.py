"""Where ``make backup`` puts a backup, and what it and ``make restore`` refuse, each with a message
that says what to do, having changed nothing."""

import re

import pytest
from django.db import connection

from tests.kit.instances import database_url
from tests.operations.servers import on_postgres, run_script

pytestmark = on_postgres

NOT_POSTGRES = (
    "not PostgreSQL: make backup and make restore work on PostgreSQL only. For SQLite, stop the portal "
    'and copy the file, or run: sqlite3 FILE ".backup COPY" (docs/operations.md).'
)


def test_a_sqlite_database_is_copied_instead(tmp_path):
    database = f"sqlite:///{tmp_path}/portal.sqlite3"

    backed_up = run_script("backup.py", database, BACKUP_FILE=str(tmp_path / "portal.dump"))
    restored = run_script("restore.py", database, BACKUP_FILE=__file__)

    assert (backed_up.returncode, restored.returncode) == (1, 1)
    assert (
        backed_up.stderr
        == f"backup.py: The portal's database is sqlite3 ({tmp_path}/portal.sqlite3), {NOT_POSTGRES}\n"
    )
    assert (
        restored.stderr
        == f"restore.py: The portal's database is sqlite3 ({tmp_path}/portal.sqlite3), {NOT_POSTGRES}\n"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_a_backup_without_a_name_is_dated_in_the_backup_folder(tmp_path):
    backed_up = run_script(
        "backup.py", database_url(connection.settings_dict), BACKUP_FILE="", BACKUP_DIR=str(tmp_path)
    )

    assert backed_up.returncode == 0, backed_up.stderr
    [backup] = tmp_path.iterdir()
    assert re.fullmatch(r"styrmodell-\d{8}-\d{6}\.dump", backup.name)
    assert f" to {backup} (" in backed_up.stdout


@pytest.mark.django_db
def test_a_backup_never_overwrites_a_file(tmp_path):
    earlier = tmp_path / "earlier.dump"
    earlier.write_text("yesterday's backup")

    backed_up = run_script("backup.py", database_url(connection.settings_dict), BACKUP_FILE=str(earlier))

    assert backed_up.returncode == 1
    assert backed_up.stderr == f"backup.py: {earlier} exists already; name another file with BACKUP_FILE.\n"
    assert earlier.read_text() == "yesterday's backup"


def test_a_restore_names_its_backup(second_server):
    restored = run_script("restore.py", second_server, BACKUP_FILE="")

    assert restored.returncode == 1
    assert restored.stderr == "restore.py: Name the backup to restore: BACKUP_FILE=var/backups/....dump\n"


def test_a_file_that_is_no_backup_restores_nothing(tmp_path, second_server):
    not_a_backup = tmp_path / "notes.dump"
    not_a_backup.write_text("not a dump")

    restored = run_script("restore.py", second_server, BACKUP_FILE=str(not_a_backup))

    assert restored.returncode == 1
    assert restored.stderr.endswith("restore.py: pg_restore failed (exit status 1); nothing was restored.\n")
    assert (
        run_script("restore.py", second_server, BACKUP_FILE=str(not_a_backup)).stderr.count("not empty") == 0
    )


@pytest.mark.django_db
def test_a_restore_over_a_database_with_tables_waits_to_be_told(tmp_path, second_server):
    backup = tmp_path / "portal.dump"
    assert (
        run_script("backup.py", database_url(connection.settings_dict), BACKUP_FILE=str(backup)).returncode
        == 0
    )
    assert run_script("restore.py", second_server, BACKUP_FILE=str(backup)).returncode == 0

    again = run_script("restore.py", second_server, BACKUP_FILE=str(backup))
    assert again.returncode == 1
    assert re.fullmatch(
        r"restore.py: styrmodell on /tmp/\S+ is not empty: it holds \d+ tables, views or sequences\. "
        r"Restore into a new, empty database \(createdb\), or set RESTORE_REPLACE=1 to drop and "
        r"replace what the backup holds\.\n",
        again.stderr,
    )

    replaced = run_script("restore.py", second_server, BACKUP_FILE=str(backup), RESTORE_REPLACE="1")
    assert replaced.returncode == 0, replaced.stderr
    assert replaced.stdout.startswith(f"Restored {backup} into styrmodell on /tmp/")
