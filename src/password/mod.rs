//! The new password at the end of account recovery: the rules it must meet,
//! and strength guidance while the user types.
//!
//! [`Policy::check`](crate::password::Policy::check) takes what the user
//! typed twice and the account's identifiers, and either returns the
//! [`NewPassword`](crate::password::NewPassword) to hash (the server uses
//! argon2id) or says why not with a
//! [`PasswordError`](crate::password::PasswordError), which has a stable code
//! and a localised message. [`estimate`](crate::password::estimate) gives a
//! cheap 0 to 4 [`Strength`](crate::password::Strength) score with
//! [`Hint`](crate::password::Hint)s for the form; it is guidance and decides
//! nothing.
//!
//! Links in these module docs are written out in full (`crate::password::`)
//! because rustdoc resolves them from `lib.rs`, where the module's outer doc
//! line sits.
//!
//! # The rules (SPEC section 5)
//!
//! - **Normalisation.** The password is put in Unicode NFKC (UAX #15) before
//!   anything else, and that form is what is counted, compared and returned
//!   for hashing. Without it, `ｐａｓｓｗｏｒｄ` (full-width) would pass the list
//!   check, and the same password typed on two keyboards (a precomposed `é`
//!   against `e` + U+0301) would hash differently. NIST SP 800-63B 5.1.1.2
//!   recommends NFKC or NFKD; NFKC (rather than the NFC of RFC 8265
//!   `OpaqueString`) also folds full-width and other compatibility forms.
//!
//!   The tables come from the `unicode-normalization` crate (feature
//!   `unicode-tables`, on by default). Without them a wasm32 build
//!   normalises through the JS host's `String.prototype.normalize("NFKC")`
//!   (the browser's own Unicode version), and a native build accepts only
//!   ASCII passwords, which are their own NFKC, refusing others with
//!   [`PasswordError::NormalisationUnavailable`](crate::password::PasswordError::NormalisationUnavailable);
//!   a server should keep the feature on.
//! - **Length** 8 to 128 characters, counted in Unicode scalar values
//!   (`char`s) of the NFKC form, as NIST SP 800-63B counts "each Unicode code
//!   point as a single character". Not grapheme clusters: an emoji with a
//!   skin tone counts as 2, and a base letter with a combining mark that has
//!   no precomposed form counts as 2. Input over
//!   [`MAX_INPUT_BYTES`](crate::password::MAX_INPUT_BYTES) is refused as too
//!   long before it is normalised.
//! - **Characters.** Control characters (Unicode `Cc`: C0, DEL, C1), the line
//!   and paragraph separators U+2028 and U+2029, and Unicode noncharacters
//!   are refused. Spaces are allowed and kept: nothing is trimmed.
//! - **Letters and digits** (off by default,
//!   [`Policy::letters_and_digits`](crate::password::Policy::letters_and_digits)):
//!   at least one alphabetic character (any script, so `密码` counts) and one
//!   numeric character (any script, after NFKC).
//! - **Identifier.** The password must not contain one of the account's
//!   identifiers, compared after NFKC and Unicode lower-casing. From each
//!   identifier the caller passes (e-mail local part, full e-mail, phone
//!   number, national digits, account ID) the banned fragments are the whole
//!   string and each run of letters and digits in it, each only if it is at
//!   least [`IDENTIFIER_FRAGMENT_MIN`](crate::password::IDENTIFIER_FRAGMENT_MIN)
//!   (4) characters long. So for `jo.smith` the fragments are `jo.smith` and
//!   `smith`, but not `jo`: a short local part must not ban every password
//!   containing two common letters. Reversed or leet-spelt identifiers are
//!   not looked for.
//! - **Common passwords** (feature `common-passwords`, on by default): the
//!   lower-cased NFKC form must not be in a list of the 30,000 most common
//!   passwords of the zxcvbn project (MIT). The list ships only its entries of
//!   8 or more characters (11,611; the rest fail the length rule anyway) and
//!   is searched in place, without allocation. Without the feature this rule
//!   is not applied; a server should keep it on.
//! - **Confirmation.** The confirmation is normalised the same way and
//!   compared in constant time; a difference is
//!   [`PasswordError::Mismatch`](crate::password::PasswordError::Mismatch).
//!
//! # Example
//!
//! ```
//! use resetflow::password::{Policy, PasswordError};
//! use resetflow::Locale;
//!
//! let policy = Policy::new().letters_and_digits(true);
//! let ids = ["jane.doe", "jane.doe@example.com", "100000001"];
//!
//! let err = policy.check("Jane.Doe2024!", "Jane.Doe2024!", &ids).unwrap_err();
//! assert_eq!(err, PasswordError::ContainsIdentifier);
//! assert_eq!(err.code(), "password.contains_identifier");
//! assert_eq!(err.message(Locale::De),
//!     "Das Passwort darf Ihre E-Mail-Adresse, Telefonnummer oder Konto-ID nicht enthalten.");
//!
//! // Full-width letters and digits are read as their ASCII forms.
//! let ok = policy.check("ｇｒａｖｅｌ ｐｉｎｅ 47", "gravel pine 47", &ids).unwrap();
//! assert_eq!(ok.expose_secret(), "gravel pine 47");
//! ```

