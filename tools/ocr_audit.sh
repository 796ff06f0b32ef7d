#!/usr/bin/env bash
# OCR resistance audit: renders default captchas with the CLI and lets
# Tesseract try each one four ways (page modes 7 and 8, on the raw image and on
# a 4x upscaled, binarised copy). A captcha counts as solved if ANY attempt
# reads the exact answer. Prints the solve rate.
#
# Usage: tools/ocr_audit.sh [COUNT] [SEED] [extra `resetflow captcha` args...]
#   COUNT defaults to 300, SEED to 1 (use "random" for OS randomness).
#   OCR_MAX_RATE=0.5 makes it fail when more than 0.5% are solved (CI does).
# Needs: tesseract, ImageMagick `convert`, cargo. Runs two jobs in parallel.
set -euo pipefail

count="${1:-300}"
seed="${2:-1}"
shift $(( $# > 2 ? 2 : $# ))
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The debug build draws the same pixels as a release build and shares the
# test build's artifacts; the time goes to Tesseract anyway.
cargo build --quiet -p resetflow-server --manifest-path "$root/Cargo.toml"
bin="${CARGO_TARGET_DIR:-$root/target}/debug/resetflow"
seed_args=()
[[ "$seed" != "random" ]] && seed_args=(--seed "$seed")
"$bin" captcha --count "$count" "${seed_args[@]}" --out "$work/img" "$@"

attempt() {
    # $1: PNG path. Prints "1 answer" when any attempt reads the answer.
    local png="$1" base answer bin_png read
    base="$(basename "$png" .png)"
    answer="${base%_*}"
    bin_png="${png%.png}.bin.png"
    convert "$png" -colorspace Gray -resize 400% -threshold 50% "$bin_png"
    for img in "$png" "$bin_png"; do
        for psm in 7 8; do
            read="$(tesseract "$img" stdout --psm "$psm" -c tessedit_char_whitelist=0123456789 2>/dev/null | tr -cd '0-9')"
            if [[ "$read" == "$answer" ]]; then
                echo "1 $base psm$psm $(basename "$img")"
                return 0
            fi
        done
    done
    echo "0 $base"
}
export -f attempt
export OMP_THREAD_LIMIT=1

find "$work/img" -name '*.png' -print0 | xargs -0 -n1 -P2 bash -c 'attempt "$0"' > "$work/results"
solved="$(grep -c '^1 ' "$work/results" || true)"
total="$(wc -l < "$work/results")"
grep '^1 ' "$work/results" | sed 's/^1 /solved: /' || true
awk -v s="$solved" -v t="$total" 'BEGIN { printf "OCR solve rate: %d / %d = %.2f%%\n", s, t, 100 * s / t }'
if [[ -n "${OCR_MAX_RATE:-}" ]]; then
    if ! awk -v s="$solved" -v t="$total" -v m="$OCR_MAX_RATE" 'BEGIN { exit !(t > 0 && 100 * s / t <= m) }'; then
        echo "OCR solve rate above the allowed ${OCR_MAX_RATE}%" >&2
        exit 1
    fi
fi
