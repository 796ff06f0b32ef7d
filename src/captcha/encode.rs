//! From scene to PNG: rasterise the ink, quantise to a 16-colour palette,
//! encode as a 4-bit indexed PNG.
//!
//! Why 16 colours: a background, two speckle tones, two ink colours at four
//! coverage levels each, and a reversed-polarity background with its light
//! ink at four levels is all the picture has; 4-bit pixels with long runs of
//! background deflate to about 2 KB at 160x60.

use super::raster::Canvas;
use super::rng::{ceil, sin};
use super::scene::{Rgb, Scene};

/// Coverage levels per ink colour (level 0 is the background).
const LEVELS: usize = 4;
/// Palette layout: background, two tones, then ink colour c at level l
/// (1..=LEVELS) at index `INK + c * LEVELS + l - 1`, then the reversed
/// background and its ink at level l at `INV_INK + l - 1`.
const BACKGROUND: u8 = 0;
const TONE: u8 = 1;
const INK: u8 = 3;
const INV_BACKGROUND: u8 = INK + 2 * LEVELS as u8;
const INV_INK: u8 = INV_BACKGROUND + 1;

/// Renders `scene` at `scale` into a `width` x `height` (logical) PNG.
///
/// Allocates the canvas, the index buffer and the PNG once each; the canvas
/// size is bounded by [`Config::MAX_SIZE`](super::Config::MAX_SIZE) times the
/// maximum scale.
pub(crate) fn render(scene: &Scene, width: u32, height: u32, scale: u32) -> Vec<u8> {
    let (pw, ph) = ((width * scale) as usize, (height * scale) as usize);
    let s = scale as f32;
    let mut canvas = Canvas::new(pw, ph);
    let mut poly = Vec::with_capacity(256);
    for p in scene.ink.polygons() {
        if scale == 1 {
            canvas.fill_polygon(p);
        } else {
            poly.clear();
            poly.extend(p.iter().map(|&[x, y]| [x * s, y * s]));
            canvas.fill_polygon(&poly);
        }
    }

    // Palette index per pixel: coverage level through a lookup table chosen
    // by where the pixel lies (left or right of the wobbling colour split,
    // inside or outside the reversed band). Pixel x has its centre at
    // logical x (x + 0.5) / s, so a logical boundary b falls before pixel
    // ceil(b * s - 0.5).
    // Eight entries so `level & 7` indexes without a bounds check.
    let mut luts = [[BACKGROUND; 8]; 3];
    for (l, level) in (1..=LEVELS).zip(0u8..) {
        luts[0][l] = INK + level;
        luts[1][l] = INK + LEVELS as u8 + level;
        luts[2][l] = INV_INK + level;
    }
    luts[2][0] = INV_BACKGROUND;
    let boundary = |b: f32| ceil((b * s - 0.5).clamp(0.0, pw as f32)) as usize;
    let mut index = vec![BACKGROUND; pw * ph];
    for (y, (cells, out)) in canvas.rows().zip(index.chunks_exact_mut(pw)).enumerate() {
        let ly = (y as f32 + 0.5) / s;
        let split = boundary(scene.band - scene.band_wobble * sin(ly * scene.band_freq));
        let (inv_lo, inv_hi) = scene.inverse.as_ref().map_or((pw, pw), |v| {
            let c = v.centre + v.wobble * sin(ly * v.freq + v.phase);
            (boundary(c - v.half_width), boundary(c + v.half_width))
        });
        // The running sum in 16.16 fixed point: an integer add has a
        // quarter of the latency of a float add, and this sum is a chain
        // through every pixel of the row.
        let mut sum = 0i32;
        let mut x = 0;
        for (end, lut) in runs(split, inv_lo, inv_hi, pw) {
            let lut = &luts[lut];
            let Some(cells) = cells else {
                out[x..end].fill(lut[0]);
                x = end;
                continue;
            };
            for (cell, px) in cells[x..end].iter().zip(&mut out[x..end]) {
                sum += (cell * 65536.0) as i32;
                // Coverage capped at 1 makes the level at most LEVELS.
                let cov = sum.unsigned_abs().min(65536) as usize;
                *px = lut[((cov * LEVELS + 32768) >> 16) & 7];
            }
            x = end;
        }
    }

    // Speckles go under the ink: only background pixels take them. Each is
    // a disc, drawn from its bounding square.
    for sp in &scene.speckles {
        let (cx, cy, r) = (sp.x * s, sp.y * s, sp.radius * s);
        let x0 = (cx - r).max(0.0) as usize;
        let x1 = (ceil(cx + r) as usize).min(pw);
        let y0 = (cy - r).max(0.0) as usize;
        let y1 = (ceil(cy + r) as usize).min(ph);
        let tone = TONE + sp.tone;
        for y in y0..y1 {
            let dy = y as f32 + 0.5 - cy;
            let reach = r * r - dy * dy;
            for (x, px) in index[y * pw + x0..y * pw + x1].iter_mut().enumerate() {
                let dx = (x0 + x) as f32 + 0.5 - cx;
                if dx * dx <= reach && *px == BACKGROUND {
                    *px = tone;
                }
            }
        }
    }

    encode_png(&index, pw, ph, &palette(scene))
}

