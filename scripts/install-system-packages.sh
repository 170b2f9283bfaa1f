#!/usr/bin/env bash
# Install the Debian packages the test suite needs (PostgreSQL 15's server, Chromium, gettext,
# Node.js with npm for the sign-in tests' OpenID provider, and nginx for the reverse proxy's test)
# when they are missing. Does nothing on a machine that has them.
#
#   scripts/install-system-packages.sh              # all of them
#   scripts/install-system-packages.sh postgresql   # only those named (make bench needs no browser)
set -euo pipefail

only=" $* "
wanted() { [ "$only" = "  " ] || [[ "$only" == *" $1 "* ]]; }

missing=()
if wanted postgresql; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || missing+=(postgresql)
fi
if wanted chromium; then [ -x /usr/bin/chromium ] || missing+=(chromium); fi
if wanted gettext; then command -v msgfmt >/dev/null || missing+=(gettext); fi
if wanted npm; then command -v npm >/dev/null || missing+=(nodejs npm); fi
# nginx, the reverse proxy that tests/instances/test_reverse_proxy.py runs deploy/nginx.conf in (the
# light build: the proxy and TLS, nothing more). openssl makes its test certificate.
if wanted nginx; then
  [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v openssl >/dev/null || missing+=(openssl)
fi

[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing missing system packages: ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
