//! Prints every message the library has for a stable code, in every locale,
//! as JSON: `{"en": {"email.invalid_domain": "...", ...}, "de": {...}, ...}`.
//!
//! The npm package is built from this: its locale files carry these
//! messages, so the browser says exactly what the server says, and the
//! WebAssembly module carries no text at all (see `scripts/build-pkg.sh`).
//!
//! ```sh
//! cargo run --example messages > messages.json
//! ```

use resetflow::flow::FlowError;
use resetflow::identifier::ErrorKind;
use resetflow::password::{Hint, PasswordError};
use resetflow::Locale;

/// `s` as a JSON string literal.
fn json(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn main() {
    let mut locales = Vec::new();
    for locale in Locale::ALL {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        pairs.extend(ErrorKind::ALL.iter().map(|k| (k.code(), k.message(locale))));
        pairs.extend(
            PasswordError::ALL
                .iter()
                .map(|e| (e.code(), e.message(locale))),
        );
        pairs.extend(FlowError::ALL.iter().map(|e| (e.code(), e.message(locale))));
        pairs.extend(Hint::ALL.iter().map(|h| (h.code(), h.message(locale))));
        let body: Vec<String> = pairs
            .iter()
            .map(|(code, message)| format!("  {}: {}", json(code), json(message)))
            .collect();
        locales.push(format!(
            "{}: {{\n{}\n}}",
            json(locale.as_str()),
            body.join(",\n")
        ));
    }
    println!("{{\n{}\n}}", locales.join(",\n"));
}
