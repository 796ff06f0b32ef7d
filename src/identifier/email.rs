//! E-mail addresses: WHATWG syntax, internationalised domains, RFC 5321 limits.
//!
//! # Where UTS #46 comes from
//!
//! A domain that is ASCII and has no `xn--` label needs no Unicode data: it
//! is lower-cased and checked here, with the same verdicts UTS #46 gives
//! (a unit test compares the two). Any other domain goes through UTS #46
//! ToASCII, provided by one of:
//!
//! - the `idna` crate, with the `idna` feature (the default);
//! - on wasm32 without it, the JS host's URL parser:
//!   `new URL("http://" + domain + ".x").hostname`, the browser's own
//!   UTS #46 (WHATWG URL "domain to ASCII"). Characters the URL parser would
//!   read as URL syntax are refused before it sees them; `xn--` labels,
//!   which it would pass through unchecked, go in decoded (RFC 3492) and
//!   must come back unchanged; a sentinel label keeps a numeric last label
//!   from being read as an IPv4 address; a label the mapping splits (`⒈`
//!   is `1.`) is refused; and the result passes the same strict checks as
//!   every other domain, which stand in for the STD3 rules the URL parser
//!   does not apply. One difference remains: the URL parser does not refuse
//!   a hyphen at the start or end of a non-ASCII label, so that is checked
//!   here on the typed label, and a hyphen hidden behind a character UTS #46
//!   ignores (a soft hyphen) is not seen. The browser's Unicode version may
//!   also differ from the `idna` crate's for recently assigned characters.
//!   `tests/browser_light.rs` runs every e-mail vector this way in Chromium;
//! - natively without it: none; such a domain is refused with
//!   `email.idna_unavailable`.

use core::fmt;

use super::error::ErrorKind;

/// Longest local part, in octets (RFC 5321, section 4.5.3.1.1).
pub const MAX_LOCAL_OCTETS: usize = 64;
/// Longest domain in its ASCII form, in octets (RFC 1035, section 2.3.4; a
/// 255-octet wire name holds at most 253 characters of dotted text).
pub const MAX_DOMAIN_OCTETS: usize = 253;
/// Longest domain label in its ASCII form, in octets (RFC 1035, section 2.3.4).
pub const MAX_LABEL_OCTETS: usize = 63;
/// Longest address in its ASCII form, in octets: the 256-octet SMTP path of
/// RFC 5321, section 4.5.3.1.3, less its angle brackets (RFC 3696 erratum 1690).
pub const MAX_ADDRESS_OCTETS: usize = 254;

/// A syntactically valid e-mail address in canonical form.
///
/// Canonical means: surrounding white space removed, the domain in lower-case
/// ASCII with internationalised labels in punycode (`Ünïcode.DE` becomes
/// `xn--ncode-jua5c.de`), and the local part exactly as typed. The local
/// part keeps its case because RFC 5321 lets the receiving server treat
/// `John` and `john` as different mailboxes; compare local parts
/// case-insensitively only if your own directory does.
///
/// The local part follows the WHATWG "valid e-mail address" rule that browsers
/// apply to `<input type="email">`: ASCII letters, digits and
/// ``.!#$%&'*+/=?^_`{|}~-``. Like browsers, it accepts dots anywhere in it and
/// rejects quoted strings, comments and non-ASCII local parts (RFC 6531).
/// The domain may be a single label (`user@localhost`), as in WHATWG; whether
/// mail to it arrives is for the delivery step to find out.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email {
    address: String,
    at: usize,
}

impl Email {
    /// The whole address, such as `Jane.Doe@xn--mnchen-3ya.de`.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The part before the `@`, as typed.
    pub fn local_part(&self) -> &str {
        &self.address[..self.at]
    }

    /// The domain: lower-case ASCII, internationalised labels in punycode.
    pub fn domain(&self) -> &str {
        &self.address[self.at + 1..]
    }

