//! `loadPhoneMetadata(text)`: the phone numbering plans for a build without
//! them compiled in (see `resetflow::identifier::phone::load_metadata`).

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use crate::identifier::phone;

/// `loadPhoneMetadata(text)`: installs the phone numbering plans from the
/// text of `phone-metadata.tsv`, so that phone numbers are judged in full
/// rather than by their E.164 shape only. Idempotent: once a table is in
/// use, later calls return at once.
///
/// # Errors
///
/// Throws `{ code: "phone.metadata_invalid", message }` for a malformed
/// table; the message names the line, in English (it is for the developer
/// who shipped the table). Nothing is installed then.
#[wasm_bindgen(js_name = loadPhoneMetadata)]
pub fn load_phone_metadata(text: &str) -> Result<(), JsValue> {
    phone::load_metadata(text).map_err(|err| {
        let out = Object::new();
        // Setting data properties on a fresh plain object cannot fail.
        let _ = Reflect::set(&out, &"code".into(), &err.code().into());
        let _ = Reflect::set(&out, &"message".into(), &err.message().into());
        out.into()
    })
}
