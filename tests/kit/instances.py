"""More than one instance of the portal, as production runs it: gunicorn processes on the loopback.

Each instance is a ``gunicorn`` of its own, started from the checkout with production settings
(``DJANGO_DEBUG=false``, collected static files, one secret key for all, as every instance behind
one proxy must have; ``tests.kit.instance_settings``), on the test database: the data a ``transactional_db`` test writes is
committed, so every instance sees it. Nothing is shared between them but PostgreSQL.

Offers
- fixture ``portal_instances`` (session): two running ``Instance``s, started on first use and
  stopped before the test database is dropped; PostgreSQL only (it skips elsewhere).
- fixture ``instance_environment`` (session) and ``running(instances)``: for instances of other
  settings (behind the proxy); ``Proxy``: nginx with deploy/nginx.conf in front of them, on HTTPS.
- ``Instance``: ``url``, ``environment`` (to run ``manage.py`` as it), ``tracebacks_since(mark)``.
- ``ServerTracebacks``: the 500s the instances logged during a test, read when asked.
- ``sign_in(session, base, username, password)``, ``form_token(session, url)``: a browser's steps.
- ``loopback_session()``: a ``requests`` session that sends the production cookies (``Secure``) to
  the loopback, as a browser does for a local address.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
# Debian's nginx (scripts/install-system-packages.sh); outside root's PATH it is still there.
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# How many instances the fixture starts, each with this many processes and threads: enough for the
# concurrency suite's eight clients to reach the server at the same moment.
INSTANCES = 2
WORKERS = 2
THREADS = 4

# Django logs every 500 with this message (logger django.request); gunicorn when the application
# itself fails.
SERVER_ERROR_MARKERS = ("Internal Server Error", "Error handling request")


def database_url(settings_dict: dict) -> str:
    """The ``DATABASE_URL`` of a connection's settings: the instances reach the database the test
    process uses (the test database, once pytest-django has made it)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(password, safe='')}@" if password else (f"{user}@" if user else "")
    # A Unix socket's folder is a host with slashes: quoted whole, as dj-database-url reads it.
    host = quote(settings_dict.get("HOST") or "", safe="")
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


def production_environment(*, database: str, static_root: Path, secret_key: str) -> dict[str, str]:
    """Production settings, served over plain HTTP on the loopback (no proxy in front to end TLS)."""
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DATABASE_URL=database,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secret_key,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_LOG_LEVEL="WARNING",
        # Production's settings with the static files hashed but not compressed (instance_settings).
        DJANGO_SETTINGS_MODULE="tests.kit.instance_settings",
        PYTHONUNBUFFERED="1",
    )
    return environment


