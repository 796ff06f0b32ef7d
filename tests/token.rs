//! Challenge tokens through the public API: every rejection kind, the
//! verification order, key rotation, replay, tampering, hostile input.

use std::cell::Cell;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU64, Ordering};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use rand_core::{CryptoRng, RngCore};
use resetflow::token::{
    ConfigError, Consumed, IssueError, Keyring, MasterKey, MemoryNonceStore, Nonce, NonceStore,
    Rejected, StoreError, VerifyError, DEFAULT_TTL_SECS, MAX_ANSWER_INPUT_LEN, TOKEN_LEN,
};
use resetflow::Timestamp;

const T0: u64 = 1_700_000_000;

fn at(secs: u64) -> Timestamp {
    Timestamp::from_unix_secs(T0 + secs)
}

fn key(byte: u8) -> MasterKey {
    MasterKey::from_bytes(&[byte; 32]).unwrap()
}

fn keyring() -> Keyring {
    Keyring::new("captcha", key(1)).unwrap()
}

/// A seeded SplitMix64: deterministic nonces without the `captcha` feature's
/// ChaCha. Test only; real callers pass `OsRng`.
struct TestRng(u64);

impl RngCore for TestRng {
    fn next_u32(&mut self) -> u32 {
        self.next_u64() as u32
    }
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        rand_core::impls::fill_bytes_via_next(self, dest)
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for TestRng {}

fn rng() -> TestRng {
    TestRng(7)
}

/// Issues at `at(0)` with a nonce no other call in this test binary gets.
fn issue(keyring: &Keyring, answer: &str) -> String {
    static SEED: AtomicU64 = AtomicU64::new(1_000);
    let mut rng = TestRng(SEED.fetch_add(1, Ordering::Relaxed));
    keyring.issue(&mut rng, answer, at(0)).unwrap().into_token()
}

fn rejection(result: Result<resetflow::token::Verified, VerifyError>) -> Rejected {
    match result {
        Err(VerifyError::Rejected(r)) => r,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// A store that records calls and answers as told.
struct SpyStore {
    calls: Cell<usize>,
    answer: fn() -> Result<Consumed, StoreError>,
}

impl SpyStore {
    fn new(answer: fn() -> Result<Consumed, StoreError>) -> SpyStore {
        SpyStore {
            calls: Cell::new(0),
            answer,
        }
    }
}

impl NonceStore for SpyStore {
    fn consume(&self, _: &Nonce, _: Timestamp, _: Timestamp) -> Result<Consumed, StoreError> {
        self.calls.set(self.calls.get() + 1);
        (self.answer)()
    }
}

#[test]
fn right_answer_verifies_once() {
    let keyring = keyring();
    let store = MemoryNonceStore::new();
    let issued = keyring.issue(&mut rng(), "123456", at(0)).unwrap();
    assert_eq!(issued.token().len(), TOKEN_LEN);
    assert!(issued.token().starts_with("v1."));
    assert!(!issued.token().contains("123456"));
    let verified = keyring
        .verify(issued.token(), "123456", at(10), &store)
        .unwrap();
    assert_eq!(verified.nonce(), issued.nonce());
    assert_eq!(verified.expires_at(), at(DEFAULT_TTL_SECS));
    assert!(!verified.used_previous_key());
    let again = keyring.verify(issued.token(), "123456", at(11), &store);
    assert_eq!(rejection(again), Rejected::Replayed);
}

#[test]
fn wrong_answer_burns_the_token() {
    let keyring = keyring();
    let store = MemoryNonceStore::new();
    let token = issue(&keyring, "123456");
    assert_eq!(
        rejection(keyring.verify(&token, "123457", at(1), &store)),
        Rejected::Wrong
    );
    // The right answer afterwards is too late: one token, one try.
    assert_eq!(
        rejection(keyring.verify(&token, "123456", at(2), &store)),
        Rejected::Replayed
    );
}

#[test]
fn answers_are_normalised_on_both_sides() {
    let keyring = keyring();
    let store = MemoryNonceStore::new();
    let cases = [
        ("123", "１２３"),
        ("123", " 1 2 3 "),
        ("4567", "٤٥٦٧"),
        ("4567", "۴۵۶۷"),
        ("890", "८९०"),
        ("１２３ ４", "1234"),
        ("2024", "2\u{3000}0\u{a0}2\t4"),
    ];
    for (issued_with, typed) in cases {
        let token = issue(&keyring, issued_with);
        assert!(
            keyring.verify(&token, typed, at(1), &store).is_ok(),
            "{issued_with} / {typed}"
        );
    }
    // Not digits: kept as typed, so wrong.
    for typed in ["l23", "I23", "¹²³", "①②③", "一二三", "123\u{200b}"] {
        let token = issue(&keyring, "123");
        assert_eq!(
            rejection(keyring.verify(&token, typed, at(1), &store)),
            Rejected::Wrong,
            "{typed}"
        );
    }
}

#[test]
fn expiry_is_exclusive_and_checked_before_the_store() {
    let keyring = keyring().with_ttl_secs(60).unwrap();
    let token = issue(&keyring, "42");
    let spy = SpyStore::new(|| Ok(Consumed::Fresh));
    assert!(keyring.verify(&token, "42", at(59), &spy).is_ok());
    assert_eq!(spy.calls.get(), 1);
    for late in [60, 61, 10_000] {
        assert_eq!(
            rejection(keyring.verify(&token, "42", at(late), &spy)),
            Rejected::Expired
        );
    }
    assert_eq!(
        spy.calls.get(),
        1,
        "expired tokens must not reach the store"
    );
}

#[test]
fn malformed_tokens_never_reach_the_store() {
    let keyring = keyring();
    let spy = SpyStore::new(|| Ok(Consumed::Fresh));
    let token = issue(&keyring, "42");
    let mut flipped = token.clone().into_bytes();
    flipped[50] = if flipped[50] == b'A' { b'B' } else { b'A' };
    let flipped = String::from_utf8(flipped).unwrap();
    for bad in ["", "v1.", "v1.AAAA", &token[..TOKEN_LEN - 1], &flipped] {
        assert_eq!(
            rejection(keyring.verify(bad, "42", at(1), &spy)),
            Rejected::Malformed
        );
    }
    assert_eq!(spy.calls.get(), 0);
}

#[test]
fn store_failure_is_not_a_rejection() {
    let keyring = keyring();
    let token = issue(&keyring, "42");
    let spy = SpyStore::new(|| Err(StoreError::unavailable("connection refused")));
    let err = keyring.verify(&token, "42", at(1), &spy).unwrap_err();
    assert!(matches!(err, VerifyError::Store(_)), "{err:?}");
    assert_eq!(err.code(), "token.store.unavailable");
    assert_eq!(err.rejected(), None);
    assert!(err.to_string().contains("connection refused"), "{err}");

    // A full store refuses (fails closed) instead of letting the token through.
    let tiny = MemoryNonceStore::with_capacity(NonZeroUsize::new(1).unwrap());
    assert!(keyring
        .verify(&issue(&keyring, "1"), "1", at(1), &tiny)
        .is_ok());
    let other = keyring.issue(&mut TestRng(8), "1", at(0)).unwrap();
    let err = keyring
        .verify(other.token(), "1", at(1), &tiny)
        .unwrap_err();
    assert_eq!(err.code(), "token.store.full");
}

#[test]
fn sans_io_steps_match_verify() {
    let keyring = keyring();
    let token = issue(&keyring, "987654");
    let opened = keyring.open(&token, at(1)).unwrap();
    assert_eq!(opened.expires_at(), at(DEFAULT_TTL_SECS));
    let nonce = *opened.nonce();
    assert_eq!(
        opened.claim(Consumed::AlreadyUsed).unwrap_err(),
        Rejected::Replayed
    );
    let opened = keyring.open(&token, at(1)).unwrap();
    let claimed = opened.claim(Consumed::Fresh).unwrap();
    let verified = claimed.check("987654").unwrap();
    assert_eq!(verified.nonce(), nonce);
    let wrong = keyring
        .open(&token, at(1))
        .unwrap()
        .claim(Consumed::Fresh)
        .unwrap()
        .check("987655");
    assert_eq!(wrong.unwrap_err(), Rejected::Wrong);
}

#[test]
fn concurrent_attempts_with_one_token_succeed_once() {
    let keyring = keyring();
    let store = MemoryNonceStore::new();
    let token = issue(&keyring, "31337");
    let successes: usize = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(|| keyring.verify(&token, "31337", at(1), &store).is_ok()))
            .collect();
        handles
            .into_iter()
            .map(|h| usize::from(h.join().unwrap()))
            .sum()
    });
    assert_eq!(successes, 1);
}

