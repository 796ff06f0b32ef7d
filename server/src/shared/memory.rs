//! [`SharedState`] in this process: one node's memory.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use resetflow::Timestamp;

use super::{window, Claim, Hit, Key, SharedError, SharedState};

#[derive(Debug)]
struct Slot {
    window_start: u64,
    window_secs: u64,
    count: u32,
}

#[derive(Debug, Default)]
struct Tables {
    hits: HashMap<String, Slot>,
    /// Key → the second its claim ends.
    claims: HashMap<String, u64>,
}

/// Counters and claims in memory, for a single node. Nothing survives a
/// restart, which costs at most one window's budget per client; the
/// per-identifier hourly cap therefore stays in the database with this
/// backend ([`spans_nodes`](SharedState::spans_nodes) is `false`).
///
/// Bounded: at most `capacity` counters and `capacity` claims are held
/// (about 100 bytes each).
///
/// - Counters: when full, windows that have ended are dropped first; if
///   none has ended the table is cleared (every client gets a fresh window;
///   a flood of distinct keys must not grow memory without bound, and a
///   fresh window only ever loosens, never wrongly refuses).
/// - Claims: when full, ended claims are dropped; if the table is still full
///   a new claim fails with [`SharedError`] (dropping a live claim would let
///   a captcha token be replayed or a cooldown be skipped).
#[derive(Debug)]
pub struct MemoryShared {
    capacity: usize,
    tables: Mutex<Tables>,
}

impl MemoryShared {
    /// The default bound on counters, and on claims.
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// State holding at most `capacity` (at least 1) counters and as many
    /// claims.
    pub fn new(capacity: usize) -> MemoryShared {
        MemoryShared {
            capacity: capacity.max(1),
            tables: Mutex::new(Tables::default()),
        }
    }

    /// Counters currently held.
    pub fn counters(&self) -> usize {
        self.lock().hits.len()
    }

    /// Claims currently held (ended ones included until they are swept).
    pub fn claims(&self) -> usize {
        self.lock().claims.len()
    }

    fn lock(&self) -> MutexGuard<'_, Tables> {
        // Every update is a plain store, so a panic while holding the lock
        // cannot leave an entry half-written: a poisoned lock is still sound.
        self.tables.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn hit_now(&self, key: &Key, window_secs: u64, now: Timestamp) -> Hit {
        let (window, start, left) = window(window_secs, now);
        let now = now.as_unix_secs();
        let hits = &mut self.lock().hits;
        if !hits.contains_key(key.as_str()) && hits.len() >= self.capacity {
            hits.retain(|_, s| s.window_start + s.window_secs > now);
            if hits.len() >= self.capacity {
                hits.clear();
            }
        }
        let slot = hits.entry(key.as_str().to_owned()).or_insert(Slot {
            window_start: start,
            window_secs: window,
            count: 0,
        });
        if slot.window_start != start || slot.window_secs != window {
            *slot = Slot {
                window_start: start,
                window_secs: window,
                count: 0,
            };
        }
        slot.count = slot.count.saturating_add(1);
        Hit {
            count: slot.count,
            retry_after: left,
        }
    }

    fn claim_now(&self, key: &Key, ttl_secs: u64, now: Timestamp) -> Result<Claim, SharedError> {
        let now = now.as_unix_secs();
        let claims = &mut self.lock().claims;
        if let Some(&until) = claims.get(key.as_str()) {
            if until > now {
                return Ok(Claim::Held {
                    retry_after: until - now,
                });
            }
        } else if claims.len() >= self.capacity {
            claims.retain(|_, until| *until > now);
            if claims.len() >= self.capacity {
                return Err(SharedError::new(format!(
                    "memory: {} live claims, the most this node holds",
                    self.capacity
                )));
            }
        }
        claims.insert(key.as_str().to_owned(), now + ttl_secs.max(1));
        Ok(Claim::Won)
    }
}

impl Default for MemoryShared {
    fn default() -> MemoryShared {
        MemoryShared::new(MemoryShared::DEFAULT_CAPACITY)
    }
}

