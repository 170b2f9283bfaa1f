"""Settings come from the environment; production mode passes Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.pop("DATABASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def printed_settings(expression: str, **env: str) -> subprocess.CompletedProcess:
    """``manage.py shell`` printing ``expression`` of the settings that ``env`` makes."""
    return run_manage(
        "shell", "--no-imports", "-c", f"from django.conf import settings; print({expression})", **env
    )


def test_with_nothing_set_the_portal_uses_sqlite_under_var():
    result = printed_settings("settings.DATABASES['default']['NAME']")
    assert result.stdout.strip() == str(ROOT / "var" / "styrmodell.sqlite3")


def test_database_url_selects_postgresql():
    result = printed_settings(
        "settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME']",
        DATABASE_URL="postgres://styrmodell@db.example/styrmodell",
    )
    assert result.stdout.strip() == "django.db.backends.postgresql styrmodell"


def test_production_mode_passes_the_deployment_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="styrmodell.sjostad.example",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


@pytest.mark.parametrize(
    ("static_root", "expected"),
    [("", ROOT / "var" / "static"), ("/srv/styrmodell/static", Path("/srv/styrmodell/static"))],
)
def test_production_mode_gathers_static_files_where_the_deployment_says(static_root, expected):
    # Installed from the wheel, the default under var/ would be inside site-packages.
    result = printed_settings(
        "settings.STATIC_ROOT",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        DJANGO_STATIC_ROOT=static_root,
    )
    assert result.stdout.strip() == str(expected), result.stderr


def test_production_mode_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY when DJANGO_DEBUG is false." in result.stderr


def test_a_mistyped_boolean_is_an_error_not_a_guess():
    result = run_manage("check", DJANGO_DEBUG="maybe")
    assert "DJANGO_DEBUG must be true or false, not 'maybe'" in result.stderr


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "styrmodell.sjostad.example",
}


def test_behind_a_proxy_production_mode_still_passes_the_deployment_checks():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        STYRMODELL_TRUSTED_PROXIES="10.0.0.2, 10.1.0.0/24",
        STYRMODELL_PROXY_SSL_HEADER="X-Forwarded-Proto",
        **PRODUCTION,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("header", "expected"),
    [("", "None"), ("X-Forwarded-Proto", "('HTTP_X_FORWARDED_PROTO', 'https')")],
)
def test_the_proxys_https_header_is_believed_only_when_named(header, expected):
    # Unnamed, a client talking straight to the portal could claim HTTPS by sending the header.
    result = printed_settings(
        "settings.SECURE_PROXY_SSL_HEADER",
        STYRMODELL_PROXY_SSL_HEADER=header,
        **PRODUCTION,
    )
    assert result.stdout.strip() == expected, result.stderr


def test_a_mistyped_trusted_proxy_is_an_error_not_a_guess():
    result = run_manage("check", STYRMODELL_TRUSTED_PROXIES="10.0.0.2, proxy.sjostad.example")
    assert (
        "STYRMODELL_TRUSTED_PROXIES must list addresses or ranges, not 'proxy.sjostad.example'"
        in result.stderr
    )


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "text WARNING"),  # development: text for a person at a terminal
        (PRODUCTION, "json WARNING"),  # production: JSON lines for the log collector
        ({**PRODUCTION, "STYRMODELL_LOG_FORMAT": "text"}, "text WARNING"),
    ],
)
def test_the_log_format_and_level_come_from_the_environment(env, expected):
    result = printed_settings(
        "settings.LOG_FORMAT, settings.LOGGING['root']['level']",
        DJANGO_LOG_LEVEL="WARNING",
        **env,
    )
    assert result.stdout.strip() == expected, result.stderr


def test_a_mistyped_log_format_is_an_error_not_a_guess():
    result = run_manage("check", STYRMODELL_LOG_FORMAT="xml")
    assert "STYRMODELL_LOG_FORMAT must be json or text, not 'xml'" in result.stderr


@pytest.mark.parametrize(("value", "expected"), [("", "True"), ("false", "False")])
def test_the_redirect_to_https_can_be_left_to_the_proxy(value, expected):
    result = printed_settings(
        "settings.SECURE_SSL_REDIRECT",
        DJANGO_SECURE_SSL_REDIRECT=value,
        **PRODUCTION,
    )
    assert result.stdout.strip() == expected, result.stderr
