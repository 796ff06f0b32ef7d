//! NFKC (UAX #15) from wherever this build has it: the
//! `unicode-normalization` tables (feature `unicode-tables`), else on wasm32
//! the JS host's `String.prototype.normalize("NFKC")`, else nothing.
//!
//! ASCII text is its own NFKC, so it never needs either: a native build
//! without the tables still handles ASCII passwords exactly.

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

#[cfg(feature = "unicode-tables")]
mod sys {
    use unicode_normalization::UnicodeNormalization;

    pub(super) fn nfkc(s: &str, limit: usize) -> Option<String> {
        Some(s.nfkc().take(limit).collect())
    }
}

#[cfg(all(not(feature = "unicode-tables"), target_arch = "wasm32"))]
mod sys {
    pub(super) fn nfkc(s: &str, limit: usize) -> Option<String> {
        Some(crate::js_host::nfkc(s).chars().take(limit).collect())
    }
}

#[cfg(all(not(feature = "unicode-tables"), not(target_arch = "wasm32")))]
mod sys {
    pub(super) fn nfkc(_s: &str, _limit: usize) -> Option<String> {
        None
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
