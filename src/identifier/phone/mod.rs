//! Phone numbers: parsing what a person types and judging it valid per
//! country the way Google's libphonenumber does.
//!
//! [`parse`] accepts a number as people write it (`+49 151 23456789`,
//! `(030) 1234567` with default region DE, `0049 30 1234567`,
//! `+1 (650) 253-0000`, full-width or other Unicode decimal digits, a
//! leading `tel:`), strips international and national prefixes, and returns
//! a [`PhoneNumber`] only when it is a *valid* number of its country:
//! right length and matching one of the country's number-type patterns.
//! Validity follows libphonenumber's `parse`, `isPossibleNumberWithReason`
//! and `isValidNumber` step by step, on a compact copy of its metadata
//! (Apache-2.0; see `metadata.tsv` and `tools/gen_phone_metadata.py`), and
//! is checked against the reference on thousands of vectors
//! (`tests/phone_vectors.rs`).
//!
//! Deliberately left out, compared to libphonenumber:
//! - letters (vanity numbers like `1-800-FLOWERS`), extensions (`ext. 12`),
//!   RFC 3966 parameters (`;phone-context=`) and text around the number are
//!   rejected with [`PhoneError::InvalidCharacters`]: a recovery form wants
//!   one plain number, and a stray letter is more likely a typo;
//! - short codes, formatting and as-you-type formatting.
//!
//! # Where the numbering plans come from
//!
//! With the `phone-metadata` feature (the default) the table is compiled in
//! (about 90 KB of text, 28 KB gzipped). Without it the build carries only
//! the list of calling codes and regions, and the table is installed at run
//! time with [`load_metadata`]: the npm package fetches it as a separate
//! file (`phone-metadata.tsv`, a copy of `metadata.tsv`) after start-up.
//!
//! Until it is loaded, parsing runs in a degraded mode:
//! - a number starting with `+` is checked for its E.164 shape only: 8 to
//!   15 digits ([`TooShort`](PhoneError::TooShort) /
//!   [`TooLong`](PhoneError::TooLong)) that start with an assigned calling
//!   code ([`InvalidCountryCode`](PhoneError::InvalidCountryCode)). No
//!   national prefix is stripped after the calling code, the
//!   [`region`](PhoneNumber::region) is known only for a calling code of a
//!   single region, and the [`number_type`](PhoneNumber::number_type) is
//!   [`NumberType::Unknown`];
//! - a number without `+` cannot be read, whatever the default region:
//!   [`MissingRegion`](PhoneError::MissingRegion), whose message asks for
//!   the number with its country code. So bare digits are an account ID
//!   (see [`identifier`](crate::identifier)) when they fit its rule;
//! - [`Region`] parsing and [`Region::country_code`] work from the built-in
//!   list; [`Region::national_prefix`] is `None`.
//!
//! The server always has the table, and judges again what the browser let
//! through.
//!
//! # Example
//!
//! ```
//! use resetflow::identifier::phone::{parse, NumberType, PhoneError, Region};
//!
//! let de: Region = "de".parse().unwrap();
//! let n = parse("0151 23456789", Some(de)).unwrap();
//! assert_eq!(n.e164(), "+4915123456789");
//! assert_eq!(n.number_type(), NumberType::Mobile);
//! assert_eq!(parse("+1 650 25", None).unwrap_err(), PhoneError::TooShort);
//! ```

mod metadata;
mod plans;
mod regex;

use crate::digits::{decimal_digit, push_decimal};
use std::fmt;
use std::str::FromStr;

use metadata::{LengthVerdict, Metadata, Territory};

pub use metadata::MetadataError;

