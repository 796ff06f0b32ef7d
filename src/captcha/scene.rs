//! Layout and distortion: everything random about a captcha is decided here.
//!
//! Threat model: the attacker has this code. They can render unlimited
//! labelled samples and train a recogniser, so secrecy of the method buys
//! nothing; what costs them is variety a small model cannot learn cheaply.
//! Hence every glyph independently draws its font (six families with
//! different digit shapes), stroke weight, filled or outline style, width,
//! slant, rotation, size and baseline; neighbours are spaced by their ink,
//! row by row, so they touch or overlap by a random amount and fixed-width
//! slicing fails; a smooth warp and a finer ripple bend the whole line so
//! glyphs are never the font's exact outlines; interference curves of
//! digit-stroke weight, in the ink's own colours, cross the glyphs so that
//! colour or stroke-width filters cannot separate them; and a band of
//! reversed polarity (light ink on dark) defeats the global threshold that
//! off-the-shelf OCR starts with. Each knob stops short of what would make a
//! person hesitate; the contact sheet (`docs/contact-sheet.png`) is the
//! check, and `tools/ocr_audit.sh` measures Tesseract against it.
//!
//! All geometry is in logical pixels; the renderer multiplies by the scale,
//! so a 2x captcha is the same picture with more pixels.

use rand_core::RngCore;

use super::config::{Config, Difficulty};
use super::glyphs::FONTS;
use super::outline::Ink;
use super::rng::{ceil, cos, floor, sin, Draw};

/// How far each distortion goes at one difficulty level.
struct Knobs {
    /// Maximum rotation of a glyph, radians.
    rotate: f32,
    /// Maximum relative change of a glyph's size.
    size: f32,
    /// Maximum relative change of a glyph's width alone.
    stretch: f32,
    /// Maximum slant (x shift per unit of height).
    slant: f32,
    /// Maximum baseline shift, fraction of the glyph height.
    baseline: f32,
    /// Range of the gap between neighbouring glyphs, fraction of the glyph
    /// height; negative values overlap.
    gap: (f32, f32),
    /// Range of stroke weight change, glyph units (1000 = digit height).
    weight: (f32, f32),
    /// Chance that a glyph is drawn as an outline only.
    hollow: f32,
    /// Amplitude of the smooth warp, fraction of the canvas height.
    warp: f32,
    /// Amplitude of the fine ripple, logical pixels.
    ripple: f32,
    /// Number of long interference curves (inclusive range).
    curves: (u32, u32),
    /// Number of short arcs.
    arcs: (u32, u32),
    /// Width of interference strokes, fraction of the glyph height.
    stroke: (f32, f32),
    /// Background speckles per 100 square logical pixels.
    speckles: f32,
    /// Chance of a band drawn in reversed polarity.
    invert: f32,
}

fn knobs(difficulty: Difficulty) -> Knobs {
    match difficulty {
        Difficulty::Easy => Knobs {
            rotate: 0.22,
            size: 0.08,
            stretch: 0.08,
            slant: 0.15,
            baseline: 0.06,
            gap: (-0.02, 0.08),
            weight: (-15.0, 5.0),
            hollow: 0.15,
            warp: 0.05,
            ripple: 0.5,
            curves: (1, 1),
            arcs: (0, 0),
            stroke: (0.04, 0.06),
            speckles: 0.6,
            invert: 0.5,
        },
        Difficulty::Normal => Knobs {
            rotate: 0.25,
            size: 0.12,
            stretch: 0.12,
            slant: 0.15,
            baseline: 0.09,
            gap: (-0.02, 0.06),
            weight: (-15.0, 15.0),
            hollow: 0.2,
            warp: 0.10,
            ripple: 0.8,
            curves: (2, 2),
            arcs: (0, 0),
            stroke: (0.04, 0.06),
            speckles: 0.9,
            invert: 1.0,
        },
        Difficulty::Hard => Knobs {
            rotate: 0.45,
            size: 0.16,
            stretch: 0.16,
            slant: 0.32,
            baseline: 0.12,
            gap: (-0.12, 0.0),
            weight: (-20.0, 25.0),
            hollow: 0.4,
            warp: 0.13,
            ripple: 1.1,
            curves: (2, 2),
            arcs: (1, 2),
            stroke: (0.06, 0.10),
            speckles: 1.2,
            invert: 1.0,
        },
    }
}

