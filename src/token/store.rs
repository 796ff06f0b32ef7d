//! The store of used nonces, which makes stateless tokens single-use.

use core::fmt;
use core::num::NonZeroUsize;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use super::error::StoreError;
use super::wire::NONCE_LEN;
use crate::Timestamp;

/// The random, unique, public part of a token that the used-nonce store
/// remembers. Not secret: it travels inside the token.
///
/// `Display` gives 32 lowercase hex digits, handy as a key in a shared store
/// (e.g. `SET resetflow:nonce:<hex> 1 NX EXAT <expires_at>` in Redis).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Nonce([u8; NONCE_LEN]);

impl Nonce {
    /// A nonce from its bytes (for store implementations and their tests).
    pub const fn from_bytes(bytes: [u8; NONCE_LEN]) -> Nonce {
        Nonce(bytes)
    }

    /// The nonce's 16 bytes.
    pub const fn as_bytes(&self) -> &[u8; NONCE_LEN] {
        &self.0
    }
}

impl fmt::Display for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for Nonce {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nonce({self})")
    }
}

/// What a store says about a nonce it was asked to consume.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Consumed {
    /// First use: the nonce is now recorded as used.
    Fresh,
    /// The nonce had been consumed before.
    AlreadyUsed,
}

/// A store of used nonces: the one piece of state behind stateless tokens.
///
/// # Contract
///
/// - `consume` is atomic: of any number of concurrent calls with one nonce,
///   across every node sharing the store, exactly one sees
///   [`Consumed::Fresh`]. Checking and recording as two steps would let two
///   requests racing with one token both pass.
/// - A consumed nonce is remembered at least until `expires_at`; after that
///   the token is rejected as expired before the store is asked, so the entry
///   may be dropped.
/// - When the store cannot decide, it returns a [`StoreError`], never
///   `Fresh`: failing closed costs a user a new challenge, failing open lets
///   a token be replayed.
///
/// [`MemoryNonceStore`] is the in-process implementation. For many nodes, use
/// a shared store (Redis `SET key 1 NX EXAT expires_at`); for an async one,
/// use the sans-IO path [`Keyring::open`](super::Keyring::open).
pub trait NonceStore {
    /// Records `nonce` as used and says whether it was used before.
    ///
    /// # Errors
    ///
    /// A [`StoreError`] when the store cannot record the nonce (full,
    /// unreachable); the token must then not be accepted.
    fn consume(
        &self,
        nonce: &Nonce,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<Consumed, StoreError>;
}

impl<S: NonceStore + ?Sized> NonceStore for &S {
    fn consume(
        &self,
        nonce: &Nonce,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<Consumed, StoreError> {
        (**self).consume(nonce, expires_at, now)
    }
}

impl<S: NonceStore + ?Sized> NonceStore for std::sync::Arc<S> {
    fn consume(
        &self,
        nonce: &Nonce,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<Consumed, StoreError> {
        (**self).consume(nonce, expires_at, now)
    }
}

/// A bounded, thread-safe, in-memory [`NonceStore`] for one process.
///
/// Entries are dropped once expired (checked on every call, oldest first, so
/// the work per call is amortised constant plus `O(log n)`). When it holds
/// `capacity` unexpired nonces it refuses new ones with
/// [`StoreError::full`]: evicting an unexpired nonce would make its token
/// replayable, and accepting without recording would too. Size it as
/// (tokens issued per second at peak) × (token lifetime); each entry costs
/// roughly 100 bytes.
///
/// Only tokens that passed their integrity check reach the store, so an
/// attacker cannot fill it with made-up nonces, only with tokens the server
/// issued to them: limit issuing per client.
///
/// Uses `std::sync::Mutex` and ordered maps (no hashing, no clock, no
/// threads of its own), so it works the same in wasm.
pub struct MemoryNonceStore {
    capacity: usize,
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// nonce → expiry, to answer "used before?".
    by_nonce: BTreeMap<Nonce, u64>,
    /// (expiry, nonce) in expiry order, to drop expired entries first.
    by_expiry: BTreeSet<(u64, Nonce)>,
}

impl MemoryNonceStore {
    /// The default capacity: 100,000 nonces, about 10 MB at most; enough for
    /// 330 tokens a second with the default five-minute lifetime.
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// A store of [`DEFAULT_CAPACITY`](Self::DEFAULT_CAPACITY).
    pub fn new() -> MemoryNonceStore {
        MemoryNonceStore::with_capacity(
            NonZeroUsize::new(Self::DEFAULT_CAPACITY).unwrap_or(NonZeroUsize::MIN),
        )
    }

    /// A store holding at most `capacity` unexpired nonces.
    pub fn with_capacity(capacity: NonZeroUsize) -> MemoryNonceStore {
        MemoryNonceStore {
            capacity: capacity.get(),
            inner: Mutex::new(Inner::default()),
        }
    }

    /// The number of nonces held, expired ones not yet dropped included.
    ///
    /// # Errors
    ///
    /// [`StoreError`] (`token.store.unavailable`) if the lock is poisoned.
    pub fn len(&self) -> Result<usize, StoreError> {
        Ok(self.lock()?.by_nonce.len())
    }

    /// Whether the store holds no nonce.
    ///
    /// # Errors
    ///
    /// [`StoreError`] (`token.store.unavailable`) if the lock is poisoned.
    pub fn is_empty(&self) -> Result<bool, StoreError> {
        Ok(self.len()? == 0)
    }

