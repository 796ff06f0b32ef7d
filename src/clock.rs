use core::fmt;

/// A point in time, in whole seconds since the Unix epoch (UTC).
///
/// Everything in this crate that depends on time takes a `Timestamp` as a
/// parameter; only [`Timestamp::now`] reads a real clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(u64);

impl Timestamp {
    /// The timestamp `secs` seconds after the Unix epoch.
    pub const fn from_unix_secs(secs: u64) -> Timestamp {
        Timestamp(secs)
    }

    /// Seconds since the Unix epoch.
    pub const fn as_unix_secs(self) -> u64 {
        self.0
    }

    /// This timestamp moved `secs` seconds later (saturating).
    pub const fn add_secs(self, secs: u64) -> Timestamp {
        Timestamp(self.0.saturating_add(secs))
    }

    /// The current time from the system clock (or, in wasm, from `Date.now()`).
    pub fn now() -> Timestamp {
        Timestamp(sys::unix_secs())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod sys {
    pub(super) fn unix_secs() -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs())
            // A clock before 1970 is a misconfigured host; treat it as the epoch.
            .unwrap_or(0)
    }
}

#[cfg(target_arch = "wasm32")]
mod sys {
    pub(super) fn unix_secs() -> u64 {
        // `SystemTime::now()` panics on wasm32-unknown-unknown.
        (js_sys::Date::now() / 1000.0) as u64
    }
}
