//! Glyph outlines and the ink paths built from them.

/// The digits of one bundled font (see `glyphs.rs`, generated).
pub(crate) struct Font {
    /// Path of the font file under `fonts/`.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) file: &'static str,
    /// SHA-256 of that file when the table was generated.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) sha256: &'static str,
    /// Outlines of `0` to `9`.
    pub(crate) digits: [Glyph; 10],
}

/// One digit: closed polygons, y up, baseline at 0, left ink edge at x = 0,
/// the font's zero 1000 units tall, outer contours counter-clockwise.
pub(crate) struct Glyph {
    pub(crate) width: i16,
    pub(crate) y_min: i16,
    pub(crate) y_max: i16,
    pub(crate) contours: &'static [&'static [[i16; 2]]],
}

/// Closed polygons in image space (y down), all of one orientation so that
/// overlapping parts add up on the canvas.
#[derive(Default)]
pub(crate) struct Ink {
    pub(crate) points: Vec<[f32; 2]>,
    /// End index (exclusive) of each polygon in `points`.
    pub(crate) ends: Vec<usize>,
}

impl Ink {
    /// Each polygon as a slice of points.
    pub(crate) fn polygons(&self) -> impl Iterator<Item = &[[f32; 2]]> {
        let mut start = 0;
        self.ends.iter().map(move |&end| {
            let poly = &self.points[start..end];
            start = end;
            poly
        })
    }

    /// Applies `f` to every point.
    pub(crate) fn map(&mut self, mut f: impl FnMut([f32; 2]) -> [f32; 2]) {
        for p in &mut self.points {
            *p = f(*p);
        }
    }

    /// Appends the outline of `glyph`, each point grown outwards by `weight`
    /// glyph units (negative thins it) and then mapped by `f` into image
    /// space. `f` must flip y (glyphs are y up) and otherwise preserve
    /// orientation (rotation, positive scales, shear).
    pub(crate) fn push_glyph(
        &mut self,
        glyph: &Glyph,
        weight: f32,
        mut f: impl FnMut([f32; 2]) -> [f32; 2],
    ) {
        self.push_offset(glyph, weight, false, &mut f);
    }

    /// Appends `glyph` as an outline only: the ink between the outline grown
    /// by `weight` and the outline grown by `weight - ring`. The inner copy
    /// runs the other way round, so its winding cancels the inside.
    pub(crate) fn push_hollow_glyph(
        &mut self,
        glyph: &Glyph,
        weight: f32,
        ring: f32,
        mut f: impl FnMut([f32; 2]) -> [f32; 2],
    ) {
        self.push_offset(glyph, weight, false, &mut f);
        self.push_offset(glyph, weight - ring, true, &mut f);
    }

    fn push_offset(
        &mut self,
        glyph: &Glyph,
        weight: f32,
        reverse: bool,
        f: &mut impl FnMut([f32; 2]) -> [f32; 2],
    ) {
        for contour in glyph.contours {
            let n = contour.len();
            let pt = |i: usize| {
                let [x, y] = contour[i % n];
                [f32::from(x), f32::from(y)]
            };
            // Unit normal to the right of the edge from point i to i + 1:
            // outside of the ink for counter-clockwise outer contours and
            // clockwise holes alike.
            let normal = |i: usize| {
                let (a, b) = (pt(i), pt(i + 1));
                let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
                let len = (dx * dx + dy * dy).sqrt().max(1e-6);
                [dy / len, -dx / len]
            };
            let mut prev = normal(n - 1);
            for i in 0..n {
                let next = normal(i);
                // Miter: the offset that moves both adjacent edges by `weight`,
                // capped so sharp corners do not spike.
                let dot = prev[0] * next[0] + prev[1] * next[1];
                let k = weight / (1.0 + dot).max(0.5);
                let p = pt(i);
                self.points.push(f([
                    p[0] + (prev[0] + next[0]) * k,
                    p[1] + (prev[1] + next[1]) * k,
                ]));
                prev = next;
            }
            if reverse {
                let start = self.ends.last().copied().unwrap_or(0);
                self.points[start..].reverse();
            }
            self.ends.push(self.points.len());
        }
    }

