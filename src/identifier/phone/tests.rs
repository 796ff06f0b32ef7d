//! Unit tests of the front end (characters, prefixes, errors). Agreement
//! with libphonenumber across all regions is `tests/phone_vectors.rs`.

use super::*;

fn region(s: &str) -> Region {
    s.parse().unwrap()
}

fn e164(input: &str, r: Option<&str>) -> Result<String, &'static str> {
    parse(input, r.map(region))
        .map(|n| n.e164())
        .map_err(|e| e.code())
}

#[test]
fn region_parsing() {
    assert_eq!(region("de").as_str(), "DE");
    assert_eq!(region("De").to_string(), "DE");
    assert_eq!(format!("{:?}", region("us")), "Region(US)");
    for bad in ["", "D", "DEU", "XX", "ZZ", "001", "d1", "ÄÖ", "de "] {
        let err = bad.parse::<Region>().unwrap_err();
        assert_eq!(err.code(), "region.unknown", "{bad:?}");
    }
    assert_eq!(region("DE").country_code(), 49);
    assert_eq!(region("GG").country_code(), 44);
    assert_eq!(region("DE").national_prefix(), Some("0"));
    assert_eq!(region("US").national_prefix(), Some("1"));
    // Italy dials its numbers with the leading 0: no national prefix.
    assert_eq!(region("IT").national_prefix(), None);
}

#[test]
fn examples_from_the_spec() {
    assert_eq!(e164("+49 151 23456789", None), Ok("+4915123456789".into()));
    assert_eq!(e164("(030) 1234567", Some("DE")), Ok("+49301234567".into()));
    assert_eq!(
        e164("0049 151 23456789", Some("DE")),
        Ok("+4915123456789".into())
    );
    assert_eq!(
        e164("0151 23456789", Some("DE")),
        Ok("+4915123456789".into())
    );
    assert_eq!(e164("+1 (650) 253-0000", None), Ok("+16502530000".into()));
    assert_eq!(
        e164("011 49 30 1234567", Some("US")),
        Ok("+49301234567".into())
    );
    let n = parse("+1 (650) 253-0000", None).unwrap();
    assert_eq!((n.country_code(), n.national_number()), (1, "6502530000"));
    assert_eq!(n.region().map(|r| r.to_string()), Some("US".into()));
    assert_eq!(n.to_string(), "+16502530000");
}

#[test]
fn punctuation_is_ignored() {
    let want = Ok("+49301234567".to_string());
    for input in [
        "+49 30 1234567",
        "+49-30-1234567",
        "+49.30.1234567",
        "+49/30/1234567",
        "+49 (30) 123 45 67",
        "(+49) 30 1234567",
        "+49 [30] 1234567",
        "+49~30~1234567",
        "  +4930 1234567\t",
        "+49\u{00A0}30\u{2009}1234567",
        "+49\u{2013}30\u{2014}1234567",
        "+49\u{2212}30\u{00AD}1234567",
        "tel:+49-30-1234567",
        "TEL:+4930 1234567",
    ] {
        assert_eq!(e164(input, None), want, "{input:?}");
    }
}

#[test]
fn unicode_digits_read_as_ascii() {
    let want = Ok("+49301234567".to_string());
    // Full-width plus, digits, ideographic space and full-width parentheses.
    assert_eq!(e164("\u{FF0B}\u{FF14}\u{FF19}\u{3000}\u{FF08}\u{FF13}\u{FF10}\u{FF09}\u{FF11}\u{FF12}\u{FF13}\u{FF14}\u{FF15}\u{FF16}\u{FF17}", None), want);
    // Arabic-Indic and extended Arabic-Indic (Persian) digits.
    assert_eq!(e164("+\u{0664}\u{0669} \u{0663}\u{0660} \u{0661}\u{0662}\u{0663}\u{0664}\u{0665}\u{0666}\u{0667}", None), want);
    assert_eq!(e164("+\u{06F4}\u{06F9} \u{06F3}\u{06F0} \u{06F1}\u{06F2}\u{06F3}\u{06F4}\u{06F5}\u{06F6}\u{06F7}", None), want);
    // Devanagari, Bengali, Thai, mixed with ASCII.
    assert_eq!(
        e164(
            "+\u{096A}\u{096F} 30 \u{09E7}\u{09E8}\u{09E9} \u{0E54}\u{0E55}\u{0E56}\u{0E57}",
            None
        ),
        want
    );
}