#[test]
fn nonces_differ_between_tokens() {
    let keyring = keyring();
    let mut rng = rng();
    let a = keyring.issue(&mut rng, "1", at(0)).unwrap();
    let b = keyring.issue(&mut rng, "1", at(0)).unwrap();
    assert_ne!(a.nonce(), b.nonce());
    assert_ne!(a.token(), b.token());
}

#[test]
fn key_rotation() {
    let old = Keyring::new("captcha", key(1)).unwrap();
    let new = Keyring::new("captcha", key(2))
        .unwrap()
        .with_previous(key(1))
        .unwrap();
    let retired = Keyring::new("captcha", key(2)).unwrap();
    assert_eq!(new.previous_key_id(), Some(key(1).id()));
    assert_eq!(new.current_key_id(), key(2).id());

    let store = MemoryNonceStore::new();
    let from_old = issue(&old, "555");
    let verified = new.verify(&from_old, "555", at(1), &store).unwrap();
    assert!(verified.used_previous_key());
    // Wrong answers and replays still count under the previous key.
    let from_old = issue(&old, "555");
    assert_eq!(
        rejection(new.verify(&from_old, "556", at(1), &store)),
        Rejected::Wrong
    );

    let from_new = issue(&new, "777");
    assert!(!new
        .verify(&from_new, "777", at(1), &store)
        .unwrap()
        .used_previous_key());
    // New tokens are issued with the new key: the old keyring cannot read them.
    assert_eq!(
        old.open(&issue(&new, "777"), at(1)).unwrap_err(),
        Rejected::Malformed
    );
    // Once the old key is retired, its tokens are unknown: malformed.
    assert_eq!(
        retired.open(&issue(&old, "555"), at(1)).unwrap_err(),
        Rejected::Malformed
    );
    // An unrelated key is malformed too.
    let stranger = Keyring::new("captcha", key(3)).unwrap();
    assert_eq!(
        stranger.open(&issue(&old, "555"), at(1)).unwrap_err(),
        Rejected::Malformed
    );
}

