//! The JavaScript face of the browser module in headless Chromium: what
//! `validate`, `isRegion` and `checkPassword` hand to the package's
//! JavaScript, read back the way JavaScript reads it (`Reflect.get`,
//! `Object.keys`), with expected values worked out by hand from the rules.
//!
//! It runs in both browser builds (see `scripts/test.sh`):
//! `cargo test -p resetflow --target wasm32-unknown-unknown --features browser --test browser_api`
//! and the npm package's, with `--no-default-features --features browser`.
//! The inputs are chosen so that both builds agree: no phone number that
//! needs the numbering plans (the light build has none until
//! `loadPhoneMetadata`), no password from the common list (the light build
//! leaves it out).
#![cfg(all(target_arch = "wasm32", feature = "browser"))]

use js_sys::{Array, Object, Reflect};
use resetflow::browser::{check_password, is_region, validate};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &JsValue::from_str(key)).unwrap()
}

/// `Object.keys(value)`, sorted.
fn keys(value: &JsValue) -> Vec<String> {
    let mut keys: Vec<String> = Object::keys(value.dyn_ref::<Object>().expect("an object"))
        .iter()
        .map(|k| k.as_string().unwrap())
        .collect();
    keys.sort();
    keys
}

/// `validate(input, region)` as `Ok((kind, normalized))` or `Err(code)`,
/// checking the shape of either object on the way.
fn check(input: &str, region: Option<&str>) -> Result<(String, String), String> {
    match validate(input, region.map(str::to_owned)) {
        Ok(out) => {
            let out: JsValue = out.into();
            assert_eq!(keys(&out), ["kind", "normalized"], "{input:?}");
            Ok((
                get(&out, "kind").as_string().unwrap(),
                get(&out, "normalized").as_string().unwrap(),
            ))
        }
        Err(thrown) => {
            // A plain object with the code alone: no message, no stack.
            assert!(!thrown.is_instance_of::<js_sys::Error>(), "{input:?}");
            assert_eq!(keys(&thrown), ["code"], "{input:?}");
            Err(get(&thrown, "code").as_string().unwrap())
        }
    }
}

fn ok(kind: &str, normalized: &str) -> Result<(String, String), String> {
    Ok((kind.to_owned(), normalized.to_owned()))
}

#[wasm_bindgen_test]
fn validate_returns_kind_and_normalized_form() {
    assert_eq!(
        check(" Jane@München.DE", None),
        ok("email", "Jane@xn--mnchen-3ya.de")
    );
    assert_eq!(
        check("+49 151 23456789", Some("DE")),
        ok("phone", "+4915123456789")
    );
    assert_eq!(
        check("+49 151 23456789", None),
        ok("phone", "+4915123456789")
    );
    assert_eq!(check("100000001", None), ok("account_id", "100000001"));
    // No region, an empty one: the same.
    assert_eq!(check("100000001", Some("")), ok("account_id", "100000001"));
}

#[wasm_bindgen_test]
fn validate_throws_codes() {
    assert_eq!(check("", None), Err("identifier.empty".into()));
    assert_eq!(check("   ", Some("DE")), Err("identifier.empty".into()));
    assert_eq!(check("jane@", None), Err("email.missing_domain".into()));
    assert_eq!(
        check("@example.com", None),
        Err("email.missing_local".into())
    );
    assert_eq!(check("+1 650 25", None), Err("phone.too_short".into()));
    // The region is judged first, whatever the input.
    assert_eq!(
        check("+49 151 23456789", Some("XX")),
        Err("region.unknown".into())
    );
    assert_eq!(check("jane@", Some("DEU")), Err("region.unknown".into()));
}

#[wasm_bindgen_test]
fn is_region_knows_iso_codes_with_a_numbering_plan() {
    for tag in ["DE", "de", "US", "CN", "ID", "ES", "gb"] {
        assert!(is_region(tag), "{tag}");
    }
    for tag in ["", "XX", "D", "DEU", "49", "D1", "ÄÖ"] {
        assert!(!is_region(tag), "{tag}");
    }
}

/// `checkPassword(password, confirm, identifiers)` as (score, hints, error),
/// checking the shape on the way.
fn password(pw: &str, confirm: &str, ids: &[&str]) -> (u32, Vec<String>, Option<String>) {
    let ids: Array = ids.iter().map(|s| JsValue::from_str(s)).collect();
    password_with(pw, confirm, &ids)
}

