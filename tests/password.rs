//! The password policy and strength estimate, through the public API.
//!
//! Expected values are hand-derived (see the comments and the provenance
//! notes of `tests/vectors/passwords.tsv`), never taken from the code under
//! test.

use std::collections::HashSet;

use resetflow::password::{
    estimate, Hint, PasswordError, Policy, MAX_INPUT_BYTES, MAX_LEN, MIN_LEN,
};
use resetflow::Locale;

/// Reads the escapes of the vectors file: `\u{HEX}`, `\t`, `\n`, `\\`.
fn unescape(field: &str) -> String {
    let mut out = String::new();
    let mut rest = field;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        if let Some(hex) = tail.strip_prefix("u{") {
            let end = hex.find('}').expect("unterminated \\u{");
            let cp = u32::from_str_radix(&hex[..end], 16).expect("hex");
            out.push(char::from_u32(cp).expect("scalar value"));
            rest = &hex[end + 1..];
        } else {
            out.push(match tail.chars().next() {
                Some('t') => '\t',
                Some('n') => '\n',
                Some('\\') => '\\',
                other => panic!("unknown escape {other:?} in {field:?}"),
            });
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

fn code(result: &Result<resetflow::password::NewPassword, PasswordError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(e) => e.code(),
    }
}

#[test]
fn vectors() {
    let text = include_str!("vectors/passwords.tsv");
    let mut rows = 0;
    for line in text.lines() {
        if line.starts_with('#') || line.starts_with("policy\t") || line.is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 7, "malformed row {line:?}");
        let policy = match cols[0] {
            "default" => Policy::default(),
            "letters_digits" => Policy::new().letters_and_digits(true),
            other => panic!("unknown policy {other}"),
        };
        let password = unescape(cols[1]);
        let confirm = if cols[2] == "=" {
            password.clone()
        } else {
            unescape(cols[2])
        };
        let ids: Vec<String> = if cols[3] == "-" {
            Vec::new()
        } else {
            cols[3].split('|').map(unescape).collect()
        };
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        if cols[4] == "password.common" && cfg!(not(feature = "common-passwords")) {
            // Without the list this rule is not applied.
            continue;
        }
        let result = policy.check(&password, &confirm, &ids);
        assert_eq!(code(&result), cols[4], "{}: {:?}", cols[6], cols[1]);
        if let Ok(ok) = result {
            assert_eq!(ok.expose_secret(), unescape(cols[5]), "{}", cols[6]);
        }
        rows += 1;
    }
    assert!(rows >= 50, "only {rows} vectors read");
}

fn check(password: &str) -> Result<String, &'static str> {
    Policy::default()
        .check(password, password, &[])
        .map(|p| p.into_string())
        .map_err(|e| e.code())
}

#[test]
fn length_boundaries_in_ascii() {
    // "kq" repeated: not in the list, no identifier.
    let of = |n: usize| "kq".repeat(n).chars().take(n).collect::<String>();
    assert_eq!(check(&of(MIN_LEN - 1)), Err("password.too_short"));
    assert_eq!(check(&of(MIN_LEN)), Ok(of(8)));
    assert_eq!(check(&of(MAX_LEN)), Ok(of(128)));
    assert_eq!(check(&of(MAX_LEN + 1)), Err("password.too_long"));
    assert_eq!((MIN_LEN, MAX_LEN), (8, 128), "SPEC section 5");
}

