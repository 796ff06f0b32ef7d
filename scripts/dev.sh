#!/usr/bin/env bash
# Builds and starts the reference recovery server in dev mode with the test
# page: SQLite in ./resetflow-dev.db, demo accounts, the recovery form from
# the npm package beside the dev outbox. Open http://127.0.0.1:8080/ when it
# says it is listening.
#
# The package (www/pkg/) is built first when it is missing or older than
# its sources, with scripts/build-pkg.sh; the tools that needs (wasm32
# target, wasm-bindgen, wasm-opt) are installed by scripts/setup.sh when
# missing.
#
#   scripts/dev.sh [extra `resetflow serve` options]
set -euo pipefail
cd "$(dirname "$0")/.."

pkg_stale() {
  [[ -f www/pkg/index.js && -f www/pkg/resetflow.css ]] || return 0
  [[ -n $(find src pkg-template Cargo.toml Cargo.lock scripts/build-pkg.sh \
    -newer www/pkg/index.js -print -quit 2>/dev/null) ]]
}

if pkg_stale; then
  if [[ ! -x scripts/build-pkg.sh ]]; then
    echo "dev: scripts/build-pkg.sh is missing; the page will show no form" >&2
  else
    if ! command -v wasm-bindgen >/dev/null || ! command -v wasm-opt >/dev/null ||
      ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
      scripts/setup.sh
    fi
    echo "dev: building the browser package (scripts/build-pkg.sh)" >&2
    scripts/build-pkg.sh
  fi
fi

listen=${RESETFLOW_LISTEN:-127.0.0.1:8080}
exec cargo run --release --locked -p resetflow-server -- \
  serve --dev --listen "$listen" --database "${RESETFLOW_DATABASE:-sqlite://resetflow-dev.db}" \
  --www www "$@"
