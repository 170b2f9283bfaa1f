"""``bench/run.py`` in a tiny configuration, end to end, so that the harness cannot rot unnoticed.

It runs the real thing on a database of its own: migrate, seed_scale, gunicorn with production
settings, the measured rounds, locust with the CPU it cost gunicorn and PostgreSQL, both imports,
EXPLAIN on PostgreSQL, and both reports (docs/performance.md, docs/deployment.md).
"""

import json
import os
import re
import subprocess
import sys
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import dj_database_url
import psycopg2
import pytest
from django.conf import settings
from psycopg2 import sql

ROOT = Path(__file__).resolve().parents[2]
TINY = [
    *("--units", "40", "--goals", "300", "--indicators", "20", "--measurements", "500", "--processes", "4"),
    *("--rounds", "3", "--samples", "2", "--warmup", "1", "--cpu-requests", "3"),
    *("--clients", "2", "--duration", "3", "--import-rows", "200"),
]


@dataclass
class TinyRun:
    """What one tiny run wrote: its raw results and the two documents it filled in."""

    measured: dict
    report: str
    deployment: str
    plans: str


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory) -> TinyRun:
    """One tiny run of the bench, for the tests of this module to read (it takes a minute or two)."""
    folder = tmp_path_factory.mktemp("bench")
    report = folder / "performance.md"
    report.write_text(
        "# Performance\n\nWritten by hand.\n\n<!-- bench:start -->\nold results\n<!-- bench:end -->\n\nWhy.\n"
    )
    deployment = folder / "deployment.md"
    deployment.write_text(
        "# Deployment\n\n## Sizing\n\n<!-- capacity:start -->\nold figures\n<!-- capacity:end -->\n\nHow.\n"
    )
    results = folder / "results.json"
    plans = folder / "plans.json"
    with empty_database(folder) as database_url:
        run = subprocess.run(
            [
                *(sys.executable, "bench/run.py", *TINY, "--output", str(report)),
                *("--deployment", str(deployment), "--json", str(results), "--plans", str(plans)),
            ],
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": database_url},
            capture_output=True,
            text=True,
            timeout=600,
        )
    assert run.returncode == 0, run.stdout + run.stderr
    return TinyRun(
        json.loads(results.read_text()), report.read_text(), deployment.read_text(), plans.read_text()
    )