mod error;
mod strength;
mod unicode;

#[cfg(feature = "common-passwords")]
mod common;

use core::fmt;

use subtle::ConstantTimeEq;

pub use error::PasswordError;
pub use strength::{estimate, Hint, Strength};

/// The fewest characters (Unicode scalar values after NFKC) a password may have.
pub const MIN_LEN: usize = 8;

/// The most characters (Unicode scalar values after NFKC) a password may have.
///
/// The bound keeps hashing cost and request sizes in check; a passphrase of
/// 20 words still fits.
pub const MAX_LEN: usize = 128;

/// Input longer than this many bytes (UTF-8) is refused as too long before it
/// is normalised, so an attacker cannot make us normalise megabytes.
///
/// It is far above what any password of [`MAX_LEN`] characters can take: NFKC
/// composes at most a handful of code points into one (a Greek letter with
/// three marks, a Hangul syllable from three jamo), so 128 characters come
/// from well under 128 × 16 = 2,048 bytes of input.
pub const MAX_INPUT_BYTES: usize = 4096;

/// The shortest identifier fragment that a password may not contain.
///
/// Shorter ones (`jo` of `jo.smith@example.com`) are ignored: banning them
/// would ban a large share of all passwords and add no security.
pub const IDENTIFIER_FRAGMENT_MIN: usize = 4;

/// The rules a new password must meet.
///
/// `Policy::default()` is the SPEC policy: length, characters, identifier,
/// common list (with the `common-passwords` feature), confirmation; the
/// letters-and-digits rule is off.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Policy {
    /// Require at least one letter and one digit
    /// ([`PasswordError::NeedsLettersAndDigits`]).
    pub letters_and_digits: bool,
}

impl Policy {
    /// The default policy (letters-and-digits off).
    pub const fn new() -> Policy {
        Policy {
            letters_and_digits: false,
        }
    }

    /// This policy with the letters-and-digits rule on or off.
    #[must_use]
    pub const fn letters_and_digits(mut self, on: bool) -> Policy {
        self.letters_and_digits = on;
        self
    }

