"""The schemathesis harness (`scripts/api_fuzz.py`, `make api-fuzz`): its options and its request count.

The run itself is `make api-fuzz`; these keep the harness from rotting between runs.
"""

import importlib.util
import itertools
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "api_fuzz.py"


@pytest.fixture(scope="module")
def api_fuzz():
    spec = importlib.util.spec_from_file_location("api_fuzz", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_defaults_cover_both_users_with_the_fixed_seed_and_a_random_one(api_fuzz):
    args = api_fuzz.parse_args([])
    assert (args.users, args.seed, args.sqlite, args.min_requests) == (
        ["admin", "karin.lind"],
        None,
        False,
        1000,
    )
    first, second = api_fuzz.seeds(args), api_fuzz.seeds(args)
    assert first[0] == second[0] == 20240601
    # Drawn anew each run: two runs sharing their random seed is a chance of one in 2**31 per pair.
    assert len({first[1], second[1], *api_fuzz.seeds(args)[1:]}) == 3


def test_a_seed_asked_for_is_replayed_alone(api_fuzz):
    assert api_fuzz.seeds(api_fuzz.parse_args(["--seed", "123", "--sqlite"])) == [123]


def test_sqlite_runs_on_a_new_file_of_its_own(api_fuzz, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgres://elsewhere/styrmodell")
    api_fuzz.use_a_new_sqlite_file(tmp_path)
    assert api_fuzz.os.environ["DATABASE_URL"] == f"sqlite:///{tmp_path}/api-fuzz.sqlite3"


def test_options_reach_schemathesis(api_fuzz, tmp_path):
    args = api_fuzz.parse_args(["--max-examples", "7", "--seed", "3", "--", "--max-failures", "1"])
    command = api_fuzz.st_command("http://127.0.0.1:8001", "key", args, 3, tmp_path / "junit.xml")
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
    assert "--generation-deterministic" not in command  # it would ignore the seed
    assert "--phases" not in options
    assert command[-2:] == ["--max-failures", "1"]


def test_a_later_seed_runs_only_the_phases_a_seed_changes(api_fuzz, tmp_path):
    args = api_fuzz.parse_args([])
    command = api_fuzz.st_command(
        "http://127.0.0.1:8001", "key", args, 99, tmp_path / "j.xml", phases="fuzzing,stateful"
    )
    options = dict(itertools.pairwise(command))
    assert (options["--seed"], options["--phases"]) == ("99", "fuzzing,stateful")


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


# A list of two pages whose second page breaks its schema (a name that is null), served by a
# server of its own: what the fuzzer, asking for random pages, missed in the demo's follow-ups.
THINGS_SCHEMA = {
    "openapi": "3.0.3",
    "info": {"title": "Things", "version": "1"},
    "paths": {
        "/api/v1/things/": {
            "get": {
                "operationId": "things_list",
                "parameters": [{"name": "page", "in": "query", "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "A page of things",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["count", "next", "results"],
                                    "properties": {
                                        "count": {"type": "integer"},
                                        "next": {"type": "string", "nullable": True},
                                        "results": {
                                            "type": "array",
                                            "items": {
                                                "type": "object",
                                                "required": ["id", "name"],
                                                "properties": {
                                                    "id": {"type": "integer"},
                                                    "name": {"type": "string"},
                                                },
                                            },
                                        },
                                    },
                                }
                            }
                        },
                    }
                },
            }
        },
        "/api/v1/things/{id}/": {
            "get": {
                "operationId": "things_retrieve",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "A thing",
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["id"],
                                    "properties": {"id": {"type": "integer"}},
                                }
                            }
                        },
                    }
                },
            }
        },
    },
}


class ThingsHandler(BaseHTTPRequestHandler):
    asked: list[str] = []

    def do_GET(self):
        address = urlsplit(self.path)
        ThingsHandler.asked.append(self.path)
        if address.path == "/api/schema/":
            body = THINGS_SCHEMA
        elif address.path != "/api/v1/things/":
            body = {"id": int(address.path.split("/")[-2])}
        else:
            page = parse_qs(address.query).get("page", ["1"])[0]
            body = {
                "count": 2,
                "next": "http://testserver/api/v1/things/?page=2" if page == "1" else None,
                "results": [{"id": 1, "name": "first"}] if page == "1" else [{"id": 2, "name": None}],
            }
        payload = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def things_server():
    ThingsHandler.asked = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), ThingsHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_every_page_of_a_list_and_every_object_is_read_and_checked_against_the_schema(
    api_fuzz, things_server
):
    requests, problems = api_fuzz.read_every_page(things_server, "key")
    assert requests == 4
    assert ThingsHandler.asked == [
        "/api/schema/",
        "/api/v1/things/?page=1",
        "/api/v1/things/1/",
        "/api/v1/things/?page=2",
        "/api/v1/things/2/",
    ]
    assert len(problems) == 1
    assert problems[0].startswith("GET /api/v1/things/?page=2: Response violates schema: ")
    assert 'null is not of type "string"' in problems[0]


def test_the_lists_alone_are_read_without_objects(api_fuzz, things_server):
    requests, problems = api_fuzz.read_every_page(things_server, "key", objects=False)
    assert (requests, len(problems)) == (2, 1)
    assert ThingsHandler.asked == ["/api/schema/", "/api/v1/things/?page=1", "/api/v1/things/?page=2"]
