//! Issuing and verifying challenge tokens.
//!
//! `cargo bench -p resetflow --bench token`. Verification is measured with
//! the in-memory nonce store in a steady state, and without a store through
//! the sans-IO steps, so a server can tell the crypto from the bookkeeping.

use std::cell::Cell;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rand_core::OsRng;
use resetflow::token::{Consumed, Keyring, MasterKey, MemoryNonceStore};
use resetflow::Timestamp;

fn keyring() -> Keyring {
    let current = MasterKey::from_bytes(&[0x42; 32]).expect("32-byte key");
    Keyring::new("captcha", current).expect("valid purpose")
}

fn bench(c: &mut Criterion) {
    let keyring = keyring();
    let now = Timestamp::from_unix_secs(1_700_000_000);
    let later = now.add_secs(10);

    c.bench_function("token/issue", |b| {
        b.iter(|| keyring.issue(&mut OsRng, "482913", now).expect("issue"))
    });

    // The full path with the default store: open, consume, check. The clock
    // moves one second per token and tokens live 10,000 s, so the store holds
    // a steady 10,000 unexpired nonces and drops one per call, as it would
    // under constant load (a frozen clock would just fill it).
    c.bench_function("token/verify", |b| {
        let steady = keyring.clone().with_ttl_secs(10_000).expect("valid ttl");
        let store = MemoryNonceStore::new();
        let clock = Cell::new(now);
        b.iter_batched(
            || {
                let t = clock.get().add_secs(1);
                clock.set(t);
                (
                    steady
                        .issue(&mut OsRng, "482913", t)
                        .expect("issue")
                        .into_token(),
                    t,
                )
            },
            |(token, t)| {
                steady
                    .verify(&token, "482913", t, &store)
                    .expect("verified")
            },
            BatchSize::SmallInput,
        )
    });

    // The same without a store: what the crypto and decoding cost.
    let token = keyring
        .issue(&mut OsRng, "482913", now)
        .expect("issue")
        .into_token();
    c.bench_function("token/verify_no_store", |b| {
        b.iter(|| {
            let opened = keyring.open(&token, later).expect("opens");
            opened
                .claim(Consumed::Fresh)
                .expect("fresh")
                .check("482913")
                .expect("right")
        })
    });

    // Rejecting a forged token (integrity tag fails) costs one HMAC.
    let mut forged = token.clone().into_bytes();
    forged[100] = if forged[100] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).expect("ascii");
    c.bench_function("token/reject_forged", |b| {
        b.iter(|| keyring.open(&forged, later).is_err())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
