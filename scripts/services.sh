#!/usr/bin/env bash
# Starts a throw-away PostgreSQL and Redis on loopback, on free ports, in a
# temporary directory, for the scale-out tests and benchmarks.
#
#   scripts/services.sh start [DIR]   start both; prints the URLs and writes DIR/env
#   scripts/services.sh stop  [DIR]   stop both and delete DIR
#
# `source DIR/env` then sets DATABASE_URL and REDIS_URL. DIR defaults to
# target/services. Needs Debian's `postgresql` and `redis-server` packages
# (scripts/setup.sh installs them). PostgreSQL refuses to run as root, so as
# root the server runs as the `postgres` user the package creates, with its
# data in a directory of its own under /tmp (DIR may sit below a directory
# that user cannot enter, such as one made by `mktemp -d`).
set -euo pipefail

cmd="${1:-}"
dir="${2:-target/services}"

pg_bin() {
    local d
    for d in /usr/lib/postgresql/*/bin; do
        [ -x "$d/$1" ] && { echo "$d/$1"; return; }
    done
    command -v "$1" || { echo "error: $1 not found (install postgresql)" >&2; exit 1; }
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$cmd" in
start)
    command -v redis-server >/dev/null || { echo "error: redis-server not found" >&2; exit 1; }
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    if [ -f "$dir/env" ]; then "$0" stop "$dir" >/dev/null 2>&1 || true; mkdir -p "$dir"; fi
    pg_port="$(free_port)"
    redis_port="$(free_port)"
    mkdir -p "$dir/redis"
    if [ "$(id -u)" = 0 ]; then
        pg="$(mktemp -d /tmp/resetflow-pg.XXXXXX)"
        chmod 755 "$pg"
        chown postgres "$pg"
    else
        pg="$dir/pg"
        mkdir -p "$pg"
    fi
    echo "$pg" >"$dir/pgdir"
    as_pg "$(pg_bin initdb)" -D "$pg/data" -U resetflow --auth=trust -E UTF8 \
        --no-locale >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
    as_pg "$(pg_bin pg_ctl)" -D "$pg/data" -l "$pg/server.log" -w \
        -o "-h 127.0.0.1 -p $pg_port -k $pg -c fsync=off -c max_connections=200" start >/dev/null
    as_pg "$(pg_bin createdb)" -h 127.0.0.1 -p "$pg_port" -U resetflow resetflow
    redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$dir/redis" \
        --save '' --appendonly no --daemonize yes --pidfile "$dir/redis/redis.pid" \
        --logfile "$dir/redis/redis.log" >/dev/null
    for _ in $(seq 50); do
        redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    cat >"$dir/env" <<EOF
export DATABASE_URL=postgres://resetflow@127.0.0.1:$pg_port/resetflow
export REDIS_URL=redis://127.0.0.1:$redis_port/
EOF
    cat "$dir/env"
    ;;
stop)
    [ -d "$dir" ] || exit 0
    if [ -f "$dir/redis/redis.pid" ]; then kill "$(cat "$dir/redis/redis.pid")" 2>/dev/null || true; fi
    if [ -f "$dir/pgdir" ]; then
        pg="$(cat "$dir/pgdir")"
        as_pg "$(pg_bin pg_ctl)" -D "$pg/data" -m immediate -w stop >/dev/null 2>&1 || true
        case "$pg" in /tmp/resetflow-pg.*) rm -rf "$pg" ;; esac
    fi
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start|stop [DIR]" >&2
    exit 2
    ;;
esac
