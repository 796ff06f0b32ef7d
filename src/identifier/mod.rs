//! One parser for what a person types to find their account: an e-mail
//! address, a phone number or a numeric account ID.
//!
//! [`parse`] (or [`Identifier::parse`] with [`ParseOptions`]) detects the kind
//! and returns the canonical value that the browser and the server both use,
//! or an [`IdentifierError`] with a stable code and a localised message.
//!
//! # Detection
//!
//! 1. The input is trimmed of Unicode white space; nothing left is
//!    `identifier.empty`. Over [`MAX_INPUT_CHARS`] characters after trimming,
//!    or over four times as many bytes before it, is `identifier.too_long`:
//!    checked first, so that no later step works on unbounded input.
//! 2. With an `@` it is an e-mail address ([`Email`]).
//! 3. Decimal digits of any script (full-width `０`–`９`, Arabic-Indic, ...)
//!    are read as ASCII digits, and full-width `＋－（）．／` and Unicode dashes
//!    as their ASCII forms.
//! 4. A leading `+` means a phone number.
//! 5. Bare digits are a phone number if they form a valid number of the
//!    default region; otherwise (or with no default region) they are an account
//!    ID, checked against the [`AccountIdRule`].
//! 6. Digits with phone punctuation (white space, `-`, `(`, `)`, `.`, `/`)
//!    between them are a phone number.
//! 7. Anything else is `identifier.unrecognized` (this includes letters in a
//!    number, such as vanity numbers or `ext.`).
//!
//! Without the phone numbering plans (a build without the `phone-metadata`
//! feature, before [`phone::load_metadata`] ran), rule 5 finds no phone
//! number, so bare digits are an account ID, and numbers with `+` are
//! checked for their E.164 shape only (see [`phone`]).
//!
//! Without UTS #46 (a native build without the `idna` feature), an e-mail
//! domain that is not ASCII is `email.idna_unavailable`; a browser build
//! without it asks the browser (see [`Email`]).
//!
//! Once the kind is chosen it is final: `+49 1` is `phone.too_short`, not an
//! attempt at something else. This is what the form shows as the user types.
//!
//! # Example
//!
//! ```
//! use resetflow::identifier::{self, Kind, Region};
//!
//! let region: Region = "DE".parse()?;
//! let id = identifier::parse("  Jane@München.DE ", Some(region))?;
//! assert_eq!(id.kind(), Kind::Email);
//! assert_eq!(id.as_str(), "Jane@xn--mnchen-3ya.de");
//!
//! let id = identifier::parse("+49 151 23456789", None)?;
//! assert_eq!((id.kind().as_str(), id.as_str()), ("phone", "+4915123456789"));
//!
//! let err = identifier::parse("jane@", None).unwrap_err();
//! assert_eq!(err.code(), "email.missing_domain");
//! # Ok::<(), identifier::IdentifierError>(())
//! ```
//!
//! # Security
//!
//! The input is attacker controlled. Parsing never panics, does work bounded
//! by [`MAX_INPUT_CHARS`], and errors never repeat the input, so they can be
//! logged. The same code runs natively and in wasm32; it does no I/O.
//!
//! # Size
//!
//! This module is most of the npm package's wasm, so it slices strings with
//! `str::get` rather than `&s[a..b]`: the panic path of the latter formats
//! the string with `Debug`, which links core's Unicode printability tables
//! (about 4 KB gzipped). `tools/size_report.sh` shows the sizes.
//!
//! [`parse`]: crate::identifier::parse
//! [`Identifier::parse`]: crate::identifier::Identifier::parse
//! [`ParseOptions`]: crate::identifier::ParseOptions
//! [`IdentifierError`]: crate::identifier::IdentifierError
//! [`MAX_INPUT_CHARS`]: crate::identifier::MAX_INPUT_CHARS
//! [`Email`]: crate::identifier::Email
//! [`AccountIdRule`]: crate::identifier::AccountIdRule
//! [`phone`]: crate::identifier::phone
//! [`phone::load_metadata`]: crate::identifier::phone::load_metadata

