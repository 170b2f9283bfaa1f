"""Under the production settings (``make e2e-production``), a page loads its stylesheets and scripts
by their hashed names, compressed, from WhiteNoise, under the Content-Security-Policy. Skipped under
the development settings, which serve the files as they are."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.skipif(
    not settings.STATIC_ROOT, reason="production settings only: make e2e-production"
)

HASHED = re.compile(r"/static/.+\.[0-9a-f]{12}\.(css|js|svg)$")


def test_a_page_loads_hashed_compressed_files_under_the_policy(page):
    files = []
    page.on("response", lambda response: files.append(response) if "/static/" in response.url else None)
    response = page.goto("/organisation/")
    policy = dict(
        part.strip().split(" ", 1) for part in response.headers["content-security-policy"].split(";")
    )
    assert (policy["script-src"], policy["style-src"]) == ("'self'", "'self'")
    page.wait_for_load_state("networkidle")
    loaded = {(re.sub(r"^https?://[^/]+", "", file.url), file.status) for file in files}
    assert {url for url, _ in loaded if not HASHED.search(url)} == set()
    assert {status for _, status in loaded} == {200}
    # Chromium takes brotli: WhiteNoise sends the .br file collectstatic wrote beside each.
    encodings = {file.url.rsplit("/", 1)[-1]: file.headers.get("content-encoding") for file in files}
    stylesheet = next(name for name in encodings if name.startswith("styrmodell.") and name.endswith(".css"))
    assert encodings[stylesheet] == "br"
    # A hashed name never changes its content: the browser keeps each file for good.
    assert {file.headers["cache-control"] for file in files} == {"max-age=315360000, public, immutable"}
