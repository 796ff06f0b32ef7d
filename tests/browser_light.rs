//! The npm package's light browser build (`--no-default-features --features
//! browser`), in headless Chromium: without the Unicode tables and the phone
//! table compiled in, it must still give the verdicts of the full build.
//!
//! - E-mail domains go through the browser's own UTS #46 (its URL parser):
//!   hand-checked punycode, and every vector of `tests/vectors/emails.tsv`.
//! - New passwords go through the browser's `String.prototype.normalize`:
//!   hand-checked NFKC forms, and every vector of `tests/vectors/passwords.tsv`
//!   (except the common-password rows: the list is left out too).
//! - Phone numbers are judged by E.164 shape until `loadPhoneMetadata`
//!   installs the table; then every vector of
//!   `tests/vectors/phone_numbers.tsv` must agree, as it does natively.
//!
//! Run with (see `scripts/test.sh`):
//! `cargo test -p resetflow --target wasm32-unknown-unknown --no-default-features --features browser --test browser_light`
//!
//! Only that build has anything to check here: in others the file is empty.
#![cfg(all(
    target_arch = "wasm32",
    feature = "browser",
    not(feature = "idna"),
    not(feature = "unicode-tables"),
    not(feature = "phone-metadata")
))]

use js_sys::Reflect;
use resetflow::browser::phone::load_phone_metadata;
use resetflow::identifier::phone::{self, metadata_loaded, NumberType, Region};
use resetflow::identifier::{self, Kind};
use resetflow::password::{self, Policy};
use wasm_bindgen::JsValue;
use wasm_bindgen_test::wasm_bindgen_test;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// Expands the escapes of the vector files: `\u{HEX}`, `\*{N:TEXT}`, `\t`,
/// `\n` and `\\`.
fn unescape(field: &str) -> String {
    let bad = format!("bad escape in {field:?}");
    let bad = bad.as_str();
    let mut out = String::new();
    let mut rest = field;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let tail = &rest[i + 1..];
        if let Some(r) = tail.strip_prefix("u{") {
            let end = r.find('}').expect(bad);
            let cp = u32::from_str_radix(&r[..end], 16).expect(bad);
            out.push(char::from_u32(cp).expect(bad));
            rest = &r[end + 1..];
        } else if let Some(r) = tail.strip_prefix("*{") {
            let end = r.find('}').expect(bad);
            let (n, text) = r[..end].split_once(':').expect(bad);
            out.push_str(&text.repeat(n.parse().expect(bad)));
            rest = &r[end + 1..];
        } else {
            out.push(match tail.chars().next() {
                Some('t') => '\t',
                Some('n') => '\n',
                Some('\\') => '\\',
                _ => panic!("{bad}"),
            });
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The data rows of a vector file, unescaped.
fn rows(text: &str, skip_header: Option<&str>) -> Vec<(usize, Vec<String>)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.starts_with('#') && !l.trim().is_empty())
        .filter(|(_, l)| skip_header.map_or(true, |h| !l.starts_with(h)))
        .map(|(i, l)| (i + 1, l.split('\t').map(unescape).collect()))
        .collect()
}

fn email(input: &str) -> Result<String, &'static str> {
    identifier::parse(input, None)
        .map(|id| {
            assert_eq!(id.kind(), Kind::Email, "{input:?}");
            id.as_str().to_owned()
        })
        .map_err(|e| e.code())
}

#[wasm_bindgen_test]
fn domains_are_punycoded_by_the_browser() {
    // Punycode checked with Python's independent `punycode` codec and the
    // toAsciiN column of IdnaTestV2.txt (Unicode 16.0), not with resetflow.
    let cases = [
        ("a@bücher.example", "a@xn--bcher-kva.example"),
        ("Jane@München.DE", "Jane@xn--mnchen-3ya.de"),
        ("user@例え.テスト", "user@xn--r8jz45g.xn--zckzah"),
        ("user@例え。テスト", "user@xn--r8jz45g.xn--zckzah"),
        ("user@ｅｘａｍｐｌｅ．ｃｏｍ", "user@example.com"),
        ("user@faß.de", "user@xn--fa-hia.de"),
        ("user@日本語.JP", "user@xn--wgv71a119e.jp"),
        ("user@βόλος.com", "user@xn--nxasmm1c.com"),
        ("user@XN--MNCHEN-3YA.DE", "user@xn--mnchen-3ya.de"),
    ];
    for (input, want) in cases {
        assert_eq!(email(input), Ok(want.to_owned()), "{input:?}");
    }
    // What the URL parser would read as URL syntax never reaches it, and a
    // numeric last label is not read as an IPv4 address.
    for input in [
        "a@ü.de/x",
        "a@ü.de?x",
        "a@ü.de#x",
        "a@ü.de:80",
        "a@ü%41.de",
        "a@ü\\.de",
        "a@ü.de x",
        "a@[ü]",
        "a@-ü.de",
        "a@ü-.de",
        "a@ü.－de",
        // U+2488 maps to "1." (a disallowed STD3 mapping natively); an
        // `xn--` label is validated too, not passed through.
        "a@\u{2488}com",
        "a@xn--a.pt",
    ] {
        assert_eq!(email(input), Err("email.invalid_domain"), "{input:?}");
    }
    assert_eq!(email("a@ü.１２３"), Ok("a@xn--tda.123".into()));
    assert_eq!(email("a@ü.0x7f"), Ok("a@xn--tda.0x7f".into()));
    // Lengths are counted on the punycode.
    let long = format!("a@{}.de", "ü".repeat(60));
    assert_eq!(email(&long), Err("email.label_too_long"));
}