/// `parts.concat()`, without the generic `join` code behind it (about
/// 0.9 KB of wasm): the browser build puts its table messages and host
/// patterns together with this (docs/browser-size.md).
fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// Installs the numbering plans from `text`, a table in the format of
/// `metadata.tsv` (the npm package ships a copy as `phone-metadata.tsv`),
/// ending the degraded mode described in the [module docs](self).
///
/// The table is parsed once and kept for the life of the process (or page).
/// Idempotent: once a table is in use, later calls return `Ok(())` at once
/// without reading `text`; with the `phone-metadata` feature the bundled
/// table is always in use, so this does nothing. Thread-safe: racing calls
/// install one of the tables, which are the same table in practice.
///
/// # Errors
///
/// A [`MetadataError`] (code `phone.metadata_invalid`) naming the line of a
/// malformed record, a pattern outside the supported subset, records out of
/// order, or an empty table. Nothing is installed then, and a later call may
/// try again.
///
/// # Example
///
/// ```
/// use resetflow::identifier::phone::{load_metadata, metadata_loaded};
///
/// // A browser build gets the text with `fetch("phone-metadata.tsv")`.
/// let table = std::fs::read_to_string("src/identifier/phone/metadata.tsv")?;
/// load_metadata(&table)?;
/// assert!(metadata_loaded());
/// // Once a table is in use, later calls change nothing.
/// assert!(load_metadata("not a table").is_ok());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn load_metadata(text: &str) -> Result<(), MetadataError> {
    metadata::load(text)
}

/// Whether the numbering plans are in use (compiled in, or loaded with
/// [`load_metadata`]); `false` means the degraded mode of the
/// [module docs](self).
pub fn metadata_loaded() -> bool {
    metadata::current().is_some()
}

/// Inputs longer than this many characters are rejected as
/// [`PhoneError::TooLong`] before any other work. The longest valid number
/// has 3 + 17 digits; 64 leaves ample room for punctuation and spaces, and
/// bounds the work an attacker can cause.
pub const MAX_INPUT_CHARS: usize = 64;

/// libphonenumber's bounds on a national significant number.
const MIN_NSN: usize = 2;
const MAX_NSN: usize = 17;

/// A region (country or territory) known to the phone metadata, by its
/// ISO 3166-1 alpha-2 code in upper case.
///
/// Parsing is case-insensitive and accepts only regions that have a
/// numbering plan in the metadata (245 of them, e.g. `DE`, `US`, `GG`).
///
/// ```
/// use resetflow::identifier::phone::Region;
/// let r: Region = "gb".parse().unwrap();
/// assert_eq!(r.as_str(), "GB");
/// assert_eq!(r.country_code(), 44);
/// assert!("XX".parse::<Region>().is_err());
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Region([u8; 2]);

impl Region {
    /// A region from two ASCII letters, without checking the metadata.
    fn from_code(code: &str) -> Option<Region> {
        match code.as_bytes() {
            &[a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                Some(Region([a.to_ascii_uppercase(), b.to_ascii_uppercase()]))
            }
            _ => None,
        }
    }

    /// The upper-case ISO 3166-1 alpha-2 code, e.g. `"DE"`.
    pub fn as_str(&self) -> &str {
        // Only ASCII letters are ever stored (see `from_code`).
        std::str::from_utf8(&self.0).unwrap_or("ZZ")
    }

    /// The country calling code dialled for this region, e.g. 49 for DE.
    pub fn country_code(&self) -> u16 {
        match metadata::current() {
            Some(md) => md.for_region(*self).map_or(0, |t| t.country_code),
            None => plans::calling_code(*self).unwrap_or(0),
        }
    }

    /// The national (trunk) prefix dialled before a national number within
    /// the region, e.g. `"0"` for DE and `"1"` for US; `None` where there is
    /// none (and `None` until the numbering plans are loaded, see the
    /// [module docs](self)). Useful for placeholders and hints in a form.
    pub fn national_prefix(&self) -> Option<&'static str> {
        self.territory().and_then(|t| t.national_prefix.as_deref())
    }

    fn territory(&self) -> Option<&'static Territory> {
        metadata::current()?.for_region(*self)
    }
}

impl fmt::Debug for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Region({})", self.as_str())
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Region {
    type Err = UnknownRegion;

    /// # Errors
    ///
    /// [`UnknownRegion`] unless `s` is the two-letter code (any case) of a
    /// region in the phone metadata (before it is loaded: in the built-in
    /// list of regions, which is the same).
    fn from_str(s: &str) -> Result<Region, UnknownRegion> {
        let r = Region::from_code(s).ok_or(UnknownRegion)?;
        let known = match metadata::current() {
            Some(md) => md.for_region(r).is_some(),
            None => plans::calling_code(r).is_some(),
        };
        if known {
            Ok(r)
        } else {
            Err(UnknownRegion)
        }
    }
}

/// The error of parsing a [`Region`]: not a region with a numbering plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownRegion;

