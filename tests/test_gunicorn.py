"""gunicorn started as an operator starts it, ``gunicorn -c python:styrmodell.gunicorn_conf
styrmodell.wsgi``, from this checkout on a free loopback port: it serves a page and the load
balancer's probe, the probe says 503 when the database is down, and in production every line on
stdout is JSON with the request's id, a 500's traceback too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from tests.kit.instances import free_port

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "styrmodell.sjostad.example",
}


@dataclass
class Gunicorn:
    url: str
    process: subprocess.Popen
    stdout: Path

    def lines(self) -> list[str]:
        return self.stdout.read_text().splitlines()

    def wait_for_line(self, *texts: str, timeout: float = 10) -> list[str]:
        """The output once a line holding all ``texts`` is in it: gunicorn writes its access line
        after the response has gone."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.lines()
            if any(all(text in line for text in texts) for line in lines):
                return lines
            time.sleep(0.1)
        raise AssertionError(f"no line with {texts!r} in:\n" + "\n".join(self.lines()))


def start_gunicorn(tmp_path: Path, **env: str) -> Iterator[Gunicorn]:
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "STYRMODELL_"))}
    environment.update({"STYRMODELL_BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": "1", **env})
    stdout = tmp_path / "stdout.log"
    with stdout.open("w") as out, (tmp_path / "stderr.log").open("w") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "python:styrmodell.gunicorn_conf", "styrmodell.wsgi"],
            cwd=ROOT,
            env=environment,
            stdout=out,
            stderr=err,
        )
    server = Gunicorn(f"http://127.0.0.1:{port}", process, stdout)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, (tmp_path / "stderr.log").read_text() + stdout.read_text()
            try:
                requests.get(server.url + "/health/", timeout=5)
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def development(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("gunicorn-development")
    yield from start_gunicorn(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'portal.sqlite3'}")


@pytest.fixture(scope="module")
def database_down(tmp_path_factory):
    """Production mode behind a proxy on the loopback, with its PostgreSQL at a port nothing listens on."""
    tmp_path = tmp_path_factory.mktemp("gunicorn-production")
    yield from start_gunicorn(
        tmp_path,
        DATABASE_URL=f"postgres://styrmodell@127.0.0.1:{free_port()}/styrmodell",
        STYRMODELL_TRUSTED_PROXIES="127.0.0.1",
        STYRMODELL_PROXY_SSL_HEADER="X-Forwarded-Proto",
        WEB_CONCURRENCY="2",
        **PRODUCTION,
    )


def test_gunicorn_serves_a_page_and_the_probe(development):
    page = requests.get(development.url + "/accounts/login/", timeout=10)
    assert page.status_code == 200
    assert "<h1>Logga in</h1>" in page.text
    probe = requests.get(development.url + "/health/", timeout=10)
    assert (probe.status_code, probe.json()) == (200, {"status": "ok"})


def test_with_the_database_down_the_probe_says_unavailable_to_the_balancer(database_down):
    # By the instance's address, over plain HTTP: neither refused as a host nor sent to HTTPS.
    probe = requests.get(database_down.url + "/health/", timeout=10, allow_redirects=False)
    assert (probe.status_code, probe.json()) == (503, {"status": "unavailable"})
    # A page by the same address is refused: the probe's way round the host check is its own.
    assert requests.get(database_down.url + "/accounts/login/", timeout=10).status_code == 400


def test_production_logs_are_json_lines_with_the_request_id(database_down):
    request_id = uuid.uuid4().hex
    # Through the proxy (a trusted peer saying HTTPS), a request the database failing turns into a 500.
    response = requests.get(
        database_down.url + "/api/v1/orgunits/",
        headers={
            "Host": "styrmodell.sjostad.example",
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": "192.0.2.10",
            "X-Request-ID": request_id,
        },
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == request_id
    # The access line comes last, once the response has gone.
    output = database_down.wait_for_line('"logger": "gunicorn.access"', f'"request_id": "{request_id}"')
    lines = [json.loads(line) for line in output]
    # Every line on stdout is JSON, gunicorn's own too.
    assert {"gunicorn.error", "gunicorn.access", "django.request"} <= {line["logger"] for line in lines}
    assert sum("Booting worker" in line["message"] for line in lines) == 2  # WEB_CONCURRENCY
    [error] = [
        line for line in lines if line["logger"] == "django.request" and line["request_id"] == request_id
    ]
    assert (error["level"], error["message"]) == ("ERROR", "Internal Server Error: /api/v1/orgunits/")
    assert "OperationalError" in error["exc_info"]
    [access] = [
        line for line in lines if line["logger"] == "gunicorn.access" and line["request_id"] == request_id
    ]
    assert '"GET /api/v1/orgunits/ HTTP/1.1" 500' in access["message"]


def test_a_request_id_that_is_not_a_uuid_is_replaced(database_down):
    response = requests.get(
        database_down.url + "/health/", headers={"X-Request-ID": "<script>alert(1)</script>"}, timeout=10
    )
    assert uuid.UUID(response.headers["X-Request-ID"]).hex == response.headers["X-Request-ID"]
    database_down.wait_for_line(
        '"logger": "gunicorn.access"', f'"request_id": "{response.headers["X-Request-ID"]}"'
    )
    assert "<script>" not in database_down.stdout.read_text()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, f"0.0.0.0:8000 {os.cpu_count() * 2 + 1} [] 60"),
        (
            {
                "STYRMODELL_BIND": "127.0.0.1:9000",
                "WEB_CONCURRENCY": "3",
                "STYRMODELL_TRUSTED_PROXIES": "10.0.0.2, 10.1.0.0/24",
                "STYRMODELL_WORKER_TIMEOUT": "30",
            },
            "127.0.0.1:9000 3 ['10.0.0.2', '10.1.0.0/24'] 30",
        ),
    ],
)
def test_gunicorn_reads_its_settings_from_the_environment(env, expected):
    # As gunicorn reads them: through its own validators, from the module -c names.
    environment = {
        k: v for k, v in os.environ.items() if not k.startswith(("STYRMODELL_", "WEB_CONCURRENCY"))
    }
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from gunicorn.app.wsgiapp import WSGIApplication; "
            "app = WSGIApplication('%(prog)s [OPTIONS] [APP_MODULE]'); "
            "c = app.cfg; print(c.bind[0], c.workers, c.forwarded_allow_ips, c.timeout)",
            "-c",
            "python:styrmodell.gunicorn_conf",
            "styrmodell.wsgi",
        ],
        cwd=ROOT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.strip() == expected, result.stderr
