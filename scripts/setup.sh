#!/usr/bin/env bash
# Installs what building and testing resetflow needs on a Debian machine with
# a Rust toolchain (rustup), skipping everything that is already present.
# Safe to run again; prints what it installs.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "setup: need root (or sudo) to run: $*" >&2; return 1; fi
}

# --- Debian packages -------------------------------------------------------
# command -> package providing it
declare -A debs=(
  [chromium]=chromium            # browser tests (wasm-bindgen-test)
  [chromedriver]=chromium-driver
  [tesseract]=tesseract-ocr      # OCR audit of the captchas
  [montage]=imagemagick          # contact sheet, OCR pre-processing
  [wasm-opt]=binaryen            # size of the wasm build
  [redis-server]=redis-server    # shared-state tests (scripts/services.sh)
)
missing=()
for cmd in "${!debs[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${debs[$cmd]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "apt-get install ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Rust targets and components -------------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "rustup target add wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi
for comp in rustfmt clippy; do
  rustup component list --installed | grep -q "^$comp" || { log "rustup component add $comp"; rustup component add "$comp"; }
done

# --- cargo tools -------------------------------------------------------------
cargo_install() { # name version-or-empty
  local name=$1 version=${2:-}
  local args=("$name")
  [ -n "$version" ] && args+=(--version "$version")
  log "cargo install ${args[*]}"
  # --locked first; some published lock files name yanked crates, then resolve afresh.
  cargo install --locked "${args[@]}" || cargo install "${args[@]}"
}

# wasm-bindgen's CLI must be exactly the version in Cargo.lock.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  cargo_install wasm-bindgen-cli "$wb_version"
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo_install cargo-fuzz ""
fi
log "ready"
