//! Golden images: seeded renders compared with the PNGs under `tests/golden/`.
//!
//! A deliberate change of the renderer changes these pictures. Look at the
//! new ones, then rewrite the references with
//! `REPLACE=1 cargo test -p resetflow --test captcha_golden`; that run fails
//! on purpose so it can never pass silently. The comparison allows small
//! differences (one coverage level on a few edge pixels), not a different
//! picture.

use std::path::PathBuf;

use resetflow::captcha::{self, Config, Difficulty};

/// (file name, config, seed). Each case pins one knob.
fn cases() -> Vec<(&'static str, Config, u64)> {
    let b = Config::builder;
    vec![
        ("normal-6-seed1.png", Config::default(), 1),
        (
            "easy-6-seed2.png",
            b().difficulty(Difficulty::Easy).build().unwrap(),
            2,
        ),
        (
            "hard-6-seed3.png",
            b().difficulty(Difficulty::Hard).build().unwrap(),
            3,
        ),
        ("normal-4-seed4.png", b().length(4).build().unwrap(), 4),
        (
            "normal-8-2x-seed5.png",
            b().length(8).size(200, 60).scale(2).build().unwrap(),
            5,
        ),
    ]
}

fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut dec = png::Decoder::new(bytes);
    dec.set_transformations(png::Transformations::EXPAND);
    let mut reader = dec.read_info().expect("valid PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("valid PNG data");
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

#[test]
fn seeded_renders_match_the_golden_images() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let replace = std::env::var_os("REPLACE").is_some_and(|v| v == "1");
    let mut failures = Vec::new();
    for (name, config, seed) in cases() {
        let c = captcha::generate_seeded(&config, seed);
        let path = dir.join(name);
        if replace {
            std::fs::write(&path, c.png()).unwrap();
            failures.push(format!("{name}: rewritten"));
            continue;
        }
        let golden = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (gw, gh, gpx) = decode(&golden);
        let (w, h, px) = decode(c.png());
        if (gw, gh) != (w, h) {
            failures.push(format!("{name}: size {w}x{h}, golden {gw}x{gh}"));
            continue;
        }
        // A pixel differs when any channel moves by more than 48 (more than
        // one coverage step of the palette); allow 0.5% of them.
        let differing = gpx
            .chunks_exact(3)
            .zip(px.chunks_exact(3))
            .filter(|(a, b)| a.iter().zip(b.iter()).any(|(x, y)| x.abs_diff(*y) > 48))
            .count();
        let allowed = (w * h) as usize / 200;
        if differing > allowed {
            failures.push(format!(
                "{name}: {differing} pixels differ (allowed {allowed})"
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n(REPLACE=1 rewrites the references and always fails)",
        failures.join("\n")
    );
}