    /// Drops every nonce whose expiry is at or before `now`.
    ///
    /// # Errors
    ///
    /// [`StoreError`] (`token.store.unavailable`) if the lock is poisoned.
    pub fn purge(&self, now: Timestamp) -> Result<(), StoreError> {
        self.lock()?.purge(now.as_unix_secs());
        Ok(())
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, Inner>, StoreError> {
        // A poisoned lock means a thread panicked mid-update: the maps may
        // disagree, so fail closed instead of guessing.
        self.inner
            .lock()
            .map_err(|_| StoreError::unavailable("used-nonce store lock poisoned"))
    }
}

impl Inner {
    fn purge(&mut self, now: u64) {
        while let Some(&(expiry, nonce)) = self.by_expiry.first() {
            if expiry > now {
                break;
            }
            self.by_expiry.pop_first();
            self.by_nonce.remove(&nonce);
        }
    }
}

impl Default for MemoryNonceStore {
    fn default() -> MemoryNonceStore {
        MemoryNonceStore::new()
    }
}

impl fmt::Debug for MemoryNonceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = f.debug_struct("MemoryNonceStore");
        s.field("capacity", &self.capacity);
        if let Ok(len) = self.len() {
            s.field("len", &len);
        }
        s.finish()
    }
}

impl NonceStore for MemoryNonceStore {
    fn consume(
        &self,
        nonce: &Nonce,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> Result<Consumed, StoreError> {
        let mut inner = self.lock()?;
        inner.purge(now.as_unix_secs());
        if inner.by_nonce.contains_key(nonce) {
            return Ok(Consumed::AlreadyUsed);
        }
        if inner.by_nonce.len() >= self.capacity {
            return Err(StoreError::full());
        }
        let expiry = expires_at.as_unix_secs();
        inner.by_nonce.insert(*nonce, expiry);
        inner.by_expiry.insert((expiry, *nonce));
        Ok(Consumed::Fresh)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::error::StoreErrorKind;

    fn n(i: u8) -> Nonce {
        Nonce::from_bytes([i; NONCE_LEN])
    }

    fn t(s: u64) -> Timestamp {
        Timestamp::from_unix_secs(s)
    }

    #[test]
    fn consumes_once() {
        let store = MemoryNonceStore::new();
        assert_eq!(
            store.consume(&n(1), t(100), t(10)).unwrap(),
            Consumed::Fresh
        );
        assert_eq!(
            store.consume(&n(1), t(100), t(11)).unwrap(),
            Consumed::AlreadyUsed
        );
        assert_eq!(
            store.consume(&n(2), t(100), t(11)).unwrap(),
            Consumed::Fresh
        );
        assert_eq!(store.len().unwrap(), 2);
    }

    #[test]
    fn drops_expired_entries_oldest_first() {
        let store = MemoryNonceStore::new();
        store.consume(&n(1), t(100), t(0)).unwrap();
        store.consume(&n(2), t(200), t(0)).unwrap();
        store.consume(&n(3), t(150), t(0)).unwrap();
        store.purge(t(99)).unwrap();
        assert_eq!(store.len().unwrap(), 3);
        store.purge(t(150)).unwrap();
        assert_eq!(store.len().unwrap(), 1);
        // Still remembered until its own expiry.
        assert_eq!(
            store.consume(&n(2), t(200), t(199)).unwrap(),
            Consumed::AlreadyUsed
        );
        store.purge(t(200)).unwrap();
        assert!(store.is_empty().unwrap());
    }

    #[test]
    fn full_store_fails_closed_but_still_knows_its_nonces() {
        let store = MemoryNonceStore::with_capacity(NonZeroUsize::new(2).unwrap());
        store.consume(&n(1), t(100), t(0)).unwrap();
        store.consume(&n(2), t(300), t(0)).unwrap();
        let err = store.consume(&n(3), t(300), t(0)).unwrap_err();
        assert_eq!(err.kind(), StoreErrorKind::Full);
        assert_eq!(err.code(), "token.store.full");
        // A replay is still recognised while full.
        assert_eq!(
            store.consume(&n(1), t(100), t(50)).unwrap(),
            Consumed::AlreadyUsed
        );
        // Once the first expires there is room again.
        assert_eq!(
            store.consume(&n(3), t(300), t(100)).unwrap(),
            Consumed::Fresh
        );
        assert_eq!(
            store.consume(&n(4), t(300), t(100)).unwrap_err().code(),
            "token.store.full"
        );
    }

    #[test]
    fn poisoned_lock_fails_closed() {
        let store = std::sync::Arc::new(MemoryNonceStore::new());
        let s = store.clone();
        let _ = std::thread::spawn(move || {
            let _guard = s.inner.lock().unwrap();
            panic!("poison the lock");
        })
        .join();
        let err = store.consume(&n(1), t(100), t(0)).unwrap_err();
        assert_eq!(err.code(), "token.store.unavailable");
        assert!(err.to_string().contains("poisoned"), "{err}");
    }

    #[test]
    fn nonce_display() {
        let nonce = Nonce::from_bytes([0, 1, 0xab, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10]);
        assert_eq!(nonce.to_string(), "0001abff000000000000000000000010");
        assert_eq!(
            format!("{nonce:?}"),
            "Nonce(0001abff000000000000000000000010)"
        );
    }
}
