"""The container's HEALTHCHECK: ``GET /health/`` on this instance, exit 0 on 200 and 1 otherwise.

The port is that of ``STYRMODELL_BIND`` (gunicorn's address, ``styrmodell/gunicorn_conf.py``),
8000 by default. The standard library only: the slim image has no curl. ``/health/`` answers 200
while the database answers (``styrmodell/health.py``), and before the host is checked, so the
loopback address needs no place in ``DJANGO_ALLOWED_HOSTS``.
"""

import os
import sys
import urllib.error
import urllib.request


def health_url(bind: str) -> str:
    """The health endpoint of an instance bound to ``host:port`` (its first address if several)."""
    port = bind.split(",")[0].strip().rsplit(":", 1)[1]
    return f"http://127.0.0.1:{port}/health/"


def main() -> int:
    url = health_url(os.environ.get("STYRMODELL_BIND") or "0.0.0.0:8000")
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return 0 if response.status == 200 else 1
    except (urllib.error.URLError, OSError) as error:  # HTTPError (a 503) is a URLError too.
        print(f"{url}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
