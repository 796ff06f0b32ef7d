#!/usr/bin/env python3
"""Generate src/captcha/glyphs.rs: flattened outlines of the digits 0-9 of
each font bundled under fonts/.

Why a table and not the fonts themselves: the captcha engine only ever draws
ten glyphs per font, so shipping pre-flattened polygons keeps the library (and
the wasm module) free of a font parser and of megabytes of font data, and lets
the renderer transform plain points.

Usage:
    pip install fonttools
    python3 tools/gen_glyphs.py          # rewrite src/captcha/glyphs.rs
    python3 tools/gen_glyphs.py --check  # exit 1 if the file is out of date

The output records the SHA-256 of every font file; the Rust test
`glyph_table_matches_bundled_fonts` fails when a font changes without the
table being regenerated.
"""

import hashlib
import math
import os
import sys

from fontTools.pens.basePen import BasePen
from fontTools.ttLib import TTFont

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "src", "captcha", "glyphs.rs")

# (Rust identifier, path under fonts/). The order is part of the output: seeded
# renders (golden images) depend on it.
FONTS = [
    ("DEJAVU_SANS_BOLD", "dejavu/DejaVuSans-Bold.ttf"),
    ("LIBERATION_SERIF_BOLD", "liberation/LiberationSerif-Bold.ttf"),
    ("COMIC_NEUE_BOLD", "comic-neue/ComicNeue-Bold.otf"),
    ("JETBRAINS_MONO_EXTRABOLD", "jetbrains-mono/JetBrainsMono-ExtraBold.ttf"),
    ("CANTARELL_BOLD", "cantarell/Cantarell-Bold.otf"),
    ("OPEN_SANS_BOLD", "open-sans/OpenSans-Bold.ttf"),
]

# Every glyph is scaled so that the digit zero is UNITS tall; flattening stops
# when a curve is within TOLERANCE units of its chord: about 0.3 px for the
# 36 px digits of a default captcha, 0.6 px at the 2x scale. Finer costs
# edges, and edges are what the rasteriser spends its time on.
UNITS = 1000.0
TOLERANCE = 8.0


class FlattenPen(BasePen):
    """Collects closed polygons, turning Bézier segments into short lines."""

    def __init__(self, glyphset, scale):
        super().__init__(glyphset)
        self.scale = scale
        self.contours = []
        self.cur = None

    def _pt(self, p):
        return (p[0] * self.scale, p[1] * self.scale)

    def _moveTo(self, p):
        self.cur = [self._pt(p)]

    def _lineTo(self, p):
        self.cur.append(self._pt(p))

    def _steps(self, pts):
        # Control-polygon deviation bounds the curve's; n segments cut the
        # error by n^2.
        (x0, y0), (x1, y1) = pts[0], pts[-1]
        dev = 0.0
        for (x, y) in pts[1:-1]:
            dev = max(dev, abs(x - (x0 + x1) / 2) + abs(y - (y0 + y1) / 2))
        return max(1, math.ceil(math.sqrt(dev / (4 * TOLERANCE))))

    def _qCurveToOne(self, p1, p2):
        p0 = self.cur[-1]
        p1, p2 = self._pt(p1), self._pt(p2)
        n = self._steps([p0, p1, p2])
        for i in range(1, n + 1):
            t = i / n
            u = 1 - t
            self.cur.append((u * u * p0[0] + 2 * u * t * p1[0] + t * t * p2[0],
                             u * u * p0[1] + 2 * u * t * p1[1] + t * t * p2[1]))

    def _curveToOne(self, p1, p2, p3):
        p0 = self.cur[-1]
        p1, p2, p3 = self._pt(p1), self._pt(p2), self._pt(p3)
        n = self._steps([p0, p1, p2, p3]) + 1
        for i in range(1, n + 1):
            t = i / n
            u = 1 - t
            a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
            self.cur.append((a * p0[0] + b * p1[0] + c * p2[0] + d * p3[0],
                             a * p0[1] + b * p1[1] + c * p2[1] + d * p3[1]))

    def _closePath(self):
        pts = [(round(x), round(y)) for (x, y) in self.cur]
        if len(pts) > 1 and pts[0] == pts[-1]:
            pts.pop()
        # Drop repeated points left by rounding.
        clean = [p for i, p in enumerate(pts) if p != pts[i - 1]]
        if len(clean) >= 3:
            self.contours.append(clean)
        self.cur = None

    _endPath = _closePath


