"""``bench/run.py`` in a tiny configuration, end to end, so that the harness cannot rot unnoticed.

It runs the real thing on a database of its own: migrate, seed_scale, gunicorn with production
settings, the measured rounds, locust, both imports, EXPLAIN on PostgreSQL, and the report.
"""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg2
import pytest
from django.conf import settings
from psycopg2 import sql

ROOT = Path(__file__).resolve().parents[2]
TINY = [
    *("--units", "40", "--goals", "300", "--indicators", "20", "--measurements", "500", "--processes", "4"),
    *("--rounds", "2", "--warmup", "1", "--clients", "2", "--duration", "3", "--import-rows", "200"),
]


@pytest.fixture
def empty_database_url(tmp_path):
    """A URL of an empty database beside the test database: on its PostgreSQL server, or a file."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{tmp_path / 'bench.sqlite3'}"
        return
    name = f"bench_{uuid.uuid4().hex[:12]}"
    url = dj_database_url.parse(os.environ["DATABASE_URL"])
    server = psycopg2.connect(
        dbname="postgres",
        user=url["USER"],
        password=url["PASSWORD"],
        host=url["HOST"],
        port=url["PORT"] or None,
    )
    server.autocommit = True
    with server.cursor() as cursor:
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        host = url["HOST"].replace("/", "%2F")
        yield f"postgres://{url['USER']}@{host}{':' + str(url['PORT']) if url['PORT'] else ''}/{name}"
    finally:
        with server.cursor() as cursor:
            cursor.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        server.close()


def test_a_tiny_run_measures_every_page_and_writes_the_report_between_the_markers(
    tmp_path, empty_database_url
):
    report = tmp_path / "performance.md"
    report.write_text(
        "# Performance\n\nWritten by hand.\n\n<!-- bench:start -->\nold results\n<!-- bench:end -->\n\nWhy.\n"
    )
    results = tmp_path / "results.json"

    run = subprocess.run(
        [sys.executable, "bench/run.py", *TINY, "--output", str(report), "--json", str(results)],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": empty_database_url},
        capture_output=True,
        text=True,
        timeout=600,
    )

    assert run.returncode == 0, run.stdout + run.stderr
    measured = json.loads(results.read_text())
    assert measured["data"]["units"] == 40
    assert measured["floor"]["queries"] == 1
    assert measured["layout"]["median_ms"] > 0
    for page in measured["pages"]:
        assert page["queries"] > 0, page
        assert 0 < page["median_ms"] <= page["p95_ms"], page
    assert measured["throughput"]["floor"] > 0
    assert measured["throughput"]["mix"] > 0
    assert [run["rows"] for run in measured["imports"]] == [200, 200]
    text = report.read_text()
    assert text.startswith("# Performance\n\nWritten by hand.\n\n<!-- bench:start -->\n")
    assert text.endswith("<!-- bench:end -->\n\nWhy.\n")
    assert "old results" not in text
    for page in measured["pages"]:
        assert f"| {page['name']} | {page['median_ms']} ms | {page['ratio']}× |" in text
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        assert len(measured["plans"]) == 3