#[test]
fn decimal_digit_table() {
    assert_eq!(decimal_digit('0'), Some(0));
    assert_eq!(decimal_digit('9'), Some(9));
    assert_eq!(decimal_digit('\u{FF10}'), Some(0));
    assert_eq!(decimal_digit('\u{FF19}'), Some(9));
    assert_eq!(decimal_digit('\u{0669}'), Some(9));
    assert_eq!(decimal_digit('\u{1D7CE}'), Some(0)); // mathematical bold zero
    assert_eq!(decimal_digit('\u{1D7FF}'), Some(9)); // mathematical monospace nine
    assert_eq!(decimal_digit('\u{1FBF9}'), Some(9)); // segmented digit nine
                                                     // Neighbours that are not decimal digits, and digit-like non-Nd.
    for c in [
        '/',
        ':',
        'a',
        '\u{065F}',
        '\u{066A}',
        '\u{FF1A}',
        '\u{00B2}',
        '\u{2460}',
        '\u{2167}',
        '\u{1FBFA}',
        '\0',
    ] {
        assert_eq!(decimal_digit(c), None, "{c:?}");
    }
    // Agrees with char::to_digit on ASCII, and with is_numeric elsewhere.
    for cp in 0..0x3_0000u32 {
        if let Some(c) = char::from_u32(cp) {
            if let Some(d) = decimal_digit(c) {
                assert!(c.is_numeric(), "{c:?}");
                if c.is_ascii() {
                    assert_eq!(c.to_digit(10), Some(u32::from(d)));
                }
            } else if c.is_ascii() {
                assert!(c.to_digit(10).is_none());
            }
        }
    }
}

#[test]
fn junk_is_invalid_characters() {
    for input in [
        "+49 30 1234567 ext. 12",
        "+49 30 1234567x12",
        "1-800-FLOWERS",
        "+49 30 12345a67",
        "030 1234567;phone-context=+49",
        "+49 30 *1234567",
        "#4930123456",
        "49+30123456",
        "++4930123456",
        "+49 30 1234567+",
        "mailto:+4930123456",
        "+49_30_1234567",
        "+49,30,1234567",
        "+49\u{0}30",
        "\u{00B2}\u{00B3}",
    ] {
        assert_eq!(
            e164(input, Some("DE")),
            Err("phone.invalid_characters"),
            "{input:?}"
        );
    }
}

#[test]
fn error_kinds() {
    assert_eq!(e164("030 1234567", None), Err("phone.missing_region"));
    assert_eq!(
        e164("+999 1234567", None),
        Err("phone.invalid_country_code")
    );
    assert_eq!(e164("+0 1234567", None), Err("phone.invalid_country_code"));
    assert_eq!(e164("", Some("DE")), Err("phone.too_short"));
    assert_eq!(e164("+", None), Err("phone.too_short"));
    assert_eq!(e164("7", Some("DE")), Err("phone.too_short"));
    assert_eq!(e164("+49", None), Err("phone.too_short"));
    // Two digits are a local-only length in DE: possible, not valid.
    assert_eq!(e164("+49 30", None), Err("phone.invalid"));
    // DE numbers have 4 to 15 digits, so this one is of a possible length
    // but matches no number type.
    assert_eq!(e164("+49 151 234", None), Err("phone.invalid"));
    assert_eq!(
        e164("+49 151 2345678901234567", None),
        Err("phone.too_long")
    );
    // US numbers have 10 digits.
    assert_eq!(e164("+1 650 253 000", None), Err("phone.too_short"));
    assert_eq!(e164("+1 650 253 00000", None), Err("phone.too_long"));
    // IR has lengths 4-7 and 10 (8 local only): 9 is in a gap.
    assert_eq!(e164("+98 21 1234 567", None), Err("phone.invalid"));
    // Right length, but no US area code starts with 1.
    assert_eq!(e164("+1 150 253 0000", None), Err("phone.invalid"));
    // A bare local number without area code (possible only locally).
    assert_eq!(e164("253 0000", Some("US")), Err("phone.invalid"));
}

