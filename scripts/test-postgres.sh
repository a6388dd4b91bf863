#!/usr/bin/env bash
# A throwaway PostgreSQL server on loopback for the oracle's storage tests.
#
#   source scripts/test-postgres.sh   # starts it; exports DEPIN_TEST_POSTGRES
#   test_postgres_stop                # stops it and removes its files
#
# Installs Debian's postgresql package when no server is there (needs root),
# runs the server as the `postgres` user when started as root (PostgreSQL
# refuses to run as root), trusts local connections, and picks a free port.

test_postgres_start() {
  local bin
  # `|| true`: no server yet is not an error here (set -e and pipefail).
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$bin" ] || [ ! -x "$bin/postgres" ]; then
    [ "$(id -u)" = 0 ] || { echo "test-postgres: no PostgreSQL server and not root to install it (apt-get install postgresql)" >&2; return 1; }
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
  TEST_POSTGRES_DIR=$(mktemp -d "${TMPDIR:-/tmp}/depin-postgres.XXXXXX")
  local as=()
  if [ "$(id -u)" = 0 ]; then
    chown postgres "$TEST_POSTGRES_DIR"
    as=(runuser -u postgres --)
  fi
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as[@]}" "$bin/initdb" -D "$TEST_POSTGRES_DIR/data" -A trust -U depin >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$TEST_POSTGRES_DIR/data" -l "$TEST_POSTGRES_DIR/log" -w \
    -o "-p $port -k $TEST_POSTGRES_DIR -c listen_addresses=127.0.0.1" start >/dev/null
  TEST_POSTGRES_AS=("${as[@]}")
  TEST_POSTGRES_BIN=$bin
  export DEPIN_TEST_POSTGRES="host=127.0.0.1 port=$port user=depin dbname=postgres"
  export DEPIN_REQUIRE_POSTGRES=1
  # For the store's restart test: the same server, stopped and started.
  export DEPIN_TEST_POSTGRES_RESTART="${as[*]} $bin/pg_ctl -D $TEST_POSTGRES_DIR/data -l $TEST_POSTGRES_DIR/log -m fast -w restart"
  echo "   PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"
}

test_postgres_stop() {
  [ -n "${TEST_POSTGRES_DIR:-}" ] || return 0
  "${TEST_POSTGRES_AS[@]}" "$TEST_POSTGRES_BIN/pg_ctl" -D "$TEST_POSTGRES_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$TEST_POSTGRES_DIR"
  TEST_POSTGRES_DIR=
}

test_postgres_start
