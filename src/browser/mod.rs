//! The JavaScript API of the npm package (wasm32 only).
//!
//! A thin layer: it converts JavaScript values to the library's types and
//! back, and holds no logic of its own, so the browser gives exactly the
//! verdicts the server gives.

mod form;
pub mod phone;

pub use form::RecoveryForm;

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::identifier::{self, IdentifierError, ParseOptions, Region};
use crate::Locale;

/// `validateIdentifier(input, { region, locale })`: the kind and canonical
/// form of what a user typed into the identifier field.
///
/// Returns `{ kind: "email" | "phone" | "account_id", normalized }`.
///
/// # Errors
///
/// Throws `{ code, message }` with a stable code (`email.invalid_domain`,
/// `phone.too_short`, `region.unknown`, ...) and a message in `locale`
/// (`en`, `de`, `es`, `id`, `zh`; default: English).
#[wasm_bindgen(js_name = validateIdentifier)]
pub fn validate_identifier(input: &str, options: Option<Object>) -> Result<Object, JsValue> {
    let locale = string_option(options.as_ref(), "locale")
        .map(|tag| Locale::negotiate(&tag))
        .unwrap_or_default();
    let default_region = match string_option(options.as_ref(), "region") {
        Some(code) => match code.parse::<Region>() {
            Ok(region) => Some(region),
            Err(err) => return Err(error_object(&IdentifierError::from(err), locale)),
        },
        None => None,
    };
    let parse_options = ParseOptions {
        default_region,
        ..ParseOptions::default()
    };
    match identifier::Identifier::parse(input, &parse_options) {
        Ok(id) => {
            let out = Object::new();
            set(&out, "kind", id.kind().as_str());
            set(&out, "normalized", id.as_str());
            Ok(out)
        }
        Err(err) => Err(error_object(&err, locale)),
    }
}

fn string_option(options: Option<&Object>, key: &str) -> Option<String> {
    let value = Reflect::get(options?, &JsValue::from_str(key)).ok()?;
    value.as_string().filter(|s| !s.is_empty())
}

fn error_object(err: &IdentifierError, locale: Locale) -> JsValue {
    let out = Object::new();
    set(&out, "code", err.code());
    set(&out, "message", err.message(locale));
    out.into()
}

fn set(target: &Object, key: &str, value: &str) {
    // Setting a data property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), &JsValue::from_str(value));
}
