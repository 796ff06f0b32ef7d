//! Cost of one captcha: layout, distortion, rasterisation and PNG encoding.
//!
//! `cargo bench -p resetflow --bench captcha`. Criterion runs on one thread;
//! the budget is 100 µs median for the default 160x60 captcha.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use rand_chacha::rand_core::SeedableRng;
use resetflow::captcha::{self, Config, Difficulty};

fn bench(c: &mut Criterion) {
    let cases = [
        ("default 160x60", Config::default()),
        ("2x 320x120", Config::builder().scale(2).build().unwrap()),
        (
            "hard 160x60",
            Config::builder()
                .difficulty(Difficulty::Hard)
                .build()
                .unwrap(),
        ),
    ];
    for (name, config) in cases {
        let mut seed = 0u64;
        c.bench_function(&format!("generate+png {name}"), |b| {
            b.iter_batched_ref(
                || {
                    seed += 1;
                    rand_chacha::ChaCha8Rng::seed_from_u64(seed)
                },
                |rng| captcha::generate(&config, rng),
                BatchSize::SmallInput,
            )
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