#[test]
fn a_token_with_a_known_key_id_but_a_foreign_key_is_malformed() {
    // Take a genuine token and re-sign it under another secret: the key id
    // still names our key, but tag1 fails.
    let ours = keyring();
    let token = issue(&ours, "1");
    let mut body = URL_SAFE_NO_PAD.decode(&token[3..]).unwrap();
    body[60..].fill(0x11);
    let forged = format!("v1.{}", URL_SAFE_NO_PAD.encode(&body));
    assert_eq!(forged.len(), TOKEN_LEN);
    assert_eq!(ours.open(&forged, at(1)).unwrap_err(), Rejected::Malformed);
}

#[test]
fn purposes_are_separate() {
    let captcha = Keyring::new("captcha", key(1)).unwrap();
    let other = Keyring::new("reset-code", key(1)).unwrap();
    assert_eq!(captcha.current_key_id(), other.current_key_id());
    let token = issue(&captcha, "1234");
    assert_eq!(other.open(&token, at(1)).unwrap_err(), Rejected::Malformed);
    assert!(captcha.open(&token, at(1)).is_ok());
}

#[test]
fn tampering_with_any_byte_is_malformed() {
    let keyring = keyring();
    let token = issue(&keyring, "246810");
    let body = URL_SAFE_NO_PAD.decode(&token[3..]).unwrap();
    assert_eq!(body.len(), 92);
    let store = MemoryNonceStore::new();
    for i in 0..body.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut bad = body.clone();
            bad[i] ^= flip;
            let text = format!("v1.{}", URL_SAFE_NO_PAD.encode(&bad));
            let got = rejection(keyring.verify(&text, "246810", at(1), &store));
            assert_eq!(got, Rejected::Malformed, "byte {i} ^ {flip:#x}");
        }
    }
    // Every character of the text too, version prefix included.
    let alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.v2=+/ ";
    for i in 0..token.len() {
        for c in alphabet
            .chars()
            .filter(|&c| token.as_bytes()[i] != c as u8)
            .step_by(7)
        {
            let mut bad = token.clone();
            bad.replace_range(i..=i, c.encode_utf8(&mut [0; 4]));
            let got = rejection(keyring.verify(&bad, "246810", at(1), &store));
            assert_eq!(got, Rejected::Malformed, "char {i} -> {c:?}");
        }
    }
    assert!(
        store.is_empty().unwrap(),
        "no tampered token may burn a nonce"
    );
    // The untouched token still works after all that.
    assert!(keyring.verify(&token, "246810", at(1), &store).is_ok());
}