    /// Parses an already trimmed and length-bounded input containing an `@`.
    ///
    /// The checks run in this order, and the first failure is returned:
    /// missing local part, local part characters, local part length, missing
    /// domain, domain syntax (after UTS #46 mapping), label length, domain
    /// length, address length.
    pub(crate) fn parse(input: &str) -> Result<Email, ErrorKind> {
        // Split at the last `@`: a domain never contains one, so a second `@`
        // is reported against the local part, where it is not allowed.
        let (local, domain) = input
            .rsplit_once('@')
            .ok_or(ErrorKind::EmailMissingDomain)?;
        if local.is_empty() {
            return Err(ErrorKind::EmailMissingLocal);
        }
        if !local.bytes().all(is_local_byte) {
            return Err(ErrorKind::EmailInvalidLocal);
        }
        if local.len() > MAX_LOCAL_OCTETS {
            return Err(ErrorKind::EmailLocalTooLong);
        }
        if domain.is_empty() {
            return Err(ErrorKind::EmailMissingDomain);
        }
        let domain = domain_to_ascii(domain)?;
        if local.len() + 1 + domain.len() > MAX_ADDRESS_OCTETS {
            return Err(ErrorKind::EmailTooLong);
        }
        let mut address = String::with_capacity(local.len() + 1 + domain.len());
        address.push_str(local);
        address.push('@');
        address.push_str(&domain);
        Ok(Email {
            address,
            at: local.len(),
        })
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address)
    }
}

/// The WHATWG local-part set: `[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]`.
fn is_local_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&b)
}

/// Maps a domain to its ASCII form and checks it against the WHATWG label
/// rule and the DNS lengths.
fn domain_to_ascii(domain: &str) -> Result<String, ErrorKind> {
    let ascii = if needs_uts46(domain) {
        uts46_to_ascii(domain)?
    } else {
        domain.to_ascii_lowercase()
    };
    check_ascii_domain(ascii)
}

/// The checks every domain's ASCII form must pass.
fn check_ascii_domain(ascii: String) -> Result<String, ErrorKind> {
    // UTS #46 lets empty labels through (`a..b`, a trailing root dot); the
    // WHATWG rule and e-mail do not. Re-check the output strictly, whatever
    // the mapping did.
    let mut too_long_label = false;
    for label in ascii.split('.') {
        let bytes = label.as_bytes();
        let ldh = bytes
            .iter()
            .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if bytes.is_empty() || !ldh || bytes[0] == b'-' || bytes[bytes.len() - 1] == b'-' {
            return Err(ErrorKind::EmailInvalidDomain);
        }
        too_long_label |= bytes.len() > MAX_LABEL_OCTETS;
    }
    if too_long_label {
        return Err(ErrorKind::EmailLabelTooLong);
    }
    if ascii.len() > MAX_DOMAIN_OCTETS {
        return Err(ErrorKind::EmailDomainTooLong);
    }
    Ok(ascii)
}

/// Whether UTS #46 has work to do beyond lower-casing: a character that is
/// not ASCII, or a punycode label whose decoded form must be validated.
fn needs_uts46(domain: &str) -> bool {
    !domain.is_ascii()
        || domain.split('.').any(|label| {
            label
                .get(..4)
                .is_some_and(|p| p.eq_ignore_ascii_case("xn--"))
        })
}

/// UTS #46 ToASCII with the `idna` crate.
///
/// It runs non-transitionally (`faß.de` stays `ß`, as in current browsers)
/// with the STD3 ASCII rules, so it lower-cases, folds full-width forms and
/// the ideographic full stop, punycodes, and rejects what IDNA 2008 disallows
/// (including invalid `xn--` labels, bidi and joiner rule violations).
/// Lengths are not left to it so that they can be reported with their own
/// codes.
#[cfg(feature = "idna")]
fn uts46_to_ascii(domain: &str) -> Result<String, ErrorKind> {
    use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

    Uts46::new()
        .to_ascii(
            domain.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::CheckFirstLast,
            DnsLength::Ignore,
        )
        .map(|ascii| ascii.into_owned())
        .map_err(|_| ErrorKind::EmailInvalidDomain)
}

