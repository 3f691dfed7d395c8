#!/usr/bin/env bash
# A throw-away Redis for tests and benchmarks: a free port on 127.0.0.1, its
# files in a temp folder, no persistence (a restart comes back empty, as a
# crashed cache server would).
#
#   scripts/redis-temp.sh start [--owner PID]
#       prints two lines: the redis:// URL, then the folder.
#       --owner PID: stop and remove it by itself once PID has exited
#                    (a test runner that crashes leaves nothing behind).
#   scripts/redis-temp.sh stop DIR
#   scripts/redis-temp.sh down DIR   kills the server (an outage), keeps the folder
#   scripts/redis-temp.sh up DIR     starts it again on the same port
#
# Needs Debian's `redis-server` package (Redis 7: the cluster adapter speaks
# RESP3). Fails loudly when it is missing: a test that needs it must fail.
set -euo pipefail

die() { echo "redis-temp: $*" >&2; exit 1; }

command -v redis-server >/dev/null 2>&1 ||
  die "redis-server is not installed (apt-get install redis-server)"

up() {
  local dir=$1 port
  port=$(cat "$dir/port")
  redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" \
    --daemonize yes >/dev/null || return 1
  local i
  for i in $(seq 1 50); do
    if redis-cli -p "$port" ping 2>/dev/null | grep -q PONG; then
      return 0
    fi
    sleep 0.1
  done
  return 1
}

down() {
  local dir=$1 pid
  pid=$(cat "$dir/redis.pid" 2>/dev/null || true)
  [ -n "$pid" ] || return 0
  kill -9 "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  rm -f "$dir/redis.pid"
}

stop() {
  down "$1"
  rm -rf "$1"
}

start() {
  local owner=""
  while [ $# -gt 0 ]; do
    case $1 in
      --owner) owner=$2; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  local dir tries=0
  dir=$(mktemp -d "${TMPDIR:-/tmp}/moim-redis.XXXXXX")
  while :; do
    echo $((20000 + RANDOM % 40000)) >"$dir/port"
    if up "$dir"; then
      break
    fi
    down "$dir"
    tries=$((tries + 1))
    [ "$tries" -lt 10 ] || { cat "$dir/redis.log" >&2 || true; stop "$dir"; die "redis did not start"; }
  done
  if [ -n "$owner" ]; then
    # The watchdog holds none of our output open, so `$(redis-temp.sh start)` returns.
    setsid bash -c "while kill -0 $owner 2>/dev/null; do sleep 1; done; '$0' stop '$dir'" \
      </dev/null >/dev/null 2>&1 &
  fi
  echo "redis://127.0.0.1:$(cat "$dir/port")/"
  echo "$dir"
}

case ${1:-} in
  start) shift; start "$@" ;;
  stop) [ -n "${2:-}" ] || die "usage: $0 stop DIR"; stop "$2" ;;
  down) [ -n "${2:-}" ] || die "usage: $0 down DIR"; down "$2" ;;
  up) [ -n "${2:-}" ] || die "usage: $0 up DIR"; up "$2" || die "redis did not start again" ;;
  *) die "usage: $0 start [--owner PID] | stop DIR | down DIR | up DIR" ;;
esac
