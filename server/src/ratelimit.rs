//! Short per-client budgets (requests per minute, flows per hour per IP).
//!
//! These counters are per node and need no durability: after a restart a
//! client gets a fresh window, which costs at most one window's budget.
//! Keeping them in memory takes a synchronous disk write off every request.
//! Counters that guard secrets across restarts (the per-identifier hourly
//! send cap, code attempts) stay in the [`Store`](crate::store::Store).
//!
//! A shared backend (e.g. Redis, for several nodes behind one address) only
//! has to implement [`RateLimiter`].

use std::collections::HashMap;
use std::sync::Mutex;

use resetflow::Timestamp;

/// The answer of one counted hit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Hit {
    /// Hits in the current window, this one included.
    pub count: u32,
    /// Seconds until the window ends (at least 1).
    pub retry_after: u64,
}

/// Counts hits per key in fixed windows.
pub trait RateLimiter: Send + Sync + std::fmt::Debug {
    /// Counts one hit on `key` in the window of `window_secs` that holds `now`.
    fn hit(&self, key: &str, window_secs: u64, now: Timestamp) -> Hit;
}

#[derive(Debug)]
struct Slot {
    window_start: u64,
    window_secs: u64,
    count: u32,
}

/// Fixed windows in memory, bounded: at most `capacity` keys are held; when
/// full, windows that have ended are dropped first, and if none has ended the
/// table is cleared (every client gets a fresh window — a flood of distinct
/// keys must not grow memory without bound, and fresh windows only ever
/// loosen, never wrongly refuse).
#[derive(Debug)]
pub struct MemoryRateLimiter {
    capacity: usize,
    slots: Mutex<HashMap<String, Slot>>,
}

impl MemoryRateLimiter {
    /// The default bound on keys held (about 100 bytes each).
    pub const DEFAULT_CAPACITY: usize = 100_000;

    /// A limiter holding at most `capacity` keys (at least 1).
    pub fn new(capacity: usize) -> MemoryRateLimiter {
        MemoryRateLimiter {
            capacity: capacity.max(1),
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// Keys currently held.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no key is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Slot>> {
        // A panic while holding the lock cannot leave a slot half-written
        // (every update is a plain store), so a poisoned map is still sound.
        self.slots
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Default for MemoryRateLimiter {
    fn default() -> MemoryRateLimiter {
        MemoryRateLimiter::new(MemoryRateLimiter::DEFAULT_CAPACITY)
    }
}

impl RateLimiter for MemoryRateLimiter {
    fn hit(&self, key: &str, window_secs: u64, now: Timestamp) -> Hit {
        let window = window_secs.max(1);
        let now = now.as_unix_secs();
        let start = now - now % window;
        let mut slots = self.lock();
        if !slots.contains_key(key) && slots.len() >= self.capacity {
            slots.retain(|_, s| s.window_start + s.window_secs > now);
            if slots.len() >= self.capacity {
                slots.clear();
            }
        }
        let slot = slots.entry(key.to_owned()).or_insert(Slot {
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
            retry_after: (start + window - now).max(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> Timestamp {
        Timestamp::from_unix_secs(secs)
    }

    #[test]
    fn counts_within_a_window_and_restarts_in_the_next() {
        let l = MemoryRateLimiter::new(10);
        // 120 is a window start for 60-second windows.
        assert_eq!(
            l.hit("a", 60, at(120)),
            Hit {
                count: 1,
                retry_after: 60
            }
        );
        assert_eq!(
            l.hit("a", 60, at(150)),
            Hit {
                count: 2,
                retry_after: 30
            }
        );
        assert_eq!(
            l.hit("a", 60, at(179)),
            Hit {
                count: 3,
                retry_after: 1
            }
        );
        assert_eq!(l.hit("b", 60, at(179)).count, 1);
        assert_eq!(
            l.hit("a", 60, at(180)),
            Hit {
                count: 1,
                retry_after: 60
            }
        );
    }

    #[test]
    fn memory_is_bounded_and_ended_windows_go_first() {
        let l = MemoryRateLimiter::new(3);
        l.hit("old", 60, at(0));
        l.hit("x", 3600, at(30));
        l.hit("y", 3600, at(30));
        // Full: "old" (ended at 60) is dropped, the live ones stay.
        l.hit("z", 3600, at(61));
        assert_eq!(l.len(), 3);
        assert_eq!(l.hit("x", 3600, at(62)).count, 2);
        // Full of live windows: the table starts over rather than grow.
        for i in 0..10 {
            l.hit(&format!("k{i}"), 3600, at(63));
            assert!(l.len() <= 3);
        }
    }
}
