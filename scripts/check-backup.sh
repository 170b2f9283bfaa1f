#!/usr/bin/env bash
# Try a backup as the drill in docs/operations.md does (make backup-check BACKUP_FILE=...): restore it
# into a throwaway PostgreSQL server (scripts/with-postgres.sh) and let the portal read it there:
# the counts restore.py prints, Django's checks against it, and check_chains (treebeard's
# bookkeeping of the organisation tree and every goal chain). Fails when any of that fails; a
# backup that needs migrations of a newer portal is said so, and is no failure.
set -euo pipefail
: "${BACKUP_FILE:?Name the backup to check: BACKUP_FILE=var/backups/....dump}"
BACKUP_FILE=$(realpath "$BACKUP_FILE")
export BACKUP_FILE
cd "$(dirname "$0")/.."

exec scripts/with-postgres.sh bash -c '
    set -euo pipefail
    python scripts/restore.py
    python manage.py check --database default
    python manage.py migrate --check >/dev/null \
        || echo "Note: this portal would still apply migrations to it (python manage.py migrate after restoring)."
    python manage.py check_chains
    echo "The backup $BACKUP_FILE restores and the portal reads it."
'
