//! Properties of the captcha engine, seen from outside the crate.

use resetflow::captcha::{self, Config, ConfigError, Difficulty};

/// Decodes a PNG into (width, height, RGB pixels).
fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let mut dec = png::Decoder::new(png_bytes);
    dec.set_transformations(png::Transformations::EXPAND);
    let mut reader = dec.read_info().expect("valid PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("valid PNG data");
    assert_eq!(
        info.color_type,
        png::ColorType::Rgb,
        "palette expands to RGB"
    );
    let px = buf[..info.buffer_size()]
        .chunks_exact(3)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    (info.width, info.height, px)
}

fn luma(p: [u8; 3]) -> f32 {
    0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])
}

#[test]
fn answers_are_digits_of_the_configured_length() {
    for length in 4..=8 {
        for difficulty in Difficulty::ALL {
            let config = Config::builder()
                .length(length)
                .difficulty(difficulty)
                .build()
                .unwrap();
            for seed in 0..20 {
                let c = captcha::generate_seeded(&config, seed);
                assert_eq!(c.answer().len(), length);
                assert!(c.answer().bytes().all(|b| b.is_ascii_digit()), "{seed}");
            }
        }
    }
}

#[test]
fn every_digit_appears_about_equally_often_in_every_position() {
    let config = Config::default();
    let mut counts = [[0u32; 10]; 6];
    for seed in 0..600 {
        let c = captcha::generate_seeded(&config, seed);
        for (pos, b) in c.answer().bytes().enumerate() {
            counts[pos][usize::from(b - b'0')] += 1;
        }
    }
    // 60 expected per cell; a binomial sd is about 7.3, so 27..94 is
    // beyond 4.5 sd either way, while a stuck or skewed digit falls outside.
    for (pos, row) in counts.iter().enumerate() {
        assert!(
            row.iter().all(|&n| (27..94).contains(&n)),
            "position {pos}: {row:?}"
        );
    }
}

#[test]
fn invalid_configs_are_rejected_with_stable_codes() {
    let b = Config::builder;
    let cases: [(Result<Config, ConfigError>, &str); 11] = [
        (b().length(3).build(), "captcha.length"),
        (b().length(9).build(), "captcha.length"),
        (b().length(0).build(), "captcha.length"),
        (b().size(79, 60).build(), "captcha.size"),
        (b().size(160, 29).build(), "captcha.size"),
        (b().size(641, 60).build(), "captcha.size"),
        (b().size(160, 241).build(), "captcha.size"),
        // 8 digits need 128 logical pixels.
        (b().length(8).size(127, 60).build(), "captcha.size"),
        (b().scale(0).build(), "captcha.scale"),
        (b().scale(4).build(), "captcha.scale"),
        (
            Difficulty::parse("extreme").map(|_| Config::default()),
            "captcha.difficulty",
        ),
    ];
    for (i, (result, code)) in cases.into_iter().enumerate() {
        let err = result.expect_err(code);
        assert_eq!(err.code(), code, "case {i}");
        assert!(!err.to_string().is_empty());
    }
    assert!(b().length(8).size(128, 60).build().is_ok());
    assert!(b().length(4).size(80, 30).scale(3).build().is_ok());
    assert!(b().size(640, 240).build().is_ok());
    for d in Difficulty::ALL {
        assert_eq!(Difficulty::parse(d.as_str()), Ok(d));
    }
}

#[test]
fn the_same_seed_gives_identical_bytes_and_different_seeds_differ() {
    let config = Config::default();
    let a = captcha::generate_seeded(&config, 42);
    let b = captcha::generate_seeded(&config, 42);
    assert_eq!(a.answer(), b.answer());
    assert_eq!(a.png(), b.png());
    let mut answers = std::collections::HashSet::new();
    let mut images = std::collections::HashSet::new();
    for seed in 0..100 {
        let c = captcha::generate_seeded(&config, seed);
        answers.insert(c.answer().to_owned());
        images.insert(c.png().to_vec());
    }
    // A collision among 100 six-digit answers has a chance of about 0.5%.
    assert!(answers.len() >= 99, "{} distinct answers", answers.len());
    assert_eq!(images.len(), 100);
}

#[test]
fn os_randomness_gives_fresh_captchas() {
    let config = Config::default();
    let a = captcha::generate_random(&config);
    let b = captcha::generate_random(&config);
    assert_ne!(a.png(), b.png());
}

#[test]
fn png_has_the_declared_size_and_the_ink_is_visible() {
    for (w, h) in [(160, 60), (80, 30), (240, 80), (640, 240)] {
        for difficulty in Difficulty::ALL {
            let config = Config::builder()
                .length(4)
                .size(w, h)
                .difficulty(difficulty)
                .build()
                .unwrap();
            for seed in 0..5 {
                let c = captcha::generate_seeded(&config, seed);
                let (pw, ph, px) = decode(c.png());
                assert_eq!((pw, ph), (w, h));
                assert_eq!((c.width(), c.height()), (w, h));
                // Dark ink against a light background: enough of it to carry
                // four digits, not so much that it is a blot.
                let dark = px.iter().filter(|&&p| luma(p) < 110.0).count() as f32 / px.len() as f32;
                assert!(
                    (0.06..0.45).contains(&dark),
                    "{w}x{h} {difficulty:?} seed {seed}: {dark}"
                );
            }
        }
    }
}

#[test]
fn twice_the_scale_is_the_same_picture_with_twice_the_pixels() {
    let one = Config::default();
    let two = Config::builder().scale(2).build().unwrap();
    for seed in 0..10 {
        let a = captcha::generate_seeded(&one, seed);
        let b = captcha::generate_seeded(&two, seed);
        assert_eq!(a.answer(), b.answer());
        let (w1, h1, p1) = decode(a.png());
        let (w2, h2, p2) = decode(b.png());
        assert_eq!((w2, h2), (2 * w1, 2 * h1));
        assert_eq!((b.width(), b.height()), (320, 120));
        // Average each 2x2 block of the large image: it should match the
        // small one except for anti-aliasing along edges and speckles.
        let mut diff = 0.0;
        for y in 0..h1 as usize {
            for x in 0..w1 as usize {
                let at = |dx: usize, dy: usize| luma(p2[(2 * y + dy) * w2 as usize + 2 * x + dx]);
                let block = (at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1)) / 4.0;
                diff += (block - luma(p1[y * w1 as usize + x])).abs();
            }
        }
        let mean = diff / (w1 * h1) as f32;
        assert!(mean < 12.0, "seed {seed}: mean luma difference {mean}");
    }
}

#[test]
fn median_png_is_under_4_kib() {
    let config = Config::default();
    let mut sizes: Vec<usize> = (0..200)
        .map(|s| captcha::generate_seeded(&config, s).png().len())
        .collect();
    sizes.sort_unstable();
    let median = sizes[100];
    println!(
        "PNG bytes over 200 default captchas: median {median}, max {}",
        sizes[199]
    );
    assert!(median <= 4096, "median {median}");
    let two = Config::builder().scale(2).build().unwrap();
    let mut sizes: Vec<usize> = (0..50)
        .map(|s| captcha::generate_seeded(&two, s).png().len())
        .collect();
    sizes.sort_unstable();
    println!("PNG bytes at 2x over 50: median {}", sizes[25]);
}

#[test]
fn debug_output_does_not_reveal_the_answer() {
    let c = captcha::generate_seeded(&Config::default(), 3);
    let shown = format!("{c:?}");
    assert!(shown.contains("redacted"));
    assert!(!shown.contains(c.answer()), "{shown}");
}