impl UnknownRegion {
    /// The stable error code, `"region.unknown"`.
    pub fn code(&self) -> &'static str {
        "region.unknown"
    }
}

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown region code")
    }
}

impl std::error::Error for UnknownRegion {}

/// What kind of line a number belongs to, as libphonenumber's
/// `getNumberType` tells it from the number alone (porting a number to
/// another network keeps its type).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NumberType {
    /// A landline.
    FixedLine,
    /// A mobile phone.
    Mobile,
    /// Either: the country's numbering plan does not tell the two apart
    /// (for example the United States and Canada).
    FixedLineOrMobile,
    /// Free to the caller.
    TollFree,
    /// Charged at a premium rate.
    PremiumRate,
    /// Cost shared between caller and recipient.
    SharedCost,
    /// Voice over IP.
    Voip,
    /// A personal number routed to another line of the owner's choosing.
    PersonalNumber,
    /// A pager.
    Pager,
    /// A company's "universal access number".
    Uan,
    /// A voicemail access number.
    Voicemail,
    /// Not known: the number was read without the numbering plans (see the
    /// [module docs](self)).
    Unknown,
}

impl NumberType {
    /// Whether a text message can plausibly reach this number: mobile
    /// numbers, and numbers whose plan does not distinguish mobile from
    /// fixed line, and numbers whose type is [`Unknown`](NumberType::Unknown).
    /// A hint for choosing the channel, not a guarantee.
    pub fn may_receive_sms(self) -> bool {
        matches!(
            self,
            NumberType::Mobile | NumberType::FixedLineOrMobile | NumberType::Unknown
        )
    }

    /// A stable lower-case name, e.g. `"fixed_line_or_mobile"`.
    pub fn as_str(self) -> &'static str {
        match self {
            NumberType::FixedLine => "fixed_line",
            NumberType::Mobile => "mobile",
            NumberType::FixedLineOrMobile => "fixed_line_or_mobile",
            NumberType::TollFree => "toll_free",
            NumberType::PremiumRate => "premium_rate",
            NumberType::SharedCost => "shared_cost",
            NumberType::Voip => "voip",
            NumberType::PersonalNumber => "personal_number",
            NumberType::Pager => "pager",
            NumberType::Uan => "uan",
            NumberType::Voicemail => "voicemail",
            NumberType::Unknown => "unknown",
        }
    }
}

/// A valid phone number: country calling code and national significant
/// number. Only [`parse`] makes one, so every value is valid for its
/// country per the metadata (or, before the metadata is loaded, has the
/// E.164 shape; see the [module docs](self)).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PhoneNumber {
    country_code: u16,
    national: String,
    region: Option<Region>,
    number_type: NumberType,
}

impl PhoneNumber {
    /// The country calling code, e.g. 49.
    pub fn country_code(&self) -> u16 {
        self.country_code
    }

    /// The national significant number: ASCII digits without national
    /// prefix, e.g. `"15123456789"` (an Italian number keeps its leading 0).
    pub fn national_number(&self) -> &str {
        &self.national
    }

    /// The E.164 form, e.g. `"+4915123456789"`: the canonical value to
    /// store and compare.
    pub fn e164(&self) -> String {
        // Not `format!`: it would link `core::fmt` into the browser build.
        let mut out = String::with_capacity(4 + self.national.len());
        out.push('+');
        push_decimal(&mut out, usize::from(self.country_code));
        out.push_str(&self.national);
        out
    }

    /// The region the number belongs to (for a shared calling code such as
    /// +1 the one whose plan it matches, as libphonenumber decides);
    /// `None` for non-geographic numbers such as +800.
    pub fn region(&self) -> Option<Region> {
        self.region
    }

    /// The kind of line, e.g. mobile or fixed line.
    pub fn number_type(&self) -> NumberType {
        self.number_type
    }
}

impl fmt::Display for PhoneNumber {
    /// Writes the E.164 form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "+{}{}", self.country_code, self.national)
    }
}

/// Why an input is not a valid phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PhoneError {
    /// A character that is neither a digit, a leading `+`, nor phone
    /// punctuation (letters, extensions, `*`, `#`, ...).
    InvalidCharacters,
    /// No `+` or international prefix, and no default region to read a
    /// national number in.
    MissingRegion,
    /// The digits after `+` (or after the international prefix) start with
    /// no assigned country calling code.
    InvalidCountryCode,
    /// Fewer digits than any number of that country has.
    TooShort,
    /// More digits than any number of that country has, or an input longer
    /// than [`MAX_INPUT_CHARS`].
    TooLong,
    /// A possible length, but no valid number of the country (a length the
    /// plan does not use, or digits matching none of its number types).
    Invalid,
}