#[async_trait]
impl SharedState for MemoryShared {
    async fn hit(&self, key: &Key, window_secs: u64, now: Timestamp) -> Result<Hit, SharedError> {
        Ok(self.hit_now(key, window_secs, now))
    }

    async fn claim(&self, key: &Key, ttl_secs: u64, now: Timestamp) -> Result<Claim, SharedError> {
        self.claim_now(key, ttl_secs, now)
    }

    fn spans_nodes(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::Keys;
    use crate::shared::{conformance, Scope};

    fn at(secs: u64) -> Timestamp {
        Timestamp::from_unix_secs(secs)
    }

    fn key(name: &str) -> Key {
        Key::hashed(&Keys::derive(&[9; 32]), Scope::IpRequests, name.as_bytes())
    }

    #[tokio::test]
    async fn passes_the_conformance_suite_as_one_node() {
        let m: std::sync::Arc<dyn SharedState> = std::sync::Arc::new(MemoryShared::default());
        conformance::run_all(std::sync::Arc::clone(&m), m).await;
    }

    #[test]
    fn counts_within_a_window_and_restarts_in_the_next() {
        let l = MemoryShared::new(10);
        let (a, b) = (key("a"), key("b"));
        // 120 is a window start for 60-second windows.
        let hit = |count, retry_after| Hit { count, retry_after };
        assert_eq!(l.hit_now(&a, 60, at(120)), hit(1, 60));
        assert_eq!(l.hit_now(&a, 60, at(150)), hit(2, 30));
        assert_eq!(l.hit_now(&a, 60, at(179)), hit(3, 1));
        assert_eq!(l.hit_now(&b, 60, at(179)).count, 1);
        assert_eq!(l.hit_now(&a, 60, at(180)), hit(1, 60));
    }

    #[test]
    fn counters_are_bounded_and_ended_windows_go_first() {
        let l = MemoryShared::new(3);
        l.hit_now(&key("old"), 60, at(0));
        l.hit_now(&key("x"), 3600, at(30));
        l.hit_now(&key("y"), 3600, at(30));
        // Full: "old" (ended at 60) is dropped, the live ones stay.
        l.hit_now(&key("z"), 3600, at(61));
        assert_eq!(l.counters(), 3);
        assert_eq!(l.hit_now(&key("x"), 3600, at(62)).count, 2);
        // Full of live windows: the table starts over rather than grow.
        for i in 0..10 {
            l.hit_now(&key(&format!("k{i}")), 3600, at(63));
            assert!(l.counters() <= 3);
        }
    }

    #[test]
    fn claims_are_bounded_and_never_dropped_while_live() {
        let l = MemoryShared::new(2);
        assert_eq!(l.claim_now(&key("a"), 60, at(100)), Ok(Claim::Won));
        assert_eq!(l.claim_now(&key("b"), 10, at(100)), Ok(Claim::Won));
        // Full of live claims: a third fails closed, the two stay held.
        assert!(l.claim_now(&key("c"), 60, at(105)).is_err());
        assert_eq!(
            l.claim_now(&key("a"), 60, at(105)),
            Ok(Claim::Held { retry_after: 55 })
        );
        // "b" ended at 110: it makes room for "c".
        assert_eq!(l.claim_now(&key("c"), 60, at(110)), Ok(Claim::Won));
        assert_eq!(l.claims(), 2);
        assert_eq!(
            l.claim_now(&key("a"), 60, at(111)),
            Ok(Claim::Held { retry_after: 49 })
        );
        // A held key is answered even when the table is full.
        assert!(l.claim_now(&key("d"), 60, at(111)).is_err());
    }

    #[test]
    fn a_claim_ends_at_its_ttl_and_can_be_won_again() {
        let l = MemoryShared::new(10);
        let k = key("cooldown");
        assert_eq!(l.claim_now(&k, 60, at(1000)), Ok(Claim::Won));
        assert_eq!(
            l.claim_now(&k, 60, at(1059)),
            Ok(Claim::Held { retry_after: 1 })
        );
        assert_eq!(l.claim_now(&k, 60, at(1060)), Ok(Claim::Won));
        assert_eq!(
            l.claim_now(&k, 60, at(1060)),
            Ok(Claim::Held { retry_after: 60 })
        );
    }
}