use crate::digits::decimal_digit;
use core::fmt;

mod account;
mod email;
mod error;
pub mod phone;
#[cfg(any(test, all(target_arch = "wasm32", not(feature = "idna"))))]
mod punycode;

pub use account::{AccountId, AccountIdRule, InvalidRule, MAX_ACCOUNT_ID_DIGITS};
pub use email::{Email, MAX_ADDRESS_OCTETS, MAX_DOMAIN_OCTETS, MAX_LABEL_OCTETS, MAX_LOCAL_OCTETS};
pub use error::{ErrorKind, IdentifierError};
pub use phone::{PhoneNumber, Region};

/// The most characters an input may have after trimming: 64 for a local
/// part, 1 for the `@` and 255 for a domain; every identifier kind fits.
pub const MAX_INPUT_CHARS: usize = 320;

/// Inputs longer than this many bytes are refused before they are even
/// trimmed, so that trimming is bounded too. It is four UTF-8 bytes per
/// character of [`MAX_INPUT_CHARS`]: only an input padded with hundreds of
/// white-space characters can be refused here and not by the character count.
const MAX_INPUT_BYTES: usize = 4 * MAX_INPUT_CHARS;

/// The kind of an [`Identifier`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Kind {
    /// An e-mail address.
    Email,
    /// A phone number.
    Phone,
    /// A numeric account ID.
    AccountId,
}

impl Kind {
    /// `"email"`, `"phone"` or `"account_id"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Email => "email",
            Kind::Phone => "phone",
            Kind::AccountId => "account_id",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A phone number as an identifier: the parsed number and its E.164 form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Phone {
    number: PhoneNumber,
    e164: String,
}

impl Phone {
    /// The parsed number (country code, national number, region).
    pub fn number(&self) -> &PhoneNumber {
        &self.number
    }

    /// The E.164 form, such as `+4915123456789`.
    pub fn as_str(&self) -> &str {
        &self.e164
    }
}

impl From<PhoneNumber> for Phone {
    fn from(number: PhoneNumber) -> Phone {
        let e164 = number.e164();
        Phone { number, e164 }
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.e164)
    }
}

/// What a person typed to find their account, in canonical form.
///
/// Two inputs naming the same identifier give equal values: compare or look
/// up by [`as_str`](Identifier::as_str) together with [`kind`](Identifier::kind).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Identifier {
    /// An e-mail address: domain lower-cased and in punycode, local part as typed.
    Email(Email),
    /// A phone number, canonically in E.164.
    Phone(Phone),
    /// A numeric account ID, in ASCII digits.
    AccountId(AccountId),
}

/// How [`Identifier::parse`] reads bare digits.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// The region whose national phone numbers are accepted without `+`,
    /// usually the country the user is in. With `None`, phone numbers must be
    /// international and bare digits are always account IDs.
    pub default_region: Option<Region>,
    /// Which digit strings are account IDs.
    pub account_id: AccountIdRule,
}

