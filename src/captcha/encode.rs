//! From scene to PNG: rasterise the ink, quantise to a 16-colour palette,
//! encode as a 4-bit indexed PNG.
//!
//! Why 16 colours: a background, two speckle tones and three ink colours at
//! four coverage levels each is all the picture has, and 4-bit pixels with
//! long runs of background deflate to about 3 KB at 160x60.

use super::raster::Canvas;
use super::scene::{Rgb, Scene};

/// Coverage levels per ink colour (level 0 is the background).
const LEVELS: usize = 4;
/// Palette layout: background, two tones, then ink colour c at level l
/// (1..=LEVELS) at index `INK + c * LEVELS + l - 1`.
const BACKGROUND: u8 = 0;
const TONE: u8 = 1;
const INK: u8 = 3;

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

    // Ink colour per pixel, from the wobbling vertical bands.
    let mut index = vec![BACKGROUND; pw * ph];
    let mut band_shift = Vec::with_capacity(ph);
    for y in 0..ph {
        band_shift
            .push(scene.band_wobble * super::rng::sin((y as f32 + 0.5) / s * scene.band_freq));
    }
    for (i, cov) in canvas.coverage().enumerate() {
        let level = (cov * LEVELS as f32 + 0.5) as usize;
        if level == 0 {
            continue;
        }
        let (x, y) = (i % pw, i / pw);
        let bx = (x as f32 + 0.5) / s + band_shift[y];
        let colour = usize::from(bx >= scene.bands[0]) + usize::from(bx >= scene.bands[1]);
        index[i] = INK + (colour * LEVELS + level.min(LEVELS) - 1) as u8;
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
    let mut pal = [scene.background; 16];
    pal[usize::from(TONE)] = scene.tones[0];
    pal[usize::from(TONE) + 1] = scene.tones[1];
    for (c, ink) in scene.text.iter().enumerate() {
        for l in 1..=LEVELS {
            let t = l as f32 / LEVELS as f32;
            let mix = |i: usize| {
                (f32::from(scene.background[i]) * (1.0 - t) + f32::from(ink[i]) * t + 0.5) as u8
            };
            pal[usize::from(INK) + c * LEVELS + l - 1] = [mix(0), mix(1), mix(2)];
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