impl PhoneError {
    /// The stable error code, e.g. `"phone.too_short"`.
    pub fn code(&self) -> &'static str {
        match self {
            PhoneError::InvalidCharacters => "phone.invalid_characters",
            PhoneError::MissingRegion => "phone.missing_region",
            PhoneError::InvalidCountryCode => "phone.invalid_country_code",
            PhoneError::TooShort => "phone.too_short",
            PhoneError::TooLong => "phone.too_long",
            PhoneError::Invalid => "phone.invalid",
        }
    }
}

impl fmt::Display for PhoneError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PhoneError::InvalidCharacters => {
                "the phone number contains characters other than digits and punctuation"
            }
            PhoneError::MissingRegion => {
                "the phone number has no country code and no default region was given"
            }
            PhoneError::InvalidCountryCode => "the country calling code is not assigned",
            PhoneError::TooShort => "the phone number is too short",
            PhoneError::TooLong => "the phone number is too long",
            PhoneError::Invalid => "not a valid phone number of its country",
        })
    }
}

impl std::error::Error for PhoneError {}

/// Parses and validates a phone number as a person types it.
///
/// `default_region` is where a number without `+` is dialled from: its
/// national prefix is stripped (`0151…` in DE) and its international prefix
/// recognised (`0049…` in DE, `011 49…` in US). Without it, only numbers
/// starting with `+` can be read.
///
/// Accepted besides digits: one leading `+` (or full-width `＋`), spaces,
/// `-` `.` `/` `(` `)` `[` `]` `~` and their Unicode and full-width
/// variants, and a leading `tel:`. Any Unicode decimal digit counts as its
/// ASCII digit.
///
/// The input is attacker controlled: it is bounded to [`MAX_INPUT_CHARS`]
/// characters before anything else, never panics, and allocates in
/// proportion to that bound.
///
/// # Errors
///
/// A [`PhoneError`]: [`InvalidCharacters`](PhoneError::InvalidCharacters)
/// for letters or other junk, [`MissingRegion`](PhoneError::MissingRegion)
/// for a national number without default region,
/// [`InvalidCountryCode`](PhoneError::InvalidCountryCode),
/// [`TooShort`](PhoneError::TooShort) / [`TooLong`](PhoneError::TooLong)
/// when the length is outside every length of the country's plan, and
/// [`Invalid`](PhoneError::Invalid) when the length is possible but the
/// number is not a valid one (as libphonenumber's `isValidNumber`). Before
/// the metadata is loaded, the errors of the degraded mode of the
/// [module docs](self).
pub fn parse(input: &str, default_region: Option<Region>) -> Result<PhoneNumber, PhoneError> {
    match metadata::current() {
        Some(md) => parse_with(md, input, default_region),
        None => parse_shape(input),
    }
}

/// The fewest and most digits of an E.164 number, calling code included,
/// accepted before the metadata is loaded. E.164 allows at most 15; the
/// shortest numbers in use (Niue, Saint Helena) have 7 or 8 with their code,
/// and 8 is the usual lower bound of form validation.
const E164_MIN_DIGITS: usize = 8;
const E164_MAX_DIGITS: usize = 15;

/// The degraded mode: a number starting with `+` checked for its E.164
/// shape and calling code only.
fn parse_shape(input: &str) -> Result<PhoneNumber, PhoneError> {
    let (plus, digits) = lex(input)?;
    if !plus {
        return Err(PhoneError::MissingRegion);
    }
    if digits.len() < E164_MIN_DIGITS {
        return Err(PhoneError::TooShort);
    }
    if digits.len() > E164_MAX_DIGITS {
        return Err(PhoneError::TooLong);
    }
    // The shortest prefix that is a calling code, as with the metadata;
    // codes never start with 0.
    let (country_code, national) = (1..=3)
        .filter(|_| !digits.starts_with('0'))
        .find_map(|n| {
            let cc: u16 = digits.get(..n)?.parse().ok()?;
            let rest = digits.get(n..)?;
            plans::is_calling_code(cc).then(|| (cc, rest.to_owned()))
        })
        .ok_or(PhoneError::InvalidCountryCode)?;
    Ok(PhoneNumber {
        country_code,
        national,
        region: plans::sole_region(country_code),
        number_type: NumberType::Unknown,
    })
}