/// A background speckle, drawn under the ink.
pub(crate) struct Speckle {
    pub(crate) x: f32,
    pub(crate) y: f32,
    pub(crate) radius: f32,
    /// Which background tone (0 or 1).
    pub(crate) tone: u8,
}

/// An RGB colour.
pub(crate) type Rgb = [u8; 3];

/// Everything to draw, in logical pixels.
pub(crate) struct Scene {
    pub(crate) ink: Ink,
    pub(crate) speckles: Vec<Speckle>,
    pub(crate) background: Rgb,
    pub(crate) tones: [Rgb; 2],
    pub(crate) text: [Rgb; 2],
    /// Ink colour split: a pixel at `x + band_wobble * sin(y * band_freq)`
    /// takes colour 0 left of `band`, else colour 1.
    pub(crate) band: f32,
    pub(crate) band_wobble: f32,
    pub(crate) band_freq: f32,
    /// A region drawn in reversed polarity, if any.
    pub(crate) inverse: Option<Inverse>,
}

/// A vertical band with wavy sides where the background is dark and the
/// ink light: a person reads through a polarity change without effort, a
/// global threshold (the first step of most OCR pipelines) turns it into a
/// blob with holes.
pub(crate) struct Inverse {
    /// Centre x of the band at `y = 0`.
    pub(crate) centre: f32,
    pub(crate) half_width: f32,
    /// The band's centre moves by `wobble * sin(y * freq + phase)`.
    pub(crate) wobble: f32,
    pub(crate) freq: f32,
    pub(crate) phase: f32,
    pub(crate) dark: Rgb,
    pub(crate) light: Rgb,
}

