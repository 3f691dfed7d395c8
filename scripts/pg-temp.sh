#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for tests and benchmarks: initdb in a temp
# folder, a free port on 127.0.0.1, the unix socket in the same folder.
#
#   scripts/pg-temp.sh start [--owner PID] [--fast]
#       prints two lines: the connection URL, then the cluster's folder.
#       --owner PID: stop and remove the cluster by itself once PID has exited
#                    (a test runner that crashes leaves nothing behind).
#       --fast:      fsync off (tests only kill moim, never PostgreSQL).
#   scripts/pg-temp.sh stop DIR
#   scripts/pg-temp.sh down DIR   stops the server but keeps the cluster (an outage)
#   scripts/pg-temp.sh up DIR     starts it again on the same port
#
# Needs Debian's `postgresql` package (binaries in /usr/lib/postgresql/*/bin).
# initdb refuses to run as root, so as root the cluster runs as the package's
# `postgres` user. Fails loudly when PostgreSQL is missing: a test that needs
# it must fail, not skip.
set -euo pipefail

die() { echo "pg-temp: $*" >&2; exit 1; }

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$bin" ] && [ -x "$bin/initdb" ] ||
  die "PostgreSQL is not installed (apt-get install postgresql)"

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop() {
  local dir=$1
  [ -d "$dir/data" ] && as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

up() {
  as_owner "$bin/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 30 -o "$(cat "$1/options")" start >/dev/null 2>&1
}

start() {
  local owner="" fast=""
  while [ $# -gt 0 ]; do
    case $1 in
      --owner) owner=$2; shift 2 ;;
      --fast) fast="-c fsync=off -c full_page_writes=off"; shift ;;
      *) die "unknown option $1" ;;
    esac
  done
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/moim-pg.XXXXXX")
  chmod 755 "$dir"
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || die "no 'postgres' user to run the cluster as"
    chown postgres: "$dir"
  fi
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync \
    >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; stop "$dir"; die "initdb failed"; }
  local port tries=0
  while :; do
    port=$((20000 + RANDOM % 40000))
    echo "-p $port -k $dir -c listen_addresses=127.0.0.1 $fast" >"$dir/options"
    if up "$dir"; then
      break
    fi
    tries=$((tries + 1))
    [ "$tries" -lt 10 ] || { cat "$dir/server.log" >&2; stop "$dir"; die "postgres did not start"; }
  done
  if [ -n "$owner" ]; then
    # The watchdog holds none of our output open, so `$(pg-temp.sh start)` returns.
    setsid bash -c "while kill -0 $owner 2>/dev/null; do sleep 1; done; '$0' stop '$dir'" \
      </dev/null >/dev/null 2>&1 &
  fi
  echo "postgres://postgres@127.0.0.1:$port/postgres"
  echo "$dir"
}

case ${1:-} in
  start) shift; start "$@" ;;
  stop) [ -n "${2:-}" ] || die "usage: $0 stop DIR"; stop "$2" ;;
  down) [ -n "${2:-}" ] || die "usage: $0 down DIR"
    as_owner "$bin/pg_ctl" -D "$2/data" -m fast -w stop >/dev/null ;;
  up) [ -n "${2:-}" ] || die "usage: $0 up DIR"; up "$2" || die "postgres did not start again" ;;
  *) die "usage: $0 start [--owner PID] [--fast] | stop DIR" ;;
esac