impl Identifier {
    /// Detects the kind of `input` and parses it (see the [module
    /// docs](self) for the rules).
    ///
    /// # Errors
    ///
    /// An [`IdentifierError`] whose [`code`](IdentifierError::code) names the
    /// rule broken: `identifier.*` when no kind fits, else `email.*`,
    /// `phone.*` or `account_id.*` for the detected kind.
    pub fn parse(input: &str, options: &ParseOptions) -> Result<Identifier, IdentifierError> {
        if input.len() > MAX_INPUT_BYTES {
            return Err(ErrorKind::TooLong.into());
        }
        let input = input.trim();
        if input.is_empty() {
            return Err(ErrorKind::Empty.into());
        }
        if input.chars().nth(MAX_INPUT_CHARS).is_some() {
            return Err(ErrorKind::TooLong.into());
        }
        if input.contains('@') {
            return Ok(Identifier::Email(Email::parse(input)?));
        }
        let folded: String = input.chars().map(fold_phone_char).collect();
        let parse_phone = |region| -> Result<Identifier, IdentifierError> {
            Ok(Identifier::Phone(phone::parse(&folded, region)?.into()))
        };
        if folded.starts_with('+') {
            return parse_phone(options.default_region);
        }
        if folded.bytes().all(|b| b.is_ascii_digit()) {
            if let Some(region) = options.default_region {
                if let Ok(number) = phone::parse(&folded, Some(region)) {
                    return Ok(Identifier::Phone(number.into()));
                }
            }
            return Ok(Identifier::AccountId(options.account_id.check(&folded)?));
        }
        let phone_like = folded
            .bytes()
            .all(|b| b.is_ascii_digit() || b" -()./".contains(&b));
        if phone_like && folded.bytes().any(|b| b.is_ascii_digit()) {
            return parse_phone(options.default_region);
        }
        Err(ErrorKind::Unrecognized.into())
    }

    /// The kind: e-mail, phone or account ID.
    pub fn kind(&self) -> Kind {
        match self {
            Identifier::Email(_) => Kind::Email,
            Identifier::Phone(_) => Kind::Phone,
            Identifier::AccountId(_) => Kind::AccountId,
        }
    }

    /// The canonical string: the normalised e-mail address, the E.164 phone
    /// number or the account ID's ASCII digits.
    pub fn as_str(&self) -> &str {
        match self {
            Identifier::Email(e) => e.as_str(),
            Identifier::Phone(p) => p.as_str(),
            Identifier::AccountId(a) => a.as_str(),
        }
    }

