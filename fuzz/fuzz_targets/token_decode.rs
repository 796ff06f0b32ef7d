//! Challenge tokens against arbitrary bytes: no input may panic, and three
//! properties must hold.
//!
//! The first input byte picks a mode:
//! - 0: arbitrary token and answer text (split at the first `\n`): must be
//!   rejected as malformed (nobody can forge `tag1`), never panic;
//! - 1: a genuine token and an arbitrary answer: verified exactly when the
//!   answer normalises to the issued one, else wrong;
//! - 2: a genuine token with fuzzer-chosen bytes changed: malformed unless
//!   nothing changed.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use rand_core::{CryptoRng, RngCore};
use resetflow::token::{
    decimal_digit_value, normalize_answer, Consumed, Keyring, MasterKey, Rejected, TOKEN_LEN,
};
use resetflow::Timestamp;

const ISSUED_ANSWER: &str = "482913";
const NOW: u64 = 1_700_000_000;

/// Hands out the given bytes as the token's nonce (a fixed, known nonce is
/// what lets the fuzzer reach the answer check).
struct Given([u8; 16]);

impl RngCore for Given {
    fn next_u32(&mut self) -> u32 {
        0
    }
    fn next_u64(&mut self) -> u64 {
        0
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for (d, s) in dest.iter_mut().zip(self.0.iter().cycle()) {
            *d = *s;
        }
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

impl CryptoRng for Given {}

fn keyring() -> &'static Keyring {
    static KEYRING: OnceLock<Keyring> = OnceLock::new();
    KEYRING.get_or_init(|| {
        let current = MasterKey::from_bytes(&[0x42; 32]).expect("32-byte key");
        let previous = MasterKey::from_bytes(&[0x24; 32]).expect("32-byte key");
        Keyring::new("captcha", current)
            .and_then(|k| k.with_previous(previous))
            .expect("valid keyring")
    })
}

fn now() -> Timestamp {
    Timestamp::from_unix_secs(NOW)
}

fn genuine(nonce: &[u8]) -> String {
    let mut n = [0u8; 16];
    for (d, s) in n.iter_mut().zip(nonce) {
        *d = *s;
    }
    keyring()
        .issue(&mut Given(n), ISSUED_ANSWER, now())
        .expect("issue")
        .into_token()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let keyring = keyring();
    match mode % 3 {
        0 => {
            let text = String::from_utf8_lossy(rest);
            let (token, answer) = text.split_once('\n').unwrap_or((&text, ""));
            let opened = keyring.open(token, now());
            assert_eq!(
                opened.err(),
                Some(Rejected::Malformed),
                "forged a token: {token:?}"
            );
            for c in answer.chars() {
                let _ = decimal_digit_value(c);
            }
            let _ = normalize_answer(answer);
        }
        1 => {
            let (nonce, answer) = rest.split_at(rest.len().min(16));
            let answer = String::from_utf8_lossy(answer);
            let token = genuine(nonce);
            let opened = keyring.open(&token, now()).expect("genuine token opens");
            let result = opened.claim(Consumed::Fresh).expect("fresh").check(&answer);
            let should_match = normalize_answer(&answer).as_deref() == Ok(ISSUED_ANSWER);
            match result {
                Ok(_) => assert!(should_match, "accepted {answer:?}"),
                Err(r) => {
                    assert_eq!(r, Rejected::Wrong);
                    assert!(!should_match, "refused {answer:?}");
                }
            }
        }
        _ => {
            let token = genuine(&[7; 16]);
            let mut bytes = token.clone().into_bytes();
            // Pairs of (position, new byte).
            for pair in rest.chunks_exact(2) {
                let at = usize::from(pair[0]) % TOKEN_LEN;
                bytes[at] = pair[1];
            }
            let tampered = String::from_utf8_lossy(&bytes);
            let result = keyring.open(&tampered, now());
            if tampered == token {
                assert!(result.is_ok());
            } else {
                assert_eq!(result.err(), Some(Rejected::Malformed), "{tampered:?}");
            }
        }
    }
});
