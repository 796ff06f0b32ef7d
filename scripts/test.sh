#!/usr/bin/env bash
# Sets up what is missing, then runs every check resetflow has: formatting,
# clippy (warnings denied, native and wasm32), the native test suites (the
# server's included, on SQLite, PostgreSQL and Redis, with real SMTP and
# webhook peers), the shared logic in headless Chromium, schemathesis
# against the HTTP contract, bounded fuzzing, and the OCR audit.
#
#   scripts/test.sh            everything
#   FUZZ_SECONDS=60 scripts/test.sh
#
# PostgreSQL and Redis: with DATABASE_URL and REDIS_URL set those are used;
# otherwise a throw-away pair is started on loopback (scripts/services.sh)
# and stopped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }

step "setup"
scripts/setup.sh

step "format"
cargo fmt --all --check

step "clippy (native, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy (wasm32 library: default, browser entry, captcha entry)"
cargo clippy -p resetflow --lib --target wasm32-unknown-unknown --features browser --locked -- -D warnings
cargo clippy -p resetflow --lib --target wasm32-unknown-unknown --no-default-features --features browser,small-allocator --locked -- -D warnings
cargo clippy -p resetflow --lib --target wasm32-unknown-unknown --no-default-features --features js-captcha --locked -- -D warnings

step "clippy (server without Redis support)"
cargo clippy -p resetflow-server --all-targets --no-default-features --locked -- -D warnings

step "services (PostgreSQL and Redis on loopback)"
if [[ -z ${DATABASE_URL:-} || -z ${REDIS_URL:-} ]]; then
  scripts/services.sh start target/services
  trap 'scripts/services.sh stop target/services' EXIT
  # shellcheck disable=SC1091
  source target/services/env
fi

step "native tests (PostgreSQL, Redis, SMTP and webhook peers required)"
RESETFLOW_REQUIRE_PEERS=1 cargo test --workspace --locked

step "library without default features (the browser build's code paths, natively)"
cargo test -p resetflow --no-default-features --lib --locked

step "browser tests (headless Chromium)"
CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver)} \
  cargo test -p resetflow --target wasm32-unknown-unknown --features browser --locked \
    --test wasm_shared --test flow_wasm --test phone_vectors --test identifier_vectors \
    --test token_vectors --test captcha_wasm --test browser_api

step "browser build in headless Chromium (the npm package's features): its JS API, host IDNA/NFKC, phone table loaded at run time"
CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver)} \
  cargo test -p resetflow --target wasm32-unknown-unknown --no-default-features --features browser,small-allocator \
    --locked --test browser_api --test browser_light --test phone_vectors

step "npm package: build, size report, publint, attw, typings, Node test of ./captcha"
scripts/build-pkg.sh
# Fails when the browser entry, alone or with its largest locale, is over
# 45 KB gzipped, or the phone table over 40 KB (docs/browser-size.md).
tools/size_report.sh
tools/check_pkg.sh

step "end-to-end: the test page in headless Chromium (playwright-core, axe-core)"
cargo build -p resetflow-server --locked
node --test e2e/

step "HTTP contract (schemathesis against openapi.yaml and a live dev server)"
tools/schemathesis.sh

step "fuzzing (${FUZZ_SECONDS:-30} s per target)"
tools/fuzz.sh "${FUZZ_SECONDS:-30}"

step "OCR audit (Tesseract against 300 default captchas)"
OCR_MAX_RATE=0.5 tools/ocr_audit.sh 300 1

step "all checks passed"
