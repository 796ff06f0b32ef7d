//! Stateless, signed, single-use challenge tokens.
//!
//! A server that shows a challenge (a captcha image) must later check the
//! answer without keeping per-challenge state on one node. It hands the client
//! a token instead: the token carries a random nonce and an expiry, both
//! authenticated with a server key, and a MAC binding the answer, so the
//! client learns nothing about the answer and any node holding the key can
//! check it. A store of used nonces makes every token single-use.
//!
//! # Attacker model
//!
//! The client is the attacker: it holds the token, can submit any bytes as
//! token and answer, replay a token, race copies of one, tamper with it, and
//! keep tokens until they expire. It does not hold the master secret. So:
//!
//! - the token never contains the answer, only `tag2` = HMAC over the nonce,
//!   expiry and answer under a key the client lacks, so offline guessing is
//!   impossible;
//! - `tag1`, an HMAC over every other byte, makes any change a
//!   [`Rejected::Malformed`](crate::token::Rejected::Malformed);
//! - a token is burnt on *any* well-formed, unexpired attempt, right or
//!   wrong, so one token cannot be used to try many answers;
//! - all tag compares are constant-time; input length is bounded before
//!   decoding; nothing allocates in proportion to input or panics on it.
//!
//! # Construction
//!
//! ```text
//! prk      = HKDF-Extract(salt = none, master secret)             (RFC 5869)
//! kid      = HKDF-Expand(prk, "resetflow/token/v1/key-id", 4)
//! k_mac    = HKDF-Expand(prk, "resetflow/token/v1/mac/" ‖ purpose, 32)
//! k_answer = HKDF-Expand(prk, "resetflow/token/v1/answer/" ‖ purpose, 32)
//! tag2     = HMAC-SHA256(k_answer, nonce ‖ expires_at ‖ normalised answer)
//! tag1     = HMAC-SHA256(k_mac, 0x01 ‖ kid ‖ nonce ‖ expires_at ‖ tag2)
//! token    = "v1." ‖ base64url-no-pad(kid ‖ nonce ‖ expires_at ‖ tag2 ‖ tag1)
//! ```
//!
//! `nonce` is 16 random bytes, `expires_at` unix seconds as 8 bytes
//! big-endian. A token is always [`TOKEN_LEN`](crate::token::TOKEN_LEN) (126) ASCII characters. The
//! purpose label (`"captcha"`) enters both subkeys, so a token issued for one
//! purpose is [`Malformed`](crate::token::Rejected::Malformed) for another.
//!
//! Verification order: length → decode → key id → `tag1` → expiry → consume
//! the nonce → `tag2`. Expiry comes before anything stateful, so expired
//! tokens never touch the store.
//!
//! # Key rotation
//!
//! A [`Keyring`](crate::token::Keyring) has a current key, which issues, and optionally a previous
//! one, which still verifies. Every token names its key by [`KeyId`](crate::token::KeyId). To
//! rotate: deploy the new secret as current and the old as previous on every
//! node; after one token lifetime, drop the previous key. Tokens of a key the
//! keyring no longer holds are `Malformed`.
//!
//! # Example
//!
//! ```
//! use rand_core::OsRng;
//! use resetflow::token::{Keyring, MasterKey, MemoryNonceStore, Rejected, VerifyError};
//! use resetflow::Timestamp;
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! let secret = [0x42; 32]; // in production: 32+ random bytes from a secret store
//! let keyring = Keyring::new("captcha", MasterKey::from_bytes(&secret)?)?;
//! let store = MemoryNonceStore::new();
//!
//! let now = Timestamp::from_unix_secs(1_700_000_000);
//! let issued = keyring.issue(&mut OsRng, "482913", now)?;
//! let token = issued.token(); // goes to the client with the image
//!
//! // Later, on any node: full-width digits and spaces are fine.
//! let later = now.add_secs(20);
//! keyring.verify(token, "４８２ ９１３", later, &store)?;
//!
//! // The same token again: burnt.
//! let again = keyring.verify(token, "482913", later, &store);
//! assert_eq!(again.unwrap_err().rejected(), Some(Rejected::Replayed));
//! # Ok(()) }
//! ```
//!
//! With an async store, do the three steps yourself:
//!
//! ```
//! # use rand_core::OsRng;
//! # use resetflow::token::{Consumed, Keyring, MasterKey, Rejected};
//! # use resetflow::Timestamp;
//! # let keyring = Keyring::new("captcha", MasterKey::from_bytes(&[7; 32]).unwrap()).unwrap();
//! # let now = Timestamp::from_unix_secs(1_700_000_000);
//! # let token = keyring.issue(&mut OsRng, "1234", now).unwrap().into_token();
//! let opened = keyring.open(&token, now)?; // no I/O yet
//! // e.g. `SET resetflow:nonce:{nonce} 1 NX EXAT {expires_at}` in Redis:
//! let outcome = Consumed::Fresh; // what your store said about opened.nonce()
//! let verified = opened.claim(outcome)?.check("1234")?;
//! # let _ = verified;
//! # Ok::<(), Rejected>(())
//! ```

