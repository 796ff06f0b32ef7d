//! From scene to PNG: rasterise the ink, quantise to a 16-colour palette,
//! encode as a 4-bit indexed PNG.
//!
//! Why 16 colours: a background, two speckle tones, two ink colours at four
//! coverage levels each, and a reversed-polarity background with its light
//! ink at four levels is all the picture has; 4-bit pixels with long runs of
//! background deflate to about 2 KB at 160x60.

use super::raster::Canvas;
use super::rng::sin;
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
        poly.clear();
        poly.extend(p.iter().map(|&[x, y]| [x * s, y * s]));
        canvas.fill_polygon(&poly);
    }

    // Ink colour per pixel, from the wobbling colour split, and the span of
    // the reversed band in each row.
    let mut index = vec![BACKGROUND; pw * ph];
    let mut rows = Vec::with_capacity(ph);
    for y in 0..ph {
        let ly = (y as f32 + 0.5) / s;
        let shift = scene.band_wobble * sin(ly * scene.band_freq);
        let inv = scene.inverse.as_ref().map_or((f32::MAX, f32::MIN), |v| {
            let c = v.centre + v.wobble * sin(ly * v.freq + v.phase);
            (c - v.half_width, c + v.half_width)
        });
        rows.push((shift, inv));
    }
    for (i, cov) in canvas.coverage().enumerate() {
        let level = ((cov * LEVELS as f32 + 0.5) as usize).min(LEVELS);
        let (x, y) = (i % pw, i / pw);
        let lx = (x as f32 + 0.5) / s;
        let (shift, (inv_lo, inv_hi)) = rows[y];
        if lx >= inv_lo && lx < inv_hi {
            index[i] = if level == 0 {
                INV_BACKGROUND
            } else {
                INV_INK + (level - 1) as u8
            };
        } else if level > 0 {
            let colour = usize::from(lx + shift >= scene.band);
            index[i] = INK + (colour * LEVELS + level - 1) as u8;
        }
    }

    // Speckles go under the ink: only background pixels take them.
    for sp in &scene.speckles {
        let (cx, cy, r) = (sp.x * s, sp.y * s, sp.radius * s);
        let x0 = (cx - r).max(0.0) as usize;
        let x1 = ((cx + r).ceil() as usize).min(pw);
        let y0 = (cy - r).max(0.0) as usize;
        let y1 = ((cy + r).ceil() as usize).min(ph);
        for y in y0..y1 {
            for x in x0..x1 {
                let (dx, dy) = (x as f32 + 0.5 - cx, y as f32 + 0.5 - cy);
                let px = &mut index[y * pw + x];
                if dx * dx + dy * dy <= r * r && *px == BACKGROUND {
                    *px = TONE + sp.tone;
                }
            }
        }
    }

    encode_png(&index, pw, ph, &palette(scene))
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
        for (pair, byte) in row.chunks(2).zip(out.iter_mut()) {
            *byte = (pair[0] << 4) | pair.get(1).copied().unwrap_or(0);
        }
    }
    let flat: Vec<u8> = palette.iter().flatten().copied().collect();
    let mut png = Vec::with_capacity(4096);
    let mut enc = png::Encoder::new(&mut png, width as u32, height as u32);
    enc.set_color(png::ColorType::Indexed);
    enc.set_depth(png::BitDepth::Four);
    enc.set_palette(flat);
    enc.set_compression(png::Compression::Default);
    enc.set_filter(png::FilterType::NoFilter);
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
