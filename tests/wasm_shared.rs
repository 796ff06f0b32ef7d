//! The logic that the browser and the server share, checked in a real browser.
//!
//! Every test here runs twice: natively under `cargo test`, and in headless
//! Chromium under `cargo test --target wasm32-unknown-unknown` (see
//! `scripts/test.sh`), so the two builds cannot disagree unnoticed.

use resetflow::{Locale, Timestamp};
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test(unsupported = test)]
fn locale_negotiation_matches_native() {
    assert_eq!(Locale::negotiate("de-DE,de;q=0.9,en;q=0.8"), Locale::De);
    assert_eq!(Locale::negotiate("zh-CN"), Locale::Zh);
    assert_eq!(Locale::negotiate("pt-BR"), Locale::En);
}

#[wasm_bindgen_test(unsupported = test)]
fn clock_reads_a_plausible_time() {
    // 2024-01-01T00:00:00Z; a clock before that is broken, not just skewed.
    assert!(Timestamp::now().as_unix_secs() > 1_704_067_200);
}
