//! Behaviour of the public identifier API beyond the vector files.

use resetflow::identifier::{
    self, AccountIdRule, ErrorKind, Identifier, IdentifierError, Kind, ParseOptions, Region,
};
use resetflow::Locale;

fn de() -> Option<Region> {
    Some("DE".parse().expect("DE is a region"))
}

#[test]
fn spec_examples() {
    let id = identifier::parse("+49 151 23456789", None).unwrap();
    assert_eq!(
        (id.kind(), id.normalized()),
        (Kind::Phone, "+4915123456789")
    );
    assert_eq!(id.to_string(), "+4915123456789");
    let Identifier::Phone(phone) = &id else {
        panic!("not a phone: {id:?}")
    };
    assert_eq!(phone.number().country_code(), 49);
    assert_eq!(phone.number().national_number(), "15123456789");

    let id = identifier::parse("0151 23456789", de()).unwrap();
    assert_eq!(id.as_str(), "+4915123456789");
    assert_eq!(
        identifier::parse("+49 1", None).unwrap_err().code(),
        "phone.too_short"
    );

    let id = identifier::parse("100000001", de()).unwrap();
    assert_eq!((id.kind(), id.as_str()), (Kind::AccountId, "100000001"));

    let id = identifier::parse("demo@example.com", de()).unwrap();
    let Identifier::Email(email) = &id else {
        panic!("not an e-mail: {id:?}")
    };
    assert_eq!(
        (email.local_part(), email.domain()),
        ("demo", "example.com")
    );
}

#[test]
fn national_number_without_region_is_a_phone_error() {
    // Punctuation makes it a phone; without a region it cannot be read. The
    // exact code is the phone parser's to choose.
    let err = identifier::parse("0151 23456789", None).unwrap_err();
    assert!(err.code().starts_with("phone."), "{}", err.code());
}

#[test]
fn unknown_region_has_a_stable_code() {
    let err: IdentifierError = "XX".parse::<Region>().unwrap_err().into();
    assert_eq!(err.code(), "region.unknown");
    assert_eq!(err.kind(), ErrorKind::UnknownRegion);
}

#[test]
fn account_id_rule_is_configurable() {
    let options = ParseOptions {
        default_region: None,
        account_id: AccountIdRule::new(8, 10).unwrap().with_prefix("9").unwrap(),
    };
    let parse = |s| {
        Identifier::parse(s, &options)
            .map(|id| id.to_string())
            .map_err(|e| e.code())
    };
    assert_eq!(parse("91234567"), Ok("91234567".to_owned()));
    assert_eq!(parse("9123456"), Err("account_id.too_short"));
    assert_eq!(parse("81234567"), Err("account_id.invalid_prefix"));
    assert_eq!(parse("91234567890"), Err("account_id.too_long"));
    // The default rule would have taken these.
    assert!(identifier::parse("81234567", None).is_ok());
    assert!(identifier::parse("123456", None).is_ok());
}

#[test]
fn errors_are_localised_and_do_not_echo_the_input() {
    let input = "secret-looking-local\"part@example.com";
    let err = identifier::parse(input, None).unwrap_err();
    assert_eq!(err.code(), "email.invalid_local");
    for locale in Locale::ALL {
        assert!(!err.message(locale).contains("secret"));
    }
    assert!(!format!("{err:?} {err}").contains("secret"));
    assert_eq!(
        err.message(Locale::De),
        "Der Teil der E-Mail-Adresse vor dem @ enthält unzulässige Zeichen."
    );
    assert_eq!(err.to_string(), err.message(Locale::En));
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[(self.next() % items.len() as u64) as usize]
    }
}

