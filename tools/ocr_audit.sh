#!/usr/bin/env bash
# OCR resistance audit: renders default captchas with the CLI and lets
# Tesseract try each one four ways (page modes 7 and 8, on the raw image and on
# a 4x upscaled, binarised copy). A captcha counts as solved if ANY attempt
# reads the exact answer. Prints the solve rate.
#
# Usage: tools/ocr_audit.sh [COUNT] [SEED] [extra `resetflow captcha` args...]
#   COUNT defaults to 300, SEED to 1 (use "random" for OS randomness).
# Needs: tesseract, ImageMagick `convert`, cargo. Runs two jobs in parallel.
set -euo pipefail

count="${1:-300}"
seed="${2:-1}"
shift $(( $# > 2 ? 2 : $# ))
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --quiet --release -p resetflow-server --manifest-path "$root/Cargo.toml"
bin="$root/target/release/resetflow"
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
