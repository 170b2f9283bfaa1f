"""Fuzz the API with schemathesis against a live portal holding the demo data, once per demo user
and seed, then read every page of each list.

Run it on a throwaway database (the generated requests write to it), as `make api-fuzz` does, once on
PostgreSQL and once on the embedded SQLite (``--sqlite``: a new file of its own):

    scripts/with-postgres.sh python scripts/api_fuzz.py [--max-examples N] [--seed N] [-- ST_OPTIONS]
    python scripts/api_fuzz.py --sqlite [--seed N]

It migrates the database, seeds the demo, makes a token for each user (``admin``, staff, and
``karin.lind``, a manager), serves the portal with ``runserver`` on a free local port, and runs
``st run http://127.0.0.1:PORT/api/schema/`` once per token and seed: the fixed ``FIXED_SEED``,
then one drawn at random for this run, both printed. ``--seed N`` replays one seed alone
(``make api-fuzz API_FUZZ_ARGS="--seed N"``); the seed-free coverage phase runs with the first
seed, as the first user only. Then, as each user, it reads every page of each list (and, as the
first user, each object listed) and checks each answer against the schema, which the fuzzer,
asking for random pages and ids, rarely does.
It fails on any server error or schema violation (see ``CHECKS``), and prints how many requests
each run made, counted in the server's log. The server is stopped however the script ends.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
USERS = ("admin", "karin.lind")
# The seed every run starts with, so that a change is fuzzed with the same requests as before it.
FIXED_SEED = 20240601
# The checks schemathesis runs on every response. Left out:
# - `negative_data_rejection`: DRF coerces on purpose (a number for a text field, "1" for a
#   boolean, an unusable `page_size` falls back to the default), so it would ask for a stricter
#   contract than the API's; the negative requests still go out and must get no server error and
#   a documented, schema-conforming answer.
# - `positive_data_acceptance`: a well-formed request may still be refused by a rule the schema
#   cannot state (a unit that may not stand under its parent, a duplicate role, a manager outside
#   their part of the organisation).
# - `object_level_authorization`: it compares several identities within one run; each run here
#   has one token, and who sees what is asserted by the tests' permission matrix.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "use_after_free",
    "ensure_resource_availability",
    "ignored_auth",
)
# The phases that a seed changes. The coverage phase derives its requests from the schema alone (the
# same whatever the seed, and most of the time), so it runs with the first seed only, and as the first
# user only (admin): it probes each operation's inputs at their edges, which a user the operation
# refuses never reaches (a 403 comes first); the others run the seeded phases.
SEEDED_PHASES = "fuzzing,stateful"
# The checks on each page of a list: those that look at one answer.
PAGE_CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)
# One line of runserver's log per request it answered: "GET /api/v1/orgunits/ HTTP/1.1" 200 1234
REQUEST_LINE = re.compile(r'"[A-Z]+ \S* HTTP/[\d.]+" \d{3}')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-examples", type=int, default=5, help="test cases per operation and phase")
    parser.add_argument(
        "--seed",
        type=int,
        help=f"replay this seed alone (by default: the fixed {FIXED_SEED}, then one drawn at random)",
    )
    parser.add_argument(
        "--sqlite",
        action="store_true",
        help="run on a new SQLite file, the embedded default, instead of DATABASE_URL",
    )
    parser.add_argument("--workers", type=int, default=1, help="concurrent schemathesis workers")
    parser.add_argument(
        "--min-requests", type=int, default=1000, help="fail when all runs together make fewer"
    )
    parser.add_argument("--users", nargs="+", default=list(USERS), help="who the runs authenticate as")
    parser.add_argument("--report-dir", type=Path, help="keep schemathesis's JUnit reports here")
    parser.add_argument("st_args", nargs="*", help="more options for `st run`, after `--`")
    return parser.parse_args(argv)


def seeds(args: argparse.Namespace) -> list[int]:
    """The seeds of this run: the one asked for, or the fixed one and one drawn at random."""
    if args.seed is not None:
        return [args.seed]
    return [FIXED_SEED, random.SystemRandom().randrange(2**31)]


def manage(*args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"api-fuzz: manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def create_token(username: str) -> str:
    output = manage("drf_create_token", username)
    match = re.search(r"Generated token (\w+) for user", output)
    if not match:
        raise SystemExit(f"api-fuzz: no token in drf_create_token's output: {output!r}")
    return match.group(1)


def reactivate(users: list[str]) -> None:
    """Make ``users`` active again: a run as staff may have deactivated them through the API
    (``POST /api/v1/users/<name>/deactivate/``), and their tokens would then be refused (401)."""
    manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.filter(username__in={list(users)!r}).update(is_active=True)",
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def portal(log: Path):
    """The portal served by runserver on a free port, until the block ends (however it ends)."""
    port = free_port()
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", "--skip-checks", f"127.0.0.1:{port}"],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, stopped as one below
        )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(f"{base}/api/schema/", server, log)
        yield base
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def wait_until_up(url: str, server: subprocess.Popen, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"api-fuzz: the server stopped:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.3)
    raise SystemExit(f"api-fuzz: the server did not answer {url} within {timeout:.0f} s:\n{log.read_text()}")


def st_command(
    base: str, token: str, args: argparse.Namespace, seed: int, junit: Path, *, phases: str | None = None
) -> list[str]:
    """``st run`` with ``seed``; with ``phases`` (``SEEDED_PHASES``), only those phases."""
    return [
        str(Path(sys.executable).with_name("st")),
        "run",
        f"{base}/api/schema/",
        "--header",
        f"Authorization: Token {token}",
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(args.max_examples),
        # No --generation-deterministic: schemathesis ignores the seed in that mode.
        "--seed",
        str(seed),
        "--generation-database",
        "none",  # no examples remembered from an earlier run: a seed gives the same requests
        *(["--phases", phases] if phases else []),
        "--workers",
        str(args.workers),
        "--request-timeout",
        "30",
        "--suppress-health-check",
        "too_slow",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(junit),
        *args.st_args,
    ]


def count_requests(log: Path, start: int) -> tuple[int, int]:
    """How many requests the server logged after byte ``start`` of its log, and where the log ends."""
    text = log.read_bytes()
    return len(REQUEST_LINE.findall(text[start:].decode(errors="replace"))), len(text)


def server_errors(log: Path, start: int) -> str:
    """The server's tracebacks after byte ``start`` of its log."""
    text = log.read_bytes()[start:].decode(errors="replace")
    return "\n".join(line for line in text.splitlines() if not REQUEST_LINE.search(line))