fn parse_with(
    md: &Metadata,
    input: &str,
    default_region: Option<Region>,
) -> Result<PhoneNumber, PhoneError> {
    let (plus, digits) = lex(input)?;
    let home = default_region.and_then(|r| md.for_region(r));
    if !plus && home.is_none() {
        return Err(PhoneError::MissingRegion);
    }
    // libphonenumber's isViablePhoneNumber: two digits, or three after '+'.
    if digits.len() < MIN_NSN || (plus && digits.len() < 3) {
        return Err(PhoneError::TooShort);
    }

    let extracted = match extract_country_code(md, &digits, plus, home) {
        // A '+' followed by an unassigned code: libphonenumber retries as
        // if the '+' were not there (so "+0049..." still works in DE).
        Err(PhoneError::InvalidCountryCode) if plus => {
            match extract_country_code(md, &digits, false, home)? {
                Some(found) => Some(found),
                None => return Err(PhoneError::InvalidCountryCode),
            }
        }
        other => other?,
    };
    let (country_code, mut national, territory) = match extracted {
        Some((cc, rest)) => {
            let main = md
                .main_for_country_code(cc)
                .ok_or(PhoneError::InvalidCountryCode)?;
            (cc, rest, main)
        }
        None => {
            let home = home.ok_or(PhoneError::MissingRegion)?;
            (home.country_code, digits, home)
        }
    };

    if national.len() < MIN_NSN {
        return Err(PhoneError::TooShort);
    }
    // Strip the national prefix only if what remains still has a full
    // length: otherwise the digits were probably a short number.
    let stripped = strip_national_prefix(&national, territory);
    if !matches!(
        territory.test_length(&stripped),
        LengthVerdict::TooShort | LengthVerdict::PossibleLocalOnly | LengthVerdict::InvalidLength
    ) {
        national = stripped;
    }
    if national.len() < MIN_NSN {
        return Err(PhoneError::TooShort);
    }
    if national.len() > MAX_NSN {
        return Err(PhoneError::TooLong);
    }

    // isPossibleNumberWithReason judges lengths by the main region of the
    // calling code; isValidNumber then finds the number's own region.
    let main = md
        .main_for_country_code(country_code)
        .ok_or(PhoneError::InvalidCountryCode)?;
    match main.test_length(&national) {
        LengthVerdict::TooShort => return Err(PhoneError::TooShort),
        LengthVerdict::TooLong => return Err(PhoneError::TooLong),
        LengthVerdict::InvalidLength => return Err(PhoneError::Invalid),
        LengthVerdict::Possible | LengthVerdict::PossibleLocalOnly => {}
    }
    let (own, number_type) =
        region_and_type(md, country_code, &national).ok_or(PhoneError::Invalid)?;
    Ok(PhoneNumber {
        country_code,
        national,
        region: own.region,
        number_type,
    })
}

/// Reads the input into "was there a leading +" and its ASCII digits.
fn lex(input: &str) -> Result<(bool, String), PhoneError> {
    // Bounded work before anything else: count at most one char too many.
    if input.chars().nth(MAX_INPUT_CHARS).is_some() {
        return Err(PhoneError::TooLong);
    }
    let s = input.trim();
    let s = match s.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("tel:") => s.get(4..).unwrap_or(s),
        _ => s,
    };
    let mut plus = false;
    let mut digits = String::with_capacity(s.len().min(MAX_INPUT_CHARS));
    for c in s.chars() {
        if let Some(d) = decimal_digit(c) {
            digits.push(char::from(b'0' + d));
        } else if c == '+' || c == '\u{FF0B}' {
            // One plus, before the first digit ("(+49) 30" is fine).
            if plus || !digits.is_empty() {
                return Err(PhoneError::InvalidCharacters);
            }
            plus = true;
        } else if !is_punctuation(c) {
            return Err(PhoneError::InvalidCharacters);
        }
    }
    Ok((plus, digits))
}

