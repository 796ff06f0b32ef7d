#!/usr/bin/env bash
# Builds the npm package `resetflow` into pkg/, copies it to www/pkg/ for the
# test page, and packs it into target/npm/resetflow-<version>.tgz.
#
#   scripts/build-pkg.sh           skips the build when no input changed
#   FORCE=1 scripts/build-pkg.sh   rebuilds anyway
#
# Two wasm modules, both with wasm-pack (--target web, profile wasm-release,
# its own wasm-opt off), then wasm-opt -Oz from the npm package `binaryen`
# (pinned in tools/npm):
#   .            --no-default-features --features browser,small-allocator
#                (resetflow_bg.wasm; panic=immediate-abort, see below)
#   ./captcha    --no-default-features --features js-captcha  (captcha/resetflow_captcha_bg.wasm)
# The package is pkg-template/ (package.json merged with the version, licence
# and repository from Cargo.toml; the entry modules, the hand-written
# typings, the README and the stylesheet) plus, for the browser entry:
# index.js bundled with wasm-pack's JS glue and minified by esbuild (pinned in
# tools/npm), with a source map; and the locale modules locales/<tag>.js made
# by tools/make_locales.mjs from `cargo run --example messages` (the library's
# messages) and pkg-template/locales/<tag>.json (the form's texts).
# wasm-pack must find wasm-bindgen (the version in Cargo.lock) on PATH; it
# never downloads it (scripts/setup.sh installs both).
#
# Why not Debian's wasm-opt (binaryen 108): it rewrites the export of
# wasm-bindgen's externref table (`__wbindgen_externrefs`) to point at the
# funcref table, even with -O0, and the module then fails at start-up with
# "WebAssembly.Table.set(): Argument 1 is invalid for table". Binaryen 132
# keeps it right.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1;34m[build-pkg]\033[0m %s\n' "$*"; }

build=target/npm-build
stamp=$build/inputs.sha256

