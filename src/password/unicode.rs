//! The Unicode data the password rules need, from wherever this build has
//! it.
//!
//! - NFKC (UAX #15): the `unicode-normalization` tables (feature
//!   `unicode-tables`), else on wasm32 the JS host's
//!   `String.prototype.normalize("NFKC")`, else nothing. ASCII text is its
//!   own NFKC, so it never needs either: a native build without the tables
//!   still handles ASCII passwords exactly.
//! - Lower-casing (Unicode default case conversion): Rust's own tables,
//!   except in a wasm32 build without `unicode-tables`, which asks the JS
//!   host's `String.prototype.toLowerCase` (the same algorithm, the host's
//!   Unicode version) and so leaves out about 8 KB (gzipped) of case tables.
//! - The Alphabetic property and the Number category (`char::is_alphabetic`,
//!   `char::is_numeric`): likewise Rust's tables, or in that build the JS
//!   host's regular expressions `\p{Alphabetic}` and `\p{N}` (about 2 KB
//!   gzipped less).

/// The first `limit` characters of the NFKC form of `s`; `None` when this
/// build cannot normalise `s` (native, without `unicode-tables`, not ASCII).
///
/// Taking the prefix of the whole normal form and normalising lazily up to
/// `limit` give the same characters, so every source returns the same.
pub(super) fn nfkc(s: &str, limit: usize) -> Option<String> {
    if s.is_ascii() {
        return Some(s.get(..limit).unwrap_or(s).to_owned());
    }
    sys::nfkc(s, limit)
}

/// The NFKC form of `s`, or `s` itself where this build cannot normalise it:
/// for guidance and for identifiers, never for the password that is hashed.
pub(super) fn nfkc_or_same(s: &str) -> String {
    nfkc(s, usize::MAX).unwrap_or_else(|| s.to_owned())
}

/// `s` in lower case.
pub(super) fn lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    sys::lowercase(s)
}

/// Each character's lower-case mapping, in order (one character may map to
/// several, as `İ` does). In the JS host's version a capital sigma is
/// mapped by its context, as `String.prototype.toLowerCase` does.
pub(super) fn lowercase_chars(chars: &[char]) -> Vec<char> {
    if chars.iter().all(char::is_ascii) {
        return chars.iter().map(char::to_ascii_lowercase).collect();
    }
    sys::lowercase_chars(chars)
}

/// `char::is_alphabetic`: the Unicode Alphabetic property.
pub(super) fn is_alphabetic(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    sys::is_alphabetic(c)
}

/// `char::is_numeric`: Unicode general category N (Nd, Nl, No).
pub(super) fn is_numeric(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    sys::is_numeric(c)
}

/// `char::is_alphanumeric`.
pub(super) fn is_alphanumeric(c: char) -> bool {
    is_alphabetic(c) || is_numeric(c)
}

#[cfg(feature = "unicode-tables")]
mod sys {
    use unicode_normalization::UnicodeNormalization;

    pub(super) fn nfkc(s: &str, limit: usize) -> Option<String> {
        Some(s.nfkc().take(limit).collect())
    }

    pub(super) use super::rust_tables::{is_alphabetic, is_numeric, lowercase, lowercase_chars};
}

#[cfg(all(not(feature = "unicode-tables"), target_arch = "wasm32"))]
mod sys {
    pub(super) fn nfkc(s: &str, limit: usize) -> Option<String> {
        Some(crate::js_host::nfkc(s).chars().take(limit).collect())
    }

    pub(super) fn lowercase(s: &str) -> String {
        crate::js_host::lowercase(s)
    }

    pub(super) fn lowercase_chars(chars: &[char]) -> Vec<char> {
        let s: String = chars.iter().collect();
        crate::js_host::lowercase(&s).chars().collect()
    }

    pub(super) use crate::js_host::{is_alphabetic, is_numeric};
}

#[cfg(all(not(feature = "unicode-tables"), not(target_arch = "wasm32")))]
mod sys {
    pub(super) fn nfkc(_s: &str, _limit: usize) -> Option<String> {
        None
    }

    pub(super) use super::rust_tables::{is_alphabetic, is_numeric, lowercase, lowercase_chars};
}

/// Rust's own tables, wherever size does not matter.
#[cfg(any(feature = "unicode-tables", not(target_arch = "wasm32")))]
mod rust_tables {
    pub(crate) fn is_alphabetic(c: char) -> bool {
        c.is_alphabetic()
    }

    pub(crate) fn is_numeric(c: char) -> bool {
        c.is_numeric()
    }

    pub(crate) fn lowercase(s: &str) -> String {
        s.to_lowercase()
    }

    pub(crate) fn lowercase_chars(chars: &[char]) -> Vec<char> {
        chars.iter().flat_map(|c| c.to_lowercase()).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_its_own_normal_form() {
        assert_eq!(nfkc("Hello, World!", 5).as_deref(), Some("Hello"));
        assert_eq!(nfkc("abc", 10).as_deref(), Some("abc"));
        assert_eq!(nfkc_or_same("abc"), "abc");
    }

    #[test]
    fn properties() {
        // UnicodeData.txt: U+5BC6 is Lo, U+0663 Nd, U+2167 Nl, U+00BD No,
        // U+0301 Mn (not Alphabetic), U+0345 Mn but Other_Alphabetic.
        for c in ['a', 'Z', '\u{5BC6}', '\u{E9}', '\u{345}'] {
            assert!(is_alphabetic(c) && !is_numeric(c), "{c:?}");
        }
        for c in ['7', '\u{663}', '\u{2167}', '\u{BD}'] {
            assert!(is_numeric(c), "{c:?}");
        }
        for c in ['-', ' ', '\u{301}', '\u{1F600}'] {
            assert!(!is_alphanumeric(c), "{c:?}");
        }
    }

    #[test]
    fn lower_case() {
        // Unicode SpecialCasing: U+0130 is "i" + U+0307; a final capital
        // sigma is a final small sigma.
        assert_eq!(lowercase("ÀB\u{130}"), "àbi\u{307}");
        assert_eq!(lowercase("ΣΑΣ"), "σας");
        assert_eq!(lowercase_chars(&['A', '\u{130}']), ['a', 'i', '\u{307}']);
        assert_eq!(lowercase_chars(&['Q', '1']), ['q', '1']);
    }

    #[test]
    #[cfg(feature = "unicode-tables")]
    fn compatibility_forms_fold() {
        // U+FB01 LATIN SMALL LIGATURE FI is "fi"; U+FF21 FULLWIDTH "A" is "A";
        // "e" + U+0301 COMBINING ACUTE composes to U+00E9 (UAX #15 examples).
        assert_eq!(nfkc("\u{FB01}x", 2).as_deref(), Some("fi"));
        assert_eq!(nfkc_or_same("\u{FF21}e\u{301}"), "A\u{E9}");
    }

    #[test]
    #[cfg(all(not(feature = "unicode-tables"), not(target_arch = "wasm32")))]
    fn without_tables_only_ascii_is_normalised() {
        assert_eq!(nfkc("\u{FB01}", 5), None);
        assert_eq!(nfkc_or_same("\u{FB01}"), "\u{FB01}");
    }
}
