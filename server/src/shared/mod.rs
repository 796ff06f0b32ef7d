//! Short-lived state that several server nodes must share: the per-IP
//! budgets, the per-identifier hourly send cap, the resend cooldowns and the
//! used captcha nonces.
//!
//! Two operations cover all of it:
//!
//! - [`hit`](crate::shared::SharedState::hit) counts a hit in a fixed
//!   window (rate limits);
//! - [`claim`](crate::shared::SharedState::claim) takes a key for a while,
//!   once: of any number of concurrent claims, across every node, exactly
//!   one wins (a used nonce, a cooldown).
//!
//! [`MemoryShared`](crate::shared::MemoryShared) keeps them in this process
//! (one node, the default); `RedisShared` (feature `redis`, `resetflow serve
//! --redis URL`) keeps them in Redis, so many nodes behind one address act
//! as one. Both run the same [`conformance`](crate::shared::conformance)
//! suite.
//!
//! # Keys
//!
//! A [`Key`](crate::shared::Key) can only be made from a keyed hash
//! ([`Key::hashed`](crate::shared::Key::hashed), HMAC under the server's
//! identifier subkey) or from a token's public nonce
//! ([`Key::nonce`](crate::shared::Key::nonce)): an IP address, an
//! identifier or a flow id (a bearer capability) never appears in a key
//! name, so a look at Redis reveals nobody and nothing usable.
//!
//! # Time
//!
//! Time is the caller's `now` (the server's clock), as everywhere else in
//! the server, so the same tests run against both backends with a clock
//! they move. Redis's own expiry only collects keys after the caller's
//! window or claim has ended, with
//! [`CLOCK_SKEW_SECS`](crate::shared::CLOCK_SKEW_SECS) of slack for nodes
//! whose clocks differ a little.
//!
//! # Failure
//!
//! When the state cannot be read or written, every operation returns a
//! [`SharedError`](crate::shared::SharedError), never a guess: the request
//! then fails closed (503 `service.unavailable`). Allowing it would let a
//! replayed captcha or a burst of sends through whenever Redis is down.

use std::fmt;

use async_trait::async_trait;
use base64::Engine;
use resetflow::token::Nonce;
use resetflow::Timestamp;

use crate::keys::{Keys, Purpose};

pub mod conformance;
mod memory;
#[cfg(feature = "redis")]
mod redis;

#[cfg(feature = "redis")]
pub use self::redis::RedisShared;
pub use memory::MemoryShared;

/// Slack, in seconds, that Redis keeps a key after its window or claim has
/// ended by the caller's clock: nodes whose clocks run a little behind
/// still find it.
pub const CLOCK_SKEW_SECS: u64 = 30;

/// The answer of one counted hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Hits in the current window, this one included.
    pub count: u32,
    /// Seconds until the window ends (at least 1).
    pub retry_after: u64,
}

/// The answer of a claim.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Claim {
    /// This caller took the key; nobody else can until the claim ends.
    Won,
    /// Someone holds the key for `retry_after` more seconds (at least 1).
    Held {
        /// Seconds until the holder's claim ends.
        retry_after: u64,
    },
}

/// What a key is for; the word starts the key's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scope {
    /// API requests per client IP.
    IpRequests,
    /// Flows started per client IP.
    IpFlows,
    /// Codes sent per client IP.
    IpSends,
    /// Sign-in attempts per client IP.
    IpLogins,
    /// Codes sent per identifier.
    IdentifierSends,
    /// The resend cooldown of a flow.
    Cooldown,
    /// A used captcha token nonce.
    Nonce,
}

impl Scope {
    /// The word that starts a key of this scope (e.g. `ip-req`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Scope::IpRequests => "ip-req",
            Scope::IpFlows => "ip-flows",
            Scope::IpSends => "ip-sends",
            Scope::IpLogins => "ip-login",
            Scope::IdentifierSends => "id-sends",
            Scope::Cooldown => "cooldown",
            Scope::Nonce => "nonce",
        }
    }
}

/// The name of a piece of shared state: `<scope>:<hash>` or
/// `nonce:<hex>`. Holds no identifier, address or secret by construction.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Key(String);