#[test]
fn input_length_is_bounded() {
    let long = format!("+49 30 {}", " ".repeat(MAX_INPUT_CHARS));
    assert_eq!(e164(&long, None), Err("phone.too_long"));
    let just_fits = format!("+49 30 1234567{}", " ".repeat(MAX_INPUT_CHARS - 14));
    assert_eq!(just_fits.chars().count(), MAX_INPUT_CHARS);
    assert_eq!(e164(&just_fits, None), Ok("+49301234567".into()));
    // Counted in characters, not bytes: 16 full-width digits are 48 bytes.
    let wide: String = "+49 (30) 1234 5678 9012"
        .chars()
        .map(|c| match c {
            '0'..='9' | '+' | '(' | ')' => {
                char::from_u32(u32::from(c) - 0x20 + 0xFF00).unwrap_or(c)
            }
            _ => '\u{3000}',
        })
        .collect();
    assert!(wide.starts_with('\u{FF0B}'));
    assert!(wide.len() > MAX_INPUT_CHARS);
    assert_eq!(e164(&wide, None), Ok("+4930123456789012".into()));
    assert_eq!(e164(&"9".repeat(10_000), Some("DE")), Err("phone.too_long"));
}

#[test]
fn national_prefix_handling() {
    // GB drops its trunk 0; IT keeps the leading 0 of fixed lines.
    assert_eq!(
        e164("020 7946 0000", Some("GB")),
        Ok("+442079460000".into())
    );
    assert_eq!(
        e164("+44 (0)20 7946 0000", None),
        Ok("+442079460000".into())
    );
    assert_eq!(e164("06 6988 0000", Some("IT")), Ok("+390669880000".into()));
    assert_eq!(
        parse("06 6988 0000", Some(region("IT")))
            .unwrap()
            .national_number(),
        "0669880000"
    );
    // RU dials 8 as trunk prefix, and 810 to go abroad.
    assert_eq!(
        e164("8 (495) 123-45-67", Some("RU")),
        Ok("+74951234567".into())
    );
    assert_eq!(
        e164("810 49 30 1234567", Some("RU")),
        Ok("+49301234567".into())
    );
    // AR: 0 + area code + 15 + local number is a mobile, stored as 9 + area.
    let ar = parse("011 15-2345-6789", Some(region("AR"))).unwrap();
    assert_eq!(ar.e164(), "+5491123456789");
    assert_eq!(ar.number_type(), NumberType::Mobile);
    // AG: a 7-digit local number gets its area code from the transform rule.
    assert_eq!(e164("460 1234", Some("AG")), Ok("+12684601234".into()));
    // The home calling code typed without '+' is only taken as such when
    // the digits do not already form a number: in DE, "49 151 23456789"
    // is itself a fixed-line number (libphonenumber agrees), but in US
    // "1 650 253 0000" has one digit too many for a national number.
    assert_eq!(
        e164("49 151 23456789", Some("DE")),
        Ok("+494915123456789".into())
    );
    assert_eq!(
        e164("1 650 253 0000", Some("US")),
        Ok("+16502530000".into())
    );
}

#[test]
fn shared_calling_codes_find_their_region() {
    let r = |input: &str| parse(input, None).unwrap().region().map(|r| r.to_string());
    assert_eq!(r("+1 416 555 0123").as_deref(), Some("CA"));
    assert_eq!(r("+1 268 460 1234").as_deref(), Some("AG"));
    assert_eq!(r("+7 701 123 4567").as_deref(), Some("KZ"));
    assert_eq!(r("+7 912 345 6789").as_deref(), Some("RU"));
    assert_eq!(r("+44 7781 123456").as_deref(), Some("GG"));
    assert_eq!(r("+39 06 698 12345").as_deref(), Some("VA"));
    assert_eq!(r("+800 1234 5678"), None);
}