    /// Checks a new password typed twice against this policy and the
    /// account's `identifiers`, and returns its normalised form to hash.
    ///
    /// `password` and `confirm` are attacker controlled: this never panics,
    /// reads at most [`MAX_INPUT_BYTES`] of each, allocates in proportion to
    /// that bound, and neither the error nor any `Debug` output holds the
    /// password. `identifiers` come from the server (see the module docs for
    /// how fragments are taken from them); pass every form the user might
    /// reuse, e.g. the e-mail's local part, the whole e-mail, the phone number
    /// and its national digits, and the account ID.
    ///
    /// To check while the user types, before the confirmation is filled in,
    /// pass the password as both arguments.
    ///
    /// # Errors
    ///
    /// The first rule broken, in this order (the order of
    /// [`PasswordError::ALL`]): [`TooLong`](PasswordError::TooLong) for input
    /// over [`MAX_INPUT_BYTES`], [`InvalidCharacters`](PasswordError::InvalidCharacters),
    /// [`TooLong`](PasswordError::TooLong) / [`TooShort`](PasswordError::TooShort)
    /// after NFKC, [`NeedsLettersAndDigits`](PasswordError::NeedsLettersAndDigits)
    /// when enabled, [`ContainsIdentifier`](PasswordError::ContainsIdentifier),
    /// [`Common`](PasswordError::Common), and last
    /// [`Mismatch`](PasswordError::Mismatch): a password that breaks a rule
    /// has to be typed twice anew anyway, so that is what the user hears first.
    pub fn check(
        &self,
        password: &str,
        confirm: &str,
        identifiers: &[&str],
    ) -> Result<NewPassword, PasswordError> {
        let normalised = normalise(password)?;
        if self.letters_and_digits
            && !(normalised.chars().any(unicode::is_alphabetic)
                && normalised.chars().any(unicode::is_numeric))
        {
            return Err(PasswordError::NeedsLettersAndDigits);
        }
        let folded = unicode::lowercase(&normalised);
        if contains_identifier(&folded, identifiers) {
            return Err(PasswordError::ContainsIdentifier);
        }
        if is_common_folded(&folded) {
            return Err(PasswordError::Common);
        }
        // Normalise the confirmation the same way, so two keyboards that
        // produce different code points for the same text still match. If
        // the confirmation itself is malformed it cannot match a valid password.
        let same = match normalise(confirm) {
            Ok(c) => bool::from(c.as_bytes().ct_eq(normalised.as_bytes())),
            Err(_) => false,
        };
        if !same {
            return Err(PasswordError::Mismatch);
        }
        Ok(NewPassword(normalised))
    }
}

/// A password that met the policy, in the NFKC form to hash.
///
/// `Debug` is redacted and there is no `Display`; read the text with
/// [`expose_secret`](NewPassword::expose_secret) where it goes into the hash.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    /// The normalised password. Hash it; never log it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// The normalised password as an owned string.
    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(<redacted>)")
    }
}

/// Whether `password` is in the common-password list, compared after NFKC
/// and lower-casing. Entries shorter than [`MIN_LEN`] are not shipped (the
/// length rule refuses them), so this is `false` for them.
#[cfg(feature = "common-passwords")]
pub fn is_common(password: &str) -> bool {
    if password.len() > MAX_INPUT_BYTES {
        return false;
    }
    is_common_folded(&unicode::lowercase(&unicode::nfkc_or_same(password)))
}

/// The list lookup on an already normalised, lower-cased password.
fn is_common_folded(folded: &str) -> bool {
    #[cfg(feature = "common-passwords")]
    {
        common::contains(folded)
    }
    #[cfg(not(feature = "common-passwords"))]
    {
        let _ = folded;
        false
    }
}

/// Whether `c` may not appear in a password.
fn is_invalid_char(c: char) -> bool {
    let cp = u32::from(c);
    c.is_control()
        || c == '\u{2028}'
        || c == '\u{2029}'
        // Noncharacters: U+FDD0..U+FDEF and the last two code points of every
        // plane. They are for a program's internal use, never for interchange.
        || (0xFDD0..=0xFDEF).contains(&cp)
        || cp & 0xFFFE == 0xFFFE
}

