"""The backup drill (docs/operations.md, *Check a backup*): a database filled as the demo fills it,
backed up by ``make backup``'s script, restored by ``make restore``'s into an empty second server,
holds exactly what the first held, and the portal reads and writes it there."""

import io
import os
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from goals.chain.workflow import Status
from goals.models import Decision, FollowUp, Goal, Measurement
from notices.models import Notice
from orgunits.models import OrgUnit
from tests.kit.instances import database_url
from tests.operations.servers import ROOT, on_postgres, run_script

pytestmark = [on_postgres, pytest.mark.django_db(transaction=True)]

TABLES = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
# Every sequence with the column it numbers, and where it stands.
SEQUENCES = """
    SELECT seq.relname, tab.relname, col.attname, s.last_value
    FROM pg_depend dep
    JOIN pg_class seq ON seq.oid = dep.objid AND seq.relkind = 'S'
    JOIN pg_class tab ON tab.oid = dep.refobjid
    JOIN pg_attribute col ON col.attrelid = tab.oid AND col.attnum = dep.refobjsubid
    JOIN pg_sequences s ON s.sequencename = seq.relname AND s.schemaname = 'public'
    ORDER BY seq.relname
"""


# Run by ``manage.py shell`` against the restored database: one page asked for, its status and HTML.
SHOW_PAGE = (
    "from django.test import Client; "
    "page = Client(HTTP_HOST='localhost').get('%s'); "
    "print('status', page.status_code); print(page.content.decode())"
)


def rows_of(cursor, table: str) -> list[tuple]:
    cursor.execute(f'SELECT * FROM "{table}" AS r ORDER BY r::text')
    return cursor.fetchall()


def test_a_restored_backup_holds_every_row_and_the_portal_serves_from_it(tmp_path, second_server):
    call_command("seed_demo", stdout=io.StringIO())
    # What the demo's seeding writes through the services: the workflow's steps, their history and
    # notices, indicators with measurements, follow-ups; the drill must carry each of them.
    assert Goal.objects.filter(status=Status.RETURNED).exists()
    assert Goal.objects.filter(status=Status.APPROVED).exists()
    assert Goal.history.filter(history_type="~").exists()
    assert Decision.objects.exists() and Measurement.objects.exists() and FollowUp.objects.exists()
    assert Notice.objects.exists()
    live_url = database_url(connection.settings_dict)
    backup = tmp_path / "drill.dump"

    backed_up = run_script("backup.py", live_url, BACKUP_FILE=str(backup))
    assert backed_up.returncode == 0, backed_up.stderr
    assert backed_up.stdout.startswith(f"Backed up {connection.settings_dict['NAME']} on ")
    assert f" to {backup} (" in backed_up.stdout
    assert backup.stat().st_mode & 0o777 == 0o600  # names, e-mail addresses and password hashes

    restored = run_script("restore.py", second_server, BACKUP_FILE=str(backup))
    assert restored.returncode == 0, restored.stderr
    counts = (
        f"{OrgUnit.objects.count()} units, {Goal.objects.count()} goals, "
        f"{Measurement.objects.count()} measurements, {get_user_model().objects.count()} users."
    )
    assert restored.stdout.strip().endswith(counts)

    with closing(psycopg2.connect(live_url)) as live, closing(psycopg2.connect(second_server)) as copy:
        live_cursor, copy_cursor = live.cursor(), copy.cursor()
        live_cursor.execute(TABLES)
        tables = [name for (name,) in live_cursor.fetchall()]
        copy_cursor.execute(TABLES)
        assert [name for (name,) in copy_cursor.fetchall()] == tables
        # Every installed app's tables, the many-to-many and the history tables among them.
        assert set(connection.introspection.django_table_names()) <= set(tables)
        for table in tables:
            assert rows_of(copy_cursor, table) == rows_of(live_cursor, table), table
        # The tree fields came as they were, so the trees are whole there too.
        copy_cursor.execute("SELECT count(*) FROM goals_goal WHERE path <> '' AND depth > 0")
        assert copy_cursor.fetchone()[0] == Goal.objects.count()

        live_cursor.execute(SEQUENCES)
        sequences = live_cursor.fetchall()
        copy_cursor.execute(SEQUENCES)
        assert copy_cursor.fetchall() == sequences
        # A row added after the restore takes an id after every id restored, in every table.
        for sequence, table, column, _last_value in sequences:
            copy_cursor.execute(f'SELECT nextval(\'{sequence}\'), (SELECT max("{column}") FROM "{table}")')
            next_id, highest = copy_cursor.fetchone()
            assert highest is None or next_id > highest, table
        copy.rollback()

    # The drill an operator runs (make backup-check): restored into a throwaway server once more,
    # the portal checks it and finds every tree whole.
    checked = subprocess.run(
        [str(ROOT / "scripts" / "check-backup.sh")],
        env={
            **os.environ,
            "BACKUP_FILE": str(backup),
            "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert counts in checked.stdout
    assert "System check identified no issues (0 silenced)." in checked.stdout
    assert "Organisationsträdet och alla målkedjor är hela." in checked.stdout  # check_chains, in Swedish
    assert checked.stdout.strip().endswith(f"The backup {backup} restores and the portal reads it.")

    # A decided goal's page, as a visitor asks for it, rendered by the portal from the restored copy.
    goal = Goal.objects.filter(status=Status.APPROVED).order_by("pk").last()
    page = subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "shell",
            "-c",
            SHOW_PAGE % reverse("goals:detail", args=[goal.pk]),
        ],
        env={**os.environ, "DATABASE_URL": second_server},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert page.returncode == 0, page.stderr
    # (the shell may first say which names it could not import for itself)
    printed = "\n" + page.stdout
    status, html = printed[printed.index("\nstatus ") + 1 :].split("\n", 1)
    assert status == "status 200"
    assert escape(goal.title) in html
