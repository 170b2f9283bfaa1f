#!/usr/bin/env bash
# Check that the portal as a package is whole: build the sdist and the wheel from it, check that the
# wheel holds every file of every app, install it with its dependencies in a clean virtual
# environment and run Django's checks from a folder outside the repository, so that nothing of the
# checkout is on the path.
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
APPS=(styrmodell orgunits processes goals api demo)

work=$(mktemp -d "${TMPDIR:-/tmp}/styrmodell-package.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The sdist first, then the wheel from the unpacked sdist: what is missing from either shows here,
# and no build/ left over from an earlier build can slip a deleted module into the wheel.
"$BUILD_PYTHON" -m build --outdir "$work/dist" . >"$work/build.log" 2>&1 || {
    cat "$work/build.log"
    exit 1
}
wheel=$(ls "$work"/dist/*.whl)
echo "built $(basename "$wheel")"

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

"$PYTHON" -m venv "$work/venv"
"$work/venv/bin/pip" install --disable-pip-version-check "$wheel" >"$work/install.log" 2>&1 || {
    cat "$work/install.log"
    exit 1
}

# Outside the checkout, as in production: no debug, a real secret key, a database of its own.
cd "$work"
export DJANGO_DEBUG=false
export DJANGO_SECRET_KEY="package-check-$RANDOM-$RANDOM-$RANDOM-$RANDOM"
export DJANGO_ALLOWED_HOSTS=localhost
export DATABASE_URL="sqlite:///$work/check.sqlite3"
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

"${django[@]}" check --settings=styrmodell.settings --fail-level ERROR
# Each app's migrations were shipped: the first one of each is listed.
migrations=$("${django[@]}" showmigrations orgunits processes goals --settings=styrmodell.settings)
echo "$migrations" | grep -A 3 "^goals"
for app in orgunits processes goals; do
    echo "$migrations" | grep -A 1 "^$app\$" | grep -q "0001_initial" || {
        echo "No migrations of $app in the installed wheel" >&2
        exit 1
    }
done
echo "package check passed"
