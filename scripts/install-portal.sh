#!/usr/bin/env bash
# Install the portal as production runs it: build the sdist and the wheel from it out of this
# checkout, and install the wheel with its pinned dependencies in a new virtual environment.
# `make package-check` (scripts/check-package.sh) and the Dockerfile both install through this
# script, so the image holds what the check has tried.
#
#     scripts/install-portal.sh VENV DIST
#
# DIST receives the sdist and the wheel. BUILD_PYTHON has `build` installed (the project's .venv);
# PYTHON makes the virtual environment (python3.11).
set -euo pipefail
venv=$1
dist=$2
repo=$(cd "$(dirname "$0")/.." && pwd)
PYTHON=${PYTHON:-python3.11}
BUILD_PYTHON=${BUILD_PYTHON:-$repo/.venv/bin/python}
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# The sdist first, then the wheel from the unpacked sdist: what is missing from either shows here,
# and no build/ left over from an earlier build can slip a deleted module into the wheel.
"$BUILD_PYTHON" -m build --outdir "$dist" "$repo" >"$log" 2>&1 || {
    cat "$log"
    exit 1
}
wheel=$(ls "$dist"/*.whl)

"$PYTHON" -m venv "$venv"
"$venv/bin/pip" install --disable-pip-version-check --no-cache-dir "$wheel" >"$log" 2>&1 || {
    cat "$log"
    exit 1
}
echo "installed $(basename "$wheel") in $venv"
