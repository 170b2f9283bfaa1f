"""What the browser is told about the portal's security on every response: the
Content-Security-Policy (no inline script or style, nothing from elsewhere), the Permissions-Policy,
and compressed pages; and, under the production settings, compressed static files.

The browser suite (tests/e2e) shows the policy breaks nothing: it fails on any console error, which
is how Chromium reports what a policy refuses."""

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.kit.organisation import build_group

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def policy_of(response) -> dict[str, str]:
    directives = (part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";"))
    return {name: value for name, value in directives}


def permissions_of(response) -> dict[str, str]:
    features = (part.strip().split("=", 1) for part in response["Permissions-Policy"].split(","))
    return {name: allowed for name, allowed in features}


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/organisation/",
        "/accounts/login/",
        "/ingen-sida-har/",  # the 404 page
        "/api/docs/",
        "/api/v1/orgunits/",
        "/api/schema/",
    ],
)
def test_every_response_carries_the_policy_without_inline_script_or_style(client, url):
    response = client.get(url)
    assert policy_of(response) == POLICY


def test_the_admin_and_its_tree_carry_the_policy(admin_client):
    for url in [reverse("admin:index"), reverse("admin:orgunits_orgunit_changelist")]:
        response = admin_client.get(url)
        assert response.status_code == 200
        assert policy_of(response) == POLICY


def test_with_single_sign_on_the_sign_out_form_may_lead_to_the_provider(client, settings):
    # Signing out posts to the portal, which redirects to the provider's sign-out page: browsers
    # check that redirect against form-action.
    settings.OIDC_ISSUER = "https://login.kommun.example:8443/realms/styrmodell"
    settings.OIDC_RP_CLIENT_ID = "styrmodell"
    response = client.get("/")
    assert policy_of(response) == POLICY | {"form-action": "'self' https://login.kommun.example:8443"}


def test_without_single_sign_on_forms_post_to_the_portal_only(client, settings):
    settings.OIDC_ISSUER = "https://login.kommun.example/realms/styrmodell"
    settings.OIDC_RP_CLIENT_ID = ""  # not set up: no provider to sign out of
    assert policy_of(client.get("/"))["form-action"] == "'self'"


@pytest.mark.parametrize("url", ["/", "/api/docs/", "/api/v1/orgunits/"])
def test_every_response_refuses_the_browser_features_the_portal_never_uses(client, url):
    features = permissions_of(client.get(url))
    for feature in ["camera", "microphone", "geolocation", "payment", "usb", "display-capture", "serial"]:
        assert features[feature] == "()", feature


def test_the_admin_refuses_them_too(admin_client):
    features = permissions_of(admin_client.get(reverse("admin:index")))
    assert features["camera"] == features["microphone"] == features["geolocation"] == "()"


def without_csrf_token(page: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page.decode())


def test_a_large_organisation_tree_comes_compressed_and_whole(client):
    build_group(300)
    raw = client.get("/organisation/")
    compressed = client.get("/organisation/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert raw.get("Content-Encoding") is None
    assert compressed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in compressed["Vary"]
    # The same page, but for the CSRF token, masked afresh on each response (against BREACH too).
    assert without_csrf_token(gzip.decompress(compressed.content)) == without_csrf_token(raw.content)
    assert len(compressed.content) < len(raw.content) / 5


def test_api_json_comes_compressed(client):
    build_group(60)
    response = client.get("/api/v1/orgunits/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert b'"name":"Kommunfullm\xc3\xa4ktige"' in gzip.decompress(response.content).replace(b" ", b"")


# What would run inline in a browser, which the policy refuses: a <script> with a body (a
# json_script data block excepted: it is not run), an on...= handler, a javascript: link, a style
# attribute or a <style> element.
INLINE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>"
    r"|\son[a-z]+\s*=\s*[\"']"
    r"|javascript:"
    r"|\sstyle\s*=\s*[\"']"
    r"|<style[\s>]",
    re.IGNORECASE,
)


def test_no_template_of_ours_writes_inline_script_or_style():
    templates = [
        path
        for path in (ROOT / "styrmodell" / "templates").rglob("*.html")
        # E-mails are read in mail programs, which take styles only inline; no policy applies there.
        if "email" not in path.parts
    ]
    assert templates
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in templates
        for match in INLINE.finditer(path.read_text())
    ]
    assert found == []


@pytest.fixture(scope="module")
def production_static_root(tmp_path_factory):
    """collectstatic under the production settings, into a folder of the test's."""
    static_root = tmp_path_factory.mktemp("static")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=production_environment(static_root),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return static_root


def production_environment(static_root: Path) -> dict[str, str]:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("DJANGO_")}
    environment.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="a-long-random-production-secret-key-0123456789-abcdefghijklmnop",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_SECURE_SSL_REDIRECT="false",
    )
    return environment


def test_collectstatic_writes_each_hashed_file_gzipped_and_in_brotli(production_static_root):
    stylesheets = sorted(path.name for path in (production_static_root / "css").glob("styrmodell.*.css*"))
    hashed = stylesheets[0].removesuffix(".gz").removesuffix(".br")
    assert re.fullmatch(r"styrmodell\.[0-9a-f]{12}\.css", hashed)
    assert stylesheets == sorted([hashed, f"{hashed}.br", f"{hashed}.gz"])


# A page and its stylesheet asked of the production settings' portal in a process of its own, as a
# browser that takes brotli, one that takes gzip only, and one that takes neither would ask.
FETCH_STATIC = """
import django
django.setup()
from django.templatetags.static import static
from django.test import Client
url = static("css/styrmodell.css")
for encoding in ["br, gzip", "gzip", ""]:
    response = Client().get(url, HTTP_ACCEPT_ENCODING=encoding)
    print("fetched", url, response.status_code, response.get("Content-Encoding", "-"), response.get("Cache-Control"))
"""


def test_the_production_settings_serve_hashed_static_files_compressed(production_static_root):
    result = subprocess.run(
        [sys.executable, "-c", FETCH_STATIC],
        cwd=ROOT,
        env=production_environment(production_static_root)
        | {"DJANGO_SETTINGS_MODULE": "styrmodell.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # The lines this script prints, among the portal's logs on the same output.
    lines = [line.split(" ")[1:] for line in result.stdout.splitlines() if line.startswith("fetched ")]
    url = lines[0][0]
    assert re.fullmatch(r"/static/css/styrmodell\.[0-9a-f]{12}\.css", url)
    # A hashed name never changes its content: browsers may keep it for good.
    forever = "max-age=315360000, public, immutable"
    assert [line[1:3] for line in lines] == [["200", "br"], ["200", "gzip"], ["200", "-"]]
    assert all(" ".join(line[3:]) == forever for line in lines)