#[test]
fn length_boundaries_after_nfkc() {
    // Full-width letters are 3 bytes each and normalise one to one.
    let fw = |n: usize| "\u{FF4B}".repeat(n); // FULLWIDTH LATIN SMALL LETTER K
    assert_eq!(check(&fw(7)), Err("password.too_short"));
    assert_eq!(check(&fw(8)), Ok("k".repeat(8)));
    assert_eq!(check(&fw(128)), Ok("k".repeat(128)));
    assert_eq!(check(&fw(129)), Err("password.too_long"));

    // e + COMBINING ACUTE composes to U+00E9: 256 code points typed, 128 counted.
    let composed = |n: usize| "e\u{301}".repeat(n);
    assert_eq!(check(&composed(7)), Err("password.too_short"));
    assert_eq!(check(&composed(8)), Ok("\u{E9}".repeat(8)));
    assert_eq!(check(&composed(128)), Ok("\u{E9}".repeat(128)));
    assert_eq!(check(&composed(129)), Err("password.too_long"));

    // LATIN SMALL LIGATURE FI expands to two: 64 typed, 128 counted.
    let lig = |n: usize| "\u{FB01}".repeat(n);
    assert_eq!(check(&lig(4)), Ok("fi".repeat(4)));
    assert_eq!(check(&lig(64)), Ok("fi".repeat(64)));
    assert_eq!(check(&lig(65)), Err("password.too_long"));

    // U+FDFA (ARABIC LIGATURE SALLALLAHOU ALAYHE WASALLAM) expands to 18
    // characters: 7 of them and 2 letters are 128, 8 of them are 144.
    let fdfa = "\u{FDFA}";
    assert_eq!(
        check(&format!("{}ab", fdfa.repeat(7))).map(|s| s.chars().count()),
        Ok(128)
    );
    assert_eq!(check(&fdfa.repeat(8)), Err("password.too_long"));
    assert_eq!(check(fdfa).map(|s| s.chars().count()), Ok(18));
}

#[test]
fn oversized_input_is_refused_without_normalising_it() {
    assert_eq!(
        check(&"k".repeat(MAX_INPUT_BYTES + 1)),
        Err("password.too_long")
    );
    // A base letter followed by 2,047 combining marks (4,095 bytes): the
    // normaliser must buffer marks until the next starter; the byte bound
    // keeps that small, and the result is simply too long.
    let marks = format!("a{}", "\u{301}".repeat(2047));
    assert!(marks.len() <= MAX_INPUT_BYTES);
    assert_eq!(check(&marks), Err("password.too_long"));
    let huge = "\u{301}".repeat(1 << 20);
    assert_eq!(check(&huge), Err("password.too_long"));
    assert_eq!(estimate(&huge, &[]).score(), 0);
    // A confirmation that is too long cannot match.
    let r = Policy::default().check("gravel pine 47", &"k".repeat(1 << 16), &[]);
    assert_eq!(r.unwrap_err(), PasswordError::Mismatch);
}

#[test]
fn every_control_character_is_refused() {
    for c in (0u32..0x20).chain(0x7F..0xA0).filter_map(char::from_u32) {
        let p = format!("kqkq{c}kqkq");
        assert_eq!(
            check(&p),
            Err("password.invalid_characters"),
            "U+{:04X}",
            c as u32
        );
    }
    // Noncharacters at the end of each plane.
    for plane in 0..=16u32 {
        for low in [0xFFFE, 0xFFFF] {
            let c = char::from_u32(plane << 16 | low).unwrap();
            assert_eq!(
                check(&format!("kqkqkqkq{c}")),
                Err("password.invalid_characters")
            );
        }
    }
    // Format characters are not controls: ZERO WIDTH JOINER, SOFT HYPHEN.
    assert!(check("kqkq\u{200D}kqkq").is_ok());
    assert!(check("kqkq\u{AD}kqkq").is_ok());
}

#[cfg(feature = "common-passwords")]
mod common_list {
    use super::*;
    use resetflow::password::is_common;