impl Key {
    /// The key of `value` (an IP address, an identifier's keyed hash, a flow
    /// id) in `scope`: the first 16 bytes of HMAC-SHA256 under the server's
    /// identifier subkey over the scope and the value, base64url. Without
    /// the server secret nobody can tell which value a key stands for, and
    /// 128 bits make two values sharing a key beyond reach.
    pub fn hashed(keys: &Keys, scope: Scope, value: &[u8]) -> Key {
        let mac = keys.mac(
            Purpose::Identifier,
            &[b"shared state", scope.as_str().as_bytes(), value],
        );
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&mac[..16]);
        Key(format!("{}:{b64}", scope.as_str()))
    }

    /// The key of a captcha token's nonce. A nonce is public (it travels in
    /// the token) and random, so it is used as it is, in hex.
    pub fn nonce(nonce: &Nonce) -> Key {
        Key(format!("{}:{nonce}", Scope::Nonce.as_str()))
    }

    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({})", self.0)
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The shared state could not answer (unreachable, timed out, full). The
/// message names the backend and the cause, never a key's value or a
/// password from a URL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SharedError {
    message: String,
}

impl SharedError {
    /// An error with `message` (which must hold no secret).
    pub fn new(message: impl Into<String>) -> SharedError {
        SharedError {
            message: message.into(),
        }
    }
}

impl fmt::Display for SharedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "shared state unavailable: {}", self.message)
    }
}

impl std::error::Error for SharedError {}

/// Counters and claims that every node of one deployment sees alike.
///
/// # Contract (checked by [`conformance`])
///
/// - `hit` is atomic: `n` concurrent hits on one key, from any nodes, end
///   with counts `1..=n`, each seen once.
/// - `claim` is atomic: of concurrent claims on one free key exactly one
///   gets [`Claim::Won`]; the key is held until `now + ttl_secs` by the
///   winner's clock, then free again.
/// - Windows are fixed and aligned to multiples of `window_secs` since the
///   Unix epoch: a new window starts at zero.
/// - Nothing lives forever: every key expires shortly after its window or
///   claim ends.
/// - When unsure, an operation fails with [`SharedError`]; it never answers
///   a count of zero or a won claim it did not record.
#[async_trait]
pub trait SharedState: Send + Sync + fmt::Debug {
    /// Counts one hit on `key` in the window of `window_secs` (at least 1)
    /// that holds `now`.
    ///
    /// # Errors
    ///
    /// [`SharedError`] when the hit could not be counted.
    async fn hit(&self, key: &Key, window_secs: u64, now: Timestamp) -> Result<Hit, SharedError>;

    /// Takes `key` from `now` for `ttl_secs` (at least 1), unless someone
    /// holds it.
    ///
    /// # Errors
    ///
    /// [`SharedError`] when the claim could not be recorded (the caller
    /// must then act as if it was held).
    async fn claim(&self, key: &Key, ttl_secs: u64, now: Timestamp) -> Result<Claim, SharedError>;

    /// Whether other nodes (and a restart of this one) see this state.
    /// Counters that must outlive a restart stay in the database when this
    /// is `false`.
    fn spans_nodes(&self) -> bool;
}

/// The window of `window_secs` that holds `now`: its length (at least 1),
/// its start, and the seconds left in it (at least 1).
pub(crate) fn window(window_secs: u64, now: Timestamp) -> (u64, u64, u64) {
    let window = window_secs.max(1);
    let now = now.as_unix_secs();
    let start = now - now % window;
    (window, start, (start + window - now).max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_name_their_scope_and_hide_their_value() {
        let keys = Keys::derive(&[3; 32]);
        let ip = Key::hashed(&keys, Scope::IpRequests, b"192.0.2.1");
        let (scope, hash) = ip.as_str().split_once(':').unwrap();
        assert_eq!(scope, "ip-req");
        assert_eq!(hash.len(), 22, "16 bytes in base64url");
        assert!(!ip.as_str().contains("192.0.2.1"));
        // Stable for one value and key; apart across values, scopes and
        // server keys.
        assert_eq!(ip, Key::hashed(&keys, Scope::IpRequests, b"192.0.2.1"));
        assert_ne!(ip, Key::hashed(&keys, Scope::IpRequests, b"192.0.2.2"));
        let flows = Key::hashed(&keys, Scope::IpFlows, b"192.0.2.1");
        assert_ne!(hash, flows.as_str().split_once(':').unwrap().1);
        let other = Key::hashed(&Keys::derive(&[4; 32]), Scope::IpRequests, b"192.0.2.1");
        assert_ne!(ip, other);

        let nonce = Nonce::from_bytes([0xab; 16]);
        assert_eq!(
            Key::nonce(&nonce).as_str(),
            "nonce:abababababababababababababababab"
        );
    }

    #[test]
    fn windows_are_aligned_to_their_length() {
        let at = Timestamp::from_unix_secs;
        assert_eq!(window(60, at(1_800_000_010)), (60, 1_800_000_000, 50));
        assert_eq!(window(3600, at(1_800_003_599)), (3600, 1_800_000_000, 1));
        assert_eq!(window(0, at(7)), (1, 7, 1), "a zero window is one second");
    }
}