/// Canonical values are fixed points: parsing one gives the same identifier.
/// Also: no input panics, and every error code is a known one.
#[test]
fn canonical_values_reparse_to_themselves() {
    let any = [
        'a', 'Z', 'x', 'n', '0', '1', '5', '9', '@', '.', '-', '+', ' ', '(', ')', '/', '_', '"',
        '\t', 'ü', 'ß', 'Ö', '。', '．', 'ｅ', '１', '٣', '\u{200C}', '\u{05D0}', '\u{3000}', '例',
    ];
    let local = ['a', 'Z', '0', '.', '+', '_', '-', '!', '~', 'q'];
    let domain = [
        'a', 'B', 'x', 'n', '-', '.', 'ü', 'ß', '例', '。', 'ｅ', '7',
    ];
    let digits = ['0', '1', '2', '5', '9', '１', '٣', '٧'];
    let known: Vec<_> = ErrorKind::ALL.iter().map(|k| k.code()).collect();
    let options = ParseOptions {
        default_region: de(),
        ..ParseOptions::default()
    };
    let mut gen = Gen(0x9E37_79B9_7F4A_7C15);
    let mut kinds = [0usize; 3];
    for _ in 0..20_000 {
        let mut run = |alphabet: &[char], max: u64| -> String {
            let len = 1 + gen.next() % max;
            (0..len).map(|_| gen.pick(alphabet)).collect()
        };
        let input = match run(&['e', 'p', 'a', 'r'], 1).as_str() {
            "e" => format!(
                "{}@{}.{}",
                run(&local, 12),
                run(&domain, 12),
                run(&domain, 4)
            ),
            // +49 151 is a German mobile range with 8 further digits.
            "p" => format!(
                "+49 151 {}",
                (0..8).map(|_| gen.pick(&digits)).collect::<String>()
            ),
            "a" => run(&digits, 14),
            _ => run(&any, 24),
        };
        match Identifier::parse(&input, &options) {
            Ok(id) => {
                kinds[id.kind() as usize] += 1;
                let again = Identifier::parse(id.as_str(), &options);
                assert_eq!(
                    again.as_ref(),
                    Ok(&id),
                    "{input:?} -> {id} does not reparse"
                );
            }
            Err(err) => assert!(known.contains(&err.code()), "{input:?}: {}", err.code()),
        }
    }
    assert!(
        kinds.iter().all(|&n| n > 500),
        "too few valid inputs: {kinds:?}"
    );
}

#[test]
fn types_are_thread_safe_errors() {
    fn check<T: Send + Sync + std::error::Error + 'static>() {}
    check::<IdentifierError>();
    fn send<T: Send + Sync>() {}
    send::<Identifier>();
}

#[cfg(feature = "serde")]
mod serde_form {
    use super::*;

    #[test]
    fn serialises_as_kind_and_normalized() {
        let id = identifier::parse("Jane@MÜNCHEN.de", None).unwrap();
        let json = serde_json::to_value(&id).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"kind": "email", "normalized": "Jane@xn--mnchen-3ya.de"})
        );
        let back: Identifier = serde_json::from_value(json).unwrap();
        assert_eq!(back, id);
        let err = identifier::parse("jane@", None).unwrap_err();
        assert_eq!(
            serde_json::to_value(err).unwrap(),
            serde_json::json!({"code": "email.missing_domain", "message": "Enter the domain after the @, such as example.com."})
        );
    }

    #[test]
    fn deserialising_accepts_only_canonical_values() {
        let ok = |v| {
            serde_json::from_value::<Identifier>(v)
                .map(|id| id.to_string())
                .ok()
        };
        use serde_json::json;
        assert_eq!(
            ok(json!({"kind": "phone", "normalized": "+4915123456789"})).as_deref(),
            Some("+4915123456789")
        );
        assert_eq!(
            ok(json!({"kind": "account_id", "normalized": "100000001"})).as_deref(),
            Some("100000001")
        );
        assert_eq!(
            ok(json!({"kind": "phone", "normalized": "+49 151 23456789"})),
            None
        );
        assert_eq!(
            ok(json!({"kind": "email", "normalized": "a@MÜNCHEN.de"})),
            None
        );
        assert_eq!(
            ok(json!({"kind": "email", "normalized": "not an address"})),
            None
        );
        assert_eq!(ok(json!({"kind": "account_id", "normalized": "12a"})), None);
        assert_eq!(ok(json!({"kind": "account_id", "normalized": ""})), None);
        assert_eq!(ok(json!({"kind": "fax", "normalized": "123"})), None);
    }
}