    fn entries() -> Vec<&'static str> {
        include_str!("../src/password/common-passwords.txt")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .collect()
    }

    #[test]
    fn known_entries_are_in_and_a_random_one_is_not() {
        for p in [
            "password",
            "12345678",
            "qwertyuiop",
            "PASSWORD",
            "Qwertyuiop",
            "iloveyou",
        ] {
            assert!(is_common(p), "{p}");
        }
        // Full-width forms fold into the list.
        assert!(is_common(
            "\u{FF50}\u{FF41}\u{FF53}\u{FF53}\u{FF57}\u{FF4F}\u{FF52}\u{FF44}"
        ));
        for p in ["vq3#Lw9!xZ2m-Tb7", "password!x", "", "passwor"] {
            assert!(!is_common(p), "{p}");
        }
        // Shorter entries of the source list are not shipped: the length rule
        // refuses them, and `check` says so.
        assert!(!is_common("123456"));
        assert_eq!(check("123456"), Err("password.too_short"));
    }

    #[test]
    fn the_shipped_list_has_enough_entries_and_check_refuses_each() {
        let entries = entries();
        assert!(entries.len() >= 10_000, "{} entries", entries.len());
        let set: HashSet<&str> = entries.iter().copied().collect();
        assert_eq!(set.len(), entries.len(), "duplicates");
        for e in &entries {
            assert!(is_common(e), "{e}");
            assert!(is_common(&e.to_ascii_uppercase()), "{e}");
            assert_eq!(check(e), Err("password.common"), "{e}");
            let longer = format!("{e}~");
            assert_eq!(
                is_common(&longer),
                set.contains(longer.as_str()),
                "{longer}"
            );
        }
    }

    #[test]
    fn the_list_names_its_source_and_licence() {
        let text = include_str!("../src/password/common-passwords.txt");
        assert!(text.contains("zxcvbn 4.5.0") && text.contains("Licence: MIT"));
        let licence = include_str!("../src/password/common-passwords.LICENSE.txt");
        assert!(
            licence.contains("MIT License") && licence.contains("Permission is hereby granted")
        );
    }
}

#[test]
fn identifiers_are_matched_by_fragments_of_four_or_more() {
    let p = Policy::default();
    let r = |pw: &str, ids: &[&str]| code(&p.check(pw, pw, ids));
    // Each fragment of 4+ characters banned, shorter ones ignored.
    assert_eq!(
        r("zz-smith-zz", &["jo.smith"]),
        "password.contains_identifier"
    );
    assert_eq!(r("zz-jo-zz-zz", &["jo.smith"]), "ok");
    assert_eq!(
        r("zz-SMITH-zz", &["jo.smith"]),
        "password.contains_identifier"
    );
    assert_eq!(r("zz-abcd-zzz", &["abcd"]), "password.contains_identifier");
    assert_eq!(r("zz-abc-zzzz", &["abc"]), "ok");
    // Only alphanumeric runs are fragments, so "o.sm" (a substring of the
    // identifier across a dot) is not banned on its own.
    assert_eq!(r("zz-o.sm-zzz", &["jo.smith"]), "ok");
    // Any identifier of several triggers it.
    assert_eq!(
        r("zz-1000001-z", &["jo", "x@example.org", "1000001"]),
        "password.contains_identifier"
    );
    // The password equal to an identifier.
    assert_eq!(
        r("jane.doe@example.com", &["jane.doe@example.com"]),
        "password.contains_identifier"
    );
    // Case folding is Unicode lower-casing: an identifier in Greek capitals.
    assert_eq!(r("zz-σοφια-zz", &["ΣΟΦΙΑ"]), "password.contains_identifier");
    // No identifiers, or only empty ones: nothing banned.
    assert_eq!(r("zz-smith-zz", &[]), "ok");
    assert_eq!(r("zz-smith-zz", &["", "    "]), "ok");
}

