//! Phone numbers: a temporary stand-in with the final API and a crude body.
//!
//! It knows five regions and checks lengths only; the real parser, faithful to
//! libphonenumber's metadata, replaces this module.

use core::fmt;
use core::str::FromStr;

/// A region this stand-in knows: (ISO 3166-1 alpha-2, country calling code,
/// national significant number lengths, national prefix).
type Plan = (&'static str, u16, (usize, usize), Option<char>);

const REGIONS: [Plan; 5] = [
    ("DE", 49, (7, 13), Some('0')),
    ("US", 1, (10, 10), Some('1')),
    ("ES", 34, (9, 9), None),
    ("ID", 62, (8, 12), Some('0')),
    ("CN", 86, (10, 11), Some('0')),
];

/// A region (ISO 3166-1 alpha-2 code) whose numbering plan is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region(&'static str);

impl Region {
    /// The upper-case ISO 3166-1 alpha-2 code, such as `"DE"`.
    pub fn as_str(&self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// The error of reading a [`Region`] from a code with no known numbering plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRegion;

impl fmt::Display for UnknownRegion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown region")
    }
}

impl std::error::Error for UnknownRegion {}

impl FromStr for Region {
    type Err = UnknownRegion;

    fn from_str(code: &str) -> Result<Region, UnknownRegion> {
        REGIONS
            .iter()
            .find(|r| r.0.eq_ignore_ascii_case(code))
            .map(|r| Region(r.0))
            .ok_or(UnknownRegion)
    }
}

/// A phone number: country calling code and national significant number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PhoneNumber {
    country_code: u16,
    national: String,
    region: Option<Region>,
}

impl PhoneNumber {
    /// The country calling code, such as 49.
    pub fn country_code(&self) -> u16 {
        self.country_code
    }

    /// The national significant number, digits only.
    pub fn national_number(&self) -> &str {
        &self.national
    }

    /// The E.164 form, such as `+4915123456789`.
    pub fn e164(&self) -> String {
        format!("+{}{}", self.country_code, self.national)
    }

    /// The region the number belongs to, when known.
    pub fn region(&self) -> Option<Region> {
        self.region
    }
}

/// Why a phone number was rejected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum PhoneError {
    /// Characters other than digits, phone punctuation and a leading `+`.
    InvalidCharacters,
    /// A national number without a default region.
    MissingRegion,
    /// No known country calling code after the `+`.
    InvalidCountryCode,
    /// Too few digits.
    TooShort,
    /// Too many digits.
    TooLong,
    /// Not a valid number.
    Invalid,
}

impl PhoneError {
    /// The stable error code.
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

/// Parses a phone number in international (`+`) or national form.
///
/// # Errors
///
/// A [`PhoneError`] saying why the input is not a phone number.
pub fn parse(input: &str, default_region: Option<Region>) -> Result<PhoneNumber, PhoneError> {
    let input = input.trim();
    let (international, rest) = match input.strip_prefix('+') {
        Some(rest) => (true, rest),
        None => (false, input),
    };
    if !rest
        .chars()
        .all(|c| c.is_ascii_digit() || " -()./".contains(c))
    {
        return Err(PhoneError::InvalidCharacters);
    }
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    if international {
        if digits.len() < 8 {
            return Err(PhoneError::TooShort);
        }
        if digits.len() > 15 {
            return Err(PhoneError::TooLong);
        }
        let region = REGIONS
            .iter()
            .find(|r| digits.starts_with(&r.1.to_string()))
            .ok_or(PhoneError::InvalidCountryCode)?;
        let national = &digits[region.1.to_string().len()..];
        return check(region, national);
    }
    let region = default_region.ok_or(PhoneError::MissingRegion)?;
    let region = REGIONS
        .iter()
        .find(|r| r.0 == region.0)
        .ok_or(PhoneError::Invalid)?;
    let national = match region.3 {
        Some(prefix) => digits.strip_prefix(prefix).ok_or(PhoneError::Invalid)?,
        None => &digits,
    };
    check(region, national)
}

fn check(region: &Plan, national: &str) -> Result<PhoneNumber, PhoneError> {
    let (min, max) = region.2;
    if national.len() < min {
        return Err(PhoneError::TooShort);
    }
    if national.len() > max {
        return Err(PhoneError::TooLong);
    }
    Ok(PhoneNumber {
        country_code: region.1,
        national: national.to_owned(),
        region: Some(Region(region.0)),
    })
}
