//! The identifier parser against arbitrary input: no input may panic, and
//! whatever it accepts must be canonical.
//!
//! The first input byte picks the default region (or none); the rest is the
//! text typed. Properties:
//! - parsing never panics and errors carry a known, stable code;
//! - an accepted identifier parses again, with the same region, to itself
//!   (the normalised form is a fixed point), and a phone number's E.164 form
//!   parses to the same number without any region.
#![no_main]

use libfuzzer_sys::fuzz_target;
use resetflow::identifier::{self, phone, ErrorKind, Identifier, Region};

const REGIONS: [Option<&str>; 8] = [
    None,
    Some("DE"),
    Some("US"),
    Some("CN"),
    Some("ID"),
    Some("ES"),
    Some("BR"),
    Some("AR"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let region: Option<Region> =
        REGIONS[usize::from(first) % REGIONS.len()].map(|r| r.parse().unwrap());
    let input = String::from_utf8_lossy(rest);

    match identifier::parse(&input, region) {
        Ok(id) => {
            let again = identifier::parse(id.as_str(), region).unwrap_or_else(|e| {
                panic!("normalised form {:?} refused: {}", id.as_str(), e.code())
            });
            assert_eq!(again, id, "normalisation is not a fixed point");
            if let Identifier::Phone(p) = &id {
                let e164 = phone::parse(&p.number().e164(), None)
                    .expect("E.164 form parses without a region");
                assert_eq!(&e164, p.number());
            }
        }
        Err(err) => {
            assert!(ErrorKind::ALL.contains(&err.kind()), "unknown error kind");
            assert!(!err.code().is_empty());
        }
    }
});
