//! Server keys: one master secret, one HKDF subkey per purpose.
//!
//! Every secret the server must recognise later (a code, a captcha answer, a
//! session token) is stored only as HMAC-SHA256 under its purpose's key, so a
//! copy of the database reveals none of them and a 6-digit code cannot be
//! brute-forced offline without the key. Identifiers are hashed too, for
//! per-identifier limits and decoy channels that stay stable for the same
//! identifier without storing what an unknown visitor typed.
//!
//! **Rotation.** The master secret can be replaced while the service runs:
//! every node gets the new secret and the old one as the previous secret
//! ([`Keys::with_previous`]). Challenge tokens and session tokens made under
//! the previous secret are still accepted; new ones use the new secret. The
//! identifier and decoy keys must not change with a rotation (a decoy
//! channel that changed while real ones stay would tell them apart, and the
//! hourly caps would restart), so they can come from a separate, stable
//! identity secret ([`Keys::with_identity`]): the server keeps a random one
//! in its database.

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
    /// The keys of the previous master secret, during a rotation.
    previous: Option<Box<Keys>>,
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
        Keys {
            code: subkey(master, Purpose::Code),
            captcha: subkey(master, Purpose::Captcha),
            session: subkey(master, Purpose::Session),
            identifier: subkey(master, Purpose::Identifier),
            decoy: subkey(master, Purpose::Decoy),
            previous: None,
        }
    }

    /// These keys, also accepting challenge and session tokens made under
    /// the `previous` master secret (during a rotation). The identifier and
    /// decoy keys stay this secret's (or the identity secret's).
    pub fn with_previous(mut self, previous: &[u8]) -> Keys {
        self.previous = Some(Box::new(Keys::derive(previous)));
        self
    }

    /// These keys with the identifier and decoy keys derived from
    /// `identity` instead of the master secret, so that rotating the master
    /// secret changes neither decoy channels nor per-identifier limits.
    pub fn with_identity(mut self, identity: &[u8]) -> Keys {
        self.identifier = subkey(identity, Purpose::Identifier);
        self.decoy = subkey(identity, Purpose::Decoy);
        self
    }

    /// Whether a previous master secret is configured.
    pub fn rotating(&self) -> bool {
        self.previous.is_some()
    }

    /// [`Keys::mac`] under the previous master secret's key, during a
    /// rotation.
    pub fn previous_mac(&self, purpose: Purpose, parts: &[&[u8]]) -> Option<[u8; 32]> {
        self.previous.as_ref().map(|p| p.mac(purpose, parts))
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
        let mut ring =
            resetflow::token::Keyring::new("captcha", master)?.with_ttl_secs(ttl_secs)?;
        if let Some(previous) = &self.previous {
            ring =
                ring.with_previous(resetflow::token::MasterKey::from_bytes(&previous.captcha)?)?;
        }
        Ok(ring)
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

/// The HKDF-SHA256 subkey of `master` for `purpose`.
fn subkey(master: &[u8], purpose: Purpose) -> [u8; 32] {
    let hk = Hkdf::<Sha256>::new(Some(b"resetflow-server"), master);
    let mut k = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's 8160-byte limit.
    hk.expand(purpose.info(), &mut k).unwrap_or_default();
    k
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

    #[test]
    fn rotation_keeps_identity_keys_and_accepts_previous_tokens() {
        let old = Keys::derive(&[1u8; 32]).with_identity(&[9u8; 32]);
        let new = Keys::derive(&[2u8; 32])
            .with_identity(&[9u8; 32])
            .with_previous(&[1u8; 32]);
        assert!(new.rotating() && !old.rotating());
        for p in [Purpose::Identifier, Purpose::Decoy] {
            assert_eq!(
                old.mac(p, &[b"jane@example.com"]),
                new.mac(p, &[b"jane@example.com"])
            );
        }
        assert_ne!(
            old.mac(Purpose::Session, &[b"t"]),
            new.mac(Purpose::Session, &[b"t"])
        );
        assert_eq!(
            Some(old.mac(Purpose::Session, &[b"t"])),
            new.previous_mac(Purpose::Session, &[b"t"])
        );
        // A challenge issued under the old secret verifies after the switch.
        let store = resetflow::token::MemoryNonceStore::new();
        let now = resetflow::Timestamp::from_unix_secs(1_800_000_000);
        let issued = old
            .captcha_keyring(900)
            .unwrap()
            .issue(&mut rand_core::OsRng, "123456", now)
            .unwrap();
        let ring = new.captcha_keyring(900).unwrap();
        assert!(ring.verify(issued.token(), "123456", now, &store).is_ok());
        let fresh = Keys::derive(&[2u8; 32]).captcha_keyring(900).unwrap();
        let again = old
            .captcha_keyring(900)
            .unwrap()
            .issue(&mut rand_core::OsRng, "123456", now)
            .unwrap();
        assert!(fresh.verify(again.token(), "123456", now, &store).is_err());
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
