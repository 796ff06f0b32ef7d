//! The engine on wasm32: it renders there, and a seed draws the same picture
//! as natively (the golden image was written by a native build).
//!
//! Natively this is an ordinary test; on wasm32 run it with
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
//! cargo test -p resetflow --target wasm32-unknown-unknown --test captcha_wasm`
//! (Node.js).

use resetflow::captcha::{self, Config};
use wasm_bindgen_test::wasm_bindgen_test;

fn pixels(bytes: &[u8]) -> Vec<u8> {
    let mut dec = png::Decoder::new(bytes);
    dec.set_transformations(png::Transformations::EXPAND);
    let mut reader = dec.read_info().expect("valid PNG header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("valid PNG data");
    buf.truncate(info.buffer_size());
    buf
}

#[wasm_bindgen_test(unsupported = test)]
fn seeded_render_is_the_same_picture_on_every_target() {
    let golden = include_bytes!("golden/normal-6-seed1.png");
    let c = captcha::generate_seeded(&Config::default(), 1);
    assert_eq!((c.width(), c.height()), (160, 60));
    assert_eq!(pixels(c.png()), pixels(golden));
}

#[wasm_bindgen_test(unsupported = test)]
fn os_randomness_works_on_every_target() {
    let c = captcha::generate_random(&Config::default());
    assert_eq!(c.answer().len(), 6);
    assert!(c.png().starts_with(b"\x89PNG\r\n\x1a\n"));
}
