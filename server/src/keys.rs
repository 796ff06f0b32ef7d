//! Server keys: one master secret, one HKDF subkey per purpose.
//!
//! Every secret the server must recognise later (a code, a captcha answer, a
//! session token) is stored only as HMAC-SHA256 under its purpose's key, so a
//! copy of the database reveals none of them and a 6-digit code cannot be
//! brute-forced offline without the key. Identifiers are hashed too, for
//! per-identifier limits and decoy channels that stay stable for the same
//! identifier without storing what an unknown visitor typed.

use std::fmt;

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// What a subkey is for; the HKDF info string of each is fixed forever.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Keyed hashes of verification codes.
    Code,
    /// The master key of captcha challenge tokens.
    Captcha,
    /// Keyed hashes of session tokens.
    Session,
    /// Keyed hashes of identifiers (rate limits).
    Identifier,
    /// Decoy channels for unknown identifiers.
    Decoy,
}

impl Purpose {
    const fn info(self) -> &'static [u8] {
        match self {
            Purpose::Code => b"resetflow-server v1 code",
            Purpose::Captcha => b"resetflow-server v1 captcha",
            Purpose::Session => b"resetflow-server v1 session",
            Purpose::Identifier => b"resetflow-server v1 identifier",
            Purpose::Decoy => b"resetflow-server v1 decoy",
        }
    }
}

/// The per-purpose keys derived from the master secret.
#[derive(Clone)]
pub struct Keys {
    code: [u8; 32],
    captcha: [u8; 32],
    session: [u8; 32],
    identifier: [u8; 32],
    decoy: [u8; 32],
}

impl fmt::Debug for Keys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Keys(<redacted>)")
    }
}

/// The shortest master secret accepted, in bytes.
pub const MIN_MASTER_LEN: usize = 32;

impl Keys {
    /// Derives the keys from `master` (at least [`MIN_MASTER_LEN`] bytes of
    /// randomness; shorter input is the caller's error, checked in config).
    pub fn derive(master: &[u8]) -> Keys {
        let hk = Hkdf::<Sha256>::new(Some(b"resetflow-server"), master);
        let sub = |p: Purpose| {
            let mut k = [0u8; 32];
            // 32 bytes is far below HKDF-SHA256's 8160-byte limit.
            hk.expand(p.info(), &mut k).unwrap_or_default();
            k
        };
        Keys {
            code: sub(Purpose::Code),
            captcha: sub(Purpose::Captcha),
            session: sub(Purpose::Session),
            identifier: sub(Purpose::Identifier),
            decoy: sub(Purpose::Decoy),
        }
    }

    /// The keyring of captcha challenge tokens ([`resetflow::token`]),
    /// keyed by the captcha subkey; tokens live `ttl_secs`.
    ///
    /// # Errors
    ///
    /// The token module's [`ConfigError`](resetflow::token::ConfigError)
    /// for a lifetime it does not accept (0 or over a day).
    pub fn captcha_keyring(
        &self,
        ttl_secs: u64,
    ) -> Result<resetflow::token::Keyring, resetflow::token::ConfigError> {
        let master = resetflow::token::MasterKey::from_bytes(&self.captcha)?;
        resetflow::token::Keyring::new("captcha", master)?.with_ttl_secs(ttl_secs)
    }

    fn key(&self, p: Purpose) -> &[u8; 32] {
        match p {
            Purpose::Code => &self.code,
            Purpose::Captcha => &self.captcha,
            Purpose::Session => &self.session,
            Purpose::Identifier => &self.identifier,
            Purpose::Decoy => &self.decoy,
        }
    }

    /// HMAC-SHA256 under the purpose's key over the parts, each prefixed
    /// with its length so that `("ab", "c")` and `("a", "bc")` differ.
    pub fn mac(&self, purpose: Purpose, parts: &[&[u8]]) -> [u8; 32] {
        let mut m = <HmacSha256 as Mac>::new_from_slice(self.key(purpose))
            .unwrap_or_else(|_| unreachable_hmac());
        for p in parts {
            m.update(&(p.len() as u64).to_be_bytes());
            m.update(p);
        }
        m.finalize().into_bytes().into()
    }
}

// HMAC accepts keys of any length; this cannot happen.
fn unreachable_hmac() -> HmacSha256 {
    <HmacSha256 as Mac>::new_from_slice(&[0u8; 32]).expect("HMAC takes any key length")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_are_separated_and_parts_framed() {
        let k = Keys::derive(&[1u8; 32]);
        let a = k.mac(Purpose::Code, &[b"123456"]);
        assert_ne!(a, k.mac(Purpose::Captcha, &[b"123456"]));
        assert_ne!(
            k.mac(Purpose::Code, &[b"ab", b"c"]),
            k.mac(Purpose::Code, &[b"a", b"bc"])
        );
        assert_eq!(a, Keys::derive(&[1u8; 32]).mac(Purpose::Code, &[b"123456"]));
        assert_ne!(a, Keys::derive(&[2u8; 32]).mac(Purpose::Code, &[b"123456"]));
        assert_eq!(format!("{k:?}"), "Keys(<redacted>)");
    }

    /// RFC 5869 test case 1 pins the HKDF construction, so a dependency
    /// change cannot silently re-key every stored hash.
    #[test]
    fn hkdf_matches_rfc5869_case_1() {
        let ikm = [0x0bu8; 22];
        let salt: Vec<u8> = (0x00..=0x0c).collect();
        let info: Vec<u8> = (0xf0..=0xf9).collect();
        let hk = Hkdf::<Sha256>::new(Some(&salt), &ikm);
        let mut okm = [0u8; 42];
        hk.expand(&info, &mut okm).unwrap();
        let hex: String = okm.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"
        );
    }
}
