#!/usr/bin/env sh
# The release steps: run once per deploy, with the new version's code and the production
# environment, before its instances start serving (docs/deployment.md). Safe to run again.
#
#     scripts/release.sh                        (in the image: styrmodell-release)
#
# `python` is the portal's environment (its virtual environment first on PATH).
set -eu
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-styrmodell.settings}"

# The schema, before any instance of the new version reads it; migrate also makes the shared
# cache's table (orgunits/apps.py).
python -m django migrate --no-input
