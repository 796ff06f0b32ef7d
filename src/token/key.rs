//! Server keys: the master secret, its key id, and per-purpose subkeys.
//!
//! One master secret serves every purpose and every job inside a token. The
//! subkeys are derived with HKDF-SHA256 (RFC 5869) and an info string naming
//! both the job and the purpose, so the MAC that proves a captcha token
//! genuine can never be replayed as the MAC of another kind of token, nor as
//! the answer binding (the same construction as cookie-rs `secure/`).

use core::fmt;

use hkdf::Hkdf;
use hmac::{Hmac, Mac};
use rand_core::{CryptoRng, RngCore};
use sha2::Sha256;

use super::error::ConfigError;

/// The shortest master secret accepted, in bytes: 256 bits, the strength of
/// HMAC-SHA256 itself.
pub const MIN_MASTER_KEY_LEN: usize = 32;

/// The longest purpose label, in bytes.
pub const MAX_PURPOSE_LEN: usize = 32;

/// HKDF info strings. The `v1` ties subkeys to this token format: a future
/// format gets fresh subkeys from the same secret.
const INFO_KEY_ID: &[u8] = b"resetflow/token/v1/key-id";
const INFO_MAC: &[u8] = b"resetflow/token/v1/mac/";
const INFO_ANSWER: &[u8] = b"resetflow/token/v1/answer/";

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// The short public name of a master key, carried in every token so a
/// verifier holding a current and a previous key knows which one to use.
///
/// Derived from the secret (HKDF, info `resetflow/token/v1/key-id`), so
/// nodes sharing a secret agree on it without configuration, and it says
/// nothing about the secret. Shown as 8 hex digits.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyId(pub(crate) [u8; 4]);

impl KeyId {
    /// The four bytes of the id.
    pub const fn to_bytes(self) -> [u8; 4] {
        self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({self})")
    }
}

/// A server's master secret for tokens. `Debug` shows its [`KeyId`] only.
///
/// Every node that must verify a token holds the same secret (from a secret
/// store or an environment variable), at least [`MIN_MASTER_KEY_LEN`] bytes
/// of real randomness, e.g. `openssl rand -base64 32`.
#[derive(Clone)]
pub struct MasterKey {
    /// HKDF-Extract done once; the secret itself is not kept.
    prk: Hkdf<Sha256>,
    id: KeyId,
}

impl MasterKey {
    /// A master key from secret bytes.
    ///
    /// # Errors
    ///
    /// [`ConfigError::KeyTooShort`] if `secret` is shorter than
    /// [`MIN_MASTER_KEY_LEN`] bytes.
    pub fn from_bytes(secret: &[u8]) -> Result<MasterKey, ConfigError> {
        if secret.len() < MIN_MASTER_KEY_LEN {
            return Err(ConfigError::KeyTooShort);
        }
        Ok(MasterKey::extract(secret))
    }

    fn extract(secret: &[u8]) -> MasterKey {
        // No salt: the input is already a uniformly random secret, for which
        // RFC 5869 section 3.1 makes the salt optional. A zero salt also keeps
        // the derivation reproducible from the secret alone on every node.
        let prk = Hkdf::<Sha256>::new(None, secret);
        let id = KeyId(expand(&prk, &[INFO_KEY_ID]));
        MasterKey { prk, id }
    }

    /// A fresh random master key (for development and tests; production
    /// nodes must share one secret, see [`MasterKey::from_bytes`]).
    ///
    /// # Errors
    ///
    /// The generator's error if it cannot give randomness.
    pub fn generate<R: RngCore + CryptoRng>(rng: &mut R) -> Result<MasterKey, rand_core::Error> {
        let mut secret = [0u8; MIN_MASTER_KEY_LEN];
        rng.try_fill_bytes(&mut secret)?;
        let key = MasterKey::extract(&secret);
        secret.fill(0);
        Ok(key)
    }