    /// Appends a stroke of width `width` along the polyline `line` as one
    /// ribbon polygon: the line offset to one side going forward, to the
    /// other coming back. One polygon instead of a quadrilateral per segment
    /// keeps the edge count (the rasteriser's cost) low; the lines drawn here
    /// bend gently compared with their width, so the ribbon does not fold.
    pub(crate) fn push_stroke(&mut self, line: &[[f32; 2]], width: f32) {
        let n = line.len();
        if n < 2 {
            return;
        }
        let half = width * 0.5;
        // Unit normal at each point, from the chord of its neighbours.
        let normal = |i: usize| {
            let (a, b) = (line[i.saturating_sub(1)], line[(i + 1).min(n - 1)]);
            let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
            let len = (dx * dx + dy * dy).sqrt().max(1e-6);
            [-dy / len * half, dx / len * half]
        };
        let start = self.points.len();
        for (i, p) in line.iter().enumerate() {
            let nv = normal(i);
            self.points.push([p[0] + nv[0], p[1] + nv[1]]);
        }
        for (i, p) in line.iter().enumerate().rev() {
            let nv = normal(i);
            self.points.push([p[0] - nv[0], p[1] - nv[1]]);
        }
        // Forward on the +normal side and back on the other winds like the
        // glyphs after their y flip (negative shoelace sum in image space);
        // see the orientation test.
        debug_assert!(self.points.len() - start == 2 * n);
        self.ends.push(self.points.len());
    }
}

/// Twice the signed area of a polygon (shoelace sum).
#[cfg(test)]
pub(crate) fn shoelace(poly: &[[f32; 2]]) -> f32 {
    let n = poly.len();
    (0..n)
        .map(|i| {
            let (a, b) = (poly[i], poly[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::super::glyphs::FONTS;
    use super::*;

    fn flip(p: [f32; 2]) -> [f32; 2] {
        [p[0] * 0.05, 60.0 - p[1] * 0.05]
    }

    #[test]
    fn strokes_and_glyphs_share_one_orientation() {
        for font in FONTS {
            for (d, glyph) in font.digits.iter().enumerate() {
                let mut ink = Ink::default();
                ink.push_glyph(glyph, 0.0, flip);
                let total: f32 = ink.polygons().map(shoelace).sum();
                assert!(total < 0.0, "{} digit {d}: {total}", font.file);
            }
        }
        let mut ink = Ink::default();
        ink.push_stroke(&[[0.0, 0.0], [10.0, 3.0], [20.0, -4.0]], 2.0);
        assert!(ink.polygons().all(|p| shoelace(p) < 0.0));
    }

    #[test]
    fn hollow_glyphs_keep_only_a_ring() {
        let glyph = &FONTS[0].digits[0];
        let area = |ink: &Ink| -ink.polygons().map(shoelace).sum::<f32>();
        let mut full = Ink::default();
        full.push_glyph(glyph, 0.0, flip);
        let mut ring = Ink::default();
        ring.push_hollow_glyph(glyph, 0.0, 40.0, flip);
        let (a_full, a_ring) = (area(&full), area(&ring));
        assert!(
            a_ring > 0.2 * a_full && a_ring < 0.8 * a_full,
            "{a_ring} of {a_full}"
        );
    }

    #[test]
    fn weight_grows_and_shrinks_the_ink() {
        let glyph = &FONTS[0].digits[8];
        let area = |w: f32| {
            let mut ink = Ink::default();
            ink.push_glyph(glyph, w, flip);
            -ink.polygons().map(shoelace).sum::<f32>()
        };
        assert!(area(30.0) > area(0.0) * 1.1);
        assert!(area(-30.0) < area(0.0) * 0.9);
    }
}
