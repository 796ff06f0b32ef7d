#!/usr/bin/env bash
# Contact sheet: 12 seeded default captchas in a grid, each labelled with its
# answer, written to docs/contact-sheet.png. Look at it after every change to
# the renderer: a person must read every sample at a glance.
#
# Usage: tools/contact_sheet.sh [SEED] [extra `resetflow captcha` args...]
# Needs: cargo, ImageMagick `montage`.
set -euo pipefail

seed="${1:-1}"
shift $(( $# > 0 ? 1 : 0 ))
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cargo build --quiet -p resetflow-server --manifest-path "$root/Cargo.toml"
"$root/target/debug/resetflow" captcha --count 12 --seed "$seed" --scale 2 --out "$work" "$@"

args=()
# Samples in the order they were generated (<answer>_<n>.png, n from 0).
for n in $(seq 0 11); do
    file="$(ls "$work"/*_"$n".png)"
    answer="$(basename "$file" | cut -d_ -f1)"
    args+=(-label "$answer" "$file")
done
mkdir -p "$root/docs"
montage "${args[@]}" -tile 3x4 -geometry +8+8 -pointsize 22 -background white \
    "$root/docs/contact-sheet.png"
echo "wrote docs/contact-sheet.png (seed $seed)"
