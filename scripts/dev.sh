#!/usr/bin/env bash
# Builds and starts the reference recovery server in dev mode with the test
# page: SQLite in ./resetflow-dev.db, demo accounts, the dev outbox beside the
# form. Open http://127.0.0.1:8080/ when it says it is listening.
#
#   scripts/dev.sh [extra `resetflow serve` options]
set -euo pipefail
cd "$(dirname "$0")/.."
listen=${RESETFLOW_LISTEN:-127.0.0.1:8080}
exec cargo run --release --locked -p resetflow-server -- \
  serve --dev --listen "$listen" --database "${RESETFLOW_DATABASE:-sqlite://resetflow-dev.db}" "$@"
