//! Challenge tokens against vectors computed outside this crate
//! (`tests/vectors/token_v1.txt`, written by `tests/vectors/token_v1.py` with
//! Python's standard library and an RFC 5869 HKDF of its own).
//! They run natively and in headless Chromium, where the MACs are computed by
//! the same code compiled to wasm32.

use hkdf::Hkdf;
use rand_core::{CryptoRng, RngCore};
use resetflow::token::{Consumed, Keyring, MasterKey, Rejected};
use resetflow::Timestamp;
use sha2::Sha256;
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const VECTORS: &str = include_str!("vectors/token_v1.txt");

/// One `[kind name]` section: its `key = value` lines in order.
struct Section {
    kind: String,
    name: String,
    fields: Vec<(String, String)>,
}

impl Section {
    fn get(&self, key: &str) -> &str {
        let mut found = self.fields.iter().filter(|(k, _)| k == key);
        let (_, value) = found
            .next()
            .unwrap_or_else(|| panic!("[{}] lacks {key}", self.name));
        assert!(found.next().is_none(), "[{}] has {key} twice", self.name);
        value
    }

    fn all(&self, key: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn hex(&self, key: &str) -> Vec<u8> {
        hex(self.get(key))
    }

    fn int(&self, key: &str) -> u64 {
        self.get(key).parse().unwrap()
    }
}

fn parse(text: &str) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(header) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let (kind, name) = header.split_once(' ').unwrap();
            sections.push(Section {
                kind: kind.into(),
                name: name.into(),
                fields: Vec::new(),
            });
            continue;
        }
        // Values are taken verbatim after "= ": answers may have spaces.
        let (key, value) = line.split_once('=').unwrap();
        let value = value.strip_prefix(' ').unwrap_or(value);
        sections
            .last_mut()
            .unwrap()
            .fields
            .push((key.trim().into(), value.into()));
    }
    sections
}

fn hex(s: &str) -> Vec<u8> {
    assert!(s.len() % 2 == 0, "odd hex {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// Gives the vector's nonce as its only randomness.
struct FixedRng(Vec<u8>);

impl RngCore for FixedRng {
    fn next_u32(&mut self) -> u32 {
        unreachable!("tokens take their nonce with fill_bytes")
    }
    fn next_u64(&mut self) -> u64 {
        unreachable!("tokens take their nonce with fill_bytes")
    }
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        assert_eq!(dest.len(), self.0.len(), "nonce length");
        dest.copy_from_slice(&self.0);
    }
    fn try_fill_bytes(&mut self, dest: &mut [u8]) -> Result<(), rand_core::Error> {
        self.fill_bytes(dest);
        Ok(())
    }
}

// Test only: the bytes are fixed on purpose.
impl CryptoRng for FixedRng {}

fn sections(kind: &str) -> Vec<Section> {
    let all: Vec<Section> = parse(VECTORS)
        .into_iter()
        .filter(|s| s.kind == kind)
        .collect();
    assert!(!all.is_empty(), "no [{kind} ...] vectors");
    all
}

#[wasm_bindgen_test(unsupported = test)]
fn hkdf_rfc5869_test_case_1() {
    // The HKDF our subkeys come from, on the RFC's own numbers.
    for s in sections("hkdf") {
        let (prk, hk) = Hkdf::<Sha256>::extract(Some(&s.hex("salt")), &s.hex("ikm"));
        assert_eq!(prk.as_slice(), &s.hex("prk")[..], "{}", s.name);
        let mut okm = vec![0u8; s.int("l") as usize];
        hk.expand(&s.hex("info"), &mut okm).unwrap();
        assert_eq!(okm, s.hex("okm"), "{}", s.name);
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn issue_gives_the_exact_token() {
    let mut count = 0;
    for s in sections("token") {
        let key = MasterKey::from_bytes(&s.hex("master")).unwrap();
        assert_eq!(key.id().to_bytes().to_vec(), s.hex("kid"), "{}", s.name);
        let keyring = Keyring::new(s.get("purpose"), key)
            .unwrap()
            .with_ttl_secs(s.int("ttl"))
            .unwrap();
        let now = Timestamp::from_unix_secs(s.int("issued_at"));
        let issued = keyring
            .issue(&mut FixedRng(s.hex("nonce")), s.get("answer"), now)
            .unwrap();
        assert_eq!(issued.token(), s.get("token"), "{}", s.name);
        assert_eq!(
            issued.expires_at().as_unix_secs(),
            s.int("expires_at"),
            "{}",
            s.name
        );
        assert_eq!(
            issued.nonce().as_bytes().to_vec(),
            s.hex("nonce"),
            "{}",
            s.name
        );
        assert_eq!(
            resetflow::token::normalize_answer(s.get("answer")).unwrap(),
            s.get("normalised"),
            "{}",
            s.name
        );
        count += 1;
    }
    assert_eq!(count, 4);
}

#[wasm_bindgen_test(unsupported = test)]
fn vector_tokens_verify_with_accepted_answers_only() {
    for s in sections("token") {
        let keyring = Keyring::new(
            s.get("purpose"),
            MasterKey::from_bytes(&s.hex("master")).unwrap(),
        )
        .unwrap();
        let token = s.get("token");
        let issued_at = Timestamp::from_unix_secs(s.int("issued_at"));
        let expires_at = Timestamp::from_unix_secs(s.int("expires_at"));
        let attempt = |answer: &str, now: Timestamp| {
            let opened = keyring.open(token, now)?;
            assert_eq!(opened.expires_at(), expires_at);
            assert_eq!(opened.nonce().as_bytes().to_vec(), s.hex("nonce"));
            opened.claim(Consumed::Fresh)?.check(answer)
        };
        let accepted = s.all("accept");
        let rejected = s.all("reject");
        assert!(!accepted.is_empty() && !rejected.is_empty(), "{}", s.name);
        for answer in accepted {
            assert!(attempt(answer, issued_at).is_ok(), "{}: {answer:?}", s.name);
        }
        for answer in rejected {
            assert_eq!(
                attempt(answer, issued_at).unwrap_err(),
                Rejected::Wrong,
                "{}: {answer:?}",
                s.name
            );
        }
        // The last second of life, then expiry, whatever the answer.
        let last = Timestamp::from_unix_secs(s.int("expires_at") - 1);
        assert!(attempt(s.get("normalised"), last).is_ok(), "{}", s.name);
        assert_eq!(
            attempt(s.get("normalised"), expires_at).unwrap_err(),
            Rejected::Expired
        );
        // Another purpose with the same secret does not know the token.
        let other =
            Keyring::new("other", MasterKey::from_bytes(&s.hex("master")).unwrap()).unwrap();
        assert_eq!(
            other.open(token, issued_at).unwrap_err(),
            Rejected::Malformed,
            "{}",
            s.name
        );
    }
}

#[wasm_bindgen_test(unsupported = test)]
fn the_parser_reads_answers_verbatim() {
    let basic = sections("token")
        .into_iter()
        .find(|s| s.name == "captcha-basic")
        .unwrap();
    let accepted = basic.all("accept");
    assert!(accepted.contains(&" 4\u{3000}8 2 9 1 3 "), "{accepted:?}");
    assert!(basic.all("reject").contains(&""));
}