/// Draws the answer and lays out its scene.
pub(crate) fn compose<R: RngCore + ?Sized>(config: &Config, rng: &mut R) -> (String, Scene) {
    let mut d = Draw::new(rng);
    let answer: String = (0..config.length)
        .map(|_| char::from(b'0' + d.below(10) as u8))
        .collect();
    let k = knobs(config.difficulty);
    let w = f32::from(config.width);
    let h = f32::from(config.height);

    // Glyph height: about 60% of the canvas, a little different per image.
    let mut gh = h * d.range(0.56, 0.64);
    let mut ink = Ink::default();
    let mut boxes: Vec<(f32, f32)> = Vec::with_capacity(answer.len());
    let mut cursor = f32::MIN;
    let mut prev_box = (0.0f32, 0.0f32);
    let mut prev_hollow = false;
    // Ink extent per row of one logical pixel, rows centred on the line.
    let band = (gh * 1.6) as usize;
    let mut left_edge = vec![f32::MAX; 2 * band];
    let mut right_edge = vec![f32::MIN; 2 * band];
    let mut glyph_right = vec![f32::MIN; 2 * band];
    for (i, c) in answer.bytes().enumerate() {
        let font = FONTS[d.below(FONTS.len() as u32) as usize];
        let glyph = &font.digits[usize::from(c - b'0')];
        let size = gh / 1000.0 * (1.0 + d.sym(k.size));
        let sx = size * (1.0 + d.sym(k.stretch));
        let sy = size;
        let slant = d.sym(k.slant);
        let angle = d.sym(k.rotate);
        let (sa, ca) = (sin(angle), cos(angle));
        let lift = d.sym(k.baseline) * gh;
        let weight = d.range(k.weight.0, k.weight.1);
        let cx = f32::from(glyph.width) * 0.5;
        let cy = (f32::from(glyph.y_min) + f32::from(glyph.y_max)) * 0.5;
        let start = ink.points.len();
        let first_poly = ink.ends.len();
        // Centre, scale, slant, flip y, rotate: the glyph's own frame, with
        // its centre at the origin.
        let place = |[x, y]: [f32; 2]| {
            let (x, y) = ((x - cx) * sx, (y - cy) * sy);
            let (x, y) = (x + slant * y, -y);
            [x * ca - y * sa, x * sa + y * ca + lift]
        };
        // Outline digits: trivial for a person, and a stroke-width or
        // filled-blob model sees two thin strokes instead of one. Never two
        // in a row: overlapping outlines become a tangle people misread.
        let hollow = d.unit() < k.hollow && !prev_hollow;
        prev_hollow = hollow;
        if hollow {
            ink.push_hollow_glyph(glyph, weight + 25.0, d.range(85.0, 105.0), place);
        } else {
            ink.push_glyph(glyph, weight, place);
        }
        // Place the glyph by its ink, row by row: its left edge in each row
        // sits `gap` from the right edge of the ink already laid in that row
        // (negative gaps overlap), so glyphs touch by a controlled amount
        // whatever their rotation, instead of by their bounding boxes.
        left_edge.fill(f32::MAX);
        glyph_right.fill(f32::MIN);
        profile(
            &ink.points[start..],
            &ink.ends[first_poly..],
            start,
            band,
            &mut left_edge,
            &mut glyph_right,
        );
        let (mut lo, mut hi) = (f32::MAX, f32::MIN);
        for p in &ink.points[start..] {
            lo = lo.min(p[0]);
            hi = hi.max(p[0]);
        }
        let mut dx = 0.0f32;
        if i > 0 {
            let gap = d.range(k.gap.0, k.gap.1) * gh;
            let mut shift = f32::MIN;
            for (r, l) in right_edge.iter().zip(&left_edge) {
                if *r > f32::MIN && *l < f32::MAX {
                    shift = shift.max(r - l + gap);
                }
            }
            // Rotated neighbours can interleave (a 2 under the bar of a 7)
            // while keeping the gap in every row; bounding boxes may
            // overlap by at most 8% of the narrower glyph.
            let limit = 0.08 * (hi - lo).min(prev_box.1 - prev_box.0);
            dx = shift.max(prev_box.1 - limit - lo);
        }
        for p in &mut ink.points[start..] {
            p[0] += dx;
        }
        for (e, g) in right_edge.iter_mut().zip(&glyph_right) {
            if *g > f32::MIN {
                *e = e.max(g + dx);
            }
        }
        prev_box = (lo + dx, hi + dx);
        boxes.push(prev_box);
        cursor = cursor.max(hi + dx);
    }

    // Fit the line into the canvas, shrinking it if it is too long or too
    // tall, and place it with a random margin split. The margins leave room
    // for the warp below (at most its amplitude plus the ripple), so no
    // glyph is ever cut by the border.
    let margin_x = h * k.warp * 0.6 + k.ripple + 1.0;
    let margin_y = h * k.warp + k.ripple + 1.0;
    let text_l0 = boxes[0].0;
    let text_w = cursor - text_l0;
    let (mut top, mut bottom) = (f32::MAX, f32::MIN);
    for p in &ink.points {
        top = top.min(p[1]);
        bottom = bottom.max(p[1]);
    }
    let room_x = w - 2.0 * margin_x;
    let room_y = h - 2.0 * margin_y;
    let fit = (room_x / text_w).min(room_y / (bottom - top)).min(1.0);
    gh *= fit;
    let left = margin_x + (room_x - text_w * fit) * d.range(0.25, 0.75);
    let mid = margin_y - top * fit + (room_y - (bottom - top) * fit) * d.range(0.3, 0.7);
    ink.map(|[x, y]| [left + (x - text_l0) * fit, mid + y * fit]);
    for b in &mut boxes {
        *b = (left + (b.0 - text_l0) * fit, left + (b.1 - text_l0) * fit);
    }
    let (text_l, text_r) = (boxes[0].0, boxes[boxes.len() - 1].1);

    // Interference: long curves across the line and short arcs through it,
    // as thick as a thin digit stroke, drawn into the same ink.
    let curves = k.curves.0 + d.below(k.curves.1 - k.curves.0 + 1);
    let mut line = Vec::with_capacity(64);
    for _ in 0..curves {
        let x0 = d.range(0.0, text_l.max(1.0));
        let x1 = d.range(text_r.min(w - 1.0), w);
        let amp = gh * d.range(0.15, 0.4);
        let freq = core::f32::consts::TAU / (w * d.range(0.5, 1.1));
        let phase = d.range(0.0, core::f32::consts::TAU);
        let y0 = mid + d.sym(gh * 0.3);
        let tilt = d.sym(gh * 0.6) / w;
        line.clear();
        let steps = ((x1 - x0) / 8.0).max(2.0) as usize;
        for s in 0..=steps {
            let x = x0 + (x1 - x0) * s as f32 / steps as f32;
            line.push([x, y0 + amp * sin(x * freq + phase) + tilt * (x - w * 0.5)]);
        }
        ink.push_stroke(&line, gh * d.range(k.stroke.0, k.stroke.1));
    }
    let arcs = k.arcs.0 + d.below(k.arcs.1 - k.arcs.0 + 1);
    for _ in 0..arcs {
        // An arc of a digit-sized ellipse, centred near a random glyph, so
        // it reads as a stray bowl or stem to a model and as clutter to a
        // person.
        let (bl, br) = boxes[d.below(boxes.len() as u32) as usize];
        let cx = d.range(bl, br);
        let cy = mid + d.sym(gh * 0.35);
        let (rx, ry) = (gh * d.range(0.2, 0.35), gh * d.range(0.25, 0.45));
        let a0 = d.range(0.0, core::f32::consts::TAU);
        let sweep = d.range(1.2, 2.6);
        line.clear();
        for s in 0..=12 {
            let a = a0 + sweep * s as f32 / 12.0;
            line.push([cx + rx * cos(a), cy + ry * sin(a)]);
        }
        ink.push_stroke(&line, gh * d.range(k.stroke.0, k.stroke.1));
    }

    // The smooth warp of the whole line plus a finer ripple that changes
    // glyph shapes locally.
    let tau = core::f32::consts::TAU;
    let (ax, fy, py) = (
        h * k.warp * 0.6,
        tau / (h * d.range(1.0, 2.0)),
        d.range(0.0, tau),
    );
    let (ay, fx, px) = (h * k.warp, tau / (w * d.range(0.6, 1.2)), d.range(0.0, tau));
    let (rx, ry) = (k.ripple * d.range(0.5, 1.0), k.ripple * d.range(0.5, 1.0));
    let (rfx, rfy) = (
        tau / (gh * d.range(0.5, 0.9)),
        tau / (gh * d.range(0.5, 0.9)),
    );
    let (rpx, rpy) = (d.range(0.0, tau), d.range(0.0, tau));
    let shift_x = Wave::new(h, [(ax, fy, py), (rx, rfy, rpy)]);
    let shift_y = Wave::new(w, [(ay, fx, px), (ry, rfx, rpx)]);
    ink.map(|[x, y]| [x + shift_x.at(y), y + shift_y.at(x)]);

    let count = (k.speckles * w * h / 100.0) as usize;
    let mut speckles = Vec::with_capacity(count);
    for _ in 0..count {
        speckles.push(Speckle {
            x: d.range(0.0, w),
            y: d.range(0.0, h),
            radius: d.range(0.7, 1.9),
            tone: d.below(2) as u8,
        });
    }

    // Colours: a light background, two slightly darker tones for speckles,
    // two dark ink colours of unrelated hues.
    let bg_hue = d.range(0.0, 1.0);
    let background = hsl(bg_hue, d.range(0.2, 0.6), d.range(0.90, 0.96));
    let tones = [
        hsl(bg_hue + d.sym(0.15), d.range(0.2, 0.5), d.range(0.74, 0.84)),
        hsl(d.range(0.0, 1.0), d.range(0.2, 0.5), d.range(0.68, 0.80)),
    ];
    let base_hue = d.range(0.0, 1.0);
    let mut text = [[0; 3]; 2];
    for (i, t) in text.iter_mut().enumerate() {
        *t = hsl(
            base_hue + i as f32 * d.range(0.25, 0.75),
            d.range(0.45, 0.85),
            d.range(0.16, 0.32),
        );
    }
    let inverse = if d.unit() < k.invert {
        // Centred on an inner glyph (so it splits the line rather than
        // trimming an end), one to two glyphs wide.
        let (bl, br) = boxes[1 + d.below(boxes.len() as u32 - 2) as usize];
        let hue = d.range(0.0, 1.0);
        Some(Inverse {
            centre: (bl + br) * 0.5 + d.sym(0.3 * (br - bl)),
            half_width: (br - bl) * d.range(0.6, 1.1),
            wobble: gh * d.range(0.05, 0.2),
            freq: tau / (h * d.range(1.0, 2.0)),
            phase: d.range(0.0, tau),
            dark: hsl(hue, d.range(0.3, 0.7), d.range(0.18, 0.28)),
            light: hsl(hue + 0.5, d.range(0.2, 0.6), d.range(0.88, 0.96)),
        })
    } else {
        None
    };
    let scene = Scene {
        ink,
        speckles,
        background,
        tones,
        text,
        band: d.range(0.3, 0.7) * w,
        band_wobble: d.range(0.0, 0.1) * w,
        band_freq: tau / (h * d.range(0.8, 2.0)),
        inverse,
    };
    (answer, scene)
}