#[test]
fn hostile_input_is_rejected_without_panic() {
    let keyring = keyring();
    let store = MemoryNonceStore::new();
    let token = issue(&keyring, "1");
    let huge = "A".repeat(10_000_000);
    let padded = format!("{}==", &token);
    let spaced = format!(" {}", &token[..TOKEN_LEN - 1]);
    let not_ascii = format!("v1.{}", "é".repeat(61) + "A");
    let inputs: [&str; 9] = [
        &huge,
        &padded,
        &spaced,
        &not_ascii,
        "\0",
        "v1.\u{0}",
        &token.to_uppercase(),
        &token.replace('v', "V"),
        &"\u{10FFFF}".repeat(TOKEN_LEN / 4 + 1),
    ];
    for input in inputs {
        assert_eq!(
            rejection(keyring.verify(input, "1", at(1), &store)),
            Rejected::Malformed
        );
    }
    // A hostile answer on a genuine token is merely wrong (and burns it).
    let token = issue(&keyring, "1");
    let long_answer = "1".repeat(MAX_ANSWER_INPUT_LEN + 1);
    assert_eq!(
        rejection(keyring.verify(&token, &long_answer, at(1), &store)),
        Rejected::Wrong
    );
    let token = issue(&keyring, "1");
    assert_eq!(
        rejection(keyring.verify(&token, &huge, at(1), &store)),
        Rejected::Wrong
    );
    let token = issue(&keyring, "1");
    assert_eq!(
        rejection(keyring.verify(&token, "", at(1), &store)),
        Rejected::Wrong
    );
}

#[test]
fn configuration_errors() {
    assert_eq!(
        MasterKey::from_bytes(&[0; 31]).unwrap_err(),
        ConfigError::KeyTooShort
    );
    assert_eq!(
        MasterKey::from_bytes(b"hunter2").unwrap_err().code(),
        "token.config.key_too_short"
    );
    assert_eq!(
        Keyring::new("Captcha", key(1)).unwrap_err(),
        ConfigError::InvalidPurpose
    );
    assert_eq!(
        Keyring::new("", key(1)).unwrap_err().code(),
        "token.config.invalid_purpose"
    );
    assert_eq!(
        keyring().with_previous(key(1)).unwrap_err(),
        ConfigError::DuplicateKey
    );
    assert_eq!(
        keyring().with_ttl_secs(0).unwrap_err(),
        ConfigError::InvalidTtl
    );
    assert_eq!(
        keyring().with_ttl_secs(86_401).unwrap_err().code(),
        "token.config.invalid_ttl"
    );
    assert_eq!(keyring().with_ttl_secs(86_400).unwrap().ttl_secs(), 86_400);

    let k = keyring();
    for (answer, code) in [
        ("", "token.config.answer_empty"),
        ("  ", "token.config.answer_empty"),
        (&"9".repeat(65), "token.config.answer_too_long"),
    ] {
        let err = k.issue(&mut rng(), answer, at(0)).unwrap_err();
        assert!(matches!(err, IssueError::Config(_)), "{err:?}");
        assert_eq!(err.code(), code);
    }
}

