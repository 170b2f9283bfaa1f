#!/usr/bin/env bash
# The browser suite (tests/e2e) once under the production settings, as `make e2e-production` runs it:
#
#     scripts/e2e-production.sh [pytest arguments]
#
# DEBUG off with a secret key of its own, the static files collected (hashed, gzip and brotli) into
# a temporary STATIC_ROOT and served by WhiteNoise (tests/e2e/conftest.py leaves /static/ to it),
# the Content-Security-Policy and every production protection on, on a throwaway PostgreSQL server.
# The live server speaks plain HTTP on the loopback, so there is no redirect to HTTPS; Chromium counts
# http://localhost as a secure context and keeps the session's and CSRF's secure cookies there.
set -euo pipefail
cd "$(dirname "$0")/.."

static_root=$(mktemp -d "${TMPDIR:-/tmp}/styrmodell-static.XXXXXX")
trap 'rm -rf "$static_root"' EXIT

export DJANGO_DEBUG=false
DJANGO_SECRET_KEY=$(python -c 'import secrets; print(secrets.token_urlsafe(50))')
export DJANGO_SECRET_KEY
export DJANGO_STATIC_ROOT="$static_root"
export DJANGO_SECURE_SSL_REDIRECT=false

python manage.py collectstatic --no-input -v0
scripts/with-postgres.sh pytest tests/e2e -q -p no:randomly "$@"
