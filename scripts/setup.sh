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
  [node]=nodejs                  # npm package: build, Node tests, end-to-end tests
  [npm]=npm
  [pg_ctl]=postgresql            # scale-out tests (scripts/services.sh)
  [redis-server]=redis-server
  [wrk]=wrk                      # load benchmarks
  [openssl]=openssl              # throw-away CAs for the SMTP and webhook TLS tests
  [python3]=python3              # test peers: SMTP sink, webhook receiver; schemathesis
  [pip3]=python3-pip
  [faketime]=faketime            # end-to-end: moves the dev server's clock past cooldowns
)
missing=()
for cmd in "${!debs[@]}"; do
  # Debian keeps PostgreSQL's server programs off PATH.
  if [ "$cmd" = pg_ctl ] && ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then continue; fi
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${debs[$cmd]}")
done
# PostgreSQL tests (scripts/services.sh); its programs are not on PATH.
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
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
# rust-src: the npm package's browser wasm is built with -Z build-std
# (scripts/build-pkg.sh).
for comp in rustfmt clippy rust-src; do
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
if ! wasm-pack --version >/dev/null 2>&1; then
  cargo_install wasm-pack ""
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo_install cargo-fuzz ""
fi
# --- Python test peers --------------------------------------------------------
# aiosmtpd: the real SMTP server the e-mail delivery tests send to.
if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
  log "pip install aiosmtpd"
  python3 -m pip install --quiet aiosmtpd 2>/dev/null ||
    python3 -m pip install --quiet --user --break-system-packages aiosmtpd
fi
# --- npm tools ----------------------------------------------------------------
# Pinned by the committed lock files: the package checks and wasm-opt
# (tools/npm), the end-to-end tests (e2e).
for dir in tools/npm e2e; do
  if [ ! -f "$dir/node_modules/.package-lock.json" ] ||
    [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    log "npm ci ($dir)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done
log "ready"
