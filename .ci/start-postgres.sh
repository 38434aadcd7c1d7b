#!/usr/bin/env bash
# Starts a throwaway PostgreSQL 15 server on 127.0.0.1:55432 from the machine's packages and prints the
# connection string for the tests (INCIDENTBOT_TEST_POSTGRES). Prints nothing and exits 1 when it cannot.
set -uo pipefail
bin=/usr/lib/postgresql/15/bin
port=${PGPORT_FOR_TESTS:-55432}
data=${PGDATA_FOR_TESTS:-/tmp/incidentbot-pg}
if [ ! -x "$bin/initdb" ]; then
  echo "no PostgreSQL server binaries at $bin" >&2
  exit 1
fi
run_as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
if run_as_postgres "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  echo "Host=127.0.0.1;Port=$port;Username=postgres;Pooling=true;Maximum Pool Size=50"
  exit 0
fi
rm -rf "$data"
mkdir -p "$data" && chown postgres "$data" 2>/dev/null
run_as_postgres "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 >/tmp/incidentbot-pg-initdb.log 2>&1 || { cat /tmp/incidentbot-pg-initdb.log >&2; exit 1; }
run_as_postgres "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k /tmp -c max_connections=300 -c fsync=on" start >/dev/null 2>&1 \
  || { cat "$data/server.log" >&2; exit 1; }
echo "Host=127.0.0.1;Port=$port;Username=postgres;Pooling=true;Maximum Pool Size=50"
