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

/// The JavaScript face of the identifier parser: plain objects in and out.
#[cfg(all(feature = "browser", target_arch = "wasm32"))]
mod js_api {
    use js_sys::{Object, Reflect};
    use resetflow::browser::validate_identifier;
    use wasm_bindgen::JsValue;
    use wasm_bindgen_test::wasm_bindgen_test;

    fn get(obj: &JsValue, key: &str) -> Option<String> {
        Reflect::get(obj, &JsValue::from_str(key)).ok()?.as_string()
    }

    fn options(region: &str, locale: &str) -> Object {
        let o = Object::new();
        Reflect::set(&o, &"region".into(), &region.into()).unwrap();
        Reflect::set(&o, &"locale".into(), &locale.into()).unwrap();
        o
    }

    #[wasm_bindgen_test]
    fn returns_kind_and_normalized_form() {
        let ok = validate_identifier("0151 23456789", Some(options("DE", "en"))).unwrap();
        assert_eq!(get(&ok, "kind").as_deref(), Some("phone"));
        assert_eq!(get(&ok, "normalized").as_deref(), Some("+4915123456789"));

        let ok = validate_identifier(" Jane@München.DE", None).unwrap();
        assert_eq!(get(&ok, "kind").as_deref(), Some("email"));
        assert_eq!(
            get(&ok, "normalized").as_deref(),
            Some("Jane@xn--mnchen-3ya.de")
        );

        let ok = validate_identifier("100000001", Some(options("DE", "de"))).unwrap();
        assert_eq!(get(&ok, "kind").as_deref(), Some("account_id"));
    }

    #[wasm_bindgen_test]
    fn throws_code_and_localised_message() {
        let err = validate_identifier("jane@", Some(options("DE", "de-AT"))).unwrap_err();
        assert_eq!(get(&err, "code").as_deref(), Some("email.missing_domain"));
        let de = get(&err, "message").unwrap();
        let en = get(&validate_identifier("jane@", None).unwrap_err(), "message").unwrap();
        assert!(
            !de.is_empty() && de != en,
            "{de:?} should be German, not {en:?}"
        );

        let err = validate_identifier("+49 151 23456789", Some(options("XX", "en"))).unwrap_err();
        assert_eq!(get(&err, "code").as_deref(), Some("region.unknown"));
    }
}