    /// The public id of this key, as carried in tokens.
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// The subkeys of this master key for one purpose.
    pub(crate) fn derive(&self, purpose: &str) -> PurposeKeys {
        let mac_key: [u8; 32] = expand(&self.prk, &[INFO_MAC, purpose.as_bytes()]);
        let answer_key: [u8; 32] = expand(&self.prk, &[INFO_ANSWER, purpose.as_bytes()]);
        PurposeKeys {
            id: self.id,
            mac: keyed(&mac_key),
            answer: keyed(&answer_key),
        }
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// Checks a purpose label: 1 to [`MAX_PURPOSE_LEN`] bytes of `a-z0-9._-`.
///
/// The charset keeps labels readable in logs; the info string ends with the
/// label, so no label can be a prefix trick on another's info string.
pub(crate) fn check_purpose(purpose: &str) -> Result<(), ConfigError> {
    let ok = !purpose.is_empty()
        && purpose.len() <= MAX_PURPOSE_LEN
        && purpose
            .bytes()
            .all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'_' | b'-'));
    if ok {
        Ok(())
    } else {
        Err(ConfigError::InvalidPurpose)
    }
}

/// The subkeys of one master key for one purpose, as keyed HMAC states:
/// cloning a keyed state skips the key schedule on every token.
#[derive(Clone)]
pub(crate) struct PurposeKeys {
    pub(crate) id: KeyId,
    /// Authenticates the whole token (tag1).
    pub(crate) mac: HmacSha256,
    /// Binds the answer (tag2).
    pub(crate) answer: HmacSha256,
}

impl fmt::Debug for PurposeKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PurposeKeys")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

fn expand<const N: usize>(prk: &Hkdf<Sha256>, info: &[&[u8]]) -> [u8; N] {
    let mut out = [0u8; N];
    // HKDF-SHA256 gives up to 255 * 32 bytes; N is 4 or 32 here.
    prk.expand_multi_info(info, &mut out)
        .expect("HKDF output length within 8160 bytes");
    out
}

fn keyed(key: &[u8; 32]) -> HmacSha256 {
    // HMAC takes keys of any length; `new_from_slice` cannot fail for it.
    <HmacSha256 as Mac>::new_from_slice(key).expect("HMAC accepts any key length")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_secret_is_a_config_error() {
        assert_eq!(
            MasterKey::from_bytes(&[7; 31]).unwrap_err(),
            ConfigError::KeyTooShort
        );
        assert_eq!(
            MasterKey::from_bytes(&[]).unwrap_err(),
            ConfigError::KeyTooShort
        );
        assert!(MasterKey::from_bytes(&[7; 32]).is_ok());
        assert!(MasterKey::from_bytes(&[7; 1000]).is_ok());
    }

    #[test]
    fn debug_is_redacted() {
        let secret = [0xAB; 32];
        let key = MasterKey::from_bytes(&secret).unwrap();
        let shown = format!("{key:?} {:?}", key.derive("captcha"));
        assert!(shown.contains("<redacted>"), "{shown}");
        assert!(!shown.to_lowercase().contains("abab"), "{shown}");
        assert!(!shown.contains("171"), "{shown}");
        assert!(shown.contains(&key.id().to_string()), "{shown}");
    }

    #[test]
    fn purposes() {
        for ok in [
            "captcha",
            "a",
            "reset-code.v2_x",
            &"z".repeat(MAX_PURPOSE_LEN),
        ] {
            assert_eq!(check_purpose(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "Captcha",
            "cap tcha",
            "captcha/",
            "é",
            &"z".repeat(MAX_PURPOSE_LEN + 1),
        ] {
            assert_eq!(
                check_purpose(bad),
                Err(ConfigError::InvalidPurpose),
                "{bad}"
            );
        }
    }

    #[test]
    fn key_id_depends_on_the_secret_only() {
        let a = MasterKey::from_bytes(&[1; 32]).unwrap();
        let b = MasterKey::from_bytes(&[2; 32]).unwrap();
        assert_ne!(a.id(), b.id());
        assert_eq!(a.derive("x").id, a.derive("y").id);
        assert_eq!(a.id().to_string().len(), 8);
    }
}