#[test]
fn every_error_has_a_distinct_code_and_messages_in_every_locale() {
    let expected_codes = [
        "password.too_short",
        "password.too_long",
        "password.common",
        "password.contains_identifier",
        "password.needs_letters_and_digits",
        "password.mismatch",
        "password.invalid_characters",
        "password.normalisation_unavailable",
    ];
    let codes: HashSet<&str> = PasswordError::ALL.iter().map(|e| e.code()).collect();
    assert_eq!(codes, expected_codes.into_iter().collect());
    assert_eq!(codes.len(), PasswordError::ALL.len());

    for locale in Locale::ALL {
        let msgs: HashSet<&str> = PasswordError::ALL
            .iter()
            .map(|e| e.message(locale))
            .collect();
        assert_eq!(
            msgs.len(),
            PasswordError::ALL.len(),
            "{locale}: messages not distinct"
        );
        assert!(
            msgs.iter().all(|m| !m.trim().is_empty()),
            "{locale}: empty message"
        );
    }
    // Each locale has its own text, not English left in place.
    for e in PasswordError::ALL {
        let texts: HashSet<&str> = Locale::ALL.iter().map(|&l| e.message(l)).collect();
        assert_eq!(
            texts.len(),
            Locale::ALL.len(),
            "{}: a locale repeats another",
            e.code()
        );
        assert_eq!(e.to_string(), e.message(Locale::En));
    }
    assert_eq!(
        PasswordError::TooShort.message(Locale::De),
        "Verwenden Sie mindestens 8 Zeichen."
    );
    assert_eq!(
        PasswordError::Mismatch.message(Locale::Zh),
        "两次输入的密码不一致。"
    );
}

#[test]
fn every_hint_has_a_distinct_code_and_messages_in_every_locale() {
    let codes: HashSet<&str> = Hint::ALL.iter().map(|h| h.code()).collect();
    assert_eq!(codes.len(), Hint::ALL.len());
    assert!(codes.contains("password.hint.longer"));
    assert!(codes.contains("password.hint.mix"));
    assert!(codes.contains("password.hint.common_pattern"));
    assert!(codes.iter().all(|c| c.starts_with("password.hint.")));
    for locale in Locale::ALL {
        let msgs: HashSet<&str> = Hint::ALL.iter().map(|h| h.message(locale)).collect();
        assert_eq!(msgs.len(), Hint::ALL.len(), "{locale}");
        assert!(msgs.iter().all(|m| !m.trim().is_empty()));
    }
    for h in Hint::ALL {
        let texts: HashSet<&str> = Locale::ALL.iter().map(|&l| h.message(l)).collect();
        assert_eq!(texts.len(), Locale::ALL.len(), "{}", h.code());
    }
}

#[test]
fn secrets_stay_out_of_debug_and_errors() {
    let secret = "gravel pine 47";
    let ok = Policy::default().check(secret, secret, &[]).unwrap();
    assert!(!format!("{ok:?}").contains("gravel"));
    let err = Policy::default()
        .check(secret, "other pine 47", &[])
        .unwrap_err();
    assert!(!format!("{err:?} {err}").contains("gravel"));
    let s = estimate(secret, &[]);
    assert!(!format!("{s:?}").contains("gravel"));
}

#[test]
fn estimate_scores_hand_worked_examples() {
    let est = |p: &str, ids: &[&str]| {
        let s = estimate(p, ids);
        (s.score(), s.hints().to_vec())
    };
    use Hint::*;
    // Refused by policy: score 0.
    #[cfg(feature = "common-passwords")]
    assert_eq!(est("password", &[]), (0, vec![Common, Longer, Mix]));
    assert_eq!(est("abc", &[]), (0, vec![Longer, Mix, CommonPattern]));
    assert_eq!(
        est("jane.doe-rocks-42", &["jane.doe"]),
        (0, vec![Identifier])
    );
    // 25 lower-case letters, no pattern: 25 * log2(26) = 117.5 bits -> 4.
    assert_eq!(est("correcthorsebatterystaple", &[]), (4, vec![]));
    // 8 characters from lower, digits, symbols: 8 * log2(69) = 48.9 -> 2.
    assert_eq!(est("kq7#vmz2", &[]), (2, vec![Longer]));
    // 11 characters, all four ASCII classes: 11 * log2(95) = 72.3 -> 3.
    assert_eq!(est("Tr0ub4dor&3", &[]), (3, vec![Longer]));
    // 12 k: the first two worth log2(26) each, ten repeats nothing:
    // 9.4 bits -> 0.
    assert_eq!(est(&"k".repeat(MAX_LEN + 1), &[]).0, 0);
    assert_eq!(est("kqkqkqkq\u{0}zz", &[]).0, 0);
    assert_eq!(est("kkkkkkkkkkkk", &[]), (0, vec![Mix, CommonPattern]));
    // "password" padded: 12 chars from 69 -> per char 6.11; "3" continues
    // "123" (nothing): 11 * 6.11 = 67.2; minus the entry's 8 * 6.11, plus
    // 15 for the entry: 33.3 bits -> 1.
    #[cfg(feature = "common-passwords")]
    assert_eq!(est("password123!", &[]), (1, vec![Common, CommonPattern]));
    // Keyboard row inside: "asdf" gives d, f for free. 13 characters,
    // lower + digits (36): 11 * 5.17 = 56.9 -> 2.
    assert_eq!(est("x7asdf9m2kq4w", &[]), (2, vec![Mix, CommonPattern]));
}