/// UTS #46 ToASCII by the JS host's URL parser (see the module docs).
#[cfg(all(not(feature = "idna"), target_arch = "wasm32"))]
fn uts46_to_ascii(domain: &str) -> Result<String, ErrorKind> {
    // What UTS #46 reads as label separators.
    const SEPARATORS: [char; 4] = ['.', '\u{3002}', '\u{FF0E}', '\u{FF61}'];
    // ASCII outside letters, digits, `-` and `.` is refused by the STD3
    // rules anyway, and some of it (`/`, `?`, `#`, `%`, `:`, `\`, `[`, tab,
    // ...) would be read as URL syntax.
    let url_safe = domain
        .bytes()
        .all(|b| !b.is_ascii() || b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    // UTS #46 with CheckHyphens off still refuses a label starting or ending
    // with `-`, but the URL parser skips that check too. The characters UTS
    // #46 maps to `-` are the hyphen-minus and its small and full-width forms.
    let hyphen = |c: Option<char>| matches!(c, Some('-' | '\u{FE63}' | '\u{FF0D}'));
    let edge_hyphen = domain
        .split(SEPARATORS)
        .any(|label| hyphen(label.chars().next()) || hyphen(label.chars().next_back()));
    if !url_safe || edge_hyphen {
        return Err(ErrorKind::EmailInvalidDomain);
    }
    // The URL parser passes an ASCII label through without checking it, so
    // an `xn--` label goes in decoded, to be validated and encoded again.
    let is_ace = |label: &str| {
        label
            .get(..4)
            .is_some_and(|p| p.eq_ignore_ascii_case("xn--"))
    };
    let labels: Vec<&str> = domain.split(SEPARATORS).collect();
    let mut url = String::with_capacity(domain.len() * 2 + 10);
    url.push_str("http://");
    for (i, label) in labels.iter().enumerate() {
        if i > 0 {
            url.push('.');
        }
        if is_ace(label) {
            let decoded = label
                .get(4..)
                .and_then(super::punycode::decode)
                .ok_or(ErrorKind::EmailInvalidDomain)?;
            url.push_str(&decoded);
        } else {
            url.push_str(label);
        }
    }
    // The sentinel label `x` keeps a numeric last label (`１２３`) from being
    // parsed as an IPv4 address; it is not a number, and as a left-to-right
    // label it satisfies the bidi rule in any domain.
    url.push_str(".x");
    let host = crate::js_host::url_hostname(&url).ok_or(ErrorKind::EmailInvalidDomain)?;
    let ascii = host
        .strip_suffix(".x")
        .ok_or(ErrorKind::EmailInvalidDomain)?;
    // A label the mapping split (`⒈` is `1.` in UTS #46, refused by the STD3
    // rules), or an `xn--` label that does not come back as it went in
    // (invalid, or not in its normal form), is refused, as UTS #46 does.
    let out: Vec<&str> = ascii.split('.').collect();
    let same_shape = out.len() == labels.len()
        && labels
            .iter()
            .zip(&out)
            .all(|(typed, got)| !is_ace(typed) || typed.eq_ignore_ascii_case(got));
    if !same_shape {
        return Err(ErrorKind::EmailInvalidDomain);
    }
    Ok(ascii.to_owned())
}

/// Without the `idna` feature a native build has no UTS #46.
#[cfg(all(not(feature = "idna"), not(target_arch = "wasm32")))]
fn uts46_to_ascii(_domain: &str) -> Result<String, ErrorKind> {
    Err(ErrorKind::EmailIdnaUnavailable)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(input: &str) -> String {
        Email::parse(input)
            .unwrap_or_else(|e| panic!("{input}: {e}"))
            .address
    }

    fn err(input: &str) -> &'static str {
        Email::parse(input).expect_err(input).code()
    }

    #[test]
    fn parts_split_at_the_at_sign() {
        let e = Email::parse("Jane.Doe@Example.COM").unwrap();
        assert_eq!(e.local_part(), "Jane.Doe");
        assert_eq!(e.domain(), "example.com");
        assert_eq!(e.to_string(), "Jane.Doe@example.com");
    }

    #[test]
    #[cfg(feature = "idna")]
    fn domain_is_mapped_by_uts46() {
        // U+3002 IDEOGRAPHIC FULL STOP and full-width letters, as typed with a
        // CJK input method (UTS #46 section 4, mapping step).
        assert_eq!(ok("a@ｅｘａｍｐｌｅ。com"), "a@example.com");
        // Punycode from Python's independent `punycode` codec:
        // "bücher".encode("punycode") == b"bcher-kva".
        assert_eq!(ok("a@Bücher.example"), "a@xn--bcher-kva.example");
    }

    #[test]
    #[cfg(feature = "idna")]
    fn lengths_are_checked_on_the_ascii_form() {
        // 20 x "ü" encodes to "td" + 20 x "a" (Python's `punycode` codec):
        // a 26-octet ASCII label.
        let label = "ü".repeat(20);
        let expected = format!("a@xn--td{}.de", "a".repeat(20));
        assert_eq!(ok(&format!("a@{label}.de")), expected);
        // 60 x "ü" is 60 characters (< 63), yet its ASCII form has 66 octets.
        let label = "ü".repeat(60);
        assert_eq!(err(&format!("a@{label}.de")), "email.label_too_long");
    }

    #[test]
    fn syntax_errors_come_before_length_errors() {
        let long = "a".repeat(70);
        assert_eq!(err(&format!("{long}@-x.com")), "email.local_too_long");
        assert_eq!(err(&format!("a@-{long}.com")), "email.invalid_domain");
        assert_eq!(err(&format!("a b{long}@x.com")), "email.invalid_local");
    }

    /// The ASCII path (lower-casing and the strict checks) must give exactly
    /// the verdicts of UTS #46 followed by the strict checks, on every ASCII
    /// domain without an `xn--` label: all strings up to length 4 over an
    /// alphabet of each class of character that matters, and longer
    /// pseudo-random ones.
    #[test]
    #[cfg(feature = "idna")]
    fn ascii_domains_skip_uts46_with_the_same_verdicts() {
        fn via_uts46(domain: &str) -> Result<String, ErrorKind> {
            check_ascii_domain(uts46_to_ascii(domain)?)
        }
        let alphabet: Vec<char> = "aZ9-._!%/ \u{7f}".chars().collect();
        let mut domains: Vec<String> = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = domains
                .iter()
                .flat_map(|d| alphabet.iter().map(move |c| format!("{d}{c}")))
                .collect();
            domains.extend(longer);
        }
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..2000 {
            let len = (state % 40) as usize;
            let mut d = String::new();
            for _ in 0..len {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                d.push(b"abcXYZ019-.-."[(state % 13) as usize] as char);
            }
            domains.push(d);
        }
        domains.push(format!("{}.com", "a".repeat(64)));
        domains.push(format!("{}.com", "a".repeat(250)));
        for d in domains.iter().filter(|d| !d.is_empty() && !needs_uts46(d)) {
            assert_eq!(domain_to_ascii(d), via_uts46(d), "{d:?}");
        }
    }

    #[test]
    fn punycode_labels_need_uts46() {
        assert!(needs_uts46("xn--mnchen-3ya.de"));
        assert!(needs_uts46("a.XN--zckzah"));
        assert!(needs_uts46("münchen.de"));
        assert!(!needs_uts46("axn--b.de"));
        assert!(!needs_uts46("Example.COM"));
    }

    #[test]
    #[cfg(all(not(feature = "idna"), not(target_arch = "wasm32")))]
    fn without_idna_a_native_build_refuses_international_domains() {
        assert_eq!(err("a@münchen.de"), "email.idna_unavailable");
        assert_eq!(err("a@xn--mnchen-3ya.de"), "email.idna_unavailable");
        // ASCII domains need no tables.
        assert_eq!(ok("Jane@Example.COM"), "Jane@example.com");
        assert_eq!(err("a@-x.com"), "email.invalid_domain");
        // Errors of the local part still come first.
        assert_eq!(err("a b@münchen.de"), "email.invalid_local");
    }
}
