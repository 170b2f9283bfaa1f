"""Measure the portal at the scale of a large municipal group, over HTTP, as ratios to a floor view.

    make bench                                   # the default scale, on a throwaway PostgreSQL
    scripts/with-postgres.sh python bench/run.py [--units N ...] [--output FILE]

On the empty database ``DATABASE_URL`` names, it migrates and runs ``seed_scale``, serves the portal
under gunicorn with production settings and benchmarking switched on (``STYRMODELL_BENCHMARK``),
and then, in one run:

1. requests every heavy page and the floor view in turn, in a shuffled order each round, and reads
   the server's own time and query count from each response (``styrmodell/benchmarking.py``);
2. runs locust with a few clients against the floor view alone, then against the read mix of the
   heavy pages (as the manager, and as an anonymous visitor on the pages one may read), for requests
   per second; around each run it reads from ``/proc`` the CPU seconds of gunicorn (its master and
   workers) and of the PostgreSQL server's processes, for the CPU each request costs on each side;
3. imports measurements from a file and from a Kolada-shaped server (``bench/imports.py``);
4. asks PostgreSQL to EXPLAIN the subtree queries, to show that they use the path indexes.

It writes the results, with the machine and the data size, between the markers in the output file
(``docs/performance.md``), and the CPU per request between the capacity markers of
``docs/deployment.md``, leaving the text around them alone. Times are reported as ratios to the
floor measured in the same run, since the machines it runs on are shared and noisy.
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
START_MARKER = "<!-- bench:start -->"
END_MARKER = "<!-- bench:end -->"
CAPACITY_START = "<!-- capacity:start -->"
CAPACITY_END = "<!-- capacity:end -->"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# The targets (docs/performance.md explains them).
MAX_QUERIES = 12
MAX_RATIO = 3.0
MIN_THROUGHPUT_SHARE = 0.5
SERVER_TIME = re.compile(r"app;dur=([\d.]+)")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    scale = parser.add_argument_group("data (seed_scale)")
    scale.add_argument("--units", type=int, default=2000)
    scale.add_argument("--goals", type=int, default=20000)
    scale.add_argument("--indicators", type=int, default=2000)
    scale.add_argument("--measurements", type=int, default=200000)
    scale.add_argument("--processes", type=int, default=40)
    scale.add_argument("--seed", type=int, default=1)
    how = parser.add_argument_group("measuring")
    how.add_argument("--rounds", type=int, default=30, help="measured requests per page (default 30)")
    how.add_argument("--warmup", type=int, default=3, help="rounds not measured, first (default 3)")
    how.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    how.add_argument("--clients", type=int, default=4, help="concurrent locust clients (default 4)")
    how.add_argument("--duration", type=int, default=30, help="seconds per throughput run (default 30)")
    how.add_argument("--import-rows", type=int, default=100000, help="rows per import (default 100000)")
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument(
        "--deployment", type=Path, default=ROOT / "docs" / "deployment.md", help="where the capacity goes"
    )
    parser.add_argument("--json", type=Path, help="also write the raw results here")
    return parser.parse_args(argv)


@dataclass
class Target:
    """A page to measure: its name in the table, its path, and how it authenticates."""

    name: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    server_ms: list[float] = field(default_factory=list)
    queries: set[int] = field(default_factory=set)
    size: int = 0

    def median(self) -> float:
        return statistics.median(self.server_ms)

    def p95(self) -> float:
        if len(self.server_ms) < 2:
            return self.server_ms[0]
        return statistics.quantiles(self.server_ms, n=20, method="inclusive")[18]


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        raise SystemExit("bench: set DATABASE_URL to an empty database (make bench does).")
    os.environ.update(production_environment())
    started = time.perf_counter()
    manage("migrate", "--no-input", "-v0")
    manage("collectstatic", "--no-input", "-v0")
    seconds = time.perf_counter()
    seeded = manage(
        "seed_scale",
        *("--units", str(args.units), "--goals", str(args.goals), "--indicators", str(args.indicators)),
        *("--measurements", str(args.measurements), "--processes", str(args.processes)),
        *("--seed", str(args.seed)),
    )
    seed_seconds = time.perf_counter() - seconds
    print(seeded, end="", flush=True)

    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "styrmodell.settings")
    django.setup()
    analyze()
    floor, layout, pages = targets()
    data = data_size()
    port = free_port()
    database_pid = database_server_pid()
    with gunicorn(port, args.workers) as server:
        base = f"http://127.0.0.1:{port}"
        measure(base, [floor, layout, *pages], rounds=args.rounds, warmup=args.warmup)
        anonymous_pages = readable_anonymously(base, pages)
        load = {"clients": args.clients, "duration": args.duration}
        cpu = {"app_pid": server.process.pid, "database_pid": database_pid}
        floor_run = throughput(base, [floor], **load, **cpu)
        mix_run = throughput(base, pages, **load, **cpu)
        anonymous_run = throughput(base, anonymous_pages, **load, **cpu) if anonymous_pages else None
    from bench.imports import measure_imports

    imports = measure_imports(args.import_rows)
    plans = explain_subtree_queries()
    results = {
        "date": date.today().isoformat(),
        "machine": machine(),
        "data": data,
        "seed_seconds": round(seed_seconds, 1),
        "settings": {
            "workers": args.workers,
            "clients": args.clients,
            "duration": args.duration,
            "rounds": args.rounds,
        },
        "floor": summary(floor, floor),
        "layout": summary(layout, floor),
        "pages": [summary(page, floor) for page in pages],
        "throughput": {
            "floor": floor_run.per_second,
            "mix": mix_run.per_second,
            "share": mix_run.per_second / floor_run.per_second,
        },
        "capacity": {
            "floor": floor_run.as_dict(),
            "manager": mix_run.as_dict(),
            "anonymous": anonymous_run.as_dict() if anonymous_run else None,
            "manager_pages": [page.name for page in pages],
            "anonymous_pages": [page.name for page in anonymous_pages],
        },
        "imports": imports,
        "plans": plans,
    }
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    performance, capacity = report(results), capacity_report(results)
    write_between_markers(args.output, START_MARKER, END_MARKER, performance, title="# Performance")
    write_between_markers(args.deployment, CAPACITY_START, CAPACITY_END, capacity, title="# Deployment")
    print(performance)
    print(capacity)
    print(f"bench: done in {time.perf_counter() - started:.0f} s, written to {args.output}")


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
    """Fresh planner statistics after the bulk load, as autovacuum would give a real database."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def targets() -> tuple[Target, Target, list[Target]]:
    """The floor, a page of the portal's layout alone, and the heavy pages, for a manager of the
    largest administration.

    The pages are the worst of their kind in the data: the administration with the most units, its
    operational goal with the most activities below it, the process most goals serve.
    """
    from django.contrib.auth import get_user_model
    from django.db.models import Count
    from django.test import Client
    from rest_framework.authtoken.models import Token

    from goals.chain.levels import Level
    from goals.models import Goal
    from orgunits.kinds import Kind
    from orgunits.models import Membership, OrgUnit, Role
    from processes.models import Process

    administrations = OrgUnit.objects.filter(kind=Kind.ADMINISTRATION)
    administration = max(administrations, key=lambda unit: OrgUnit.objects.get_tree(unit).count())
    goals = Goal.objects.filter(org_unit=administration, level=Level.OPERATIONAL)
    goal = max(goals, key=lambda goal: Goal.objects.get_descendant_count(goal))
    top = OrgUnit.objects.get_first_root_node()
    process = Process.objects.annotate(goal_count=Count("goals")).order_by("-goal_count", "pk").first()

    manager, _ = get_user_model().objects.get_or_create(
        username="bench.manager", defaults={"first_name": "Bench"}
    )
    Membership.objects.get_or_create(user=manager, org_unit=administration, role=Role.MANAGER)
    client = Client()
    client.force_login(manager, backend="signin.backends.PasswordBackend")
    from django.conf import settings

    session = {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    }
    token = {"Authorization": f"Token {Token.objects.get_or_create(user=manager)[0].key}"}
    floor = Target("Floor view (one trivial query)", "/bench/floor/", session)
    # What the portal's layout costs before a page shows any data: the heavy pages' ratios are read
    # against it as well as against the floor.
    layout = Target("The layout alone: the sign-in page", "/accounts/login/")
    pages = [
        Target("Chain tree, one administration", f"/goals/?unit={administration.slug}", session),
        Target("Goal page, operational goal", f"/goals/{goal.pk}/", session),
        Target("Unit page, the top unit", f"/organisation/{top.slug}/", session),
        Target("Organisation tree", "/organisation/", session),
        Target("Process page", f"/processes/{process.slug}/", session),
        Target("Process matrix", "/goals/matrix/", session),
        Target("Report, one administration", f"/goals/report/?unit={administration.slug}", session),
        Target("My goals", "/goals/mine/", session),
        Target("Indicator list", "/goals/indicators/", session),
        # A word in the title of many goals, in another inflection: stemmed and ranked across them all.
        Target("Search, a word of many goals", "/search/?q=handl%C3%A4ggningstid", session),
        Target("Chain health, the whole group", f"/goals/health/?period={goal.period.year}", session),
        Target(
            "Chain health, one administration",
            f"/goals/health/?period={goal.period.year}&unit={administration.slug}",
            session,
        ),
        Target("API: goals list", "/api/v1/goals/", token),
        Target("API: org units list", "/api/v1/orgunits/", token),
        Target("API: a goal's chain", f"/api/v1/goals/{goal.pk}/chain/", token),
        Target(
            "API: chain health, the whole group", f"/api/v1/chain-health/?period={goal.period.year}", token
        ),
    ]
    return floor, layout, pages


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