def list_operations(schema) -> dict:
    """The lists of ``schema`` that name no object in their address (every GET with a ``page``),
    each with the GETs of one of its objects: those under the list's address that take one path
    parameter (``/goals/{id}/``, ``/goals/{id}/chain/``)."""
    gets = [
        operation
        for operation in (result.ok() for result in schema.get_all_operations())
        if operation.method.upper() == "GET"
    ]
    return {
        listed: [
            operation
            for operation in gets
            if operation.path.startswith(listed.path) and len(operation.path_parameters) == 1
        ]
        for listed in gets
        if not listed.path_parameters and any(parameter.name == "page" for parameter in listed.query)
    }


def read_every_page(base: str, token: str, *, objects: bool = True) -> tuple[int, list[str]]:
    """Read each list of the schema page by page to its last page as the holder of ``token``, and
    (with ``objects``) each object listed through every GET of one object; check every answer with
    ``PAGE_CHECKS``. How many requests that made, and what was wrong."""
    import requests
    import schemathesis  # here, so that the tests of the options need not load it
    from schemathesis.checks import CHECKS as SCHEMATHESIS_CHECKS
    from schemathesis.checks import load_all_checks
    from schemathesis.core.failures import Failure, FailureGroup

    load_all_checks()
    checks = SCHEMATHESIS_CHECKS.get_by_names(list(PAGE_CHECKS))
    headers = {"Authorization": f"Token {token}"}
    schema = schemathesis.openapi.from_url(f"{base}/api/schema/")
    session = requests.Session()
    made, problems = 0, []

    def read(case, address: str):
        nonlocal made
        response = case.call(base_url=base, headers=headers, session=session)
        made += 1
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except (Failure, FailureGroup) as error:
            failures = error.exceptions if isinstance(error, FailureGroup) else [error]
            problems.extend(f"GET {address}: {failure.title}: {failure.message}" for failure in failures)
        return response

    for listed, object_operations in list_operations(schema).items():
        page = 1
        while True:
            response = read(listed.Case(query={"page": page}), f"{listed.path}?page={page}")
            if response.status_code != 200:
                break
            body = response.json()
            for row in body.get("results", []):
                for operation in object_operations if objects else ():
                    name = operation.path_parameters[0].name
                    if name in row:
                        path = {name: str(row[name])}
                        read(operation.Case(path_parameters=path), operation.path.format(**path))
            if not body.get("next"):
                break
            page += 1
    return made, problems


