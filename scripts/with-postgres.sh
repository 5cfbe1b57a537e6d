#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL server on 127.0.0.1 and UPRIGHT_TEST_POSTGRES_URL set.
# The server lives in a temp folder and is stopped afterwards, whatever the command's result.
set -euo pipefail
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ]; then echo "PostgreSQL is not installed: run scripts/install-system-deps.sh" >&2; exit 1; fi
port=${UPRIGHT_TEST_PG_PORT:-55432}
while (echo >/dev/tcp/127.0.0.1/$port) 2>/dev/null; do port=$((port + 1)); done
dir=$(mktemp -d /tmp/upright-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home "$dir" postgres
  chown postgres "$dir"
  as_pg=(runuser -u postgres --)
fi
"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U upright --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1 \
  || { cat "$dir/initdb.log" >&2; exit 1; }
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-h 127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off" start >/dev/null
cleanup() { "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
"$bindir/createdb" -h 127.0.0.1 -p "$port" -U upright upright_test
export UPRIGHT_TEST_POSTGRES_URL="postgresql+psycopg://upright@127.0.0.1:$port/upright_test"
set +e
"$@"
status=$?
exit $status
