//! Numeric account IDs and the rule they must follow.

use core::fmt;

use super::error::ErrorKind;

/// The most digits an [`AccountIdRule`] may allow.
pub const MAX_ACCOUNT_ID_DIGITS: usize = 64;

/// A numeric account ID: ASCII digits only, as the rule in force accepted it.
///
/// Digits typed in other scripts (full-width `１２３`, Arabic-Indic `١٢٣`, ...)
/// are stored as ASCII; leading zeros are kept, since they are part of the ID.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AccountId(String);

impl AccountId {
    /// The digits, such as `"100000001"`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Wraps a canonical digit string, checking only that it is one.
    #[cfg(feature = "serde")]
    pub(crate) fn from_canonical(digits: &str) -> Option<AccountId> {
        let canonical = !digits.is_empty()
            && digits.len() <= MAX_ACCOUNT_ID_DIGITS
            && digits.bytes().all(|b| b.is_ascii_digit());
        canonical.then(|| AccountId(digits.to_owned()))
    }
}

impl fmt::Display for AccountId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Which digit strings count as account IDs.
///
/// A rule is a digit count from `min_digits` to `max_digits` (inclusive), and
/// optionally a required prefix of digits; the prefix counts towards the
/// length. The default is 6 to 12 digits with no prefix.
///
/// ```
/// use resetflow::identifier::AccountIdRule;
///
/// // IDs such as 1000000001: ten digits beginning with "1".
/// let rule = AccountIdRule::new(10, 10)?.with_prefix("1")?;
/// assert_eq!(rule.prefix(), Some("1"));
/// # Ok::<(), resetflow::identifier::InvalidRule>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AccountIdRule {
    min_digits: usize,
    max_digits: usize,
    prefix: Option<String>,
}

impl AccountIdRule {
    /// 6 to 12 digits, any prefix.
    pub const DEFAULT: AccountIdRule = AccountIdRule {
        min_digits: 6,
        max_digits: 12,
        prefix: None,
    };

    /// A rule accepting `min_digits` to `max_digits` digits.
    ///
    /// # Errors
    ///
    /// [`InvalidRule`] if `min_digits` is 0, greater than `max_digits`, or
    /// `max_digits` is over [`MAX_ACCOUNT_ID_DIGITS`].
    pub fn new(min_digits: usize, max_digits: usize) -> Result<AccountIdRule, InvalidRule> {
        if min_digits == 0 {
            return Err(InvalidRule("min_digits must be at least 1"));
        }
        if min_digits > max_digits {
            return Err(InvalidRule("min_digits must not exceed max_digits"));
        }
        if max_digits > MAX_ACCOUNT_ID_DIGITS {
            return Err(InvalidRule("max_digits must not exceed 64"));
        }
        Ok(AccountIdRule {
            min_digits,
            max_digits,
            prefix: None,
        })
    }

    /// This rule, also requiring the ID to begin with `prefix`.
    ///
    /// # Errors
    ///
    /// [`InvalidRule`] if `prefix` is empty, has a character other than an
    /// ASCII digit, or is longer than `max_digits`.
    pub fn with_prefix(self, prefix: &str) -> Result<AccountIdRule, InvalidRule> {
        if prefix.is_empty() || !prefix.bytes().all(|b| b.is_ascii_digit()) {
            return Err(InvalidRule("prefix must be one or more ASCII digits"));
        }
        if prefix.len() > self.max_digits {
            return Err(InvalidRule("prefix must not be longer than max_digits"));
        }
        Ok(AccountIdRule {
            prefix: Some(prefix.to_owned()),
            ..self
        })
    }

    /// The fewest digits accepted.
    pub fn min_digits(&self) -> usize {
        self.min_digits
    }

    /// The most digits accepted.
    pub fn max_digits(&self) -> usize {
        self.max_digits
    }

    /// The digits every ID must begin with, if any.
    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }

    /// Checks ASCII digits against this rule.
    ///
    /// A beginning of the prefix counts as "too short", not as a wrong prefix,
    /// so that a person typing `1` under prefix `10` is not told off early.
    pub(crate) fn check(&self, digits: &str) -> Result<AccountId, ErrorKind> {
        debug_assert!(digits.bytes().all(|b| b.is_ascii_digit()));
        let len = digits.len();
        if len > self.max_digits {
            return Err(ErrorKind::AccountIdTooLong);
        }
        let mut min = self.min_digits;
        if let Some(prefix) = &self.prefix {
            let n = len.min(prefix.len());
            if digits.as_bytes()[..n] != prefix.as_bytes()[..n] {
                return Err(ErrorKind::AccountIdInvalidPrefix);
            }
            min = min.max(prefix.len());
        }
        if len < min {
            return Err(ErrorKind::AccountIdTooShort);
        }
        Ok(AccountId(digits.to_owned()))
    }
}

impl Default for AccountIdRule {
    fn default() -> AccountIdRule {
        AccountIdRule::DEFAULT
    }
}

/// A misconfigured [`AccountIdRule`]: a mistake of the programmer, not of
/// the person typing, so it has no localised message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidRule(&'static str);

impl fmt::Display for InvalidRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid account ID rule: {}", self.0)
    }
}

impl std::error::Error for InvalidRule {}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(rule: &AccountIdRule, digits: &str) -> Result<String, &'static str> {
        rule.check(digits).map(|id| id.0).map_err(ErrorKind::code)
    }

    #[test]
    fn default_rule_is_six_to_twelve_digits() {
        let rule = AccountIdRule::default();
        assert_eq!(code(&rule, "12345"), Err("account_id.too_short"));
        assert_eq!(code(&rule, "123456"), Ok("123456".into()));
        assert_eq!(code(&rule, "000000000012"), Ok("000000000012".into()));
        assert_eq!(code(&rule, "1234567890123"), Err("account_id.too_long"));
    }

    #[test]
    fn prefix_counts_towards_length_and_partial_prefix_is_too_short() {
        let rule = AccountIdRule::new(2, 8)
            .unwrap()
            .with_prefix("100")
            .unwrap();
        assert_eq!(code(&rule, "10"), Err("account_id.too_short"));
        assert_eq!(code(&rule, "11"), Err("account_id.invalid_prefix"));
        assert_eq!(code(&rule, "100"), Ok("100".into()));
        assert_eq!(code(&rule, "20012345"), Err("account_id.invalid_prefix"));
        assert_eq!(code(&rule, "100123456"), Err("account_id.too_long"));
    }

    #[test]
    fn bad_rules_are_refused() {
        assert!(AccountIdRule::new(0, 5).is_err());
        assert!(AccountIdRule::new(6, 5).is_err());
        assert!(AccountIdRule::new(1, 65).is_err());
        assert!(AccountIdRule::new(1, 64).is_ok());
        let rule = AccountIdRule::new(3, 4).unwrap();
        assert!(rule.clone().with_prefix("").is_err());
        assert!(rule.clone().with_prefix("1a").is_err());
        assert!(rule.clone().with_prefix("12345").is_err());
        assert!(rule.with_prefix("1234").is_ok());
    }
}
