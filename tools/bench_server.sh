#!/usr/bin/env bash
# Load benchmark of the reference server (a measurement, not a test): a
# release build of `resetflow serve --dev` on a fresh SQLite file, driven
# by wrk from the same machine.
#
#   1. flow starts: POST /api/recovery/flows, a new identifier per request
#      (tools/bench/flow_start.lua)
#   2. captcha images: GET /api/recovery/flows/{id}/captcha over flows made
#      beforehand; each call renders a PNG and stores a new challenge
#      (tools/bench/captcha.lua)
#
#   tools/bench_server.sh
#   DURATION=30 CONNECTIONS=128 THREADS=2 tools/bench_server.sh
#   CAPTCHA_FLOWS=2000 RESETFLOW_LOG=info tools/bench_server.sh
#   TMPDIR=/dev/shm tools/bench_server.sh   database on tmpfs: fsync costs
#                                           nothing, the CPU bound shows
#
# Aims: >= 3,000 flow starts/s and >= 5,000 captcha images/s with no error
# on a 2-core machine. wrk runs on the same cores as the server, so the
# figures are a floor. The per-IP budgets are raised (one client IP sends
# everything; with the defaults nearly every request would be a 429), and
# the log filter is `warn` unless RESETFLOW_LOG says otherwise. Needs: cargo,
# wrk, curl, python3.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=tools/dev_server.sh
source tools/dev_server.sh

duration=${DURATION:-20}
threads=${THREADS:-2}
connections=${CONNECTIONS:-64}
captcha_flows=${CAPTCHA_FLOWS:-1000}
flow_target=3000
captcha_target=5000

log() { printf '\033[1;34m[bench]\033[0m %s\n' "$*"; }

command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 2; }
log "building the release binary"
cargo build --release --quiet -p resetflow-server
target_dir=${CARGO_TARGET_DIR:-$root/target}
bin="$target_dir/release/resetflow"
work="$(mktemp -d)"
trap 'stop_dev_server; rm -rf "$work"' EXIT

budget=1000000000
export RESETFLOW_IP_REQUESTS_PER_MINUTE=$budget RESETFLOW_IP_FLOWS_PER_HOUR=$budget \
    RESETFLOW_IP_SENDS_PER_HOUR=$budget RESETFLOW_IP_LOGINS_PER_MINUTE=$budget \
    RESETFLOW_LOG=${RESETFLOW_LOG:-warn}
unset RESETFLOW_LISTEN RESETFLOW_DATABASE RESETFLOW_PREFIX
start_dev_server "$bin" "$work"
url="http://$SERVER_ADDR"

log "server: $bin serve --dev on $url, SQLite file in $work ($(df --output=fstype "$work" | tail -n1)), log filter $RESETFLOW_LOG"
log "per-IP budgets raised to $budget (RESETFLOW_IP_REQUESTS_PER_MINUTE, _FLOWS_PER_HOUR, _SENDS_PER_HOUR, _LOGINS_PER_MINUTE): a single-IP load tool would otherwise meet 429s"
log "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
log "wrk: $threads threads, $connections connections, ${duration}s per scenario"

declare -A result
run() {
    local name=$1 script=$2
    local out="$work/$name.txt"
    log "$name: ${duration}s"
    BENCH_THREADS=$threads wrk -t"$threads" -c"$connections" -d"${duration}s" --timeout 5s \
        -s "$script" "$url" >"$out"
    sed 's/^/    /' "$out"
    result[$name]=$(grep '^RESULT' "$out")
    log "load average after $name: $(cut -d' ' -f1-3 /proc/loadavg)"
}

field() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<"${result[$1]}"; }

run flow_starts tools/bench/flow_start.lua

log "starting $captcha_flows flows for the captcha scenario"
ids="$work/flow_ids.txt"
python3 tools/bench/make_flows.py "$url" "$captcha_flows" >"$ids"
# One image by hand: the scenario must time PNGs, not errors.
first=$(head -n1 "$ids")
curl -sf -o "$work/one.png" "$url/api/recovery/flows/$first/captcha"
[[ $(head -c 8 "$work/one.png" | od -An -tx1 | tr -d ' \n') == 89504e470d0a1a0a ]] ||
    { echo "GET .../captcha did not answer a PNG" >&2; exit 1; }
log "one captcha image is $(wc -c <"$work/one.png") bytes"
BENCH_FLOW_IDS=$ids run captcha_images tools/bench/captcha.lua

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "the server died during the run" >&2
    exit 1
fi
stop_dev_server

verdict() {
    local name=$1 target=$2 rps errors
    rps=$(field "$name" rps)
    errors=$(($(field "$name" non2xx) + $(field "$name" connect) + $(field "$name" read) + $(field "$name" write) + $(field "$name" timeout)))
    local met="met"
    if ((rps < target || errors > 0)); then met="MISSED"; fi
    printf '  %-15s %7s req/s  p50 %6s ms  p99 %7s ms  non-2xx %s, socket errors %s  (aim >= %s/s, 0 errors: %s)\n' \
        "$name" "$rps" "$(field "$name" p50_ms)" "$(field "$name" p99_ms)" "$(field "$name" non2xx)" \
        "$((errors - $(field "$name" non2xx)))" "$target" "$met"
}
echo
log "summary (release, SQLite, $threads wrk threads x $connections connections, $(nproc) cores shared with wrk)"
verdict flow_starts "$flow_target"
verdict captcha_images "$captcha_target"
