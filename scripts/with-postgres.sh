#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL server:
#
#     scripts/with-postgres.sh pytest
#
# The server lives in a temporary folder, listens only on a Unix socket there (so it never clashes
# with another server's port), and is stopped and removed however the command ends. The command
# gets DATABASE_URL pointing at an empty database on it. As root, the server runs as the postgres
# user, since PostgreSQL refuses to run as root.
set -euo pipefail

pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null | sort -V | tail -n 1)")
[ -x "$pg_bin/initdb" ] || pg_bin=$(dirname "$(command -v initdb)")

as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    as_owner=(runuser -u postgres --)
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/styrmodell-pg.XXXXXX")
chmod 755 "$dir"
[ ${#as_owner[@]} -eq 0 ] || chown postgres: "$dir"

stop() {
    "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}
trap stop EXIT

"${as_owner[@]}" "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" \
    || { cat "$dir/initdb.log"; exit 1; }
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null || { cat "$dir/server.log"; exit 1; }

"${as_owner[@]}" "$pg_bin/createdb" -h "$dir" -U postgres styrmodell

export DATABASE_URL="postgres://postgres@${dir//\//%2F}/styrmodell"
"$@"