/// Phone punctuation libphonenumber ignores (its VALID_PUNCTUATION without
/// the letter `x`, which it allows as a carrier-code placeholder), plus
/// Unicode white space.
fn is_punctuation(c: char) -> bool {
    matches!(
        c,
        '-' | '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{30FC}' | '\u{FF0D}'..='\u{FF0F}'
            | '\u{00A0}' | '\u{00AD}' | '\u{200B}' | '\u{2060}' | '\u{3000}'
            | '(' | ')' | '\u{FF08}' | '\u{FF09}' | '\u{FF3B}' | '\u{FF3D}'
            | '.' | '[' | ']' | '/' | '~' | '\u{2053}' | '\u{223C}' | '\u{FF5E}'
    ) || c.is_whitespace()
}

/// libphonenumber's `maybeExtractCountryCode`: `Some((code, rest))` when
/// the number carries a calling code (after '+', after the default region's
/// international prefix, or, without either, as the default region's own
/// code when that reads better), `None` when it is a national number.
fn extract_country_code(
    md: &Metadata,
    digits: &str,
    plus: bool,
    home: Option<&Territory>,
) -> Result<Option<(u16, String)>, PhoneError> {
    let after_idd = if plus {
        Some(digits)
    } else {
        home.and_then(|t| t.idd.as_ref()).and_then(|idd| {
            let m = idd.match_prefix(digits)?;
            let rest = digits.get(m.end..)?;
            // Calling codes never start with 0: "00 0..." is no IDD.
            (!rest.starts_with('0')).then_some(rest)
        })
    };
    if let Some(full) = after_idd {
        if full.len() <= MIN_NSN {
            return Err(PhoneError::TooShort);
        }
        return match md.extract_country_code(full) {
            Some((cc, rest)) => Ok(Some((cc, rest.to_owned()))),
            None => Err(PhoneError::InvalidCountryCode),
        };
    }
    let Some(home) = home else { return Ok(None) };
    // "4930123456" typed in DE: the home calling code without '+'. Take it
    // as such only if the number reads better without it.
    let mut cc = String::new();
    push_decimal(&mut cc, usize::from(home.country_code));
    if let Some(rest) = digits.strip_prefix(cc.as_str()) {
        let potential = strip_national_prefix(rest, home);
        if (!home.general_matches(digits) && home.general_matches(&potential))
            || home.test_length(digits) == LengthVerdict::TooLong
        {
            return Ok(Some((home.country_code, potential)));
        }
    }
    Ok(None)
}

/// libphonenumber's `maybeStripNationalPrefixAndCarrierCode`: removes a
/// national prefix (and carrier code), or rewrites it by the transform
/// rule, unless that turns a number matching the general pattern into one
/// that does not.
fn strip_national_prefix(number: &str, t: &Territory) -> String {
    let Some(npp) = &t.national_prefix_for_parsing else {
        return number.to_owned();
    };
    if number.is_empty() {
        return number.to_owned();
    }
    let Some(m) = npp.match_prefix(number) else {
        return number.to_owned();
    };
    let viable_before = t.general_matches(number);
    let last_group_matched = m.groups.last().is_some_and(|g| g.is_some());
    let candidate = match &t.transform_rule {
        Some(rule) if last_group_matched => regex::apply_transform(rule, &m, number),
        _ => number.get(m.end..).unwrap_or(number).to_owned(),
    };
    if viable_before && !t.general_matches(&candidate) {
        return number.to_owned();
    }
    candidate
}

/// libphonenumber's `getRegionCodeForNumber` and `getNumberType`: the
/// territory of a shared calling code whose leading digits or patterns
/// the number matches, and the number's type there; `None` if invalid.
fn region_and_type<'m>(
    md: &'m Metadata,
    cc: u16,
    nsn: &str,
) -> Option<(&'m Territory, NumberType)> {
    let candidates = md.for_country_code(cc);
    let own = match candidates {
        [only] => only,
        _ => candidates.iter().find(|t| match &t.leading_digits {
            Some(ld) => ld.match_prefix(nsn).is_some(),
            None => t.number_type(nsn).is_some(),
        })?,
    };
    Some((own, own.number_type(nsn)?))
}