#[wasm_bindgen_test]
fn email_vectors_agree() {
    let mut failures = Vec::new();
    for (line, f) in rows(include_str!("vectors/emails.tsv"), None) {
        let want = match f[1].as_str() {
            "ok" => Ok(f[2].clone()),
            _ => Err(f[2].as_str()),
        };
        let got = identifier::parse(&f[0], None)
            .map(|id| id.as_str().to_owned())
            .map_err(|e| e.code());
        if got.as_ref().map_err(|e| *e) != want.as_ref().map_err(|e| *e) {
            failures.push(format!(
                "line {line}: {:?}: want {want:?}, got {got:?}",
                f[0]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[wasm_bindgen_test]
fn nfkc_comes_from_the_browser() {
    // Forms from the Unicode Character Database decompositions (UAX #15).
    let cases = [
        ("ｇｒａｖｅｌ ｐｉｎｅ 47", "gravel pine 47"),
        (
            "e\u{301}e\u{301}e\u{301}e\u{301}abcd",
            "\u{E9}\u{E9}\u{E9}\u{E9}abcd",
        ),
        ("\u{FB01}\u{FB01}\u{FB01}\u{FB01}", "fifififi"),
        ("\u{2460}\u{2461}\u{2462}\u{2463}abcd", "1234abcd"),
        ("\u{1100}\u{1161}\u{11A8}x1234567", "\u{AC01}x1234567"),
    ];
    for (input, want) in cases {
        assert_eq!(password::normalise(input).as_deref(), Ok(want), "{input:?}");
    }
    // U+FDFA expands to 18 characters: 7 of them are 126, 8 are 144.
    let wide = |n: usize| "\u{FDFA}".repeat(n);
    assert_eq!(
        password::normalise(&wide(7)).map(|s| s.chars().count()),
        Ok(126)
    );
    assert_eq!(
        password::normalise(&wide(8)).map_err(|e| e.code()),
        Err("password.too_long")
    );
}

#[wasm_bindgen_test]
fn case_and_character_classes_come_from_the_browser() {
    let policy = Policy::new().letters_and_digits(true);
    let code = |p: &str, ids: &[&str]| policy.check(p, p, ids).map(|_| ()).map_err(|e| e.code());
    // U+5BC6 and U+7801 are letters (Lo); U+0663 ARABIC-INDIC THREE and
    // U+0F2A TIBETAN DIGIT HALF ONE are numbers (Nd, No) that NFKC keeps.
    assert_eq!(
        code(
            "\u{5BC6}\u{7801}\u{5BC6}\u{7801}\u{5BC6}\u{7801}\u{5BC6}\u{663}",
            &[]
        ),
        Ok(())
    );
    assert_eq!(
        code(
            "\u{5BC6}\u{7801}\u{5BC6}\u{7801}\u{5BC6}\u{7801}\u{5BC6}\u{F2A}",
            &[]
        ),
        Ok(())
    );
    assert_eq!(
        code(
            "\u{5BC6}\u{7801}\u{5BC6}\u{7801}\u{5BC6}\u{7801}\u{5BC6}\u{7801}",
            &[]
        ),
        Err("password.needs_letters_and_digits")
    );
    // Identifiers are compared in lower case: capital umlauts and sigma
    // (a final capital sigma is a final small one), split at non-letters.
    assert_eq!(
        code("x1 ärgerlich", &["ÄRGER.müller@example.com"]),
        Err("password.contains_identifier")
    );
    assert_eq!(
        code("1 οδυσσεας", &["ΟΔΥΣΣΕΑΣ"]),
        Err("password.contains_identifier")
    );
    assert_eq!(code("1 οδυσσεασ", &["ΟΔΥΣΣΕΑΣ"]), Ok(()));
    assert_eq!(
        code("1 οδυσσέας", &["ΟΔΥΣΣΈΑΣ"]),
        Err("password.contains_identifier")
    );
}

#[wasm_bindgen_test]
fn password_vectors_agree() {
    let mut read = 0;
    for (line, c) in rows(include_str!("vectors/passwords.tsv"), Some("policy\t")) {
        assert_eq!(c.len(), 7, "line {line}");
        if c[4] == "password.common" {
            continue; // the list is not in this build
        }
        let policy = match c[0].as_str() {
            "default" => Policy::default(),
            _ => Policy::new().letters_and_digits(true),
        };
        let confirm = if c[2] == "=" {
            c[1].clone()
        } else {
            c[2].clone()
        };
        let ids: Vec<String> = if c[3] == "-" {
            Vec::new()
        } else {
            c[3].split('|').map(String::from).collect()
        };
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        match policy.check(&c[1], &confirm, &ids) {
            Ok(p) => {
                assert_eq!(c[4], "ok", "line {line}: {}", c[6]);
                assert_eq!(p.expose_secret(), c[5], "line {line}: {}", c[6]);
            }
            Err(e) => assert_eq!(e.code(), c[4], "line {line}: {}", c[6]),
        }
        read += 1;
    }
    assert!(read >= 50, "only {read} vectors read");
}

/// One test, in order: the degraded mode, a malformed table, then the real
/// table and every phone vector. (Tests share the page, and the table once
/// loaded stays.)
#[wasm_bindgen_test]
fn phone_numbers_before_and_after_load_phone_metadata() {
    let de: Region = "DE".parse().unwrap();
    assert!(!metadata_loaded());
    // E.164 shape only; bare digits are account IDs.
    let id = identifier::parse("+49 151 2345 6789", Some(de)).unwrap();
    assert_eq!((id.kind(), id.as_str()), (Kind::Phone, "+4915123456789"));
    let n = phone::parse("+1 650 253 0000", None).unwrap();
    assert_eq!((n.region(), n.number_type()), (None, NumberType::Unknown));
    let id = identifier::parse("015123456789", Some(de)).unwrap();
    assert_eq!(id.kind(), Kind::AccountId);
    assert_eq!(
        identifier::parse("+49 151", None).unwrap_err().code(),
        "phone.too_short"
    );

    // A malformed table throws `{ code, message }` and installs nothing.
    let err = load_phone_metadata("DE\t49\tnot a table").unwrap_err();
    let get = |k: &str| {
        Reflect::get(&err, &JsValue::from_str(k))
            .unwrap()
            .as_string()
    };
    assert_eq!(get("code").as_deref(), Some("phone.metadata_invalid"));
    assert!(
        get("message").unwrap().contains("line 1"),
        "{:?}",
        get("message")
    );
    assert!(!metadata_loaded());

    // The table as the npm package ships it, loaded twice (idempotent).
    let table = include_str!("../src/identifier/phone/metadata.tsv");
    load_phone_metadata(table).unwrap();
    load_phone_metadata(table).unwrap();
    assert!(metadata_loaded());
    let id = identifier::parse("015123456789", Some(de)).unwrap();
    assert_eq!((id.kind(), id.as_str()), (Kind::Phone, "+4915123456789"));
    assert_eq!(de.national_prefix(), Some("0"));

    let mut total = 0;
    let mut mismatches = Vec::new();
    for (line, f) in rows(include_str!("vectors/phone_numbers.tsv"), None) {
        let region = match f[1].as_str() {
            "-" => None,
            r => Some(r.parse::<Region>().unwrap()),
        };
        let got = match phone::parse(&f[0], region) {
            Ok(n) => [
                "ok".to_owned(),
                n.e164(),
                n.region().map_or("-".into(), |r| r.to_string()),
                n.number_type().as_str().to_owned(),
            ],
            Err(e) => [e.code().into(), "-".into(), "-".into(), "-".into()],
        };
        if got[..] != f[2..6] {
            mismatches.push(format!(
                "line {line}: {:?}: want {:?}, got {got:?}",
                f[0],
                &f[2..6]
            ));
        }
        total += 1;
    }
    assert!(total > 10_000, "vector file truncated? {total}");
    assert!(
        mismatches.is_empty(),
        "{} of {total} differ:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(40)].join("\n")
    );
}
