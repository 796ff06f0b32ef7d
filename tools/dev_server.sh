# Sourced by tools/schemathesis.sh and tools/bench_server.sh: runs
# `resetflow serve --dev` on a fresh SQLite file and a free loopback port.
#
#   start_dev_server BIN WORKDIR [ARG...]   sets SERVER_PID and SERVER_ADDR (host:port);
#                                    ARGs go to `serve` (e.g. --redis URL);
#                                    DEV_DATABASE replaces the SQLite file
#   stop_dev_server                  SIGTERM, then waits for the graceful exit
#
# Extra settings go through the environment (RESETFLOW_IP_*, RESETFLOW_LOG,
# ...), as for the server itself. The banner is read from standard output;
# logs go to WORKDIR/serve.log.

start_dev_server() {
    local bin=$1 work=$2
    shift 2
    : >"$work/serve.out"
    "$bin" serve --dev --listen 127.0.0.1:0 \
        --database "${DEV_DATABASE:-sqlite://$work/resetflow.db}" --www "$work/no-www" "$@" \
        >"$work/serve.out" 2>"$work/serve.log" &
    SERVER_PID=$!
    SERVER_ADDR=
    local _
    for _ in $(seq 1 300); do
        if grep -q 'dev outbox:' "$work/serve.out" 2>/dev/null; then
            SERVER_ADDR=$(sed -n 's|^resetflow dev mode on http://\([^/]*\)/.*|\1|p' "$work/serve.out")
            break
        fi
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "resetflow serve exited at start:" >&2
            cat "$work/serve.log" >&2
            return 1
        fi
        sleep 0.1
    done
    if [[ -z $SERVER_ADDR ]]; then
        echo "resetflow serve printed no banner in 30 s" >&2
        cat "$work/serve.out" "$work/serve.log" >&2
        return 1
    fi
}

stop_dev_server() {
    [[ -n ${SERVER_PID:-} ]] || return 0
    if kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=
}