def manage(environment: dict[str, str], *args: str) -> str:
    """``manage.py`` run as an instance would run it (its settings, its database)."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_command(port: int) -> list[str]:
    """The portal's gunicorn configuration (styrmodell/gunicorn_conf.py), with the address,
    processes and threads of a test instance."""
    return [
        *(sys.executable, "-m", "gunicorn", "-c", "python:styrmodell.gunicorn_conf"),
        *("--bind", f"127.0.0.1:{port}", "--workers", str(WORKERS), "--threads", str(THREADS)),
        "styrmodell.wsgi",
    ]


class Instance:
    """One gunicorn serving the portal, its output in a file of its own."""

    def __init__(self, name: str, environment: dict[str, str], log: Path):
        self.name = name
        self.environment = environment
        self.log = log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 60) -> None:
        with self.log.open("wb") as output:
            self.process = subprocess.Popen(
                gunicorn_command(self.port),
                cwd=ROOT,
                env={**self.environment, "STYRMODELL_BIND": f"127.0.0.1:{self.port}"},
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                # The load balancer's probe: answered before the host check and the HTTPS redirect.
                if requests.get(self.url + "/health/", timeout=5, allow_redirects=False).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        self.stop()
        raise AssertionError(f"instance {self.name} did not answer:\n{self.output()}")

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def output(self, since: int = 0) -> str:
        with self.log.open("rb") as output:
            output.seek(since)
            return output.read().decode(errors="replace")

    def mark(self) -> int:
        """Where the log stands now: ``tracebacks_since`` reads what comes after."""
        return self.log.stat().st_size

    def tracebacks_since(self, mark: int) -> list[str]:
        """Each server error logged after ``mark``, with what follows it (its traceback)."""
        errors, current = [], None
        for line in self.output(mark).splitlines():
            if any(marker in line for marker in SERVER_ERROR_MARKERS):
                current = [f"[instance {self.name}] {line}"]
                errors.append(current)
            elif current is not None:
                current.append(line)
        return ["\n".join(error) for error in errors]


class ServerTracebacks(Sequence):
    """The server errors the instances logged since this was made, read again at every look, so
    that a test holding it sees those of requests it made afterwards."""

    def __init__(self, instances: Sequence[Instance]):
        self.marks = [(instance, instance.mark()) for instance in instances]

    def _all(self) -> list[str]:
        return [traceback for instance, mark in self.marks for traceback in instance.tracebacks_since(mark)]

    def __getitem__(self, index):
        return self._all()[index]

    def __len__(self) -> int:
        return len(self._all())


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def form_token(session: requests.Session, url: str) -> str:
    """The CSRF token of the form on the page at ``url``, read as a browser reads the page."""
    page = session.get(url)
    assert page.status_code == 200, f"GET {url}: {page.status_code}"
    return CSRF_FIELD.search(page.text).group(1)


def sign_in(session: requests.Session, base: str, username: str, password: str) -> requests.Response:
    """The sign-in form of the portal at ``base``, filled in and sent; its answer, not followed."""
    url = base + reverse("login")
    return session.post(
        url,
        data={"username": username, "password": password, "csrfmiddlewaretoken": form_token(session, url)},
        headers={"Origin": base},  # as a browser posts a form (Django checks it on HTTPS)
        allow_redirects=False,
    )


class LoopbackSession(requests.Session):
    """A browser's session on the loopback. Production cookies are ``Secure``; a browser sends them
    to a loopback address over plain HTTP (a local address is a secure context), while Python's
    cookie jar keeps them for HTTPS. So before each request the cookies kept are marked sendable."""

    def prepare_request(self, request):
        for cookie in self.cookies:
            cookie.secure = False
        return super().prepare_request(request)


def loopback_session() -> requests.Session:
    return LoopbackSession()


@contextmanager
def running(instances: Sequence[Instance]) -> Iterator[list[Instance]]:
    """The instances started, and stopped however the block ends."""
    try:
        for instance in instances:
            instance.start()
        yield list(instances)
    finally:
        for instance in instances:
            instance.stop()


@pytest.fixture(scope="session")
def instance_environment(django_db_setup, django_db_blocker, tmp_path_factory) -> dict[str, str]:
    """The production environment of the test instances, on the test database, with their static
    files collected once for the session."""
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip(
            "instances share a PostgreSQL server (make test runs on it); SQLite is one process's file"
        )
    with django_db_blocker.unblock():
        database = database_url(connection.settings_dict)
    environment = production_environment(
        database=database,
        static_root=tmp_path_factory.mktemp("static"),
        secret_key=secrets.token_urlsafe(50),
    )
    manage(environment, "collectstatic", "--no-input", "--verbosity", "0")
    return environment


@pytest.fixture(scope="session")
def portal_instances(instance_environment, tmp_path_factory) -> Iterator[list[Instance]]:
    """Two instances of the portal on the test database, started once for the session."""
    folder = tmp_path_factory.mktemp("instances")
    names = "ab"[:INSTANCES]
    with running([Instance(name, instance_environment, folder / f"{name}.log") for name in names]) as started:
        yield started


class Proxy:
    """nginx with the repository's configuration (deploy/nginx.conf) in front of instances, on
    HTTPS with a certificate of its own for 127.0.0.1 (``certificate``)."""

    def __init__(self, folder: Path, upstreams: Sequence[Instance]):
        self.folder = folder
        self.port, self.plain_port = free_port(), free_port()
        self.url = f"https://127.0.0.1:{self.port}"
        self.plain_url = f"http://127.0.0.1:{self.plain_port}"
        self.certificate = folder / "proxy.crt"
        (folder / "nginx.conf").write_text(NGINX_CONF.read_text())
        # The two files of the site's own that the configuration includes.
        (folder / "upstreams.conf").write_text(
            "".join(f"server 127.0.0.1:{instance.port};\n" for instance in upstreams)
        )
        (folder / "site.conf").write_text(
            f"listen 127.0.0.1:{self.port} ssl;\nlisten 127.0.0.1:{self.plain_port};\nserver_name 127.0.0.1;\n"
            f"ssl_certificate {self.certificate};\nssl_certificate_key {folder / 'proxy.key'};\n"
        )
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Proxy:
        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-keyout", str(self.folder / "proxy.key"), "-out", str(self.certificate)),
                *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
            ],
            check=True,
            capture_output=True,
        )
        log = (self.folder / "nginx.log").open("wb")
        self.process = subprocess.Popen(
            [
                NGINX,
                *("-p", str(self.folder), "-c", str(self.folder / "nginx.conf"), "-e", "stderr"),
                *("-g", f"daemon off; pid {self.folder / 'nginx.pid'};"),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                requests.get(self.url + "/health/", verify=self.certificate, timeout=5)
                return self
            except requests.ConnectionError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.2)
        self.__exit__()
        raise AssertionError("nginx did not answer:\n" + (self.folder / "nginx.log").read_text())

    def __exit__(self, *exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None
