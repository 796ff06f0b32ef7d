//! A coverage-accumulation scanline rasteriser.
//!
//! Every edge of a closed polygon adds its signed area contribution to the
//! cells it crosses; a running sum along each row then gives the winding
//! coverage of every pixel (the technique of font-rs and `ab_glyph_rasterizer`,
//! kept here because it is about a hundred lines and has no dependency).
//!
//! Invariants: the canvas never panics on any input point (points outside are
//! clipped; non-finite coordinates are ignored), and the accumulation buffer is
//! allocated once per canvas.
/// A pixel grid collecting signed coverage from closed polygons.
pub(crate) struct Canvas {
    width: usize,
    height: usize,
    /// `height` rows of `width + 2` cells: an edge on the right border writes
    /// up to two cells past the last pixel.
    acc: Vec<f32>,
    /// Whether any edge crossed each row: untouched rows are empty, and
    /// callers skip their running sum.
    touched: Vec<bool>,
}

impl Canvas {
    /// A canvas of `width` x `height` pixels with nothing drawn.
    pub(crate) fn new(width: usize, height: usize) -> Canvas {
        Canvas {
            width,
            height,
            acc: vec![0.0; (width + 2) * height],
            touched: vec![false; height],
        }
    }

    /// Adds the closed polygon `points` (the last point joins the first).
    ///
    /// Polygons drawn in the same orientation add up where they overlap and
    /// [`Canvas::coverage`] caps the sum at full coverage, so glyphs and
    /// strokes may overlap freely as long as they share one orientation.
    pub(crate) fn fill_polygon(&mut self, points: &[[f32; 2]]) {
        let Some(&last) = points.last() else { return };
        let mut prev = last;
        for &p in points {
            self.line(prev, p);
            prev = p;
        }
    }

    fn line(&mut self, p0: [f32; 2], p1: [f32; 2]) {
        // One test for all four: a NaN or infinity anywhere makes the sum
        // non-finite (so does overflow, which only drops absurd edges).
        if !(p0[0] + p0[1] + p1[0] + p1[1]).is_finite() {
            return;
        }
        if p0[1] == p1[1] {
            return;
        }
        let (dir, p0, p1) = if p0[1] < p1[1] {
            (1.0f32, p0, p1)
        } else {
            (-1.0f32, p1, p0)
        };
        let h = self.height as f32;
        if p1[1] <= 0.0 || p0[1] >= h {
            return;
        }
        let w = self.width as f32;
        let stride = self.width + 2;
        let dxdy = (p1[0] - p0[0]) / (p1[1] - p0[1]);
        let y_start = p0[1].max(0.0);
        let y_end = p1[1].min(h);
        let mut x = p0[0] + (y_start - p0[1]) * dxdy;
        let mut y = y_start;
        // Walk the edge one pixel row at a time.
        while y < y_end {
            let row = y as usize;
            self.touched[row] = true;
            let y_next = ((row + 1) as f32).min(y_end);
            let dy = y_next - y;
            let x_next = x + dxdy * dy;
            let d = dy * dir;
            // Clipping x to [0, w] keeps the winding right: an edge left of
            // the canvas covers the whole row from column 0 on, one right of
            // it covers nothing visible.
            let xa = x.clamp(0.0, w);
            let xb = x_next.clamp(0.0, w);
            let (x0, x1) = if xa < xb { (xa, xb) } else { (xb, xa) };
            let cells = &mut self.acc[row * stride..(row + 1) * stride];
            // x0 and x1 are in [0, w]: truncation is floor.
            let x0i = x0 as usize;
            let x0_floor = x0i as f32;
            let x1i = x1 as usize + usize::from((x1 as usize as f32) < x1);
            let x1_ceil = x1i as f32;
            if x1i <= x0i + 1 {
                // The edge stays within one pixel column in this row.
                let xmf = 0.5 * (xa + xb) - x0_floor;
                cells[x0i] += d - d * xmf;
                cells[x0i + 1] += d * xmf;
            } else {
                let s = (x1 - x0).recip();
                let x0f = x0 - x0_floor;
                let a0 = 0.5 * s * (1.0 - x0f) * (1.0 - x0f);
                let x1f = x1 - x1_ceil + 1.0;
                let am = 0.5 * s * x1f * x1f;
                cells[x0i] += d * a0;
                if x1i == x0i + 2 {
                    cells[x0i + 1] += d * (1.0 - a0 - am);
                } else {
                    let a1 = s * (1.5 - x0f);
                    cells[x0i + 1] += d * (a1 - a0);
                    for cell in &mut cells[x0i + 2..x1i - 1] {
                        *cell += d * s;
                    }
                    let a2 = a1 + (x1i - x0i - 3) as f32 * s;
                    cells[x1i - 1] += d * (1.0 - a2 - am);
                }
                cells[x1i] += d * am;
            }
            x = x_next;
            y = y_next;
        }
    }

