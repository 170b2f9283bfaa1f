"""The schemathesis harness (`scripts/api_fuzz.py`, `make api-fuzz`): its options and its request count.

The run itself is `make api-fuzz`; these keep the harness from rotting between runs.
"""

import importlib.util
import itertools
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "api_fuzz.py"


@pytest.fixture(scope="module")
def api_fuzz():
    spec = importlib.util.spec_from_file_location("api_fuzz", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_defaults_are_deterministic_and_cover_both_users(api_fuzz):
    args = api_fuzz.parse_args([])
    assert (args.users, args.seed, args.min_requests) == (["admin", "karin.lind"], 20240601, 1000)


def test_options_reach_schemathesis(api_fuzz, tmp_path):
    args = api_fuzz.parse_args(["--max-examples", "7", "--seed", "3", "--", "--max-failures", "1"])
    command = api_fuzz.st_command("http://127.0.0.1:8001", "key", args, tmp_path / "junit.xml")
    assert command[1:5] == [
        "run",
        "http://127.0.0.1:8001/api/schema/",
        "--header",
        "Authorization: Token key",
    ]
    options = dict(itertools.pairwise(command))
    assert options["--max-examples"] == "7"
    assert options["--seed"] == "3"
    assert set(options["--checks"].split(",")) >= {"not_a_server_error", "response_schema_conformance"}
    assert command[-2:] == ["--max-failures", "1"]


def test_counts_the_requests_the_server_logged(api_fuzz, tmp_path):
    log = tmp_path / "server.log"
    log.write_text(
        '[01/Jan/2026 10:00:00] "GET /api/schema/ HTTP/1.1" 200 512\n'
        "Not Found: /api/v1/goals/0/\n"
        '[01/Jan/2026 10:00:01] "GET /api/v1/goals/0/ HTTP/1.1" 404 40\n'
        '[01/Jan/2026 10:00:02] "QUERY /api/v1/periods/ HTTP/1.1" 405 57\n'
    )
    _, end = api_fuzz.count_requests(log, 0)
    with log.open("a") as out:
        out.write('[01/Jan/2026 10:00:03] "POST /api/v1/orgunits/ HTTP/1.1" 201 300\n')
    assert api_fuzz.count_requests(log, 0)[0] == 4
    assert api_fuzz.count_requests(log, end)[0] == 1
    assert api_fuzz.server_errors(log, 0) == "Not Found: /api/v1/goals/0/"
