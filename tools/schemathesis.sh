#!/usr/bin/env bash
# Property-based check of the HTTP contract: schemathesis generates valid
# and invalid requests for every operation of openapi.yaml and sends them to
# a real `resetflow serve --dev` (debug build, fresh SQLite file, free
# loopback port). It fails on any 5xx (`not_a_server_error`) and on any
# answer whose body does not match the schema documented for its status
# (`response_schema_conformance`).
#
#   tools/schemathesis.sh                 bounded run, about 2-3 minutes
#   MAX_EXAMPLES=200 tools/schemathesis.sh
#   CHECKS=all tools/schemathesis.sh      every schemathesis check
#   SEED=7 tools/schemathesis.sh          another reproducible run
#   REPORTS=junit,har tools/schemathesis.sh   also a HAR of every exchange
#
# Random flow ids would only ever meet `flow.not_found`: the hooks in
# tools/schemathesis_hooks.py walk a fresh flow (of one of ACCOUNTS accounts
# added with `resetflow accounts add`, or of an unknown identifier) to the
# step each call expects and put its id, and often its real captcha answer,
# channel or code, into the generated request.
#
# Needs: cargo, python3 with pip (schemathesis 4 is installed when missing).
# The per-IP budgets of the server are lifted for the run: one client sends
# everything, and a wall of 429s would test nothing. The report (JUnit XML
# and the server log) is left in target/schemathesis/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
# shellcheck source=tools/dev_server.sh
source tools/dev_server.sh

max_examples=${MAX_EXAMPLES:-150}
accounts=${ACCOUNTS:-20}
seed=${SEED:-20261123}
checks=${CHECKS:-not_a_server_error,response_schema_conformance}
admin_token=schemathesis-admin-token-0123456789

log() { printf '\033[1;34m[schemathesis]\033[0m %s\n' "$*"; }

if ! command -v schemathesis >/dev/null 2>&1; then
    log "installing schemathesis from PyPI"
    python3 -m pip install --quiet 'schemathesis>=4,<5'
fi
log "$(schemathesis --version)"

cargo build --quiet -p resetflow-server
target_dir=${CARGO_TARGET_DIR:-$root/target}
bin="$target_dir/debug/resetflow"
out="$target_dir/schemathesis"
rm -rf "$out"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'stop_dev_server; rm -rf "$work"' EXIT

export RESETFLOW_IP_REQUESTS_PER_MINUTE=1000000 RESETFLOW_IP_FLOWS_PER_HOUR=1000000 \
    RESETFLOW_IP_SENDS_PER_HOUR=1000000 RESETFLOW_IP_LOGINS_PER_MINUTE=1000000 \
    RESETFLOW_ADMIN_TOKEN=$admin_token RESETFLOW_LOG=${RESETFLOW_LOG:-warn}
unset RESETFLOW_LISTEN RESETFLOW_DATABASE RESETFLOW_PREFIX
log "adding $accounts accounts"
add_account() {
    local i=$1
    printf 'Schema-Walker-%s-Orbit\n' "$i" | "$bin" accounts add --database "sqlite://$work/resetflow.db" \
        --id "$((400000000 + i))" --email "walker$i@example.com" --phone "+4915130$(printf %06d "$i")" \
        --password-stdin >/dev/null
}
export -f add_account
export bin work
add_account 0 # creates and migrates the database
seq 1 $((accounts - 1)) | xargs -P 4 -I{} bash -c 'add_account {}'
RESETFLOW_ACCOUNTS=$(for i in $(seq 0 $((accounts - 1))); do
    printf '%s:walker%s@example.com:+4915130%06d,' "$((400000000 + i))" "$i" "$i"
done)
export RESETFLOW_ACCOUNTS=${RESETFLOW_ACCOUNTS%,} SEED=$seed SCHEMATHESIS_HOOKS="$root/tools/schemathesis_hooks.py"

start_dev_server "$bin" "$work"
export RESETFLOW_ADDR=$SERVER_ADDR
log "server on http://$SERVER_ADDR (per-IP budgets lifted), $max_examples examples per operation, seed $seed"

status=0
# One worker: the hooks set flows up one at a time anyway, and Hypothesis'
# lambda descriptions are not safe across schemathesis worker threads
# (seen as "AST constructor recursion depth mismatch" runtime errors).
# From the scratch folder: schemathesis keeps a cache (.schemathesis/) in
# its working directory, and nothing of it belongs in the tree.
(cd "$work" && PYTHONDONTWRITEBYTECODE=1 schemathesis run "$root/openapi.yaml" \
    --url "http://$SERVER_ADDR" \
    --checks "$checks" \
    --max-examples "$max_examples" \
    --seed "$seed" \
    --workers 1 \
    --request-timeout 10 \
    --header "Authorization: Bearer $admin_token" \
    --report "${REPORTS:-junit}" --report-dir "$out" \
    --no-color) || status=$?

if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    log "the server died during the run"
    status=1
fi
stop_dev_server
cp "$work/serve.log" "$out/serve.log"
if grep -q 'panicked' "$out/serve.log"; then
    log "the server log holds a panic:"
    grep -A3 'panicked' "$out/serve.log" >&2
    status=1
fi
if ((status == 0)); then
    log "passed: no server errors, every answer matches its schema"
else
    log "FAILED (exit $status); report in ${out#"$root"/}/"
fi
exit "$status"