fn password_with(pw: &str, confirm: &str, ids: &Array) -> (u32, Vec<String>, Option<String>) {
    let out: JsValue = check_password(pw, confirm, ids).into();
    assert_eq!(keys(&out), ["error", "hints", "score"], "{pw:?}");
    let score = get(&out, "score").as_f64().expect("score is a number");
    let hints = get(&out, "hints");
    assert!(Array::is_array(&hints), "{pw:?}");
    let hints = Array::from(&hints)
        .iter()
        .map(|h| h.as_string().unwrap())
        .collect();
    let error = get(&out, "error");
    assert!(
        error.is_undefined() || error.is_string(),
        "{pw:?}: {error:?}"
    );
    (score as u32, hints, error.as_string())
}

fn expect(score: u32, hints: &[&str], error: Option<&str>) -> (u32, Vec<String>, Option<String>) {
    (
        score,
        hints.iter().map(|h| format!("password.hint.{h}")).collect(),
        error.map(|e| format!("password.{e}")),
    )
}

#[wasm_bindgen_test]
fn check_password_scores_hints_and_verdict() {
    // Nothing typed yet: too short, and both length hints.
    assert_eq!(
        password("", "", &[]),
        expect(0, &["longer", "mix"], Some("too_short"))
    );
    // A run of one character: too short, one class, a pattern.
    assert_eq!(
        password("aaa", "aaa", &[]),
        expect(0, &["longer", "mix", "common_pattern"], Some("too_short"))
    );
    // 14 characters from lower case, space and digits (26 + 33 + 10 = 69):
    // 14 × log2 69 ≈ 85.5 bits, at least 80: score 4, nothing to suggest.
    let ids = ["jane.doe@example.com", "jane.doe"];
    assert_eq!(
        password("gravel pine 47", "gravel pine 47", &ids),
        expect(4, &[], None)
    );
    // Full-width forms are the same password after NFKC, so they confirm it.
    assert_eq!(
        password("gravel pine 47", "ｇｒａｖｅｌ ｐｉｎｅ 47", &ids),
        expect(4, &[], None)
    );
    // The strength is the password's own; the confirmation only decides the
    // verdict, which comes after every other rule.
    assert_eq!(
        password("gravel pine 47", "gravel pine 48", &ids),
        expect(4, &[], Some("mismatch"))
    );
    // 8 characters from all four classes (26 + 26 + 10 + 33 = 95):
    // 8 × log2 95 ≈ 52.6 bits, from 40 up to 60: score 2; shorter than 12.
    assert_eq!(
        password("Kx9#mQ2p", "Kx9#mQ2p", &[]),
        expect(2, &["longer"], None)
    );
    // `jane`, a run of 4 letters of the e-mail address, inside: refused,
    // score 0. 14 characters, three classes: no other hint.
    assert_eq!(
        password("xjane.doe2024!", "xjane.doe2024!", &ids),
        expect(0, &["identifier"], Some("contains_identifier"))
    );
    // Elements of `identifiers` that are not strings are passed over.
    let mixed = Array::of3(
        &JsValue::from_f64(100_000_001.0),
        &JsValue::NULL,
        &JsValue::from_str("jane.doe@example.com"),
    );
    assert_eq!(
        password_with("xjane.doe2024!", "xjane.doe2024!", &mixed),
        expect(0, &["identifier"], Some("contains_identifier"))
    );
    let numbers = Array::of1(&JsValue::from_f64(100_000_001.0));
    assert_eq!(
        password_with("x100000001y!Q", "x100000001y!Q", &numbers).2,
        None
    );
    // Compared after lower-casing.
    assert_eq!(
        password("xJANE.doe2024!", "xJANE.doe2024!", &ids).2,
        Some("password.contains_identifier".into())
    );
    // A control character: refused before anything else.
    assert_eq!(
        password("gravel\u{7}pine 47", "gravel\u{7}pine 47", &[]).2,
        Some("password.invalid_characters".into())
    );
    // 129 characters: one too many.
    let long = "ab1".repeat(43);
    assert_eq!(
        password(&long, &long, &[]).2,
        Some("password.too_long".into())
    );
}