mod answer;
mod error;
mod key;
mod store;
mod wire;

use core::fmt;

use hmac::Mac;
use rand_core::{CryptoRng, RngCore};

pub use answer::{decimal_digit_value, normalize_answer, MAX_ANSWER_INPUT_LEN, MAX_ANSWER_LEN};
pub use error::{ConfigError, IssueError, Rejected, StoreError, StoreErrorKind, VerifyError};
pub use key::{KeyId, MasterKey, MAX_PURPOSE_LEN, MIN_MASTER_KEY_LEN};
pub use store::{Consumed, MemoryNonceStore, Nonce, NonceStore};
pub use wire::TOKEN_LEN;

use answer::Normalized;
use key::{check_purpose, HmacSha256, PurposeKeys};
use wire::{Body, NONCE_LEN, TAG_LEN, VERSION};

use crate::Timestamp;

/// The default token lifetime: five minutes, ample to read and type a
/// captcha, well inside the 15-minute recovery flow.
pub const DEFAULT_TTL_SECS: u64 = 300;

/// The longest token lifetime a keyring accepts: one day. A challenge token
/// is short-lived by nature; a longer life only grows the nonce store.
pub const MAX_TTL_SECS: u64 = 86_400;

/// The keys of one token purpose: a current key that issues and verifies and
/// an optional previous key that only verifies. `Debug` shows key ids only.
///
/// Build one per purpose at start-up and share it (`Arc`) between requests;
/// it is immutable, `Send` and `Sync`.
#[derive(Clone)]
pub struct Keyring {
    purpose: Box<str>,
    ttl_secs: u64,
    current: PurposeKeys,
    previous: Option<PurposeKeys>,
}