    /// The canonical string; the same as [`as_str`](Identifier::as_str).
    pub fn normalized(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Parses `input` with the default [`AccountIdRule`] and `default_region` for
/// national phone numbers. See [`Identifier::parse`].
///
/// # Errors
///
/// An [`IdentifierError`] with a stable code, as [`Identifier::parse`].
pub fn parse(input: &str, default_region: Option<Region>) -> Result<Identifier, IdentifierError> {
    let options = ParseOptions {
        default_region,
        ..ParseOptions::default()
    };
    Identifier::parse(input, &options)
}

/// Reads one character of a would-be phone number or account ID the way a
/// person meant it: any decimal digit as ASCII, full-width and typographic
/// punctuation as ASCII, any white space as a space. Everything else is kept,
/// to be rejected later.
fn fold_phone_char(c: char) -> char {
    if let Some(d) = decimal_digit(c) {
        return char::from(b'0' + d);
    }
    match c {
        '＋' => '+',
        // Full-width hyphen-minus, Unicode hyphens and dashes, minus sign.
        '－' | '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '（' => '(',
        '）' => ')',
        '．' => '.',
        '／' => '/',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

#[cfg(feature = "serde")]
mod serde_impl {
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use super::{AccountId, Email, Identifier, Kind};

    #[derive(Serialize, Deserialize)]
    struct Wire<'a> {
        kind: Kind,
        #[serde(borrow)]
        normalized: std::borrow::Cow<'a, str>,
    }

    impl Serialize for Identifier {
        /// Serialises as `{"kind": "email", "normalized": "..."}`.
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            Wire {
                kind: self.kind(),
                normalized: self.as_str().into(),
            }
            .serialize(serializer)
        }
    }

    impl<'de> Deserialize<'de> for Identifier {
        /// Reads `{"kind", "normalized"}` and accepts it only if `normalized`
        /// is already canonical for its kind, so no invalid value can enter
        /// through deserialisation. (Account IDs are checked to be ASCII
        /// digits; the rule they were accepted under is not known here.)
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Identifier, D::Error> {
            let wire = Wire::deserialize(deserializer)?;
            let s: &str = &wire.normalized;
            let id = match wire.kind {
                Kind::Email => Email::parse(s).ok().map(Identifier::Email),
                Kind::Phone => super::phone::parse(s, None)
                    .ok()
                    .map(|n| Identifier::Phone(n.into())),
                Kind::AccountId => AccountId::from_canonical(s).map(Identifier::AccountId),
            };
            match id {
                Some(id) if id.as_str() == s => Ok(id),
                _ => Err(D::Error::custom(format_args!(
                    "not a canonical {} identifier",
                    wire.kind
                ))),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_digits_of_other_scripts() {
        // Values read off the Unicode code charts.
        assert_eq!(decimal_digit('7'), Some(7));
        assert_eq!(decimal_digit('０'), Some(0)); // U+FF10 FULLWIDTH DIGIT ZERO
        assert_eq!(decimal_digit('９'), Some(9)); // U+FF19
        assert_eq!(decimal_digit('\u{0663}'), Some(3)); // ARABIC-INDIC DIGIT THREE
        assert_eq!(decimal_digit('\u{06F5}'), Some(5)); // EXTENDED ARABIC-INDIC DIGIT FIVE
        assert_eq!(decimal_digit('\u{0969}'), Some(3)); // DEVANAGARI DIGIT THREE
        assert_eq!(decimal_digit('\u{0E58}'), Some(8)); // THAI DIGIT EIGHT
        assert_eq!(decimal_digit('\u{1D7D7}'), Some(9)); // MATHEMATICAL BOLD DIGIT NINE
        assert_eq!(decimal_digit('\u{1D7FF}'), Some(9)); // MATHEMATICAL MONOSPACE DIGIT NINE
        assert_eq!(decimal_digit('\u{11F59}'), Some(9)); // KAWI DIGIT NINE (Unicode 15.0)
                                                         // Numbers that are not decimal digits (General_Category No / Nl).
        for c in [
            '²', '½', '\u{2167}', '\u{2460}', '\u{19DA}', '\u{0F2A}', '/', ':', 'a',
        ] {
            assert_eq!(decimal_digit(c), None, "{c:?}");
        }
    }

    #[test]
    fn kind_strings() {
        assert_eq!(Kind::Email.as_str(), "email");
        assert_eq!(Kind::Phone.to_string(), "phone");
        assert_eq!(Kind::AccountId.as_str(), "account_id");
    }

    #[test]
    fn oversized_inputs_are_refused_before_work() {
        let huge = "1".repeat(1 << 20);
        assert_eq!(
            parse(&huge, None).unwrap_err().code(),
            "identifier.too_long"
        );
        let spaced = format!("{}x{}", " ".repeat(2000), " ".repeat(2000));
        assert_eq!(
            parse(&spaced, None).unwrap_err().code(),
            "identifier.too_long"
        );
    }

    /// Before the phone plans are loaded (no lib test loads them into the
    /// global table, so this holds for the whole test run).
    #[test]
    #[cfg(not(feature = "phone-metadata"))]
    fn without_phone_plans_digits_are_account_ids_and_plus_numbers_e164() {
        let de: Region = "DE".parse().unwrap();
        assert!(!phone::metadata_loaded());
        let id = parse("015123456789", Some(de)).unwrap();
        assert_eq!((id.kind(), id.as_str()), (Kind::AccountId, "015123456789"));
        let id = parse("+49 151 2345 6789", Some(de)).unwrap();
        assert_eq!((id.kind(), id.as_str()), (Kind::Phone, "+4915123456789"));
        assert_eq!(
            parse("0151 2345 6789", Some(de)).unwrap_err().code(),
            "phone.missing_region"
        );
        assert_eq!(
            parse("1234567890123", Some(de)).unwrap_err().code(),
            "account_id.too_long"
        );
        assert_eq!(
            parse("+49 151", None).unwrap_err().code(),
            "phone.too_short"
        );
        assert_eq!(de.country_code(), 49);
        assert!("XX".parse::<Region>().is_err());
    }
}
