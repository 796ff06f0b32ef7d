#!/usr/bin/env bash
# Builds and starts the reference recovery server in dev mode with the test
# page: SQLite in ./resetflow-dev.db, demo accounts, the recovery form from
# the npm package beside the dev outbox. Open http://127.0.0.1:8080/ when it
# says it is listening.
#
# The package (www/pkg/) is built first by scripts/build-pkg.sh, which does
# nothing when its inputs have not changed; the tools it needs (the wasm32
# target and rust-src, wasm-pack, wasm-bindgen) are installed by scripts/setup.sh when
# missing.
#
#   scripts/dev.sh [extra `resetflow serve` options]
set -euo pipefail
cd "$(dirname "$0")/.."

# build-pkg.sh skips the build itself when none of its inputs changed.
if [[ -x scripts/build-pkg.sh ]]; then
  if ! command -v wasm-pack >/dev/null || ! command -v wasm-bindgen >/dev/null ||
    ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown ||
    ! rustup component list --installed 2>/dev/null | grep -qx rust-src; then
    scripts/setup.sh
  fi
  scripts/build-pkg.sh
else
  echo "dev: scripts/build-pkg.sh is missing; the page will show no form" >&2
fi

listen=${RESETFLOW_LISTEN:-127.0.0.1:8080}
exec cargo run --release --locked -p resetflow-server -- \
  serve --dev --listen "$listen" --database "${RESETFLOW_DATABASE:-sqlite://resetflow-dev.db}" \
  --www www "$@"