/// The runs of one row as (end, lookup table): table 0 left of `split`,
/// table 1 from `split` on, table 2 inside `[inv_lo, inv_hi)`, which
/// overrides both. Needs `inv_lo <= inv_hi` and every bound at most `width`;
/// then the ends never decrease and the last is `width`.
fn runs(split: usize, inv_lo: usize, inv_hi: usize, width: usize) -> [(usize, usize); 5] {
    [
        (split.min(inv_lo), 0),
        (inv_lo, 1),
        (inv_hi, 2),
        (split.max(inv_hi), 0),
        (width, 1),
    ]
}

fn palette(scene: &Scene) -> [Rgb; 16] {
    let mix = |from: Rgb, to: Rgb, level: usize| {
        let t = level as f32 / LEVELS as f32;
        let c = |i: usize| (f32::from(from[i]) * (1.0 - t) + f32::from(to[i]) * t + 0.5) as u8;
        [c(0), c(1), c(2)]
    };
    let mut pal = [scene.background; 16];
    pal[usize::from(TONE)] = scene.tones[0];
    pal[usize::from(TONE) + 1] = scene.tones[1];
    for (c, ink) in scene.text.iter().enumerate() {
        for l in 1..=LEVELS {
            pal[usize::from(INK) + c * LEVELS + l - 1] = mix(scene.background, *ink, l);
        }
    }
    if let Some(inv) = &scene.inverse {
        pal[usize::from(INV_BACKGROUND)] = inv.dark;
        for l in 1..=LEVELS {
            pal[usize::from(INV_INK) + l - 1] = mix(inv.dark, inv.light, l);
        }
    }
    pal
}

fn encode_png(index: &[u8], width: usize, height: usize, palette: &[Rgb; 16]) -> Vec<u8> {
    // Two pixels per byte, high nibble first, rows padded to whole bytes.
    let row_bytes = width.div_ceil(2);
    let mut packed = vec![0u8; row_bytes * height];
    for (row, out) in index
        .chunks_exact(width)
        .zip(packed.chunks_exact_mut(row_bytes))
    {
        let pairs = row.chunks_exact(2);
        if let [last] = pairs.remainder() {
            out[row_bytes - 1] = last << 4;
        }
        for (pair, byte) in pairs.zip(out.iter_mut()) {
            *byte = (pair[0] << 4) | pair[1];
        }
    }
    let flat: Vec<u8> = palette.iter().flatten().copied().collect();
    let mut png = Vec::with_capacity(4096);
    let mut enc = png::Encoder::new(&mut png, width as u32, height as u32);
    enc.set_color(png::ColorType::Indexed);
    enc.set_depth(png::BitDepth::Four);
    enc.set_palette(flat);
    enc.set_compression(png::Compression::Fast);
    enc.set_filter(png::FilterType::Up);
    enc.set_adaptive_filter(png::AdaptiveFilterType::NonAdaptive);
    // Writing into a Vec cannot fail for I/O reasons, and the header and
    // data sizes are consistent by construction (width, height, depth).
    let mut writer = enc.write_header().expect("PNG header for a valid size");
    writer
        .write_image_data(&packed)
        .expect("PNG data of the declared size");
    writer.finish().expect("PNG into memory");
    png
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runs_pick_the_same_table_as_the_per_pixel_rule() {
        let width = 12;
        for split in 0..=width {
            for inv_lo in 0..=width {
                for inv_hi in inv_lo..=width {
                    let mut got = Vec::new();
                    let mut x = 0;
                    for (end, lut) in runs(split, inv_lo, inv_hi, width) {
                        assert!(end >= x, "ends never decrease");
                        got.extend(std::iter::repeat(lut).take(end - x));
                        x = end;
                    }
                    let want: Vec<usize> = (0..width)
                        .map(|x| {
                            if (inv_lo..inv_hi).contains(&x) {
                                2
                            } else {
                                usize::from(x >= split)
                            }
                        })
                        .collect();
                    assert_eq!(got, want, "split {split} band {inv_lo}..{inv_hi}");
                }
            }
        }
    }
}