def measure(base: str, pages: list[Target], *, rounds: int, warmup: int) -> None:
    """Each page once a round, in a new random order each round, so that a noisy moment on the
    machine falls on every page alike."""
    order = random.Random(1)
    with requests.Session() as http:
        for round_number in range(warmup + rounds):
            for page in order.sample(pages, len(pages)):
                response = http.get(
                    base + page.path, headers=page.headers, allow_redirects=False, timeout=300
                )
                if response.status_code != 200:
                    raise SystemExit(f"bench: {page.path} answered {response.status_code}")
                if round_number < warmup:
                    continue
                page.server_ms.append(float(SERVER_TIME.search(response.headers["Server-Timing"]).group(1)))
                page.queries.add(int(response.headers["X-Query-Count"]))
                page.size = len(response.content)


@dataclass
class Throughput:
    """One locust run: how many requests it made, how fast, and the CPU each server spent on them."""

    requests: int
    per_second: float
    app_cpu_seconds: float
    # None where the database is not a process of this machine (another host, or SQLite in the app).
    database_cpu_seconds: float | None

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
            **per_request,
        }


def readable_anonymously(base: str, pages: list[Target]) -> list[Target]:
    """The heavy pages as an anonymous visitor, those of them that such a visitor may read (200)."""
    anonymous = [Target(page.name, page.path) for page in pages]
    with requests.Session() as http:
        return [
            page
            for page in anonymous
            if http.get(base + page.path, allow_redirects=False, timeout=300).status_code == 200
        ]


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
    requests_made, per_second = _locust(base, pages, clients=clients, duration=duration)
    app_spent = cpu_seconds(app_pid) - app_before
    database_spent = cpu_seconds(database_pid) - database_before if database_pid else None
    return Throughput(requests_made, per_second, app_spent, database_spent)


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


