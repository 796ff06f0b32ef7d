#!/usr/bin/env bash
# Checks the packed npm package (run scripts/build-pkg.sh first):
#   1. the tarball holds every file the package needs;
#   2. publint --strict on pkg/;
#   3. @arethetypeswrong/cli on the tarball, profile esm-only (see below);
#   4. the tarball installed (offline, from the file) into a temporary
#      project: tsc --strict on tests/node/types*.ts (the typings, as a
#      TypeScript user sees them), then tests/node/*.test.mjs with node's
#      own test runner.
# The linters come from tools/npm (pinned in its package-lock.json), installed
# with `npm ci` when tools/npm/node_modules is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1;34m[check-pkg]\033[0m %s\n' "$*"; }

shopt -s nullglob
tarballs=(target/npm/resetflow-*.tgz)
if [ ${#tarballs[@]} -ne 1 ] || [ ! -f pkg/package.json ]; then
  echo "check_pkg: no package to check; run scripts/build-pkg.sh first" >&2
  exit 1
fi
tarball=$(realpath "${tarballs[0]}")

if [ ! -d tools/npm/node_modules ]; then
  log "npm ci (tools/npm)"
  (cd tools/npm && npm ci --no-audit --no-fund --loglevel=error)
fi
bin=tools/npm/node_modules/.bin

log "tarball contents: $(basename "$tarball")"
listing=$(tar -tzf "$tarball")
required=(
  package.json README.md LICENSE-MIT LICENSE-APACHE
  index.js index.js.map index.d.ts resetflow_bg.wasm
  locales/en.js locales/de.js locales/es.js locales/id.js locales/zh.js
  captcha/index.js captcha/node.js captcha/index.d.ts
  captcha/resetflow_captcha.js captcha/resetflow_captcha_bg.wasm
)
# Whatever package.json exports (the stylesheet, the phone table) must be in it too.
mapfile -t exported < <(node -e '
  const pkg = JSON.parse(require("fs").readFileSync("pkg/package.json", "utf8"));
  const targets = (v) => typeof v === "string" ? [v] : Object.values(v).flatMap(targets);
  for (const t of targets(pkg.exports)) console.log(t.replace(/^\.\//, ""));')
missing=0
for f in "${required[@]}" "${exported[@]}"; do
  if ! grep -qx "package/$f" <<<"$listing"; then
    echo "check_pkg: the tarball lacks $f" >&2
    missing=1
  fi
done
[ "$missing" = 0 ]
echo "$listing" | sed 's/^/  /'

log "publint --strict"
"$bin/publint" --strict pkg

# The package is ES modules only: the browser entry awaits the wasm module at
# top level, which `require()` cannot load in any Node version, and the
# ./captcha entry is ESM like it. attw's esm-only profile leaves out the one
# resolution mode that cannot work for such a package, CommonJS `require`
# under node16 (which it would flag as "ESM (dynamic import only)"); node10,
# node16 from ESM and bundler resolution are all checked. The stylesheet and
# the phone table are assets, not modules: they have no types to find.
log "attw --profile esm-only"
"$bin/attw" --profile esm-only --exclude-entrypoints ./resetflow.css ./phone-metadata.tsv -- "$tarball"

log "install the tarball into a temporary project"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '{ "name": "resetflow-consumer", "private": true, "type": "module" }\n' >"$tmp/package.json"
(cd "$tmp" && npm install --offline --no-audit --no-fund --loglevel=error "$tarball")

log "tsc --strict on the typings"
cp tests/node/types.ts tests/node/types-form.ts "$tmp/"
cat >"$tmp/tsconfig.json" <<'JSON'
{
  "compilerOptions": {
    "strict": true, "noEmit": true, "skipLibCheck": false,
    "module": "nodenext", "moduleResolution": "nodenext", "target": "es2022",
    "lib": ["es2022", "dom"], "types": []
  },
  "include": ["*.ts"]
}
JSON
"$PWD/$bin/tsc" -p "$tmp/tsconfig.json"

log "node --test against the installed tarball"
cp tests/node/*.test.mjs "$tmp/"
(cd "$tmp" && node --test ./*.test.mjs)
log "package checks passed"
