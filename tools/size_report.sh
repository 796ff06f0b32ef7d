#!/usr/bin/env bash
# Sizes of the npm package as a bundler or a browser loads it, gzip -9
# (1 KB = 1000 bytes), from pkg/ as scripts/build-pkg.sh builds it (run
# first; it skips the build when nothing changed):
#
#   browser entry  index.js (the form and wasm-bindgen's glue, minified) +
#                  resetflow_bg.wasm + locales/en.js + resetflow.css: what
#                  `import "resetflow"` and the stylesheet load
#   with a locale  the entry plus the largest other locale module: what a page
#                  in German, say, loads; fails above SIZE_LIMIT_KB (default
#                  45), as does the entry alone
#   phone table    phone-metadata.tsv, fetched lazily after start-up: fails
#                  above PHONE_LIMIT_KB (default 40)
#   captcha entry  what `import "resetflow/captcha"` loads in Node: reported only
#
# Prints the table and writes it to target/size-report/size-report.txt.
#
#   tools/size_report.sh
#   SIZE_LIMIT_KB=35 tools/size_report.sh      the aim
set -euo pipefail
cd "$(dirname "$0")/.."

limit_kb=${SIZE_LIMIT_KB:-45}
phone_limit_kb=${PHONE_LIMIT_KB:-40}
out=target/size-report
mkdir -p "$out"

scripts/build-pkg.sh

report=$out/size-report.txt
{
  printf '%-42s %10s %10s\n' file bytes gzip-9
  section() { # title limit-kb files...
    local title=$1 limit=$2 raw=0 gz=0 f r g
    shift 2
    printf '%s\n' "$title"
    for f in "$@"; do
      if [ -f "pkg/$f" ]; then
        r=$(stat -c %s "pkg/$f")
        g=$(gzip -9 -n -c "pkg/$f" | wc -c)
        printf '  %-40s %10d %10d\n' "$f" "$r" "$g"
        raw=$((raw + r)) gz=$((gz + g))
      else
        printf '  %-40s %21s\n' "$f" "(not in this build)"
      fi
    done
    printf '  %-40s %10d %10d' total "$raw" "$gz"
    last_gz=$gz
    if [ "$limit" -gt 0 ]; then
      if [ "$gz" -gt $((limit * 1000)) ]; then
        printf '   OVER the limit of %d KB\n' "$limit"
        return 1
      fi
      printf '   limit %d KB: ok\n' "$limit"
    else
      printf '\n'
    fi
  }
  section "browser entry (import \"resetflow\" + resetflow.css)" "$limit_kb" \
    index.js resetflow_bg.wasm locales/en.js resetflow.css || true
  entry_gz=$last_gz
  section "locale modules (the one in use is imported; English is in the entry)" 0 \
    locales/de.js locales/es.js locales/id.js locales/zh.js
  largest=0
  for f in pkg/locales/*.js; do
    g=$(gzip -9 -n -c "$f" | wc -c)
    [ "$(basename "$f")" != en.js ] && [ "$g" -gt "$largest" ] && largest=$g
  done
  worst=$((entry_gz + largest))
  printf 'browser entry plus the largest other locale\n'
  printf '  %-40s %10s %10d' total "" "$worst"
  if [ "$worst" -gt $((limit_kb * 1000)) ]; then
    printf '   OVER the limit of %d KB\n' "$limit_kb"
  else
    printf '   limit %d KB: ok\n' "$limit_kb"
  fi
  section "phone table (fetched lazily)" "$phone_limit_kb" phone-metadata.tsv || true
  section "captcha entry (import \"resetflow/captcha\" in Node)" 0 \
    captcha/node.js captcha/resetflow_captcha.js captcha/resetflow_captcha_bg.wasm
} | tee "$report"
echo "written: $report"
# The verdict is in the report (the block above ran in a pipe's subshell).
! grep -q 'OVER the limit' "$report"