/// A tiny deterministic generator, so the property test needs no RNG crate.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
#[cfg(feature = "unicode-tables")]
fn arbitrary_input_never_panics_and_results_keep_their_promises() {
    use unicode_normalization::is_nfkc;

    // Characters from the interesting corners: ASCII, controls, combining
    // marks, compatibility forms, Hangul jamo, CJK, astral, noncharacters.
    let pool: Vec<char> = "aZ9 #\u{0}\u{7F}\u{85}\u{301}\u{313}\u{345}\u{FB01}\u{FDFA}\u{FF4B}\u{1100}\u{1161}\u{11A8}\u{5BC6}\u{1F469}\u{200D}\u{2028}\u{FFFF}\u{E000}\u{130}\u{DF}\u{3A3}"
        .chars()
        .collect();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let policy = Policy::new().letters_and_digits(true);
    for _ in 0..5_000 {
        let len = (rng.next() % 160) as usize;
        let p: String = (0..len)
            .map(|_| pool[(rng.next() % pool.len() as u64) as usize])
            .collect();
        let s = estimate(&p, &["ab\u{301}cd"]);
        assert!(s.score() <= 4);
        let positions: Vec<usize> = s
            .hints()
            .iter()
            .map(|h| Hint::ALL.iter().position(|x| x == h).unwrap())
            .collect();
        assert!(
            positions.windows(2).all(|w| w[0] < w[1]),
            "hints out of order or repeated"
        );
        if let Ok(ok) = policy.check(&p, &p, &["ab\u{301}cd"]) {
            let n = ok.expose_secret();
            assert!((MIN_LEN..=MAX_LEN).contains(&n.chars().count()));
            assert!(is_nfkc(n));
            assert!(!n.chars().any(char::is_control));
            // Checking the normalised form again accepts it unchanged.
            assert_eq!(policy.check(n, &p, &[]).unwrap().expose_secret(), n);
        }
    }
}

#[test]
fn sign_in_normalises_like_the_reset_did() {
    // Full-width letters, digits and hyphen are NFKC-compatible with ASCII.
    let typed = "Ｔｒｏｍｂｏｎｅ－Ｋｉｗｉ９";
    assert_eq!(
        resetflow::password::normalise(typed).as_deref(),
        Ok("Trombone-Kiwi9")
    );
    let hashed = Policy::new().check(typed, typed, &[]).unwrap();
    assert_eq!(hashed.expose_secret(), "Trombone-Kiwi9");
    // A common password still normalises: sign-in does not re-apply the list.
    assert_eq!(
        resetflow::password::normalise("password123").as_deref(),
        Ok("password123")
    );
    assert_eq!(
        resetflow::password::normalise("short"),
        Err(PasswordError::TooShort)
    );
    assert_eq!(
        resetflow::password::normalise("bell\u{7}bell\u{7}"),
        Err(PasswordError::InvalidCharacters)
    );
}