/// A sum of two sines, `a * sin(t * f + p)` each, tabulated at whole
/// pixels over `0..=len` and interpolated linearly in between (exact beyond).
/// The warp moves a few hundred points per captcha; a table of one entry
/// per pixel costs a fraction of the sines, and with wavelengths of several
/// pixels the interpolation error stays below a twentieth of a pixel.
struct Wave {
    terms: [(f32, f32, f32); 2],
    table: Vec<f32>,
}

impl Wave {
    fn new(len: f32, terms: [(f32, f32, f32); 2]) -> Wave {
        let exact = |t: f32| {
            terms
                .iter()
                .map(|&(a, f, p)| a * sin(t * f + p))
                .sum::<f32>()
        };
        let table = (0..=len as usize + 1).map(|i| exact(i as f32)).collect();
        Wave { terms, table }
    }

    #[inline]
    fn at(&self, t: f32) -> f32 {
        if t >= 0.0 {
            // Truncation is floor for t >= 0.
            let i = t as usize;
            if let Some(&[v0, v1]) = self.table.get(i..i + 2) {
                return v0 + (v1 - v0) * (t - i as f32);
            }
        }
        self.terms.iter().map(|&(a, f, p)| a * sin(t * f + p)).sum()
    }
}

/// The ink extent of the polygons (`ends` are absolute indices, `points`
/// starts at `offset`) per row of a band of `2 * band` rows centred on
/// y = 0: the least x into `left` and the greatest into `right`, sampling
/// every edge at each row centre.
fn profile(
    points: &[[f32; 2]],
    ends: &[usize],
    offset: usize,
    band: usize,
    left: &mut [f32],
    right: &mut [f32],
) {
    let mut start = 0;
    for &end in ends {
        let poly = &points[start..end - offset];
        start = end - offset;
        let Some(&last) = poly.last() else { continue };
        let mut a = last;
        for &b in poly {
            let (y0, y1) = if a[1] < b[1] {
                (a[1], b[1])
            } else {
                (b[1], a[1])
            };
            // Rows whose centre (r + 0.5 - band) lies in [y0, y1).
            let r0 = ceil(y0 + band as f32 - 0.5).max(0.0) as usize;
            let r1 = (ceil(y1 + band as f32 - 0.5).max(0.0) as usize).min(left.len());
            let r0 = r0.min(r1);
            let dxdy = (b[0] - a[0]) / (b[1] - a[1]);
            for (r, (l, g)) in left[r0..r1].iter_mut().zip(&mut right[r0..r1]).enumerate() {
                let y = (r0 + r) as f32 + 0.5 - band as f32;
                let x = a[0] + (y - a[1]) * dxdy;
                *l = l.min(x);
                *g = g.max(x);
            }
            a = b;
        }
    }
}

/// HSL (each in 0..1, hue wrapping) to RGB.
fn hsl(hue: f32, sat: f32, light: f32) -> Rgb {
    let hue = hue - floor(hue);
    let c = (1.0 - (2.0 * light - 1.0).abs()) * sat;
    let hp = hue * 6.0;
    let x = c * (1.0 - ((hp % 2.0) - 1.0).abs());
    let (r, g, b) = match hp as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = light - c * 0.5;
    let to8 = |v: f32| ((v + m).clamp(0.0, 1.0) * 255.0 + 0.5) as u8;
    [to8(r), to8(g), to8(b)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hsl_matches_known_colours() {
        assert_eq!(hsl(0.0, 1.0, 0.5), [255, 0, 0]);
        assert_eq!(hsl(1.0 / 3.0, 1.0, 0.5), [0, 255, 0]);
        assert_eq!(hsl(2.0 / 3.0, 1.0, 0.5), [0, 0, 255]);
        assert_eq!(hsl(0.5, 0.0, 0.5), [128, 128, 128]);
        assert_eq!(hsl(1.5, 1.0, 0.25), [0, 128, 128]);
    }
}