#[test]
fn a_failing_rng_is_an_error_not_a_panic() {
    struct Broken;
    impl RngCore for Broken {
        fn next_u32(&mut self) -> u32 {
            panic!("must use try_fill_bytes")
        }
        fn next_u64(&mut self) -> u64 {
            panic!("must use try_fill_bytes")
        }
        fn fill_bytes(&mut self, _: &mut [u8]) {
            panic!("must use try_fill_bytes")
        }
        fn try_fill_bytes(&mut self, _: &mut [u8]) -> Result<(), rand_core::Error> {
            Err(rand_core::Error::from(
                std::num::NonZeroU32::new(rand_core::Error::CUSTOM_START).unwrap(),
            ))
        }
    }
    impl CryptoRng for Broken {}
    let err = keyring().issue(&mut Broken, "1", at(0)).unwrap_err();
    assert_eq!(err.code(), "token.rng_failed");
    assert!(MasterKey::generate(&mut Broken).is_err());
}

#[test]
fn codes_are_stable() {
    let codes: Vec<&str> = [
        Rejected::Malformed,
        Rejected::Expired,
        Rejected::Wrong,
        Rejected::Replayed,
    ]
    .iter()
    .map(|r| r.code())
    .collect();
    assert_eq!(
        codes,
        [
            "token.malformed",
            "token.expired",
            "token.wrong",
            "token.replayed"
        ]
    );
    assert_eq!(VerifyError::from(Rejected::Wrong).code(), "token.wrong");
    assert_eq!(StoreError::full().code(), "token.store.full");
}

#[test]
fn secrets_stay_out_of_debug_and_errors() {
    let secret = [0x5c; 32];
    let keyring = Keyring::new("captcha", MasterKey::from_bytes(&secret).unwrap()).unwrap();
    let token = keyring.issue(&mut rng(), "424242", at(0)).unwrap();
    let opened = keyring.open(token.token(), at(1)).unwrap();
    let shown = format!(
        "{keyring:?} {opened:?} {:?}",
        MasterKey::from_bytes(&secret).unwrap()
    );
    assert!(
        !shown.contains("5c5c") && !shown.contains("92, 92"),
        "{shown}"
    );
    assert!(!shown.contains("424242"), "{shown}");
    assert!(shown.contains("captcha"), "{shown}");
    let claimed = opened.claim(Consumed::Fresh).unwrap();
    let err = claimed.check("000000").unwrap_err();
    assert!(!err.to_string().contains("424242"));
}

#[test]
fn generated_keys_work() {
    let key = MasterKey::generate(&mut rng()).unwrap();
    let keyring = Keyring::new("captcha", key.clone()).unwrap();
    assert_eq!(keyring.current_key_id(), key.id());
    let token = issue(&keyring, "12");
    assert!(keyring
        .verify(&token, "12", at(1), &MemoryNonceStore::new())
        .is_ok());
}

#[test]
fn arc_and_reference_stores_work() {
    let keyring = keyring();
    let store = std::sync::Arc::new(MemoryNonceStore::new());
    let token = issue(&keyring, "8");
    assert!(keyring.verify(&token, "8", at(1), &store).is_ok());
    let by_ref: &dyn NonceStore = &*store;
    assert_eq!(
        rejection(keyring.verify(&token, "8", at(1), by_ref)),
        Rejected::Replayed
    );
}

#[test]
fn types_cross_threads_and_await_points() {
    // A server shares one keyring and store between requests and holds an
    // `Opened` across the `.await` of its async nonce store.
    fn send_sync<T: Send + Sync>() {}
    send_sync::<Keyring>();
    send_sync::<MemoryNonceStore>();
    send_sync::<resetflow::token::Opened>();
    send_sync::<resetflow::token::Claimed>();
    send_sync::<VerifyError>();
}