def summary(page: Target, floor: Target) -> dict:
    return {
        "name": page.name,
        "path": page.path,
        "median_ms": round(page.median(), 2),
        "p95_ms": round(page.p95(), 2),
        "ratio": round(page.median() / floor.median(), 1),
        "queries": max(page.queries),
        "queries_vary": len(page.queries) > 1,
        "kb": round(page.size / 1024),
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


def report(results: dict) -> str:
    """The results as Markdown: the machine and data, then one table per measurement."""
    data, machine_, settings_ = results["data"], results["machine"], results["settings"]
    floor, layout, share = results["floor"], results["layout"], results["throughput"]["share"]
    lines = [
        f"Measured on {results['date']} by `make bench` on {machine_['cpu']}, {machine_['memory']}, "
        f"Python {machine_['python']}, {machine_['database']}; gunicorn with {settings_['workers']} workers "
        "and production settings.",
        "",
        f"Data (`seed_scale`, made in {results['seed_seconds']} s): {data['units']:,} units, "
        f"{data['goals']:,} goals and activities, {data['indicators']:,} indicators, "
        f"{data['measurements']:,} measurements, {data['processes']:,} processes.",
        "",
        f"Server time over {settings_['rounds']} requests per page, the pages in a new random order each "
        f"round; the floor view's median was {floor['median_ms']} ms. The layout alone (the sign-in "
        f"page: the portal's header, menu and footer around a form, {layout['queries']} queries) took "
        f"{layout['ratio']}× the floor; the last column reads each page against it.",
        "",
        "| Page | Median | Median ÷ floor | p95 ÷ floor | Queries | Size | ≤ 12 queries | ≤ 3× floor "
        "| Median ÷ layout |",
        "|---|---:|---:|---:|---:|---:|:-:|:-:|---:|",
    ]
    for page in results["pages"]:
        queries = f"{page['queries']}{' (varies)' if page['queries_vary'] else ''}"
        lines.append(
            f"| {page['name']} | {page['median_ms']} ms | {page['ratio']}× "
            f"| {page['p95_ms'] / floor['median_ms']:.1f}× | {queries} | {page['kb']} KB "
            f"| {met(page['queries'] <= MAX_QUERIES)} | {met(page['ratio'] <= MAX_RATIO)} "
            f"| {page['median_ms'] / layout['median_ms']:.1f}× |"
        )
    lines += [
        "",
        f"Read mix ({settings_['clients']} clients, no pause, {settings_['duration']} s each, the heavy "
        "pages above at random): "
        f"{results['throughput']['mix']:.1f} requests/s against the floor view's "
        f"{results['throughput']['floor']:.1f}, **{share:.1%} of the floor** "
        f"(target ≥ 50 %: {met(share >= MIN_THROUGHPUT_SHARE)}).",
        "",
        "| Import | Rows | Rows per second | Peak Python memory |",
        "|---|---:|---:|---:|",
    ]
    for run in results["imports"]:
        lines.append(
            f"| {run['name']} | {run['rows']:,} | {run['rows_per_second']:,.0f} | {run['peak_memory_mb']:.0f} MB |"
        )
    if results["plans"]:
        lines += ["", "Subtree queries on PostgreSQL (`EXPLAIN`, how each table is read):", ""]
        for plan in results["plans"]:
            lines.append(f"- {plan['query']}: `{access_path(plan['plan'])}`")
    return "\n".join(lines)


def capacity_report(results: dict) -> str:
    """The CPU each request costs the application and the database, per mix, as Markdown: the
    figures docs/deployment.md sizes servers from."""
    data, machine_, settings_ = results["data"], results["machine"], results["settings"]
    capacity = results["capacity"]
    lines = [
        f"Measured on {results['date']} by `make bench` on {machine_['cpu']}, {machine_['memory']}, "
        f"Python {machine_['python']}, {machine_['database']}; gunicorn with {settings_['workers']} "
        f"workers (`styrmodell.gunicorn_conf`), production settings; data: {data['units']:,} units, {data['goals']:,} goals and "
        f"activities, {data['indicators']:,} indicators, {data['measurements']:,} measurements (the run "
        "of `docs/performance.md`'s results).",
        "",
        f"Each mix: {settings_['clients']} locust clients without pause for {settings_['duration']} s. "
        "The CPU seconds are read from `/proc/<pid>/stat` (user and system time, with that of ended "
        "children) of the gunicorn master and its workers, and of the PostgreSQL server's processes, "
        "before and after each run; the clients' own CPU is not in them.",
        "",
        "| Mix | Requests | Requests/s (shared machine) | App CPU per request | Requests/s per app core "
        "| Database CPU per request | Requests/s per database core |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    mixes = [
        ("Floor view (one `SELECT 1`)", capacity["floor"]),
        (f"Read mix, signed-in manager ({len(capacity['manager_pages'])} heavy pages)", capacity["manager"]),
    ]
    if capacity["anonymous"]:
        mixes.append(
            (f"Read mix, anonymous visitor ({len(capacity['anonymous_pages'])} pages)", capacity["anonymous"])
        )
    for name, run in mixes:
        database = (
            f"{run['database_cpu_ms_per_request']:.2f} ms | {run['requests_per_database_core_second']:.1f}"
            if run["database_cpu_ms_per_request"] is not None
            else "not measured | not measured"
        )
        lines.append(
            f"| {name} | {run['requests']:,} | {run['per_second']:.1f} | {run['app_cpu_ms_per_request']:.2f} ms "
            f"| {run['requests_per_app_core_second']:.1f} | {database} |"
        )
    lines += ["", "Manager's mix: " + ", ".join(capacity["manager_pages"]) + "."]
    if capacity["anonymous"]:
        lines += [
            "",
            "Anonymous visitor's mix (those it may read): " + ", ".join(capacity["anonymous_pages"]) + ".",
        ]
    else:
        lines += ["", "An anonymous visitor may read none of the heavy pages: no mix of its own."]
    return "\n".join(lines)


def access_path(plan: str) -> str:
    """The plan's lines that read a table, outermost first: an index scan names its index."""
    scans = [line.strip().lstrip("-> ").split("  (cost")[0] for line in plan.splitlines() if "Scan" in line]
    return "; ".join(scans) or plan.splitlines()[0]


def met(condition: bool) -> str:
    return "met" if condition else "**not met**"


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
