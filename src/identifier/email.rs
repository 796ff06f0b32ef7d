//! E-mail addresses: WHATWG syntax, internationalised domains, RFC 5321 limits.

use core::fmt;

use idna::uts46::{AsciiDenyList, DnsLength, Hyphens, Uts46};

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

/// Maps a domain through UTS #46 ToASCII and checks the result against the
/// WHATWG label rule and the DNS lengths.
///
/// UTS #46 runs non-transitionally (`faß.de` stays `ß`, as in current browsers)
/// with the STD3 ASCII rules, so it lower-cases, folds full-width forms and
/// the ideographic full stop, punycodes, and rejects what IDNA 2008 disallows
/// (including invalid `xn--` labels, bidi and joiner rule violations). Lengths
/// are not left to it so that they can be reported with their own codes.
fn domain_to_ascii(domain: &str) -> Result<String, ErrorKind> {
    let ascii = Uts46::new()
        .to_ascii(
            domain.as_bytes(),
            AsciiDenyList::STD3,
            Hyphens::CheckFirstLast,
            DnsLength::Ignore,
        )
        .map_err(|_| ErrorKind::EmailInvalidDomain)?;
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
    Ok(ascii.into_owned())
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
    fn domain_is_mapped_by_uts46() {
        // U+3002 IDEOGRAPHIC FULL STOP and full-width letters, as typed with a
        // CJK input method (UTS #46 section 4, mapping step).
        assert_eq!(ok("a@ｅｘａｍｐｌｅ。com"), "a@example.com");
        // Punycode from Python's independent `punycode` codec:
        // "bücher".encode("punycode") == b"bcher-kva".
        assert_eq!(ok("a@Bücher.example"), "a@xn--bcher-kva.example");
    }

    #[test]
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
}
