"""Starting and stopping the test OpenID provider (provider.mjs, oidc-provider on Node) for the
sign-in tests. `make oidc-provider` installs it (npm ci); nothing is downloaded at test time."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

HERE = Path(__file__).resolve().parent
CLIENT_ID = "styrmodell"
CLIENT_SECRET = "styrmodell-test-secret"
STARTUP_SECONDS = 20


@dataclass
class RunningProvider:
    issuer: str
    accounts_file: Path

    def set_accounts(self, accounts: Mapping[str, Mapping]) -> None:
        """Who may sign in and with which claims; read by the provider at every sign-in."""
        write_accounts(self.accounts_file, accounts)


def write_accounts(path: Path, accounts: Mapping[str, Mapping]) -> None:
    path.write_text(json.dumps(accounts), encoding="utf-8")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_provider(*, redirect_uri: str, logout_uri: str, accounts_file: Path) -> Iterator[RunningProvider]:
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "The test OpenID provider is not installed: run `make oidc-provider` (npm ci in tests/oidc)."
        )
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    log = accounts_file.with_name("provider.log")
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "PORT": str(port),
        "REDIRECT_URI": redirect_uri,
        "LOGOUT_URI": logout_uri,
        "ACCOUNTS_FILE": str(accounts_file),
    }
    with log.open("w") as output:
        process = subprocess.Popen(
            ["node", "provider.mjs"], cwd=HERE, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        _wait_for_discovery(issuer, process, log)
        yield RunningProvider(issuer=issuer, accounts_file=accounts_file)
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_for_discovery(issuer: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"The test OpenID provider stopped:\n{log.read_text()}")
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=1).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    pytest.fail(f"The test OpenID provider did not answer within {STARTUP_SECONDS} s:\n{log.read_text()}")