# --- skip when nothing changed ---------------------------------------------
inputs_hash() {
  {
    find src pkg-template -type f -print0 | sort -z | xargs -0 sha256sum
    sha256sum Cargo.toml Cargo.lock LICENSE-MIT LICENSE-APACHE scripts/build-pkg.sh \
      examples/messages.rs tools/make_locales.mjs tools/wasm_names.mjs
    rustc --version
    wasm-bindgen --version
    cat tools/npm/package-lock.json
  } | sha256sum | cut -d' ' -f1
}
hash=$(inputs_hash)
version=$(cargo metadata --format-version 1 --no-deps --offline --locked |
  node -e 'const m = JSON.parse(require("fs").readFileSync(0, "utf8"));
           process.stdout.write(m.packages.find((p) => p.name === "resetflow").version)')
tarball=target/npm/resetflow-$version.tgz
if [ "${FORCE:-0}" != 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] &&
  [ -f pkg/package.json ] && [ -f www/pkg/package.json ] && [ -f "$tarball" ]; then
  log "up to date: pkg/, www/pkg/, $tarball (FORCE=1 rebuilds)"
  exit 0
fi

# --- wasm ------------------------------------------------------------------
if [ ! -x tools/npm/node_modules/.bin/wasm-opt ] || [ ! -x tools/npm/node_modules/.bin/esbuild ]; then
  log "npm ci (tools/npm)"
  (cd tools/npm && npm ci --no-audit --no-fund --loglevel=error)
fi
wasm_pack() { # out-dir out-name features [cargo args...]
  local out=$1 name=$2 features=$3
  shift 3
  # --no-opt: wasm-opt runs below (binaryen 132, see above), not wasm-pack's.
  wasm-pack --log-level warn build . --target web --profile wasm-release \
    --no-opt --no-pack --no-gitignore --out-dir "$build/$out" --out-name "$name" \
    -- --no-default-features --features "$features" --locked "$@"
}
wasm_features=(--enable-bulk-memory --enable-sign-ext --enable-reference-types --enable-multivalue
  --enable-mutable-globals --enable-nontrapping-float-to-int)
wasm_opt() { # in out [wasm-opt args...]
  local in=$1 out=$2
  shift 2
  tools/npm/node_modules/.bin/wasm-opt -Oz "$@" "${wasm_features[@]}" \
    --strip-debug --strip-producers --strip-target-features -o "$out" "$in"
}

rm -rf "$build/browser" "$build/captcha"
# The browser entry is built with `-C panic=immediate-abort` and a standard
# library compiled to match (`-Z build-std`): a panic becomes a bare `unreachable`
# trap, so no panic message, location or formatting code is linked (about
# 3.4 KB gzipped less; docs/browser-size.md). `-Z location-detail=none`
# drops the file names that `#[track_caller]` code still records (another
# 0.2 KB, and no build machine paths in the wasm). All are nightly-only flags;
# RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them, as tools/fuzz.sh
# does for cargo-fuzz. It is set for this one build only, and the build has a
# target directory of its own, so the flags (which rebuild std) never mix
# with the artefacts of other builds. Needs the `rust-src` component
# (scripts/setup.sh adds it). Behaviour is as before: on wasm32 a panic
# message had nowhere to go (stderr writes nothing there) and the call
# trapped; it still traps, now without building the message.
log "wasm-pack: browser entry (features: browser, small-allocator; panic=immediate-abort, build-std)"
RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target/wasm-immediate-abort \
  RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" \
  wasm_pack browser resetflow browser,small-allocator -Zbuild-std=std,panic_abort
log "wasm-pack: captcha entry (features: js-captcha)"
wasm_pack captcha resetflow_captcha js-captcha

# --- assemble --------------------------------------------------------------
stage=$build/pkg
rm -rf "$stage"
mkdir -p "$stage/captcha"

log "wasm-opt -Oz"
# The browser entry: the passes again until the module stops shrinking
# (--converge, 0.1 KB gzipped), then the import and export names shortened
# and the glue rewritten to match from the map binaryen prints
# (tools/wasm_names.mjs; 0.6 KB off the wasm, 0.4 KB off index.js, gzipped).
# Not used: --low-memory-unused (another 0.2 KB), which lets binaryen turn
# `load(p + c)` into `load offset=c (p)` on the promise that the low 1 KB of
# memory is never addressed; with Rust's layout that is the bottom of the
# stack, and the promise is not ours to make.
wasm_opt "$build/browser/resetflow_bg.wasm" "$build/browser/optimized.wasm" --converge
tools/npm/node_modules/.bin/wasm-opt "${wasm_features[@]}" --minify-imports-and-exports-and-modules \
  -o "$stage/resetflow_bg.wasm" "$build/browser/optimized.wasm" >"$build/browser/names.json"
node tools/wasm_names.mjs "$build/browser/names.json" "$stage/resetflow_bg.wasm" \
  "$build/browser/resetflow.js"
wasm_opt "$build/captcha/resetflow_captcha_bg.wasm" "$stage/captcha/resetflow_captcha_bg.wasm"
# (bundled into index.js and minified below)
cp "$build/browser/resetflow.js" "$stage/"
cp "$build/captcha/resetflow_captcha.js" "$stage/captcha/"
# JS snippets of `#[wasm_bindgen(inline_js / module)]`, if the captcha
# entry uses any (the browser entry's are bundled into index.js below).
if [ -d "$build/captcha/snippets" ]; then
  cp -r "$build/captcha/snippets" "$stage/captcha/"
fi

# The browser entry: the hand-written index.js (the RecoveryForm and the
# validateIdentifier wrapper) over wasm-bindgen's glue, and the locale
# modules made from the library's messages and the form's texts.
cp pkg-template/index.js pkg-template/index.d.ts "$stage/"
log "locale modules (cargo run --example messages)"
cargo run -q --locked --example messages >"$build/messages.json"
node tools/make_locales.mjs "$build/messages.json" pkg-template/locales "$stage/locales"
# One minified index.js with the glue inside (what a bundler would make of
# the two anyway, and what a page loads without one), a source map beside it
# with the readable sources. The locale modules stay separate files: only
# the one in use is loaded.
log "esbuild: index.js + resetflow.js -> index.js (minified, with a source map)"
(cd "$stage" && "$OLDPWD/tools/npm/node_modules/.bin/esbuild" index.js --bundle --minify \
  --format=esm --target=es2022 --external:./locales/* --sourcemap --legal-comments=none \
  --outfile=bundle.js --log-level=warning)
sed 's|sourceMappingURL=bundle\.js\.map|sourceMappingURL=index.js.map|' "$stage/bundle.js" >"$stage/index.js"
mv "$stage/bundle.js.map" "$stage/index.js.map"
rm "$stage/bundle.js" "$stage/resetflow.js"
cp pkg-template/captcha/index.js pkg-template/captcha/node.js pkg-template/captcha/index.d.ts "$stage/captcha/"
cp pkg-template/README.md LICENSE-MIT LICENSE-APACHE "$stage/"
# The stylesheet minified (0.2 KB gzipped less); its custom properties are
# listed in the package README, the commented source is pkg-template/resetflow.css.
tools/npm/node_modules/.bin/esbuild pkg-template/resetflow.css --minify --legal-comments=none \
  --log-level=warning --outfile="$stage/resetflow.css"
cp src/identifier/phone/metadata.tsv "$stage/phone-metadata.tsv"

# package.json: the template, with Cargo.toml's version, licence and
# repository; entries for files this build does not have are dropped.
cargo metadata --format-version 1 --no-deps --offline --locked |
  node -e '
    const fs = require("fs");
    const [template, stage] = process.argv.slice(1);
    const crate = JSON.parse(fs.readFileSync(0, "utf8")).packages.find((p) => p.name === "resetflow");
    const pkg = JSON.parse(fs.readFileSync(template, "utf8"));
    pkg.version = crate.version;
    pkg.license = crate.license;
    pkg.repository.url = `git+${crate.repository}.git`;
    const has = (path) => {
      const file = path.replace(/^\.\//, "").replace(/\/?\*?$/, "");
      return file === "package.json" || fs.existsSync(`${stage}/${file}`);
    };
    for (const key of Object.keys(pkg.exports)) {
      if (typeof pkg.exports[key] === "string" && !has(pkg.exports[key])) delete pkg.exports[key];
    }
    pkg.files = pkg.files.filter(has);
    pkg.sideEffects = pkg.sideEffects.filter(has);
    fs.writeFileSync(`${stage}/package.json`, JSON.stringify(pkg, null, 2) + "\n");
  ' pkg-template/package.json "$stage"

rm -rf pkg
cp -r "$stage" pkg
rm -rf www/pkg
cp -r "$stage" www/pkg
log "pkg/ and www/pkg/: resetflow $version"

# --- pack ------------------------------------------------------------------
mkdir -p target/npm
rm -f target/npm/resetflow-*.tgz
npm pack --silent --pack-destination target/npm ./pkg >/dev/null
log "packed: $tarball"
echo "$hash" >"$stamp"
