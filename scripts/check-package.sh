#!/usr/bin/env bash
# Check that the portal as a package is whole: build the sdist and the wheel from it, check that the
# wheel holds every file of every app, install it with its dependencies in a clean virtual
# environment and, from a folder outside the repository, so that nothing of the checkout is on the
# path, run Django's checks and serve a page in production mode: its template, its Swedish text and
# its stylesheet all come from the wheel; then start it as the Dockerfile does and ask its /health/.
#
#     scripts/check-package.sh          (make package-check)
#
# PYTHON is the interpreter of the clean environment (python3.11); BUILD_PYTHON has `build`
# installed (the project's .venv).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

PYTHON=${PYTHON:-python3.11}
BUILD_PYTHON=${BUILD_PYTHON:-$repo/.venv/bin/python}
APPS=(styrmodell orgunits processes goals search notices api demo signin)

work=$(mktemp -d "${TMPDIR:-/tmp}/styrmodell-package.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Built and installed in a clean virtual environment as the Dockerfile does it: the sdist, the
# wheel from it, the wheel with its dependencies.
PYTHON=$PYTHON BUILD_PYTHON=$BUILD_PYTHON scripts/install-portal.sh "$work/venv" "$work/dist"
wheel=$(ls "$work"/dist/*.whl)

# Every file of the apps (modules, migrations, templates, data) is in the wheel: those git knows or
# would add, as they are on disk now.
if git rev-parse --git-dir >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard -- "${APPS[@]}" |
        while IFS= read -r file; do [ -f "$file" ] && echo "$file"; done | sort -u >"$work/expected"
else
    find "${APPS[@]}" -type f -not -path "*/__pycache__/*" -not -name "*.py[cod]" | sort >"$work/expected"
fi
"$BUILD_PYTHON" -c 'import sys, zipfile; print("\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))' "$wheel" |
    sort >"$work/shipped"
missing=$(comm -23 "$work/expected" "$work/shipped")
if [ -n "$missing" ]; then
    echo "The wheel leaves out these files of the apps (pyproject.toml, MANIFEST.in):" >&2
    echo "$missing" >&2
    exit 1
fi
echo "the wheel holds all $(wc -l <"$work/expected") files of ${APPS[*]}"

# Outside the checkout, as in production: no debug, a real secret key, a database of its own.
cd "$work"
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="package-check-$RANDOM-$RANDOM-$RANDOM-$RANDOM"
export DJANGO_ALLOWED_HOSTS=localhost
export DATABASE_URL="sqlite:///$work/check.sqlite3"
export DJANGO_STATIC_ROOT="$work/static"
unset PYTHONPATH DJANGO_SETTINGS_MODULE
django=("$work/venv/bin/python" -m django)

# The apps come from the installed wheel, not from the repository.
"$work/venv/bin/python" - "$work/venv" "${APPS[@]}" <<'EOF'
import importlib
import sys

venv, apps = sys.argv[1], sys.argv[2:]
for app in apps:
    where = importlib.import_module(app).__file__
    if not where.startswith(venv):
        sys.exit(f"{app} was imported from {where}, not from the installed wheel")
EOF

export DJANGO_SETTINGS_MODULE=styrmodell.settings
"${django[@]}" check --fail-level ERROR
# The release steps (migrate, the cache table) as the image runs them: styrmodell-release.
PATH="$work/venv/bin:$PATH" "$repo/scripts/release.sh" >"$work/release.log" 2>&1 || {
    cat "$work/release.log"
    exit 1
}
# Each app's migrations were shipped: the first one of each is listed.
migrations=$("${django[@]}" showmigrations orgunits processes goals)
echo "$migrations" | grep -A 3 "^goals"
for app in orgunits processes goals; do
    echo "$migrations" | grep -A 1 "^$app\$" | grep -q "0001_initial" || {
        echo "No migrations of $app in the installed wheel" >&2
        exit 1
    }
done

# The sign-in page as production serves it: the site-wide template and the Swedish catalog of the
# styrmodell package ("Sign in" is the portal's own message, which Django does not translate), and
# its stylesheet, hashed by collectstatic and served by WhiteNoise.
"${django[@]}" collectstatic --no-input -v0
"$work/venv/bin/python" - "$work/venv" <<'EOF'
import sys

import django

django.setup()

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client

venv = sys.argv[1]
found = finders.find("css/styrmodell.css")
if not (found and found.startswith(venv)):
    sys.exit(f"css/styrmodell.css was found at {found}, not in the installed wheel")
stylesheet = static("css/styrmodell.css")
client = Client(HTTP_HOST="localhost")
page = client.get("/accounts/login/", secure=True)
html = page.content.decode()
if page.status_code != 200 or "<h1>Logga in</h1>" not in html or stylesheet not in html:
    sys.exit(f"The sign-in page answered {page.status_code} without its Swedish heading or {stylesheet}:\n{html}")
served = client.get(stylesheet, secure=True)
if served.status_code != 200:
    sys.exit(f"{stylesheet} answered {served.status_code}")
print(f"served the sign-in page in Swedish and {stylesheet}")
EOF

# The image's start and health check as the Dockerfile states them (gunicorn with
# styrmodell.gunicorn_conf, then /health/), run from this environment: no Docker engine needed.
PATH="$work/venv/bin:$PATH" "$work/venv/bin/python" "$repo/scripts/container_commands.py" "$repo/Dockerfile"
echo "package check passed"
