//! The contract every [`SharedState`] backend keeps, as runnable checks.
//!
//! A backend's test calls [`run_all`] with two handles on one state, as two
//! nodes would hold them: for memory the same object twice, for Redis two
//! independent connections to one server. Each run keys its state under a
//! fresh random server key, so runs may share a Redis. A failed check panics
//! with a message naming the broken rule.

use std::sync::Arc;

use rand_core::{OsRng, RngCore};
use resetflow::Timestamp;

use super::{Claim, Hit, Key, Scope, SharedState};
use crate::keys::Keys;

/// A time in the future, well clear of any real clock: the suite moves its
/// own clock, as the server's tests do.
const T0: u64 = 1_800_000_000;

/// Runs every check in this module against the two handles `a` and `b`.
pub async fn run_all(a: Arc<dyn SharedState>, b: Arc<dyn SharedState>) {
    let keys = fresh_keys();
    hits_count_per_key_and_window(&keys, a.as_ref(), b.as_ref()).await;
    concurrent_hits_count_exactly(&keys, &a, &b).await;
    claims_end_at_their_ttl(&keys, a.as_ref(), b.as_ref()).await;
    concurrent_claims_have_one_winner(&keys, &a, &b).await;
}

/// A random server key, so that runs against one Redis never meet.
pub fn fresh_keys() -> Keys {
    let mut master = [0u8; 32];
    OsRng.fill_bytes(&mut master);
    Keys::derive(&master)
}

fn at(secs: u64) -> Timestamp {
    Timestamp::from_unix_secs(secs)
}

/// Hits count per key across both handles; windows are aligned to
/// multiples of their length and a new one starts at zero.
pub async fn hits_count_per_key_and_window(keys: &Keys, a: &dyn SharedState, b: &dyn SharedState) {
    let k = Key::hashed(keys, Scope::IpRequests, b"198.51.100.1");
    let other = Key::hashed(keys, Scope::IpRequests, b"198.51.100.2");
    let flows = Key::hashed(keys, Scope::IpFlows, b"198.51.100.1");
    let hit = |count, retry_after| Hit { count, retry_after };
    // T0 + 10 is 10 s into a 60 s window (T0 is a multiple of 60).
    let t = T0 + 10;
    assert_eq!(a.hit(&k, 60, at(t)).await.unwrap(), hit(1, 50), "first hit");
    assert_eq!(
        b.hit(&k, 60, at(t + 5)).await.unwrap(),
        hit(2, 45),
        "the other node counts on"
    );
    assert_eq!(a.hit(&k, 60, at(t + 49)).await.unwrap(), hit(3, 1));
    assert_eq!(
        b.hit(&other, 60, at(t)).await.unwrap(),
        hit(1, 50),
        "another key counts apart"
    );
    assert_eq!(
        a.hit(&flows, 60, at(t)).await.unwrap(),
        hit(1, 50),
        "another scope counts apart"
    );
    assert_eq!(
        b.hit(&k, 60, at(T0 + 60)).await.unwrap(),
        hit(1, 60),
        "a new window starts at zero"
    );
    assert_eq!(a.hit(&k, 60, at(T0 + 61)).await.unwrap(), hit(2, 59));
    let hourly = Key::hashed(keys, Scope::IdentifierSends, &[7; 32]);
    // T0 is 1,800,000,000 = 500,000 hours.
    assert_eq!(
        a.hit(&hourly, 3600, at(T0 + 3599)).await.unwrap(),
        hit(1, 1)
    );
    assert_eq!(
        b.hit(&hourly, 3600, at(T0 + 3600)).await.unwrap(),
        hit(1, 3600)
    );
}

/// 200 hits at once, half through each handle, end with counts 1 to 200,
/// each seen once.
pub async fn concurrent_hits_count_exactly(
    keys: &Keys,
    a: &Arc<dyn SharedState>,
    b: &Arc<dyn SharedState>,
) {
    let k = Key::hashed(keys, Scope::IpSends, b"203.0.113.9");
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200u32 {
        let node = Arc::clone(if i % 2 == 0 { a } else { b });
        let k = k.clone();
        tasks.spawn(async move { node.hit(&k, 3600, at(T0 + 100)).await.unwrap().count });
    }
    let mut counts = Vec::new();
    while let Some(c) = tasks.join_next().await {
        counts.push(c.unwrap());
    }
    counts.sort_unstable();
    assert_eq!(
        counts,
        (1..=200).collect::<Vec<u32>>(),
        "concurrent hits lost or doubled"
    );
    assert_eq!(
        a.hit(&k, 3600, at(T0 + 101)).await.unwrap().count,
        201,
        "the total after the burst"
    );
}

/// A claim holds its key until `now + ttl` (by the claimer's clock) for
/// both handles, then anyone can win it again.
pub async fn claims_end_at_their_ttl(keys: &Keys, a: &dyn SharedState, b: &dyn SharedState) {
    let k = Key::hashed(keys, Scope::Cooldown, b"flow-id-for-conformance");
    let t = T0 + 1000;
    assert_eq!(a.claim(&k, 60, at(t)).await.unwrap(), Claim::Won);
    assert_eq!(
        b.claim(&k, 60, at(t + 1)).await.unwrap(),
        Claim::Held { retry_after: 59 },
        "the other node sees the claim"
    );
    assert_eq!(
        a.claim(&k, 60, at(t + 59)).await.unwrap(),
        Claim::Held { retry_after: 1 },
        "the claimer itself cannot claim again"
    );
    assert_eq!(
        b.claim(&k, 60, at(t + 60)).await.unwrap(),
        Claim::Won,
        "an ended claim can be won again"
    );
    assert_eq!(
        a.claim(&k, 60, at(t + 61)).await.unwrap(),
        Claim::Held { retry_after: 59 },
        "and the new one holds"
    );
    let nonce = Key::nonce(&resetflow::token::Nonce::from_bytes(random16()));
    assert_eq!(b.claim(&nonce, 900, at(t)).await.unwrap(), Claim::Won);
    assert!(
        matches!(
            a.claim(&nonce, 900, at(t + 899)).await.unwrap(),
            Claim::Held { .. }
        ),
        "a used nonce stays used for its token's life"
    );
}

fn random16() -> [u8; 16] {
    let mut b = [0u8; 16];
    OsRng.fill_bytes(&mut b);
    b
}

/// 200 claims at once on one free key, half through each handle: exactly
/// one wins.
pub async fn concurrent_claims_have_one_winner(
    keys: &Keys,
    a: &Arc<dyn SharedState>,
    b: &Arc<dyn SharedState>,
) {
    let k = Key::hashed(keys, Scope::Cooldown, &random16());
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200u32 {
        let node = Arc::clone(if i % 2 == 0 { a } else { b });
        let k = k.clone();
        tasks.spawn(async move { node.claim(&k, 300, at(T0 + 2000)).await.unwrap() });
    }
    let mut won = 0;
    while let Some(c) = tasks.join_next().await {
        match c.unwrap() {
            Claim::Won => won += 1,
            Claim::Held { retry_after } => assert_eq!(retry_after, 300),
        }
    }
    assert_eq!(won, 1, "claims racing on one key: exactly one must win");
}
