#!/usr/bin/env bash
# Starts (or finds running) a private PostgreSQL 15 server for the test suite and prints its URL,
# the value of DRGCODER_TEST_POSTGRES_URL. Used by `make test` (so by .ci/run); a developer runs
#   export DRGCODER_TEST_POSTGRES_URL="$(bash scripts/test-postgres.sh start)"
# and `bash scripts/test-postgres.sh stop` afterwards.
#
# The cluster lives in $DRGCODER_PG_DIR (default /tmp/drgcoder-test-pg), listens on 127.0.0.1 only,
# port $DRGCODER_PG_PORT (default 54329, not the system's 5432), and its superuser `postgres` has the
# test-only password `drgcoder-test` (SCRAM over TCP; trust only on its own socket directory). initdb refuses root, so as root the
# cluster is run by the `postgres` user (created by Debian's package). Prints nothing and exits 0 when
# no PostgreSQL is installed: the PostgreSQL suite then reports that it did not run.
# TLS is on with a certificate for localhost / 127.0.0.1 signed by a throw-away CA ($dir/ca.crt, named
# by the URL's sslrootcert), so the suite tests sslmode=require and verify-full; the URL itself
# says sslmode=disable.
set -euo pipefail

dir="${DRGCODER_PG_DIR:-/tmp/drgcoder-test-pg}"
port="${DRGCODER_PG_PORT:-54329}"
password="drgcoder-test"
bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
url="postgresql://postgres:${password}@127.0.0.1:${port}/postgres?sslmode=disable&sslrootcert=${dir}/ca.crt"

if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "test-postgres: no PostgreSQL server installed (apt-get install postgresql); the PostgreSQL suite will not run" >&2
  exit 0
fi

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-start}" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
      chmod 700 "$dir"
      pwfile="$(mktemp)"; echo "$password" > "$pwfile"
      [ "$(id -u)" -eq 0 ] && chown postgres "$pwfile"
      as_owner "$bin/initdb" -D "$dir" -U postgres --pwfile="$pwfile" --auth-host=scram-sha-256 \
        --auth-local=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      rm -f "$pwfile"
      {
        echo "listen_addresses = '127.0.0.1'"
        echo "port = $port"
        echo "unix_socket_directories = '$dir'"
        echo "max_connections = 300"
        echo "fsync = off"                 # a throwaway test server: durability is not under test here
        echo "synchronous_commit = off"
      } >> "$dir/postgresql.conf"
    fi
    if [ ! -f "$dir/server.crt" ]; then
      tls="$(mktemp -d)"
      openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=drgcoder test CA" \
        -keyout "$tls/ca.key" -out "$tls/ca.crt" 2>/dev/null
      openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
      printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\n' > "$tls/san.ext"
      openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial -days 3650 \
        -extfile "$tls/san.ext" -out "$tls/server.crt" 2>/dev/null
      cp "$tls/ca.crt" "$tls/server.crt" "$tls/server.key" "$dir/"
      rm -rf "$tls"
      chmod 600 "$dir/server.key"; chmod 644 "$dir/ca.crt"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir/ca.crt" "$dir/server.crt" "$dir/server.key"
      printf "ssl = on\nssl_cert_file = 'server.crt'\nssl_key_file = 'server.key'\n" >> "$dir/postgresql.conf"
      as_owner "$bin/pg_ctl" -D "$dir" reload >/dev/null 2>&1 || true
    fi
    if ! as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null
    fi
    echo "$url"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
  *)
    echo "usage: test-postgres.sh [start|stop]" >&2; exit 1 ;;
esac