#[test]
fn number_types() {
    let t = |input: &str| parse(input, None).unwrap().number_type();
    assert_eq!(t("+49 30 1234567"), NumberType::FixedLine);
    assert_eq!(t("+49 151 23456789"), NumberType::Mobile);
    assert_eq!(t("+1 650 253 0000"), NumberType::FixedLineOrMobile);
    assert_eq!(t("+49 800 1234567"), NumberType::TollFree);
    assert_eq!(t("+800 1234 5678"), NumberType::TollFree);
    assert!(t("+49 151 23456789").may_receive_sms());
    assert!(!t("+49 30 1234567").may_receive_sms());
    assert_eq!(
        NumberType::FixedLineOrMobile.as_str(),
        "fixed_line_or_mobile"
    );
}

#[test]
fn error_codes_are_stable() {
    let all = [
        (PhoneError::InvalidCharacters, "phone.invalid_characters"),
        (PhoneError::MissingRegion, "phone.missing_region"),
        (PhoneError::InvalidCountryCode, "phone.invalid_country_code"),
        (PhoneError::TooShort, "phone.too_short"),
        (PhoneError::TooLong, "phone.too_long"),
        (PhoneError::Invalid, "phone.invalid"),
    ];
    for (e, code) in all {
        assert_eq!(e.code(), code);
        assert!(!e.to_string().is_empty());
    }
}

/// SplitMix64: a tiny seeded generator, enough to spray inputs.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[test]
fn garbage_never_panics() {
    let mut rng = SplitMix(0x5EED_F00D);
    let regions: Vec<Option<Region>> = [
        None,
        Some("DE"),
        Some("US"),
        Some("AR"),
        Some("GB"),
        Some("BR"),
        Some("JP"),
        Some("AG"),
    ]
    .into_iter()
    .map(|r| r.map(region))
    .collect();
    // Characters that steer the parser into its interesting corners.
    let alphabet: Vec<char> = "0123456789+ ()-./0000111\u{FF10}\u{FF0B}\u{0660}xa;*#\u{0}\u{FFFD}é"
        .chars()
        .collect();
    let mut ok = 0;
    for i in 0..20_000 {
        let len = (rng.next() % 40) as usize;
        let input: String = if i % 2 == 0 {
            // Random bytes, made into a string lossily.
            let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            String::from_utf8_lossy(&bytes).into_owned()
        } else {
            (0..len)
                .map(|_| alphabet[(rng.next() % alphabet.len() as u64) as usize])
                .collect()
        };
        let r = regions[(rng.next() % regions.len() as u64) as usize];
        if let Ok(n) = parse(&input, r) {
            // Whatever parses is a valid number and round-trips via E.164.
            assert_eq!(parse(&n.e164(), None).as_ref(), Ok(&n), "{input:?}");
            ok += 1;
        }
    }
    // The digit-heavy half of the inputs yields some valid numbers.
    assert!(ok > 0);
}

#[test]
fn digit_strings_never_panic_and_round_trip() {
    let mut rng = SplitMix(42);
    for _ in 0..20_000 {
        let len = 1 + (rng.next() % 20) as usize;
        let digits: String = (0..len)
            .map(|_| char::from(b'0' + (rng.next() % 10) as u8))
            .collect();
        for (input, r) in [
            (format!("+{digits}"), None),
            (digits.clone(), Some(region("DE"))),
            (digits.clone(), Some(region("US"))),
        ] {
            if let Ok(n) = parse(&input, r) {
                assert_eq!(parse(&n.e164(), None).as_ref(), Ok(&n), "{input:?}");
                assert!(n.national_number().bytes().all(|b| b.is_ascii_digit()));
            }
        }
    }
}