/// The form of a password that [`Policy::check`] hands out for hashing:
/// NFKC, after the input bound, the character rule and the length rule.
///
/// For sign-in: normalise what was typed the same way before verifying it
/// against a stored hash. Only those three rules apply here, so a password
/// stored under an older common-password list still signs in.
///
/// # Errors
///
/// [`PasswordError::TooLong`], [`PasswordError::TooShort`] or
/// [`PasswordError::InvalidCharacters`]: no stored password can match.
/// [`PasswordError::NormalisationUnavailable`] for a non-ASCII password in a
/// native build without the `unicode-tables` feature.
pub fn normalise(raw: &str) -> Result<String, PasswordError> {
    if raw.len() > MAX_INPUT_BYTES {
        return Err(PasswordError::TooLong);
    }
    // NFKC maps no other character to a control character, separator or
    // noncharacter, so checking the input is the same as checking the output.
    if raw.chars().any(is_invalid_char) {
        return Err(PasswordError::InvalidCharacters);
    }
    // Stop one past the limit: enough to know it is too long, and a
    // compatibility expansion (U+FDFA is 18 characters) cannot grow the buffer
    // beyond that.
    let normalised =
        unicode::nfkc(raw, MAX_LEN + 1).ok_or(PasswordError::NormalisationUnavailable)?;
    let count = normalised.chars().count();
    if count > MAX_LEN {
        Err(PasswordError::TooLong)
    } else if count < MIN_LEN {
        Err(PasswordError::TooShort)
    } else {
        Ok(normalised)
    }
}

/// Whether the folded (NFKC, lower-cased) password contains a fragment of
/// one of the identifiers; see the module docs for the fragment rule.
fn contains_identifier(folded: &str, identifiers: &[&str]) -> bool {
    identifiers.iter().any(|id| {
        let id = unicode::lowercase(&unicode::nfkc_or_same(id));
        let long_enough = |s: &&str| s.chars().count() >= IDENTIFIER_FRAGMENT_MIN;
        core::iter::once(id.as_str())
            .chain(id.split(|c: char| !unicode::is_alphanumeric(c)))
            .filter(long_enough)
            .any(|fragment| contains(folded, fragment))
    })
}

/// `haystack.contains(needle)`, as a plain search over the bytes (the same
/// answer for UTF-8). `str::contains` would link core's two-way searcher
/// and, through its slicing, the `Debug` formatting of strings: several KB
/// of the browser build, for needles of a few characters.
fn contains(haystack: &str, needle: &str) -> bool {
    let needle = needle.as_bytes();
    needle.is_empty()
        || haystack
            .as_bytes()
            .windows(needle.len())
            .any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_search_is_substring_search() {
        for (h, n) in [
            ("abc", ""),
            ("abc", "bc"),
            ("abc", "abcd"),
            ("", "a"),
            ("żółw", "ół"),
            ("żółw", "\u{f3}w"),
        ] {
            assert_eq!(contains(h, n), h.contains(n), "{h:?} {n:?}");
        }
    }

    /// `normalise` checks characters before NFKC on the claim that NFKC
    /// never turns an allowed character into a refused one. Check every
    /// Unicode scalar value.
    #[test]
    #[cfg(feature = "unicode-tables")]
    fn nfkc_never_produces_a_refused_character() {
        use unicode_normalization::UnicodeNormalization;

        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            if is_invalid_char(c) {
                continue;
            }
            let s: &str = c.encode_utf8(&mut buf);
            assert!(
                !s.nfkc().any(is_invalid_char),
                "U+{:04X} normalises to a refused character",
                u32::from(c)
            );
        }
    }

    #[test]
    fn refused_non_controls_are_66_noncharacters_and_2_separators() {
        let count = (0..=0x10FFFF)
            .filter_map(char::from_u32)
            .filter(|&c| is_invalid_char(c) && !c.is_control())
            .count();
        // 32 in U+FDD0..U+FDEF, 2 per plane for 17 planes, plus U+2028/U+2029.
        assert_eq!(count, 32 + 34 + 2);
    }
}