def use_a_new_sqlite_file(work: Path) -> None:
    """Point this process and the ones it starts at a new SQLite file in ``work``."""
    os.environ["DATABASE_URL"] = f"sqlite:///{work / 'api-fuzz.sqlite3'}"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="styrmodell-api-fuzz."))
    if args.sqlite:
        use_a_new_sqlite_file(work)
    elif not os.environ.get("DATABASE_URL"):
        raise SystemExit(
            "api-fuzz: set DATABASE_URL to a throwaway database (scripts/with-postgres.sh does), or pass --sqlite"
        )
    database = os.environ["DATABASE_URL"].split(":", 1)[0]
    run_seeds = seeds(args)
    # SIGTERM (a cancelled CI job) unwinds like Ctrl-C, so the server is stopped.
    signal.signal(signal.SIGTERM, signal.default_int_handler)

    started = time.monotonic()
    print(
        f"api-fuzz: on {database}, seeds {', '.join(map(str, run_seeds))}; "
        'replay one with `make api-fuzz API_FUZZ_ARGS="--seed N"`',
        flush=True,
    )
    print("api-fuzz: migrating and seeding the demo data", flush=True)
    manage("migrate", "--no-input")
    manage("seed_demo")
    tokens = {user: create_token(user) for user in args.users}

    report_dir = args.report_dir or work
    report_dir.mkdir(parents=True, exist_ok=True)
    log = work / "server.log"
    failed, total = [], 0
    with portal(log) as base:
        print(f"api-fuzz: the portal answers on {base}", flush=True)
        for number, seed in enumerate(run_seeds):
            for user_number, (user, token) in enumerate(tokens.items()):
                phases = None if number == 0 and user_number == 0 else SEEDED_PHASES
                reactivate(list(tokens))
                _, start = count_requests(log, 0)
                print(
                    f"\napi-fuzz: schemathesis as {user}, seed {seed}, phases {phases or 'all'}, on {database}",
                    flush=True,
                )
                run_started = time.monotonic()
                junit = report_dir / f"junit-{database}-{user}-{seed}.xml"
                result = subprocess.run(st_command(base, token, args, seed, junit, phases=phases), cwd=work)
                time.sleep(0.5)  # let the server write its last log lines
                requests, _ = count_requests(log, start)
                total += requests
                print(
                    f"api-fuzz: as {user}, seed {seed}: {requests} requests in "
                    f"{time.monotonic() - run_started:.0f} s, schemathesis exited with {result.returncode}",
                    flush=True,
                )
                if result.returncode != 0:
                    failed.append(f"{user} with --seed {seed}")
                    errors = server_errors(log, start)
                    if "Traceback" in errors:
                        print(f"api-fuzz: the server's log during the run as {user}:\n{errors}", flush=True)
        reactivate(list(tokens))
        for number, (user, token) in enumerate(tokens.items()):
            # Each object through the first user, who sees the most (admin); the others read the lists.
            objects = number == 0
            reading_started = time.monotonic()
            made, problems = read_every_page(base, token, objects=objects)
            total += made
            print(
                f"\napi-fuzz: as {user}: read every page of each list{' and each object listed' if objects else ''}: "
                f"{made} requests in {time.monotonic() - reading_started:.0f} s, {len(problems)} answers wrong",
                flush=True,
            )
            for problem in problems:
                print(f"api-fuzz: {problem}", flush=True)
            if problems:
                failed.append(f"{user} reading every page")
    print(f"\napi-fuzz: on {database}: {total} requests in all, {time.monotonic() - started:.0f} s")
    if failed:
        print(f"api-fuzz: FAILED as {'; '.join(failed)}; the server's log and the reports are in {work}")
        return 1
    if total < args.min_requests:
        print(f"api-fuzz: FAILED: fewer than {args.min_requests} requests")
        return 1
    print(f"api-fuzz: no server errors, no schema violations on {database}")
    shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
