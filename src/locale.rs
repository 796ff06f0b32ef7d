use core::fmt;
use core::str::FromStr;

/// A language for user-facing messages.
///
/// Every message with a stable code in this crate has a text in each locale.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Locale {
    /// English (the default).
    #[default]
    En,
    /// German.
    De,
    /// Spanish.
    Es,
    /// Indonesian.
    Id,
    /// Chinese (Simplified).
    Zh,
}

impl Locale {
    /// Every supported locale, English first.
    pub const ALL: [Locale; 5] = [Locale::En, Locale::De, Locale::Es, Locale::Id, Locale::Zh];

    /// The BCP 47 primary language subtag: `"en"`, `"de"`, `"es"`, `"id"`, `"zh"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::De => "de",
            Locale::Es => "es",
            Locale::Id => "id",
            Locale::Zh => "zh",
        }
    }

    /// The best supported locale for a BCP 47 tag or an `Accept-Language`
    /// style list (`"de-AT"`, `"zh-Hans-CN"`, `"fr, es;q=0.8"`), or English.
    pub fn negotiate(tags: &str) -> Locale {
        tags.split(',')
            .filter_map(|part| part.split(';').next())
            .find_map(|tag| tag.trim().parse().ok())
            .unwrap_or_default()
    }
}

/// The error of parsing a [`Locale`] from a tag this crate has no texts for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownLocale;

impl fmt::Display for UnknownLocale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unsupported locale (expected en, de, es, id or zh)")
    }
}

impl std::error::Error for UnknownLocale {}

impl FromStr for Locale {
    type Err = UnknownLocale;

    /// Reads a BCP 47 tag by its primary language subtag, case-insensitively.
    fn from_str(tag: &str) -> Result<Locale, UnknownLocale> {
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        Locale::ALL
            .into_iter()
            .find(|l| primary.eq_ignore_ascii_case(l.as_str()))
            .ok_or(UnknownLocale)
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_first_supported_tag() {
        assert_eq!(Locale::negotiate("de-AT"), Locale::De);
        assert_eq!(Locale::negotiate("zh-Hans-CN"), Locale::Zh);
        assert_eq!(Locale::negotiate("fr-FR, es;q=0.8, en;q=0.5"), Locale::Es);
        assert_eq!(Locale::negotiate("fr"), Locale::En);
        assert_eq!(Locale::negotiate(""), Locale::En);
        assert_eq!("ID".parse::<Locale>(), Ok(Locale::Id));
        assert_eq!("pt".parse::<Locale>(), Err(UnknownLocale));
    }
}