def signed_area(contours):
    a = 0
    for c in contours:
        for i in range(len(c)):
            x0, y0 = c[i]
            x1, y1 = c[(i + 1) % len(c)]
            a += x0 * y1 - x1 * y0
    return a / 2


def digits_of(path):
    font = TTFont(path)
    cmap = font.getBestCmap()
    glyphset = font.getGlyphSet()
    names = [cmap[ord(str(d))] for d in range(10)]
    # Height of the zero's ink: the figure height including overshoot.
    from fontTools.pens.boundsPen import BoundsPen
    bp = BoundsPen(glyphset)
    glyphset[names[0]].draw(bp)
    scale = UNITS / (bp.bounds[3] - bp.bounds[1])
    out = []
    for name in names:
        pen = FlattenPen(glyphset, scale)
        glyphset[name].draw(pen)
        contours = pen.contours
        # One orientation for every glyph (counter-clockwise outside with y
        # up): overlapping glyphs then add up instead of cancelling out.
        if signed_area(contours) < 0:
            contours = [list(reversed(c)) for c in contours]
        xmin = min(x for c in contours for (x, _) in c)
        xmax = max(x for c in contours for (x, _) in c)
        ymin = min(y for c in contours for (_, y) in c)
        ymax = max(y for c in contours for (_, y) in c)
        contours = [[(x - xmin, y) for (x, y) in c] for c in contours]
        out.append((xmax - xmin, ymin, ymax, contours))
    return out


def render():
    lines = [
        "// @generated by tools/gen_glyphs.py from the fonts under fonts/. Do not edit.",
        "//",
        "// Each digit is a set of closed polygons, y up, baseline at y = 0, left",
        "// ink edge at x = 0, scaled so the digit zero is 1000 units tall, outer",
        "// contours counter-clockwise.",
        "",
        "use super::outline::{Font, Glyph};",
        "",
    ]
    for ident, rel in FONTS:
        path = os.path.join(ROOT, "fonts", rel)
        digest = hashlib.sha256(open(path, "rb").read()).hexdigest()
        lines.append(f"/// Digits of `fonts/{rel}`.")
        lines.append(f"pub(crate) static {ident}: Font = Font {{")
        lines.append(f'    file: "{rel}",')
        lines.append(f'    sha256: "{digest}",')
        lines.append("    digits: [")
        for width, ymin, ymax, contours in digits_of(path):
            lines.append("        Glyph {")
            lines.append(f"            width: {width},")
            lines.append(f"            y_min: {ymin},")
            lines.append(f"            y_max: {ymax},")
            lines.append("            contours: &[")
            for c in contours:
                flat = ", ".join(f"[{x}, {y}]" for (x, y) in c)
                lines.append(f"                &[{flat}],")
            lines.append("            ],")
            lines.append("        },")
        lines.append("    ],")
        lines.append("};")
        lines.append("")
    lines.append("/// Every bundled font, in a fixed order.")
    lines.append("pub(crate) static FONTS: [&Font; %d] = [%s];" %
                 (len(FONTS), ", ".join(f"&{i}" for i, _ in FONTS)))
    return "\n".join(lines) + "\n"


def main():
    text = render()
    if "--check" in sys.argv[1:]:
        current = open(OUT).read() if os.path.exists(OUT) else ""
        if current != text:
            print(f"{OUT} is out of date: run tools/gen_glyphs.py", file=sys.stderr)
            sys.exit(1)
        print("glyph table up to date")
        return
    with open(OUT, "w") as f:
        f.write(text)
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
