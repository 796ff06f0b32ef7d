#!/usr/bin/env bash
# Sets up what is missing, then runs every check resetflow has: formatting,
# clippy (warnings denied, native and wasm32), the native test suites (the
# server's included), the shared logic in headless Chromium, schemathesis
# against the HTTP contract, bounded fuzzing, and the OCR audit.
#
#   scripts/test.sh            everything
#   FUZZ_SECONDS=60 scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n\033[1;32m==> %s\033[0m\n' "$*"; }

step "setup"
scripts/setup.sh

step "format"
cargo fmt --all --check

step "clippy (native, all targets)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy (wasm32 library)"
cargo clippy -p resetflow --lib --target wasm32-unknown-unknown --features browser --locked -- -D warnings

step "native tests"
cargo test --workspace --locked

step "browser tests (headless Chromium)"
CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver)} \
  cargo test -p resetflow --target wasm32-unknown-unknown --features browser --locked \
    --test wasm_shared --test flow_wasm --test phone_vectors --test identifier_vectors \
    --test token_vectors --test captcha_wasm

step "RecoveryForm in headless Chromium (the browser build's features)"
CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver)} \
  cargo test -p resetflow --target wasm32-unknown-unknown --no-default-features --features browser \
    --locked --test form_wasm

step "HTTP contract (schemathesis against openapi.yaml and a live dev server)"
tools/schemathesis.sh

step "fuzzing (${FUZZ_SECONDS:-30} s per target)"
tools/fuzz.sh "${FUZZ_SECONDS:-30}"

step "OCR audit (Tesseract against 300 default captchas)"
OCR_MAX_RATE=0.5 tools/ocr_audit.sh 300 1

step "all checks passed"
