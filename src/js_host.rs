//! The JavaScript host's own Unicode services (wasm32 only).
//!
//! Builds without the `idna` or `unicode-tables` features leave the Unicode
//! tables out and ask the host instead, which has them anyway: every browser
//! and Node implements UTS #46 in its URL parser and NFKC in
//! `String.prototype.normalize`. What the host knows is its own Unicode
//! version, which may be newer or older than the tables of the native build;
//! the two agree on everything assigned in both.

use js_sys::{Function, JsString, Reflect};
use wasm_bindgen::{JsCast, JsValue};

/// The `hostname` of `new URL(url)`, or `None` when the URL parser throws
/// (or the host has no `URL`).
pub(crate) fn url_hostname(url: &str) -> Option<String> {
    let global = js_sys::global();
    let ctor: Function = Reflect::get(&global, &JsValue::from_str("URL"))
        .ok()?
        .dyn_into()
        .ok()?;
    let args = js_sys::Array::of1(&JsValue::from_str(url));
    let parsed = Reflect::construct(&ctor, &args).ok()?;
    Reflect::get(&parsed, &JsValue::from_str("hostname"))
        .ok()?
        .as_string()
}

/// `s.normalize("NFKC")`.
pub(crate) fn nfkc(s: &str) -> String {
    JsString::from(s).normalize("NFKC").into()
}
