//! The JavaScript API of the npm package (wasm32 only).
//!
//! A thin layer: it converts JavaScript values to the library's types and
//! back, and holds no logic of its own, so the browser gives exactly the
//! verdicts the server gives.
//!
//! It gives verdicts as stable codes only (`email.invalid_domain`,
//! `password.too_short`, `password.hint.longer`, ...) and carries no text
//! for people: the npm package's JavaScript holds the messages of every
//! locale and looks codes up there, so a page loads the words of one locale
//! and the wasm stays small (`docs/browser-size.md`).

pub mod phone;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::identifier::{Identifier, IdentifierError, ParseOptions, Region};
use crate::password::{estimate, Policy};

/// The npm package's allocator (feature `small-allocator`): talc instead of
/// std's dlmalloc, about 1.7 KB gzipped less. Only `scripts/build-pkg.sh`
/// turns it on: a library does not choose the global allocator of the
/// program it is linked into. Its constructor is safe: it checks at compile
/// time that the target is single-threaded wasm, where talc's unsynchronised
/// cell is sound.
#[cfg(feature = "small-allocator")]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// `validate(input, region)`: the kind and canonical form of what a user
/// typed into the identifier field.
///
/// `region` is the two-letter code (any case) of the region whose national
/// phone numbers are accepted without `+`; `null`, `undefined` or `""`
/// means none, so phone numbers must then be international.
///
/// Returns `{ kind: "email" | "phone" | "account_id", normalized }`.
///
/// # Errors
///
/// Throws a plain object `{ code }` with a stable code: `region.unknown` for
/// a `region` without a numbering plan, else the code of the rule the input
/// breaks (`identifier.empty`, `email.invalid_domain`, `phone.too_short`,
/// ...; see `resetflow::identifier::ErrorKind`). There is no message: the
/// package's JavaScript words it in the page's locale.
#[wasm_bindgen]
pub fn validate(input: &str, region: Option<String>) -> Result<Object, JsValue> {
    let default_region = match region.as_deref() {
        None | Some("") => None,
        Some(code) => Some(
            code.parse::<Region>()
                .map_err(|e| error_code(IdentifierError::from(e).code()))?,
        ),
    };
    let options = ParseOptions {
        default_region,
        ..ParseOptions::default()
    };
    let id = Identifier::parse(input, &options).map_err(|e| error_code(e.code()))?;
    let out = Object::new();
    set(&out, "kind", &id.kind().as_str().into());
    set(&out, "normalized", &id.as_str().into());
    Ok(out)
}

/// `isRegion(tag)`: whether `tag` is the ISO 3166-1 alpha-2 code (any case)
/// of a region the library has a numbering plan for, i.e. whether
/// `validate(input, tag)` accepts it as a region.
#[wasm_bindgen(js_name = isRegion)]
pub fn is_region(tag: &str) -> bool {
    tag.parse::<Region>().is_ok()
}

/// `checkPassword(password, confirm, identifiers)`: the verdict on a new
/// password and guidance for the strength meter, recomputed as the user
/// types.
///
/// `identifiers` is an array of the forms of the account's identifiers the
/// user might reuse (e-mail, its local part, phone number, national digits,
/// account ID), as the flow gives them; elements that are not strings are
/// ignored.
///
/// Returns `{ score, hints, error }`:
///
/// - `score`: 0 to 4 and `hints`: the codes of the suggestions
///   (`password.hint.longer`, ...), both from `resetflow::password::estimate`;
///   guidance, deciding nothing.
/// - `error`: `undefined` when the password meets the policy, else the code
///   of the first rule broken (`password.too_short`, `password.mismatch`,
///   ...): `resetflow::password::Policy::new().check`, the policy the
///   reference server applies. The common-password rule (`password.common`)
///   applies only in builds with the `common-passwords` feature; the npm
///   package leaves the list out (`docs/browser-size.md`) and the server
///   applies it on submit.
#[wasm_bindgen(js_name = checkPassword)]
pub fn check_password(password: &str, confirm: &str, identifiers: &Array) -> Object {
    // An `Array` rather than `Vec<String>`: the glue then passes one
    // reference instead of converting each element (less JS and wasm).
    let identifiers: Vec<String> = identifiers.iter().filter_map(|v| v.as_string()).collect();
    let ids: Vec<&str> = identifiers.iter().map(String::as_str).collect();
    let strength = estimate(password, &ids);
    let hints: Array = strength
        .hints()
        .iter()
        .map(|h| JsValue::from_str(h.code()))
        .collect();
    let error = match Policy::new().check(password, confirm, &ids) {
        Ok(_) => JsValue::UNDEFINED,
        Err(e) => e.code().into(),
    };
    let out = Object::new();
    set(&out, "score", &strength.score().into());
    set(&out, "hints", &hints);
    set(&out, "error", &error);
    out
}

/// The value thrown for a refusal: a plain object `{ code }`.
fn error_code(code: &str) -> JsValue {
    let out = Object::new();
    set(&out, "code", &code.into());
    out.into()
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a data property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}