    /// The accumulation cells of each row (`width + 2` each): the running
    /// sum of a row's cells up to column x, absolute and capped at 1, is the
    /// coverage of pixel x. [`Canvas::coverage`] does exactly that; this is
    /// for callers that fuse the sum with their own per-pixel work.
    /// Rows no edge crossed come as `None`: their coverage is zero.
    pub(crate) fn rows(&self) -> impl Iterator<Item = Option<&[f32]>> + '_ {
        self.acc
            .chunks_exact(self.width + 2)
            .zip(&self.touched)
            .map(|(row, &t)| t.then_some(row))
    }

    /// Per-pixel coverage in `0.0..=1.0`, row by row, `width * height` values.
    #[cfg(test)]
    pub(crate) fn coverage(&self) -> impl Iterator<Item = f32> + '_ {
        let stride = self.width + 2;
        self.acc.chunks_exact(stride).flat_map(move |row| {
            let mut sum = 0.0f32;
            row[..self.width].iter().map(move |&c| {
                sum += c;
                sum.abs().min(1.0)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cov(c: &Canvas) -> Vec<f32> {
        c.coverage().collect()
    }

    #[test]
    fn axis_aligned_square_covers_exactly_its_pixels() {
        let mut c = Canvas::new(6, 5);
        c.fill_polygon(&[[1.0, 1.0], [4.0, 1.0], [4.0, 3.0], [1.0, 3.0]]);
        let v = cov(&c);
        for y in 0..5 {
            for x in 0..6 {
                let inside = (1..4).contains(&x) && (1..3).contains(&y);
                let expected = if inside { 1.0 } else { 0.0 };
                assert!(
                    (v[y * 6 + x] - expected).abs() < 1e-5,
                    "pixel ({x},{y}) = {}",
                    v[y * 6 + x]
                );
            }
        }
    }

    #[test]
    fn half_pixel_offsets_give_half_coverage() {
        let mut c = Canvas::new(4, 2);
        // Spans x 0.5..2.5 over row 0 only.
        c.fill_polygon(&[[0.5, 0.0], [2.5, 0.0], [2.5, 1.0], [0.5, 1.0]]);
        let v = cov(&c);
        let expected = [0.5, 1.0, 0.5, 0.0, 0.0, 0.0, 0.0, 0.0];
        for (got, want) in v.iter().zip(expected) {
            assert!((got - want).abs() < 1e-5, "{v:?}");
        }
    }

    #[test]
    fn triangle_area_is_preserved() {
        // A right triangle with legs 8 and 6 has area 24 whatever the slope.
        let mut c = Canvas::new(10, 10);
        c.fill_polygon(&[[1.0, 1.0], [9.0, 1.0], [1.0, 7.0]]);
        let total: f32 = c.coverage().sum();
        assert!((total - 24.0).abs() < 1e-3, "area {total}");
    }

    #[test]
    fn either_orientation_fills_and_same_orientation_overlaps_saturate() {
        let mut c = Canvas::new(4, 1);
        c.fill_polygon(&[[0.0, 0.0], [0.0, 1.0], [2.0, 1.0], [2.0, 0.0]]);
        c.fill_polygon(&[[1.0, 0.0], [1.0, 1.0], [3.0, 1.0], [3.0, 0.0]]);
        let v = cov(&c);
        assert_eq!(v, vec![1.0, 1.0, 1.0, 0.0]);
    }

    #[test]
    fn shapes_beyond_the_borders_are_clipped_without_panicking() {
        let mut c = Canvas::new(5, 5);
        c.fill_polygon(&[[-10.0, -10.0], [20.0, -10.0], [20.0, 20.0], [-10.0, 20.0]]);
        assert!(c.coverage().all(|v| (v - 1.0).abs() < 1e-5));
        let mut c = Canvas::new(5, 5);
        c.fill_polygon(&[[f32::NAN, 0.0], [3.0, f32::INFINITY], [1e30, -1e30]]);
        c.fill_polygon(&[[4.9, 4.9], [5.0, 5.0], [5.0, 4.9]]);
        assert_eq!(c.coverage().count(), 25);
    }
}
