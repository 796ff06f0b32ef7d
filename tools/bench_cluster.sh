#!/usr/bin/env bash
# Load benchmark of a scaled-out set-up (a measurement, not a test): two
# release `resetflow serve` nodes on one PostgreSQL and one Redis, beside a
# single node on a SQLite file, each under wrk for DURATION seconds per
# scenario:
#
#   1. flow starts: POST /api/recovery/flows (tools/bench/flow_start.lua)
#   2. captcha images: GET /api/recovery/flows/{id}/captcha over flows made
#      beforehand (tools/bench/captcha.lua); on two nodes the flows are
#      made through node 1 and both nodes serve them
#
#   tools/bench_cluster.sh
#   DURATION=20 tools/bench_cluster.sh
#
# The two nodes are driven by two wrk processes at once, one per node, each
# with half the connections (a load balancer in front would add its own
# cost; round-robin from the client is the same split). PostgreSQL and Redis
# come from scripts/services.sh unless DATABASE_URL and REDIS_URL are set.
# Everything shares the machine's cores: wrk, the nodes, PostgreSQL and
# Redis. The nodes run in dev mode (the dev outbox stands in for SMTP and
# the SMS gateway) with the per-IP budgets raised, as in
# tools/bench_server.sh. Fails when any request answers 5xx or a socket
# error happens. Needs: cargo, wrk, curl, python3, PostgreSQL and Redis.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=tools/dev_server.sh
source tools/dev_server.sh

duration=${DURATION:-60}
threads=${THREADS:-2}
connections=${CONNECTIONS:-64}
captcha_flows=${CAPTCHA_FLOWS:-1000}

log() { printf '\033[1;34m[bench]\033[0m %s\n' "$*"; }

command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }
log "building the release binary"
cargo build --release --quiet -p resetflow-server
target_dir=${CARGO_TARGET_DIR:-$root/target}
bin="$target_dir/release/resetflow"
work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    [[ -n ${own_services:-} ]] && scripts/services.sh stop "$work/services" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

if [[ -z ${DATABASE_URL:-} || -z ${REDIS_URL:-} ]]; then
    log "starting PostgreSQL and Redis (scripts/services.sh)"
    own_services=1
    scripts/services.sh start "$work/services" >/dev/null
    # shellcheck disable=SC1091
    source "$work/services/env"
fi

budget=1000000000
export RESETFLOW_IP_REQUESTS_PER_MINUTE=$budget RESETFLOW_IP_FLOWS_PER_HOUR=$budget \
    RESETFLOW_IP_SENDS_PER_HOUR=$budget RESETFLOW_IP_LOGINS_PER_MINUTE=$budget \
    RESETFLOW_LOG=${RESETFLOW_LOG:-warn}
unset RESETFLOW_LISTEN RESETFLOW_DATABASE RESETFLOW_PREFIX RESETFLOW_REDIS

log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
log "wrk: $threads threads, $connections connections in all, ${duration}s per scenario"

declare -A result

# make_flows URL FILE: starts CAPTCHA_FLOWS flows, writes their ids.
make_flows() {
    python3 tools/bench/make_flows.py "$1" "$captcha_flows" >"$2"
}

# load SETUP SCENARIO SCRIPT URL...: wrk on every URL at once, summed.
load() {
    local setup=$1 name=$2 script=$3
    shift 3
    local n=$# per=$((connections / $#)) i=0 url
    local wrk_pids=()
    log "$setup / $name: ${duration}s on $n node(s)"
    for url in "$@"; do
        i=$((i + 1))
        BENCH_THREADS=$threads wrk -t"$threads" -c"$per" -d"${duration}s" --timeout 5s \
            -s "$script" "$url" >"$work/$setup-$name-$i.txt" &
        wrk_pids+=($!)
    done
    for pid in "${wrk_pids[@]}"; do wait "$pid"; done
    local requests=0 rps=0 non2xx=0 errors=0 p99=0 f line
    for ((i = 1; i <= n; i++)); do
        f="$work/$setup-$name-$i.txt"
        sed 's/^/    /' "$f"
        line=$(grep '^RESULT' "$f")
        field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$line"; }
        requests=$((requests + $(field requests)))
        rps=$((rps + $(field rps)))
        non2xx=$((non2xx + $(field non2xx)))
        errors=$((errors + $(field connect) + $(field read) + $(field write) + $(field timeout)))
        p99=$(python3 -c "print(max($p99, $(field p99_ms)))")
    done
    result[$setup-$name]="$rps $requests $non2xx $errors $p99"
    # wrk counts every status >= 400 as non-2xx; the logs tell 5xx apart.
    log "$setup / $name: $rps req/s, $requests requests, non-2xx $non2xx, socket errors $errors, worst p99 ${p99} ms"
}


# --- one node on SQLite ------------------------------------------------------
mkdir -p "$work/sqlite"
start_dev_server "$bin" "$work/sqlite"
pids+=("$SERVER_PID")
single="http://$SERVER_ADDR"
log "single node: $single, SQLite in $work/sqlite"
load sqlite flow_starts tools/bench/flow_start.lua "$single"
make_flows "$single" "$work/sqlite-ids.txt"
BENCH_FLOW_IDS="$work/sqlite-ids.txt" load sqlite captcha_images tools/bench/captcha.lua "$single"
kill -0 "$SERVER_PID" || { echo "the SQLite node died" >&2; exit 1; }
stop_dev_server
pids=()

# --- two nodes on PostgreSQL and Redis ---------------------------------------
mkdir -p "$work/node1" "$work/node2"
DEV_DATABASE=$DATABASE_URL start_dev_server "$bin" "$work/node1" --redis "$REDIS_URL"
pids+=("$SERVER_PID")
node1="http://$SERVER_ADDR"
DEV_DATABASE=$DATABASE_URL start_dev_server "$bin" "$work/node2" --redis "$REDIS_URL"
pids+=("$SERVER_PID")
node2="http://$SERVER_ADDR"
log "two nodes: $node1 and $node2 on $(sed 's|//[^@]*@|//|' <<<"$DATABASE_URL") and Redis"
load cluster flow_starts tools/bench/flow_start.lua "$node1" "$node2"
make_flows "$node1" "$work/cluster-ids.txt"
BENCH_FLOW_IDS="$work/cluster-ids.txt" load cluster captcha_images tools/bench/captcha.lua "$node1" "$node2"
for pid in "${pids[@]}"; do
    kill -0 "$pid" || { echo "a node died during the run" >&2; exit 1; }
done

echo
log "summary: $(nproc) cores shared by wrk, the server(s), PostgreSQL and Redis; ${duration}s per scenario"
printf '  %-28s %10s %10s %8s %8s %10s\n' setup req/s requests non-2xx socket "p99 ms"
failed=0
for key in sqlite-flow_starts sqlite-captcha_images cluster-flow_starts cluster-captcha_images; do
    read -r rps requests non2xx errors p99 <<<"${result[$key]}"
    printf '  %-28s %10s %10s %8s %8s %10s\n' "$key" "$rps" "$requests" "$non2xx" "$errors" "$p99"
    ((non2xx == 0 && errors == 0)) || failed=1
done
if ((failed)); then
    echo "some requests failed (see the wrk output above)" >&2
    exit 1
fi
log "zero non-2xx answers (so zero 5xx) and zero socket errors"
