//! The JavaScript host's own Unicode services (wasm32 only).
//!
//! Builds without the `idna` or `unicode-tables` features leave the Unicode
//! tables out and ask the host instead, which has them anyway: every browser
//! and Node implements UTS #46 in its URL parser and NFKC in
//! `String.prototype.normalize`, and lower-cases in
//! `String.prototype.toLowerCase`. What the host knows is its own Unicode
//! version, which may be newer or older than the tables of the native build;
//! the two agree on everything assigned in both.

#[cfg(not(feature = "unicode-tables"))]
use js_sys::JsString;
#[cfg(not(feature = "idna"))]
use wasm_bindgen::prelude::*;

#[cfg(not(feature = "idna"))]
#[wasm_bindgen]
extern "C" {
    /// The host's WHATWG `URL`.
    type Url;

    /// `new URL(url)`; `Err` with what it threw (a `TypeError` for a URL
    /// it cannot parse, a `ReferenceError` on a host without `URL`).
    #[wasm_bindgen(constructor, js_class = "URL", catch)]
    fn new(url: &str) -> Result<Url, JsValue>;

    #[wasm_bindgen(method, getter)]
    fn hostname(this: &Url) -> String;
}

#[cfg(not(feature = "idna"))]
/// The `hostname` of `new URL(url)`, or `None` when the URL parser throws
/// (or the host has no `URL`).
pub(crate) fn url_hostname(url: &str) -> Option<String> {
    // Imported directly rather than looked up on the global object: fewer
    // and smaller imports in the JS glue.
    Url::new(url).ok().map(|parsed| parsed.hostname())
}

#[cfg(not(feature = "unicode-tables"))]
/// `s.toLowerCase()`.
pub(crate) fn lowercase(s: &str) -> String {
    JsString::from(s).to_lower_case().into()
}

#[cfg(not(feature = "unicode-tables"))]
thread_local! {
    static ALPHABETIC: js_sys::RegExp = js_sys::RegExp::new("^\\p{Alphabetic}$", "u");
    static NUMBER: js_sys::RegExp = js_sys::RegExp::new("^\\p{N}$", "u");
}

#[cfg(not(feature = "unicode-tables"))]
/// `/^\p{Alphabetic}$/u.test(c)`: Rust's `char::is_alphabetic`.
pub(crate) fn is_alphabetic(c: char) -> bool {
    ALPHABETIC.with(|re| re.test(c.encode_utf8(&mut [0; 4])))
}

#[cfg(not(feature = "unicode-tables"))]
/// `/^\p{N}$/u.test(c)`: Rust's `char::is_numeric`.
pub(crate) fn is_numeric(c: char) -> bool {
    NUMBER.with(|re| re.test(c.encode_utf8(&mut [0; 4])))
}

#[cfg(not(feature = "unicode-tables"))]
/// `s.normalize("NFKC")`.
pub(crate) fn nfkc(s: &str) -> String {
    JsString::from(s).normalize("NFKC").into()
}
