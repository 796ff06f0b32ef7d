#!/usr/bin/env bash
# Builds the browser module (the identifier parser behind
# `validateIdentifier`) as the npm package would ship it, and prints its
# sizes raw and gzip -9: wasm after `wasm-opt -Oz`, and the JS glue.
#
#   tools/size_report.sh [OUT_DIR]      default: target/size-report
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/size-report}
mkdir -p "$out"

cargo build -p resetflow --lib --target wasm32-unknown-unknown --profile wasm-release \
  --no-default-features --features browser --locked
wasm-bindgen --target web --out-dir "$out" --out-name resetflow \
  target/wasm32-unknown-unknown/wasm-release/resetflow.wasm
# The features current rustc emits must be enabled for binaryen 108.
wasm-opt -Oz --enable-bulk-memory --enable-sign-ext --enable-reference-types \
  --enable-multivalue --enable-mutable-globals --enable-nontrapping-float-to-int \
  -o "$out/resetflow_bg.opt.wasm" "$out/resetflow_bg.wasm"

size() { stat -c %s "$1"; }
gz() { gzip -9 -c "$1" | wc -c; }
printf '%-34s %10s %10s\n' file bytes gzip-9
for f in resetflow_bg.wasm resetflow_bg.opt.wasm resetflow.js; do
  printf '%-34s %10d %10d\n' "$f" "$(size "$out/$f")" "$(gz "$out/$f")"
done