@contextmanager
def empty_database(folder: Path):
    """A URL of an empty database beside the test database: on its PostgreSQL server, or a file."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        yield f"sqlite:///{folder / 'bench.sqlite3'}"
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


def test_a_tiny_run_measures_every_page_and_writes_the_report_between_the_markers(tiny_run):
    measured = tiny_run.measured
    assert measured["data"]["units"] == 40
    assert measured["floor"]["queries"] == 1
    assert measured["layout"]["median_ms"] > 0
    assert measured["layout"]["queries"] == 0
    for page in measured["pages"]:
        assert page["queries"] > 0, page
        assert 0 < page["median_ms"] <= page["p95_ms"], page
        # Three rounds of two requests each, and each round's median against the layout's.
        assert page["samples"] == 6, page
        assert len(page["rounds_layout"]) == 3, page
        assert min(page["rounds_layout"]) <= page["median_layout"] * 1.5, page
    assert measured["throughput"]["layout"] > 0
    assert measured["throughput"]["floor"] > 0
    assert measured["throughput"]["mix"] > 0
    assert [run["rows"] for run in measured["imports"]] == [200, 200]
    text = tiny_run.report
    assert text.startswith("# Performance\n\nWritten by hand.\n\n<!-- bench:start -->\n")
    assert text.endswith("<!-- bench:end -->\n\nWhy.\n")
    assert "old results" not in text
    for page in measured["pages"]:
        assert f"| {page['name']} | {page['median_ms']} ms | {page['median_layout']:.1f}× |" in text
    assert re.search(r"Load average \(1, 5, 15 min\) [\d.]+ [\d.]+ [\d.]+ before the measuring, [\d.]+", text)
    assert "- ≤ 12 queries: " in text
    assert "the organisation tree ≤ 40 KB on the wire" in text
    if settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        assert len(measured["plans"]) == 3


def test_a_tiny_run_measures_the_public_view_and_what_each_page_costs(tiny_run):
    rows = {page["name"]: page for page in tiny_run.measured["pages"]}
    # An anonymous visitor's rows, for the pages one may read; none for a signed-in user's own.
    assert "Organisation tree (anonymous)" in rows
    assert "My goals (anonymous)" not in rows
    # The whole-group pages again as the first visitor after a change sees them (their cache emptied
    # before each request): more queries than when served from the cache.
    assert tiny_run.measured["whole_group_cache"] is True
    for name in ("Organisation tree", "Process matrix"):
        assert rows[f"{name} (uncached)"]["kind"] == "whole group, uncached"
        assert rows[f"{name} (uncached)"]["queries"] > rows[name]["queries"]
    tree = rows["Organisation tree"]
    # Compressed on the wire: a browser gets the tree's HTML in gzip or brotli, far below its size.
    assert 0 < tree["transferred_kb"] < tree["kb"]
    for page in rows.values():
        assert page["sql_ms"] > 0, page
        assert page["sql_ms"] < page["median_ms"], page
        assert page["slowest_query_ms"] <= page["sql_ms"], page
        if page["name"].endswith("(uncached)"):
            continue
        # Read for every page; the kernel counts CPU in ticks of 10 ms, which the tiny run's three
        # requests of a page served from the cache in 3 ms each may not reach.
        assert page["app_cpu_ms"] >= 0, page
    # The pages that render from the database do reach it.
    assert rows["Chain tree, one administration"]["app_cpu_ms"] > 0
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        assert all(page["explain"] is None for page in rows.values())
        return
    plans = json.loads(tiny_run.plans)
    for page in rows.values():
        explained = page["explain"]
        assert 0 < explained["slowest_ms"] <= explained["execution_ms"], page
        assert explained["slowest_node"], page
        assert plans[page["name"]], page
        assert all("Execution Time" in query["plan"] for query in plans[page["name"]])


def test_a_tiny_run_measures_the_cpu_per_request_and_writes_it_between_the_capacity_markers(tiny_run):
    capacity = tiny_run.measured["capacity"]
    # The visitor reads the public pages of the mix (the API too), never those of a signed-in user.
    assert "Organisation tree" in capacity["anonymous_pages"]
    assert "API: goals list" in capacity["anonymous_pages"]
    assert "My goals" not in capacity["anonymous_pages"]
    on_postgresql = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    for mix in ("floor", "manager", "anonymous"):
        measured = capacity[mix]
        assert measured["requests"] > 0, mix
        assert measured["app_cpu_seconds"] > 0, mix
        assert measured["client_cpu_seconds"] > 0, mix  # locust's own, on the same cores
        assert measured["app_cpu_ms_per_request"] == pytest.approx(
            1000 * measured["app_cpu_seconds"] / measured["requests"]
        )
        if on_postgresql:
            assert measured["database_cpu_seconds"] > 0, mix
        else:
            assert measured["database_cpu_seconds"] is None, mix
    # The heavy pages cost the application more CPU than the floor's single query.
    assert capacity["manager"]["app_cpu_ms_per_request"] > capacity["floor"]["app_cpu_ms_per_request"]
    text = tiny_run.deployment
    assert text.startswith("# Deployment\n\n## Sizing\n\n<!-- capacity:start -->\nMeasured on ")
    assert text.endswith("<!-- capacity:end -->\n\nHow.\n")
    assert "old figures" not in text
    manager = capacity["manager"]
    assert (
        f"| {manager['requests']:,} | {manager['per_second']:.1f} | {manager['app_cpu_ms_per_request']:.2f} ms "
        f"| {manager['requests_per_app_core_second']:.1f} |"
    ) in text
