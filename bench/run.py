"""Measure the portal at the scale of a large municipal group, over HTTP, as ratios to the layout page.

    make bench                                   # the default scale, on a throwaway PostgreSQL
    scripts/with-postgres.sh python bench/run.py [--units N ...] [--output FILE]

On the empty database ``DATABASE_URL`` names, it migrates and runs ``seed_scale``, serves the portal
under gunicorn with production settings and benchmarking switched on (``STYRMODELL_BENCHMARK``),
and then, in one run:

1. requests every heavy page (as a manager, and as an anonymous visitor where one may read it),
   the layout page and the floor view in three measuring rounds; in each, every page ``--samples``
   times in a shuffled order. It reads the server's own time, its SQL time, its slowest query and
   its query count from each response (``styrmodell/benchmarking.py``). The pages of the whole
   group are also timed just after their cache was emptied (``POST /bench/invalidate/``);
2. requests each page ``--cpu-requests`` times in a row and reads from ``/proc`` the CPU seconds
   gunicorn (master and workers) and PostgreSQL spent meanwhile, for the CPU of one request of it;
3. requests each page once as a browser would, accepting gzip and brotli, for its size on the wire;
4. runs locust with a few clients against the floor view, the layout page, the manager's read
   mix and the anonymous visitor's, for requests per second and the CPU per request of each;
5. explains each page's queries in this process (``bench/explain.py``: EXPLAIN ANALYZE on
   PostgreSQL), imports measurements from a file and from a Kolada-shaped server
   (``bench/imports.py``), and EXPLAINs the subtree queries, to show that they use the path indexes.

It writes the results, with the machine, its load average before and after, and the data size,
between the markers in the output file (``docs/performance.md``; ``bench/report.py`` renders it),
the CPU per request between the capacity markers of ``docs/deployment.md``, and the full plans to
``--plans``, leaving the text around the markers alone. Times are reported as ratios to the layout
page and the floor measured in the same rounds, since the machines it runs on are shared and noisy;
``bench/targets.py`` holds the issue's targets the report checks.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script (python bench/run.py), bench/ is not importable otherwise
    sys.path.insert(0, str(ROOT))

from bench.report import capacity_report, report  # noqa: E402
from bench.targets import Kind  # noqa: E402

START_MARKER = "<!-- bench:start -->"
END_MARKER = "<!-- bench:end -->"
CAPACITY_START = "<!-- capacity:start -->"
CAPACITY_END = "<!-- capacity:end -->"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
TIMING = re.compile(r"app;dur=(?P<app>[\d.]+)(?:, sql;dur=(?P<sql>[\d.]+))?")
# A browser's request: the compressed size on the wire is what a visitor waits for.
BROWSER_ENCODINGS = {"Accept-Encoding": "gzip, br"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    scale = parser.add_argument_group("data (seed_scale)")
    scale.add_argument("--units", type=int, default=2000)
    scale.add_argument("--goals", type=int, default=20000)
    scale.add_argument("--indicators", type=int, default=2000)
    scale.add_argument("--measurements", type=int, default=200000)
    scale.add_argument("--processes", type=int, default=40)
    scale.add_argument(
        "--years",
        type=int,
        default=4,
        help="years the goals are spread over, where seed_scale can (default 4)",
    )
    scale.add_argument("--seed", type=int, default=1)
    how = parser.add_argument_group("measuring")
    how.add_argument("--rounds", type=int, default=3, help="measuring rounds (default 3)")
    how.add_argument(
        "--samples", type=int, default=34, help="requests of each page per round, shuffled (default 34)"
    )
    how.add_argument(
        "--warmup", type=int, default=3, help="requests of each page first, not measured (default 3)"
    )
    how.add_argument(
        "--cpu-requests", type=int, default=30, help="requests in a row per page for its CPU (default 30)"
    )
    how.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    how.add_argument("--clients", type=int, default=4, help="concurrent locust clients (default 4)")
    how.add_argument("--duration", type=int, default=30, help="seconds per throughput run (default 30)")
    how.add_argument("--import-rows", type=int, default=100000, help="rows per import (default 100000)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--deployment", type=Path, default=ROOT / "docs" / "deployment.md", help="where the capacity goes"
    )
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    parser.add_argument(
        "--plans",
        type=Path,
        default=ROOT / "bench" / "plans.json",
        help="where the full EXPLAIN ANALYZE plans of each page go (default bench/plans.json)",
    )
    return parser.parse_args(argv)


@dataclass
class Target:
    """A row of the report: a page, its path, how it authenticates, and what was measured of it."""

    name: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    kind: Kind = Kind.PAGE
    # Served from the shared cache of the whole-group pages: also measured as an uncached row.
    cached: bool = False
    # Measured just after emptying that cache: every sample is the first request after a change.
    uncached: bool = False
    rounds: list[list[float]] = field(default_factory=list)  # server ms, one list per round
    sql_ms: list[float] = field(default_factory=list)
    slowest_query_ms: list[float] = field(default_factory=list)
    queries: set[int] = field(default_factory=set)
    size: int = 0
    transferred: int = 0
    app_cpu_ms: float | None = None
    database_cpu_ms: float | None = None
    explain: dict | None = None

    @property
    def server_ms(self) -> list[float]:
        return [sample for round_ in self.rounds for sample in round_]

    def median(self) -> float:
        return statistics.median(self.server_ms)

    def p95(self) -> float:
        return percentile_95(self.server_ms)

    def round_medians(self) -> list[float]:
        return [statistics.median(round_) for round_ in self.rounds]


def percentile_95(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=20, method="inclusive")[18]


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("bench: set DATABASE_URL to an empty database (make bench does).")
    os.environ.update(production_environment())
    started = time.perf_counter()
    manage("migrate", "--no-input", "-v0")
    manage("collectstatic", "--no-input", "-v0")
    seconds = time.perf_counter()
    years = ("--years", str(args.years)) if "--years" in manage("seed_scale", "--help") else ()
    seeded = manage(
        "seed_scale",
        *("--units", str(args.units), "--goals", str(args.goals), "--indicators", str(args.indicators)),
        *("--measurements", str(args.measurements), "--processes", str(args.processes)),
        *("--seed", str(args.seed), *years),
    )
    seed_seconds = time.perf_counter() - seconds
    print(seeded, end="", flush=True)

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styrmodell.settings")
    django.setup()
    analyze()
    floor, layout, pages, year = targets()
    data = data_size()
    port = free_port()
    database_pid = database_server_pid()
    with gunicorn(port, args.workers) as server:
        base = f"http://127.0.0.1:{port}"
        anonymous_pages = readable_anonymously(base, pages)
        whole_group_cache = can_empty_cache(base)
        uncached_pages = uncached_rows(pages) if whole_group_cache else []
        if not whole_group_cache:
            for page in pages:  # no cache: what the rounds measure is the uncached page
                if page.cached:
                    page.kind = Kind.WHOLE_GROUP_UNCACHED if page.kind == Kind.WHOLE_GROUP else page.kind
        rows = [floor, layout, *pages, *uncached_pages, *anonymous_pages]
        load_before = load_average()
        measure(base, rows, rounds=args.rounds, samples=args.samples, warmup=args.warmup)
        cpu = {"app_pid": server.process.pid, "database_pid": database_pid}
        cpu_per_page(base, rows, requests_in_a_row=args.cpu_requests, **cpu)
        sizes_on_the_wire(base, rows)
        load = {"clients": args.clients, "duration": args.duration}
        floor_run = throughput(base, [floor], **load, **cpu)
        layout_run = throughput(base, [layout], **load, **cpu)
        mix_run = throughput(base, pages, **load, **cpu)
        anonymous_run = throughput(base, anonymous_pages, **load, **cpu) if anonymous_pages else None
        load_after = load_average()
    explain_pages(rows)
    from bench.imports import measure_imports

    imports = measure_imports(args.import_rows)
    plans = explain_subtree_queries()
    summaries = [summary(row, floor, layout) for row in rows]
    results = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "load_average": {"before": load_before, "after": load_after},
        "data": data,
        "year": year,
        "seed_seconds": round(seed_seconds, 1),
        "settings": {
            "workers": args.workers,
            "clients": args.clients,
            "duration": args.duration,
            "rounds": args.rounds,
            "samples": args.samples,
            "cpu_requests": args.cpu_requests,
        },
        "whole_group_cache": whole_group_cache,
        "floor": summaries[0],
        "layout": summaries[1],
        "pages": summaries[2:],
        "throughput": {
            "floor": floor_run.per_second,
            "layout": layout_run.per_second,
            "mix": mix_run.per_second,
            "share": mix_run.per_second / floor_run.per_second,
            "share_of_layout": mix_run.per_second / layout_run.per_second,
            "mix_cpu_ms": mix_run.total_cpu_ms_per_request(),
            # The share of a core locust used while it measured the mix, on the cores the servers share.
            "client_cores": mix_run.client_cpu_seconds / args.duration,
        },
        "capacity": {
            "floor": floor_run.as_dict(),
            "layout": layout_run.as_dict(),
            "manager": mix_run.as_dict(),
            "anonymous": anonymous_run.as_dict() if anonymous_run else None,
            "manager_pages": [page.name for page in pages],
            "anonymous_pages": [
                page.name for page in pages if page.path in {row.path for row in anonymous_pages}
            ],
        },
        "imports": imports,
        "plans": plans,
    }
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    args.plans.write_text(
        json.dumps({row.name: row.explain["queries"] for row in rows if row.explain}, indent=1) + "\n"
    )
    performance, capacity = report(results), capacity_report(results)
    write_between_markers(args.output, START_MARKER, END_MARKER, performance, title="# Performance")
    write_between_markers(args.deployment, CAPACITY_START, CAPACITY_END, capacity, title="# Deployment")
    print(performance)
    print(capacity)
    print(
        f"bench: done in {time.perf_counter() - started:.0f} s, written to {args.output}, plans to {args.plans}"
    )


def production_environment() -> dict[str, str]:
    """Production settings, served over plain HTTP on the loopback, with benchmarking on."""
    return {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "STYRMODELL_BENCHMARK": "true",
    }


def manage(*args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"bench: manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def analyze() -> None:
    """The tables as autovacuum leaves a real database after the bulk load: fresh planner statistics,
    and the visibility map set, without which PostgreSQL reads the table itself where an index-only
    scan serves a settled one (a count of the year's goals: 13-20 ms against 1.6)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")


def targets() -> tuple[Target, Target, list[Target], int]:
    """The floor, a page of the portal's layout alone, and the heavy pages, for a manager of the
    largest administration, in the year the portal shows by default (the current one); and that year.

    The pages are the worst of their kind in the data: the administration with the most units, its
    operational goal of the year with the most activities below it, the process most goals of the
    year serve.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from goals.chain.levels import Level
    from goals.models import Goal, Period
    from orgunits.kinds import Kind as UnitKind
    from orgunits.models import Membership, OrgUnit, Role
    from processes.models import Process

    # The year a visitor sees without choosing one (goals/chain/chosen_period.py): this year, or the
    # latest before it; with the data spread over several years, the other years only weigh on the
    # queries, as a real database's past years do.
    period = (
        Period.objects.filter(year__lte=date.today().year, goals__isnull=False).order_by("-year").first()
        or Period.objects.filter(goals__isnull=False).order_by("year").first()
    )
    administrations = OrgUnit.objects.filter(kind=UnitKind.ADMINISTRATION)
    administration = max(administrations, key=lambda unit: OrgUnit.objects.get_tree(unit).count())
    goals = Goal.objects.filter(org_unit=administration, level=Level.OPERATIONAL, period=period)
    goal = max(goals, key=lambda goal: Goal.objects.get_descendant_count(goal))
    top = OrgUnit.objects.get_first_root_node()
    process = (
        Process.objects.annotate(goal_count=Count("goals", filter=Q(goals__period=period)))
        .order_by("-goal_count", "pk")
        .first()
    )

    manager, _ = get_user_model().objects.get_or_create(
        username="bench.manager", defaults={"first_name": "Bench"}
    )
    Membership.objects.get_or_create(user=manager, org_unit=administration, role=Role.MANAGER)
    client = Client()
    client.force_login(manager, backend="signin.backends.PasswordBackend")
    session = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    }
    token = {"Authorization": f"Token {Token.objects.get_or_create(user=manager)[0].key}"}
    floor = Target("Floor view (one trivial query)", "/bench/floor/", session, kind=Kind.FLOOR)
    # What the portal's layout costs before a page shows any data: every page is read against it.
    layout = Target("The layout alone: the sign-in page", "/accounts/login/", kind=Kind.LAYOUT)
    year = period.year
    pages = [
        Target("Chain tree, one administration", f"/goals/?unit={administration.slug}", session),
        Target("Goal page, operational goal", f"/goals/{goal.pk}/", session),
        Target("Unit page, the top unit", f"/organisation/{top.slug}/", session),
        Target("Organisation tree", "/organisation/", session, kind=Kind.WHOLE_GROUP, cached=True),
        Target("Process page", f"/processes/{process.slug}/", session),
        Target("Process matrix", "/goals/matrix/", session, kind=Kind.WHOLE_GROUP, cached=True),
        Target("Report, one administration", f"/goals/report/?unit={administration.slug}", session),
        Target("My goals", "/goals/mine/", session),
        Target("Indicator list", "/goals/indicators/", session),
        # A word in the title of many goals, in another inflection: stemmed and ranked across them all.
        Target("Search, a word of many goals", "/search/?q=handl%C3%A4ggningstid", session),
        Target("Chain health, the whole group", f"/goals/health/?period={year}", session, cached=True),
        Target(
            "Chain health, one administration",
            f"/goals/health/?period={year}&unit={administration.slug}",
            session,
        ),
        Target("API: goals list", "/api/v1/goals/", token, kind=Kind.API_LIST),
        Target("API: org units list", "/api/v1/orgunits/", token, kind=Kind.API_LIST),
        Target("API: a goal's chain", f"/api/v1/goals/{goal.pk}/chain/", token, kind=Kind.API_CHAIN),
        Target(
            "API: chain health, the whole group", f"/api/v1/chain-health/?period={year}", token, cached=True
        ),
    ]
    return floor, layout, pages, year


def data_size() -> dict[str, int]:
    from goals.models import Goal, Indicator, Measurement
    from orgunits.models import OrgUnit
    from processes.models import Process

    return {
        "units": OrgUnit.objects.count(),
        "goals": Goal.objects.count(),
        "indicators": Indicator.objects.count(),
        "measurements": Measurement.objects.count(),
        "processes": Process.objects.count(),
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class gunicorn:
    """The portal under gunicorn for the duration of a ``with`` block."""

    def __init__(self, port: int, workers: int):
        self.port = port
        self.workers = workers

    def __enter__(self):
        self.log = tempfile.TemporaryFile()
        # The production config (styrmodell/gunicorn_conf.py), its address and workers set as an
        # operator sets them, so that the bench measures what production runs, access log included.
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:styrmodell.gunicorn_conf", "styrmodell.wsgi"],
            env={
                **os.environ,
                "STYRMODELL_BIND": f"127.0.0.1:{self.port}",
                "WEB_CONCURRENCY": str(self.workers),
            },
            cwd=ROOT,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"http://127.0.0.1:{self.port}/bench/floor/", timeout=5).ok:
                    return self
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.__exit__(None, None, None)
        raise SystemExit("bench: gunicorn did not answer:\n" + self.output())

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)
        self.log.close()


def measure(base: str, rows: list[Target], *, rounds: int, samples: int, warmup: int) -> None:
    """Each round requests every row ``samples`` times, all in one shuffled order, so that a noisy
    moment of the machine falls on every page alike; each round's samples are kept apart, for the
    spread between rounds.

    The uncached rows come after each round's shuffle, each sample right after a ``POST`` that
    empties the cache; every other page is then requested once more unmeasured, so that the next
    round finds what the cache holds cached, as a visitor would.
    """
    order = random.Random(1)
    uncached = [row for row in rows if row.uncached]
    warm = [row for row in rows if not row.uncached]
    with requests.Session() as http:
        for row in warm * warmup:
            _get(http, base, row)
        for row in rows:
            row.rounds = [[] for _ in range(rounds)]
        for round_number in range(rounds):
            for row in order.sample(warm * samples, len(warm) * samples):
                _record(row, round_number, _get(http, base, row))
            for row in order.sample(uncached * samples, len(uncached) * samples):
                empty_cache(http, base)
                _record(row, round_number, _get(http, base, row))
            if uncached:  # every page the cache holds (not only the rows marked cached), once
                for row in warm:
                    _get(http, base, row)


def _get(http: requests.Session, base: str, row: Target) -> requests.Response:
    response = http.get(base + row.path, headers=row.headers, allow_redirects=False, timeout=300)
    if response.status_code != 200:
        raise SystemExit(f"bench: {row.path} answered {response.status_code}")
    return response


def _record(row: Target, round_number: int, response: requests.Response) -> None:
    timing = TIMING.search(response.headers["Server-Timing"])
    row.rounds[round_number].append(float(timing["app"]))
    row.sql_ms.append(float(timing["sql"] or 0))
    row.slowest_query_ms.append(float(response.headers.get("X-Slowest-Query-Ms", 0)))
    row.queries.add(int(response.headers["X-Query-Count"]))
    row.size = len(response.content)


def empty_cache(http: requests.Session, base: str) -> None:
    response = http.post(base + "/bench/invalidate/", timeout=60)
    if response.status_code != 204:
        raise SystemExit(f"bench: emptying the whole-group cache answered {response.status_code}")


def can_empty_cache(base: str) -> bool:
    """Whether the portal has a cache of the whole-group pages that the bench can empty (204), or
    none (404): then the whole-group pages are measured as they are, uncached."""
    return requests.post(base + "/bench/invalidate/", timeout=60).status_code == 204


def uncached_rows(pages: list[Target]) -> list[Target]:
    """The cached pages again, as the first visitor after a change sees them."""
    return [
        Target(
            f"{page.name} (uncached)",
            page.path,
            page.headers,
            kind=Kind.WHOLE_GROUP_UNCACHED if page.kind == Kind.WHOLE_GROUP else page.kind,
            uncached=True,
        )
        for page in pages
        if page.cached
    ]


def readable_anonymously(base: str, pages: list[Target]) -> list[Target]:
    """The heavy pages as an anonymous visitor (the public view), those of them that such a visitor
    may read (200), as rows of their own."""
    anonymous = [
        Target(f"{page.name} (anonymous)", page.path, kind=page.kind, cached=page.cached) for page in pages
    ]
    with requests.Session() as http:
        return [
            page
            for page in anonymous
            if http.get(base + page.path, allow_redirects=False, timeout=300).status_code == 200
        ]


def cpu_per_page(
    base: str, rows: list[Target], *, requests_in_a_row: int, app_pid: int, database_pid: int | None
) -> None:
    """The CPU one request of each page costs the portal and PostgreSQL: the page requested
    ``requests_in_a_row`` times, one after the other, with the servers' CPU seconds read around.

    Process counters move far less with the machine's load than wall time does. The uncached rows
    are left out: emptying the cache between their requests would be counted with them.
    """
    with requests.Session() as http:
        for row in rows:
            if row.uncached:
                continue
            app_before = cpu_seconds(app_pid)
            database_before = cpu_seconds(database_pid) if database_pid else None
            for _ in range(requests_in_a_row):
                _get(http, base, row)
            row.app_cpu_ms = 1000 * (cpu_seconds(app_pid) - app_before) / requests_in_a_row
            if database_pid:
                row.database_cpu_ms = 1000 * (cpu_seconds(database_pid) - database_before) / requests_in_a_row


def sizes_on_the_wire(base: str, rows: list[Target]) -> None:
    """Each page's bytes as sent to a browser that accepts gzip and brotli (the body still encoded)."""
    with requests.Session() as http:
        for row in rows:
            if row.uncached:
                continue
            response = http.get(
                base + row.path,
                headers={**row.headers, **BROWSER_ENCODINGS},
                allow_redirects=False,
                timeout=300,
                stream=True,
            )
            row.transferred = len(response.raw.read(decode_content=False))
            response.close()


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes (``/proc/loadavg``), as "1.02 0.85 0.60"."""
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def explain_pages(rows: list[Target]) -> None:
    """Each page's queries under EXPLAIN ANALYZE, in this process (``bench/explain.py``)."""
    from django.utils.module_loading import import_string

    from bench.explain import explain_page
    from styrmodell.benchmarking import WHOLE_GROUP_CACHE_INVALIDATION

    for row in rows:
        if row.kind == Kind.FLOOR:
            continue
        before = import_string(WHOLE_GROUP_CACHE_INVALIDATION) if row.uncached else None
        try:
            row.explain = explain_page(row.path, row.headers, before=before)
        except Exception as error:  # Reported with the row; the timed figures stand.
            print(f"bench: could not explain {row.name}: {error!r}", file=sys.stderr)


@dataclass
class Throughput:
    """One locust run: how many requests it made, how fast, and the CPU each server spent on them."""

    requests: int
    per_second: float
    app_cpu_seconds: float
    # None where the database is not a process of this machine (another host, or SQLite in the app).
    database_cpu_seconds: float | None
    # What locust itself used, on the same cores: the share of the machine the servers did not get.
    client_cpu_seconds: float = 0.0

    def total_cpu_ms_per_request(self) -> float:
        """The portal's and PostgreSQL's CPU together (on SQLite the database's is in the portal's)."""
        return 1000 * (self.app_cpu_seconds + (self.database_cpu_seconds or 0)) / self.requests

    def as_dict(self) -> dict:
        per_request = {
            "app_cpu_ms_per_request": 1000 * self.app_cpu_seconds / self.requests,
            "requests_per_app_core_second": self.requests / self.app_cpu_seconds,
            "database_cpu_ms_per_request": None,
            "requests_per_database_core_second": None,
        }
        if self.database_cpu_seconds:
            per_request["database_cpu_ms_per_request"] = 1000 * self.database_cpu_seconds / self.requests
            per_request["requests_per_database_core_second"] = self.requests / self.database_cpu_seconds
        return {
            "requests": self.requests,
            "per_second": self.per_second,
            "app_cpu_seconds": self.app_cpu_seconds,
            "database_cpu_seconds": self.database_cpu_seconds,
            "client_cpu_seconds": self.client_cpu_seconds,
            **per_request,
        }


def throughput(
    base: str, pages: list[Target], *, clients: int, duration: int, app_pid: int, database_pid: int | None
) -> Throughput:
    """Requests per second that locust's clients get, asking for the pages at random without pause,
    and the CPU seconds gunicorn and PostgreSQL spent meanwhile.

    The CPU is read per process tree, not for the whole machine, so the locust clients sharing the
    cores (and anything else running) are not counted: the CPU per request holds on a busy machine
    where the requests per second do not.
    """
    app_before = cpu_seconds(app_pid)
    database_before = cpu_seconds(database_pid) if database_pid else None
    clients_before = _reaped_children_cpu_seconds()
    requests_made, per_second = _locust(base, pages, clients=clients, duration=duration)
    app_spent = cpu_seconds(app_pid) - app_before
    database_spent = cpu_seconds(database_pid) - database_before if database_pid else None
    client_spent = _reaped_children_cpu_seconds() - clients_before
    return Throughput(requests_made, per_second, app_spent, database_spent, client_spent)


def _reaped_children_cpu_seconds() -> float:
    """The CPU seconds of this process's children that have ended (locust, once it has run)."""
    times = os.times()
    return times.children_user + times.children_system


def _locust(base: str, pages: list[Target], *, clients: int, duration: int) -> tuple[int, float]:
    with tempfile.TemporaryDirectory() as folder:
        prefix = Path(folder) / "locust"
        environment = {
            **os.environ,
            "BENCH_TARGETS": json.dumps(
                [{"name": p.name, "path": p.path, "headers": p.headers} for p in pages]
            ),
        }
        result = subprocess.run(
            [
                *(sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"),
                *("--users", str(clients), "--spawn-rate", str(clients), "--run-time", f"{duration}s"),
                *("--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"),
            ],
            cwd=ROOT,
            env=environment,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise SystemExit(f"bench: locust failed or saw failed requests:\n{result.stdout}{result.stderr}")
        with open(f"{prefix}_stats.csv", newline="") as stats:
            total = next(row for row in csv.DictReader(stats) if row["Name"] == "Aggregated")
    if int(total["Request Count"]) == 0:
        # Locust needs a second or two to start its clients; a shorter run counts nothing.
        raise SystemExit(f"bench: locust made no requests in {duration} s; give a longer --duration.")
    return int(total["Request Count"]), float(total["Requests/s"])


def cpu_seconds(pid: int) -> float:
    """The CPU seconds (user and system) a process and all its descendants have used so far.

    For each process of the tree, ``/proc/<pid>/stat`` gives its own time and that of the children it
    has already waited for (``cutime``, ``cstime``); the children alive now are added one by one. Read
    before and after, the difference is what a server spent in between, including the time of a
    worker or a backend that ended meanwhile (its parent reaped it, so it moved into ``cutime``).
    """
    children = _children_by_parent()

    def tree(process: int) -> float:
        try:
            fields = _stat_fields(process)
        except OSError:  # It ended between the listing and now: its parent holds its time.
            return 0.0
        own_and_reaped = sum(int(ticks) for ticks in fields[11:15]) / CLOCK_TICKS
        return own_and_reaped + sum(tree(child) for child in children.get(process, ()))

    return tree(pid)


def _stat_fields(pid: int) -> list[str]:
    """The fields of ``/proc/<pid>/stat`` after the command name, which may hold spaces and
    parentheses: [0] is the state, [1] the parent's id, [11:15] utime, stime, cutime, cstime."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int(_stat_fields(int(entry.name))[1])
            except OSError:
                continue
            children.setdefault(parent, []).append(int(entry.name))
    return children


def database_server_pid() -> int | None:
    """The PostgreSQL server's main process, when the server runs on this machine: the parent of
    the backend that serves this connection. None for another host or SQLite."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    try:
        if Path(f"/proc/{backend}/comm").read_text().strip() != "postgres":
            return None  # A process of this machine that happens to have the remote backend's id.
        return int(_stat_fields(backend)[1])
    except OSError:
        return None


def explain_subtree_queries() -> list[dict[str, str]]:
    """PostgreSQL's plans for the queries that select a part of the group by path prefix."""
    from django.db import connection

    from goals.models import Goal
    from orgunits.kinds import Kind
    from orgunits.models import OrgUnit

    if connection.vendor != "postgresql":
        return []
    unit = OrgUnit.objects.filter(kind=Kind.ADMINISTRATION).order_by("path").first()
    goal = Goal.objects.filter(org_unit=unit).order_by("path").first()
    queries = {
        "units under an administration": OrgUnit.objects.get_tree(unit),
        "goals of an administration's part": Goal.objects.all().in_subtree_of(unit),
        "goals below a goal": Goal.objects.get_tree(goal),
    }
    return [{"query": name, "plan": queryset.explain()} for name, queryset in queries.items()]


def summary(row: Target, floor: Target, layout: Target) -> dict:
    """A row's figures, its times as ratios to the layout page and to the floor of the same run; each
    round's median against the layout's median of that round, for the spread between rounds."""
    rounds_layout = [
        round(page / of_layout, 2)
        for page, of_layout in zip(row.round_medians(), layout.round_medians(), strict=True)
    ]
    return {
        "name": row.name,
        "path": row.path,
        "kind": str(row.kind),
        "samples": len(row.server_ms),
        "median_ms": round(row.median(), 2),
        "p95_ms": round(row.p95(), 2),
        "median_layout": round(row.median() / layout.median(), 2),
        "p95_layout": round(row.p95() / layout.median(), 2),
        "rounds_layout": rounds_layout,
        "median_floor": round(row.median() / floor.median(), 1),
        "p95_floor": round(row.p95() / floor.median(), 1),
        "queries": max(row.queries),
        "queries_vary": len(row.queries) > 1,
        "sql_ms": round(statistics.median(row.sql_ms), 2),
        "slowest_query_ms": round(statistics.median(row.slowest_query_ms), 2),
        "app_cpu_ms": None if row.app_cpu_ms is None else round(row.app_cpu_ms, 2),
        "database_cpu_ms": None if row.database_cpu_ms is None else round(row.database_cpu_ms, 2),
        "kb": round(row.size / 1024),
        "transferred_kb": round(row.transferred / 1024) if row.transferred else None,
        "explain": None
        if row.explain is None
        else {key: value for key, value in row.explain.items() if key != "queries"},
    }


def machine() -> dict[str, str]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"
    memory_kib = int((_proc_field("/proc/meminfo", "MemTotal") or "0 kB").split()[0])
    return {
        "cpu": f"{_proc_field('/proc/cpuinfo', 'model name') or platform.machine()}, {os.cpu_count()} cores",
        "memory": f"{memory_kib / 1024 / 1024:.0f} GiB",
        "python": platform.python_version(),
        "database": database,
    }


def _proc_field(path: str, name: str) -> str:
    """A field of a Linux /proc file such as /proc/cpuinfo, or "" where there is none."""
    try:
        lines = Path(path).read_text().splitlines()
    except OSError:
        return ""
    return next((line.split(":", 1)[1].strip() for line in lines if line.split(":")[0].strip() == name), "")


def write_between_markers(path: Path, start: str, end: str, content: str, *, title: str) -> None:
    """Replace the text between the markers, or write a new file of only the results under a title.

    A file that exists without the markers is written by hand: it is left alone, and the run fails
    before it, rather than replacing the whole document with the results.
    """
    block = f"{start}\n{content}\n{end}"
    if not path.exists():
        path.write_text(f"{title}\n\n{block}\n")
        return
    text = path.read_text()
    if start not in text or end not in text:
        raise SystemExit(f"bench: {path} has no {start} … {end} markers to write between; add them.")
    before, rest = text.split(start, 1)
    after = rest.split(end, 1)[1]
    path.write_text(before + block + after)


if __name__ == "__main__":
    main()
