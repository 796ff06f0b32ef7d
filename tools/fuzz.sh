#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/fuzz_targets/ for a bounded time each
# and fails on the first crash, leak, timeout or out-of-memory. A failing
# input is kept in fuzz/artifacts/<target>/; replay it with
#   RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<file>
#
#   tools/fuzz.sh [SECONDS]      seconds per target, default 30
#
# Only a stable toolchain is assumed. cargo-fuzz passes nightly-only flags
# (-Zsanitizer=address, -Cpasses=sancov-module, ...); RUSTC_BOOTSTRAP=1 lets
# stable rustc accept them. The address sanitizer builds and runs that way
# (checked with rustc 1.95 and cargo-fuzz 0.13.2); FUZZ_SANITIZER=none is the
# escape hatch for a host where it does not.
#
# fuzz/ is a workspace of its own (see fuzz/Cargo.toml), so none of this
# touches the library's normal build. fuzz/corpus/ grows between runs and is
# not committed; fuzz/seeds/<target>/ holds the committed starting inputs.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
if ! [[ $seconds =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: tools/fuzz.sh [SECONDS]   (a whole number of seconds per target)" >&2
  exit 2
fi
sanitizer=${FUZZ_SANITIZER:-address}

log() { printf '\033[1;34m[fuzz]\033[0m %s\n' "$*"; }

if ! cargo fuzz --version >/dev/null 2>&1; then
  log "cargo install cargo-fuzz"
  # --locked first; if its lock file names a yanked crate, resolve afresh.
  cargo install cargo-fuzz --locked || cargo install cargo-fuzz
fi

export RUSTC_BOOTSTRAP=1

shopt -s nullglob
targets=()
for file in fuzz/fuzz_targets/*.rs; do
  targets+=("$(basename "$file" .rs)")
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "fuzz: no targets in fuzz/fuzz_targets/" >&2
  exit 1
fi

# Every file must be declared as a [[bin]] in fuzz/Cargo.toml, or cargo-fuzz
# would not build it and the target would silently go unfuzzed.
declared=$(cd fuzz && cargo fuzz list)
for t in "${targets[@]}"; do
  if ! grep -qx "$t" <<<"$declared"; then
    echo "fuzz: fuzz_targets/$t.rs has no [[bin]] entry in fuzz/Cargo.toml" >&2
    exit 1
  fi
done

log "build (sanitizer: $sanitizer): ${targets[*]}"
cargo fuzz build --sanitizer "$sanitizer"

for t in "${targets[@]}"; do
  corpus=(fuzz/corpus/"$t")
  mkdir -p "${corpus[0]}"
  [ -d fuzz/seeds/"$t" ] && corpus+=(fuzz/seeds/"$t")
  log "$t for ${seconds}s"
  if ! cargo fuzz run --sanitizer "$sanitizer" "$t" "${corpus[@]}" -- \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1; then
    echo "fuzz: $t FAILED; the input is in fuzz/artifacts/$t/" >&2
    exit 1
  fi
done
log "all ${#targets[@]} target(s) ran ${seconds}s each without a failure"
