"""Measure the portal at the scale of a large municipal group, over HTTP, as ratios to a floor view.

    make bench                                   # the default scale, on a throwaway PostgreSQL
    scripts/with-postgres.sh python bench/run.py [--units N ...] [--output FILE]

On the empty database ``DATABASE_URL`` names, it migrates and runs ``seed_scale``, serves the portal
under gunicorn with production settings and benchmarking switched on (``STYRMODELL_BENCHMARK``),
and then, in one run:

1. requests every heavy page and the floor view in turn, in a shuffled order each round, and reads
   the server's own time and query count from each response (``styrmodell/benchmarking.py``);
2. runs locust with a few clients against the floor view alone, then against the read mix of the
   heavy pages, for requests per second;
3. imports measurements from a file and from a Kolada-shaped server (``bench/imports.py``);
4. asks PostgreSQL to EXPLAIN the subtree queries, to show that they use the path indexes.

It writes the results, with the machine and the data size, between the markers in the output file
(``docs/performance.md``), leaving the text around them alone. Times are reported as ratios to the
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
    with gunicorn(port, args.workers):
        base = f"http://127.0.0.1:{port}"
        measure(base, [floor, layout, *pages], rounds=args.rounds, warmup=args.warmup)
        floor_rps = throughput(base, [floor], clients=args.clients, duration=args.duration)
        mix_rps = throughput(base, pages, clients=args.clients, duration=args.duration)
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
        "throughput": {"floor": floor_rps, "mix": mix_rps, "share": mix_rps / floor_rps},
        "imports": imports,
        "plans": plans,
    }
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    write_report(args.output, results)
    print(report(results))
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
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "styrmodell.wsgi"),
                *("--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers)),
            ],
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


def throughput(base: str, pages: list[Target], *, clients: int, duration: int) -> float:
    """Requests per second that locust's clients get, asking for the pages at random without pause."""
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
    return float(total["Requests/s"])


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


def access_path(plan: str) -> str:
    """The plan's lines that read a table, outermost first: an index scan names its index."""
    scans = [line.strip().lstrip("-> ").split("  (cost")[0] for line in plan.splitlines() if "Scan" in line]
    return "; ".join(scans) or plan.splitlines()[0]


def met(condition: bool) -> str:
    return "met" if condition else "**not met**"


def write_report(path: Path, results: dict) -> None:
    """Replace the text between the markers, or write a file of only the results."""
    block = f"{START_MARKER}\n{report(results)}\n{END_MARKER}"
    text = path.read_text() if path.exists() else ""
    if START_MARKER in text and END_MARKER in text:
        before, rest = text.split(START_MARKER, 1)
        after = rest.split(END_MARKER, 1)[1]
        text = before + block + after
    else:
        text = f"# Performance\n\n{block}\n"
    path.write_text(text)


if __name__ == "__main__":
    main()
