"""The container image: what the Dockerfile says, and its health check against real servers.

No Docker engine runs here, so the image is not built in the tests. What it would run is tried
instead: `make package-check` installs the portal with the same script as the Dockerfile
(scripts/install-portal.sh), runs the same release steps (scripts/release.sh) and starts the
Dockerfile's CMD and HEALTHCHECK as it reads them from the file (scripts/container_commands.py).
These tests hold the Dockerfile to what docs/deployment.md promises of it.
"""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # Its dataclasses look their module up there.
    spec.loader.exec_module(module)
    return module


container_commands = _script("container_commands")


@pytest.fixture(scope="module")
def image():
    """The final stage of the Dockerfile: the image that runs."""
    return container_commands.read_dockerfile(ROOT / "Dockerfile")[-1]


def test_the_image_runs_on_python_3_11_slim_as_a_user_without_privileges(image):
    assert image.base == "python:3.11-slim"
    assert image.user not in {"", "root", "0", "0:0"}
    assert any(re.search(rf"useradd .*\b{re.escape(image.user)}$", step) for step in image.run)


def test_the_image_starts_gunicorn_with_the_repositorys_config(image):
    assert image.cmd == ["gunicorn", "-c", "python:styrmodell.gunicorn_conf", "styrmodell.wsgi"]


def test_the_image_collects_its_static_files_at_build_time_and_ships_the_release_command(image):
    assert any("collectstatic --no-input" in step for step in image.run)
    assert image.copied["/usr/local/bin/styrmodell-release"] == "scripts/release.sh"


def test_the_image_is_installed_by_the_script_package_check_tries():
    build = container_commands.read_dockerfile(ROOT / "Dockerfile")[0]
    assert any("scripts/install-portal.sh /opt/styrmodell" in step for step in build.run)
    assert "scripts/install-portal.sh" in (ROOT / "scripts" / "check-package.sh").read_text()
    assert "scripts/container_commands.py" in (ROOT / "scripts" / "check-package.sh").read_text()


def test_the_image_builds_with_the_same_build_tool_as_pyproject_pins():
    pinned = re.search(r'"(build==[\d.]+)"', (ROOT / "pyproject.toml").read_text()).group(1)
    build = container_commands.read_dockerfile(ROOT / "Dockerfile")[0]
    assert any(pinned in step.split() for step in build.run)


def test_the_health_check_runs_the_script_that_asks_for_health(image):
    assert image.healthcheck == ["python", "/usr/local/bin/styrmodell-healthcheck"]
    assert image.copied["/usr/local/bin/styrmodell-healthcheck"] == "scripts/healthcheck.py"


def _healthcheck(bind: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "healthcheck.py")],
        env={"STYRMODELL_BIND": bind},
        capture_output=True,
        text=True,
        timeout=30,
    )


def test_the_health_check_passes_while_health_answers_200(httpserver):
    httpserver.expect_request("/health/").respond_with_json({"status": "ok"})

    assert _healthcheck(f"0.0.0.0:{httpserver.port}").returncode == 0


def test_the_health_check_fails_when_the_database_is_unavailable(httpserver):
    httpserver.expect_request("/health/").respond_with_json({"status": "unavailable"}, status=503)

    checked = _healthcheck(f"0.0.0.0:{httpserver.port}")

    assert checked.returncode == 1
    assert "503" in checked.stderr


def test_the_health_check_fails_when_nothing_listens():
    port = container_commands.free_port()

    checked = _healthcheck(f"0.0.0.0:{port}")

    assert checked.returncode == 1
    assert f"http://127.0.0.1:{port}/health/" in checked.stderr


@pytest.mark.django_db(transaction=True)
def test_the_health_check_passes_against_the_portal(live_server):
    port = live_server.url.rsplit(":", 1)[1]

    assert _healthcheck(f"127.0.0.1:{port}").returncode == 0