impl Keyring {
    /// A keyring for `purpose` (e.g. `"captcha"`), issuing with `current`,
    /// with tokens living [`DEFAULT_TTL_SECS`].
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidPurpose`] unless `purpose` is 1 to
    /// [`MAX_PURPOSE_LEN`] bytes of `a-z`, `0-9`, `.`, `_`, `-`.
    pub fn new(purpose: &str, current: MasterKey) -> Result<Keyring, ConfigError> {
        check_purpose(purpose)?;
        Ok(Keyring {
            purpose: purpose.into(),
            ttl_secs: DEFAULT_TTL_SECS,
            current: current.derive(purpose),
            previous: None,
        })
    }

    /// This keyring, also accepting tokens issued with `previous` (during a
    /// key rotation).
    ///
    /// # Errors
    ///
    /// [`ConfigError::DuplicateKey`] if `previous` has the current key's id.
    pub fn with_previous(mut self, previous: MasterKey) -> Result<Keyring, ConfigError> {
        if previous.id() == self.current.id {
            return Err(ConfigError::DuplicateKey);
        }
        self.previous = Some(previous.derive(&self.purpose));
        Ok(self)
    }

    /// This keyring, issuing tokens that live `secs` seconds.
    ///
    /// # Errors
    ///
    /// [`ConfigError::InvalidTtl`] unless `1 <= secs <= MAX_TTL_SECS`.
    pub fn with_ttl_secs(mut self, secs: u64) -> Result<Keyring, ConfigError> {
        if !(1..=MAX_TTL_SECS).contains(&secs) {
            return Err(ConfigError::InvalidTtl);
        }
        self.ttl_secs = secs;
        Ok(self)
    }

    /// The purpose label.
    pub fn purpose(&self) -> &str {
        &self.purpose
    }

    /// The lifetime of issued tokens, in seconds.
    pub fn ttl_secs(&self) -> u64 {
        self.ttl_secs
    }

    /// The id of the key that issues.
    pub fn current_key_id(&self) -> KeyId {
        self.current.id
    }

    /// The id of the previous key, if one is held.
    pub fn previous_key_id(&self) -> Option<KeyId> {
        self.previous.as_ref().map(|k| k.id)
    }

    /// Issues a token binding `answer` (normalised, see [`normalize_answer`]),
    /// valid from `now` for the keyring's lifetime, with a nonce from `rng`.
    ///
    /// # Errors
    ///
    /// [`IssueError::Config`] if the answer is empty or too long after
    /// normalisation; [`IssueError::Rng`] if `rng` fails.
    pub fn issue<R: RngCore + CryptoRng>(
        &self,
        rng: &mut R,
        answer: &str,
        now: Timestamp,
    ) -> Result<Issued, IssueError> {
        let answer = answer::normalize(answer).map_err(ConfigError::from)?;
        let mut nonce = [0u8; NONCE_LEN];
        rng.try_fill_bytes(&mut nonce).map_err(IssueError::Rng)?;
        let expires_at = now.add_secs(self.ttl_secs);
        let keys = &self.current;
        let tag2 = answer_tag(&keys.answer, &nonce, expires_at.as_unix_secs(), &answer);
        let mut body = Body::new(keys.id.0, nonce, expires_at.as_unix_secs(), tag2);
        let tag1: [u8; TAG_LEN] = integrity_mac(&keys.mac, &body)
            .finalize()
            .into_bytes()
            .into();
        body.set_tag1(&tag1);
        Ok(Issued {
            token: body.encode(),
            nonce: Nonce::from_bytes(nonce),
            expires_at,
        })
    }

    /// First step of verification, without I/O: checks that `token` is one
    /// of ours, intact and unexpired at `now`.
    ///
    /// `token` is attacker controlled: any string is handled without panic
    /// and without allocation. The integrity tag is compared in constant
    /// time. Next, consume [`Opened::nonce`] in a [`NonceStore`] (sync or
    /// async) and pass the outcome to [`Opened::claim`].
    ///
    /// # Errors
    ///
    /// [`Rejected::Malformed`] if the token is not exactly a version 1 token
    /// of a key in this keyring for this purpose (wrong length, encoding or
    /// version, unknown key id, failed integrity tag);
    /// [`Rejected::Expired`] if `now` is at or past its expiry.
    pub fn open(&self, token: &str, now: Timestamp) -> Result<Opened, Rejected> {
        let body = Body::decode(token).ok_or(Rejected::Malformed)?;
        // The key id is public, so picking the key by it leaks nothing.
        let kid = body.kid();
        let (keys, previous_key) = if kid == self.current.id.0 {
            (&self.current, false)
        } else {
            match &self.previous {
                Some(previous) if kid == previous.id.0 => (previous, true),
                _ => return Err(Rejected::Malformed),
            }
        };
        integrity_mac(&keys.mac, &body)
            .verify_slice(body.tag1())
            .map_err(|_| Rejected::Malformed)?;
        let expires_at = Timestamp::from_unix_secs(body.expires_at());
        if now >= expires_at {
            return Err(Rejected::Expired);
        }
        Ok(Opened {
            nonce: Nonce::from_bytes(body.nonce()),
            expires_at,
            tag2: body.tag2(),
            answer_key: keys.answer.clone(),
            previous_key,
        })
    }

    /// Verifies `answer` against `token` at `now`, consuming the token's
    /// nonce in `store`: [`open`](Self::open), then
    /// [`NonceStore::consume`], then [`Claimed::check`].
    ///
    /// The token is used up by any attempt that gets past expiry, whether
    /// the answer is right or wrong.
    ///
    /// # Errors
    ///
    /// [`VerifyError::Rejected`] with [`Rejected::Malformed`],
    /// [`Rejected::Expired`], [`Rejected::Replayed`] or [`Rejected::Wrong`];
    /// [`VerifyError::Store`] if the store failed (nothing was verified).
    pub fn verify<S: NonceStore + ?Sized>(
        &self,
        token: &str,
        answer: &str,
        now: Timestamp,
        store: &S,
    ) -> Result<Verified, VerifyError> {
        let opened = self.open(token, now)?;
        let outcome = store.consume(&opened.nonce, opened.expires_at, now)?;
        Ok(opened.claim(outcome)?.check(answer)?)
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("purpose", &self.purpose)
            .field("ttl_secs", &self.ttl_secs)
            .field("current", &self.current.id)
            .field("previous", &self.previous.as_ref().map(|k| k.id))
            .finish()
    }
}

/// A freshly issued token.
#[derive(Clone, Debug)]
pub struct Issued {
    token: String,
    nonce: Nonce,
    expires_at: Timestamp,
}

impl Issued {
    /// The token text to give the client.
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The token text, owned.
    pub fn into_token(self) -> String {
        self.token
    }

    /// The token's nonce.
    pub fn nonce(&self) -> Nonce {
        self.nonce
    }

    /// When the token expires.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }
}

/// A genuine, unexpired token, waiting for its nonce to be consumed.
///
/// State one of verification (after [`Keyring::open`]). The answer cannot be
/// checked in this state: only after [`claim`](Self::claim), so a caller
/// cannot forget the single-use step.
#[must_use = "consume the nonce and call `claim`, or the token is not single-use"]
pub struct Opened {
    nonce: Nonce,
    expires_at: Timestamp,
    tag2: [u8; TAG_LEN],
    answer_key: HmacSha256,
    previous_key: bool,
}

impl Opened {
    /// The nonce to consume in the used-nonce store.
    pub fn nonce(&self) -> &Nonce {
        &self.nonce
    }

    /// The token's expiry: how long the store must remember the nonce.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// Moves on with what the store said about [`nonce`](Self::nonce).
    ///
    /// # Errors
    ///
    /// [`Rejected::Replayed`] if the nonce was already used.
    pub fn claim(self, outcome: Consumed) -> Result<Claimed, Rejected> {
        match outcome {
            Consumed::Fresh => Ok(Claimed { opened: self }),
            Consumed::AlreadyUsed => Err(Rejected::Replayed),
        }
    }
}

impl fmt::Debug for Opened {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Opened")
            .field("nonce", &self.nonce)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

/// A token whose nonce is now used up, ready for its one answer check.
#[must_use = "call `check` with the answer"]
pub struct Claimed {
    opened: Opened,
}

impl Claimed {
    /// Checks `answer` (normalised, see [`normalize_answer`]) in constant
    /// time against the answer the token binds.
    ///
    /// # Errors
    ///
    /// [`Rejected::Wrong`] if it does not match, including an empty answer or
    /// one over [`MAX_ANSWER_INPUT_LEN`] / [`MAX_ANSWER_LEN`] bytes (no token
    /// binds such an answer).
    pub fn check(self, answer: &str) -> Result<Verified, Rejected> {
        let o = self.opened;
        let answer = answer::normalize(answer).map_err(|_| Rejected::Wrong)?;
        let mut mac = o.answer_key;
        feed_answer(
            &mut mac,
            o.nonce.as_bytes(),
            o.expires_at.as_unix_secs(),
            &answer,
        );
        mac.verify_slice(&o.tag2).map_err(|_| Rejected::Wrong)?;
        Ok(Verified {
            nonce: o.nonce,
            expires_at: o.expires_at,
            previous_key: o.previous_key,
        })
    }
}

impl fmt::Debug for Claimed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Claimed")
            .field("opened", &self.opened)
            .finish()
    }
}

/// Proof that a token was genuine, fresh, unused, and answered right.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Verified {
    nonce: Nonce,
    expires_at: Timestamp,
    previous_key: bool,
}

impl Verified {
    /// The token's nonce (now consumed).
    pub fn nonce(&self) -> Nonce {
        self.nonce
    }

    /// The token's expiry.
    pub fn expires_at(&self) -> Timestamp {
        self.expires_at
    }

    /// Whether the token was issued with the previous key: once none are,
    /// the previous key can be retired.
    pub fn used_previous_key(&self) -> bool {
        self.previous_key
    }
}

/// `tag1`'s MAC state over the version byte and the body before `tag1`.
fn integrity_mac(key: &HmacSha256, body: &Body) -> HmacSha256 {
    let mut mac = key.clone();
    mac.update(&[VERSION]);
    mac.update(body.signed());
    mac
}

fn feed_answer(
    mac: &mut HmacSha256,
    nonce: &[u8; NONCE_LEN],
    expires_at: u64,
    answer: &Normalized,
) {
    // The answer is last and the fields before it have fixed lengths, so the
    // concatenation is unambiguous.
    mac.update(nonce);
    mac.update(&expires_at.to_be_bytes());
    mac.update(answer.as_bytes());
}

fn answer_tag(
    key: &HmacSha256,
    nonce: &[u8; NONCE_LEN],
    expires_at: u64,
    answer: &Normalized,
) -> [u8; TAG_LEN] {
    let mut mac = key.clone();
    feed_answer(&mut mac, nonce, expires_at, answer);
    mac.finalize().into_bytes().into()
}