/// With the `serde` feature, a [`Region`] is its two-letter code and a
/// [`PhoneNumber`] its E.164 string; deserialising runs [`parse`], so only
/// valid values come in.
#[cfg(feature = "serde")]
mod serde_impls {
    use super::{parse, PhoneNumber, Region};
    use serde::de::Error as _;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    impl Serialize for Region {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_str(self.as_str())
        }
    }

    impl<'de> Deserialize<'de> for Region {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Region, D::Error> {
            let s = String::deserialize(d)?;
            s.parse()
                .map_err(|e: super::UnknownRegion| D::Error::custom(e.code()))
        }
    }

    impl Serialize for PhoneNumber {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(self)
        }
    }

    impl<'de> Deserialize<'de> for PhoneNumber {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<PhoneNumber, D::Error> {
            let s = String::deserialize(d)?;
            if !s.starts_with('+') {
                return Err(D::Error::custom("phone number must be in E.164 form"));
            }
            parse(&s, None).map_err(|e| D::Error::custom(e.code()))
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use serde::de::value::{Error, StrDeserializer};
        use serde::de::IntoDeserializer;

        fn de<T: for<'a> Deserialize<'a>>(s: &str) -> Result<T, Error> {
            let d: StrDeserializer<'_, Error> = s.into_deserializer();
            T::deserialize(d)
        }

        #[test]
        fn deserialising_validates() {
            assert_eq!(de::<Region>("de").unwrap().as_str(), "DE");
            assert!(de::<Region>("XX").is_err());
            let n: PhoneNumber = de("+4915123456789").unwrap();
            assert_eq!(n.national_number(), "15123456789");
            assert!(de::<PhoneNumber>("+49151").is_err());
            assert!(de::<PhoneNumber>("015123456789").is_err());
        }
    }
}

/// Tests of the full parser, on the bundled table.
#[cfg(all(test, feature = "phone-metadata"))]
mod tests;

/// The degraded mode, on its own whatever the features.
#[cfg(test)]
mod shape_tests {
    use super::*;

    fn shape(input: &str) -> Result<(String, Option<String>, &'static str), &'static str> {
        parse_shape(input)
            .map(|n| {
                let region = n.region().map(|r| r.to_string());
                (n.e164(), region, n.number_type().as_str())
            })
            .map_err(|e| e.code())
    }

    #[test]
    fn plus_numbers_are_checked_for_their_e164_shape() {
        assert_eq!(
            shape("+49 151 2345 6789"),
            Ok(("+4915123456789".into(), Some("DE".into()), "unknown"))
        );
        // +1 is shared by 25 regions: which one is not known without plans.
        assert_eq!(
            shape("+1 (650) 253-0000"),
            Ok(("+16502530000".into(), None, "unknown"))
        );
        // Full-width plus and digits, as elsewhere.
        assert_eq!(
            shape("＋４４ ２０ ７９４６ ００００"),
            Ok(("+442079460000".into(), None, "unknown"))
        );
        // 8 and 15 digits are the bounds.
        assert_eq!(shape("+68312345").map(|t| t.0), Ok("+68312345".into()));
        assert_eq!(shape("+6831234"), Err("phone.too_short"));
        assert_eq!(
            shape("+491234567890123").map(|t| t.0),
            Ok("+491234567890123".into())
        );
        assert_eq!(shape("+4912345678901234"), Err("phone.too_long"));
    }

    #[test]
    fn calling_codes_must_be_assigned() {
        // 999 and all of +28 are unassigned; codes never start with 0.
        assert_eq!(shape("+999 1234 5678"), Err("phone.invalid_country_code"));
        assert_eq!(shape("+28 1234 5678"), Err("phone.invalid_country_code"));
        assert_eq!(
            shape("+0049 151 2345678"),
            Err("phone.invalid_country_code")
        );
        // 3-digit codes: 380 Ukraine, 358 Finland shared with the Åland
        // Islands, 800 international freephone.
        assert_eq!(
            shape("+380 44 123 4567"),
            Ok(("+380441234567".into(), Some("UA".into()), "unknown"))
        );
        assert_eq!(shape("+358 40 123 4567").map(|t| t.1), Ok(None));
        assert_eq!(shape("+800 1234 5678").map(|t| t.1), Ok(None));
    }

    #[test]
    fn national_numbers_need_the_plans() {
        assert_eq!(shape("0151 23456789"), Err("phone.missing_region"));
        assert_eq!(shape("+49 151 x"), Err("phone.invalid_characters"));
        assert_eq!(shape(&"1".repeat(80)), Err("phone.too_long"));
    }
}
