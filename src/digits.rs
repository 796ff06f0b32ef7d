//! Decimal digits of every script (Unicode general category Nd).
//!
//! One table shared by the identifier parser, the phone parser and the
//! answer normalisation of challenge tokens, so that all three read the same
//! characters as digits.
//!
//! Provenance: generated once with Python 3.11.7, whose `unicodedata` module
//! implements Unicode 14.0.0. Every Nd character in that version belongs to a run
//! of ten consecutive code points holding the values 0 to 9 in order (the
//! generator asserts it), so the zeros alone describe all 660 of them. Digits
//! added to Unicode after 14.0.0 are not in this table: they are read as
//! any other character. Unicode 15.0 added two runs (KAWI U+11F50 and NAG MUNDARI
//! U+1E4F0, from its UnicodeData.txt), appended by hand. To regenerate, run:
//!
//! ```text
//! import sys, unicodedata
//! nd = [c for c in range(sys.maxunicode + 1) if unicodedata.category(chr(c)) == "Nd"]
//! zeros = [c for c in nd if unicodedata.digit(chr(c)) == 0]
//! assert all(unicodedata.digit(chr(z + i)) == i for z in zeros for i in range(10))
//! assert len(nd) == 10 * len(zeros)
//! for z in zeros: print("    '\\u{%04X}', // %s" % (z, unicodedata.name(chr(z))))
//! ```

/// Code points of the digit zero of each Nd run, ascending (Unicode 15.0).
pub(crate) const ND_ZEROS: [char; 68] = [
    '\u{0030}',  // DIGIT ZERO
    '\u{0660}',  // ARABIC-INDIC DIGIT ZERO
    '\u{06F0}',  // EXTENDED ARABIC-INDIC DIGIT ZERO
    '\u{07C0}',  // NKO DIGIT ZERO
    '\u{0966}',  // DEVANAGARI DIGIT ZERO
    '\u{09E6}',  // BENGALI DIGIT ZERO
    '\u{0A66}',  // GURMUKHI DIGIT ZERO
    '\u{0AE6}',  // GUJARATI DIGIT ZERO
    '\u{0B66}',  // ORIYA DIGIT ZERO
    '\u{0BE6}',  // TAMIL DIGIT ZERO
    '\u{0C66}',  // TELUGU DIGIT ZERO
    '\u{0CE6}',  // KANNADA DIGIT ZERO
    '\u{0D66}',  // MALAYALAM DIGIT ZERO
    '\u{0DE6}',  // SINHALA LITH DIGIT ZERO
    '\u{0E50}',  // THAI DIGIT ZERO
    '\u{0ED0}',  // LAO DIGIT ZERO
    '\u{0F20}',  // TIBETAN DIGIT ZERO
    '\u{1040}',  // MYANMAR DIGIT ZERO
    '\u{1090}',  // MYANMAR SHAN DIGIT ZERO
    '\u{17E0}',  // KHMER DIGIT ZERO
    '\u{1810}',  // MONGOLIAN DIGIT ZERO
    '\u{1946}',  // LIMBU DIGIT ZERO
    '\u{19D0}',  // NEW TAI LUE DIGIT ZERO
    '\u{1A80}',  // TAI THAM HORA DIGIT ZERO
    '\u{1A90}',  // TAI THAM THAM DIGIT ZERO
    '\u{1B50}',  // BALINESE DIGIT ZERO
    '\u{1BB0}',  // SUNDANESE DIGIT ZERO
    '\u{1C40}',  // LEPCHA DIGIT ZERO
    '\u{1C50}',  // OL CHIKI DIGIT ZERO
    '\u{A620}',  // VAI DIGIT ZERO
    '\u{A8D0}',  // SAURASHTRA DIGIT ZERO
    '\u{A900}',  // KAYAH LI DIGIT ZERO
    '\u{A9D0}',  // JAVANESE DIGIT ZERO
    '\u{A9F0}',  // MYANMAR TAI LAING DIGIT ZERO
    '\u{AA50}',  // CHAM DIGIT ZERO
    '\u{ABF0}',  // MEETEI MAYEK DIGIT ZERO
    '\u{FF10}',  // FULLWIDTH DIGIT ZERO
    '\u{104A0}', // OSMANYA DIGIT ZERO
    '\u{10D30}', // HANIFI ROHINGYA DIGIT ZERO
    '\u{11066}', // BRAHMI DIGIT ZERO
    '\u{110F0}', // SORA SOMPENG DIGIT ZERO
    '\u{11136}', // CHAKMA DIGIT ZERO
    '\u{111D0}', // SHARADA DIGIT ZERO
    '\u{112F0}', // KHUDAWADI DIGIT ZERO
    '\u{11450}', // NEWA DIGIT ZERO
    '\u{114D0}', // TIRHUTA DIGIT ZERO
    '\u{11650}', // MODI DIGIT ZERO
    '\u{116C0}', // TAKRI DIGIT ZERO
    '\u{11730}', // AHOM DIGIT ZERO
    '\u{118E0}', // WARANG CITI DIGIT ZERO
    '\u{11950}', // DIVES AKURU DIGIT ZERO
    '\u{11C50}', // BHAIKSUKI DIGIT ZERO
    '\u{11D50}', // MASARAM GONDI DIGIT ZERO
    '\u{11DA0}', // GUNJALA GONDI DIGIT ZERO
    '\u{11F50}', // KAWI DIGIT ZERO (Unicode 15.0)
    '\u{16A60}', // MRO DIGIT ZERO
    '\u{16AC0}', // TANGSA DIGIT ZERO
    '\u{16B50}', // PAHAWH HMONG DIGIT ZERO
    '\u{1D7CE}', // MATHEMATICAL BOLD DIGIT ZERO
    '\u{1D7D8}', // MATHEMATICAL DOUBLE-STRUCK DIGIT ZERO
    '\u{1D7E2}', // MATHEMATICAL SANS-SERIF DIGIT ZERO
    '\u{1D7EC}', // MATHEMATICAL SANS-SERIF BOLD DIGIT ZERO
    '\u{1D7F6}', // MATHEMATICAL MONOSPACE DIGIT ZERO
    '\u{1E140}', // NYIAKENG PUACHUE HMONG DIGIT ZERO
    '\u{1E2F0}', // WANCHO DIGIT ZERO
    '\u{1E4F0}', // NAG MUNDARI DIGIT ZERO (Unicode 15.0)
    '\u{1E950}', // ADLAM DIGIT ZERO
    '\u{1FBF0}', // SEGMENTED DIGIT ZERO
];

/// The value of `c` if it is a decimal digit of any script: ASCII `7`,
/// full-width `７`, Arabic-Indic `٧`, Devanagari `७` all give `Some(7)`.
pub(crate) fn decimal_digit(c: char) -> Option<u8> {
    // The greatest zero not above `c`; `c` is a digit when it lies within the
    // ten code points of that zero's run.
    let idx = ND_ZEROS.partition_point(|&zero| zero <= c);
    let zero = *ND_ZEROS.get(idx.checked_sub(1)?)?;
    let value = u32::from(c) - u32::from(zero);
    // Below 10, so the cast is lossless.
    (value < 10).then_some(value as u8)
}

/// Appends the decimal form of `n` to `out`, as `n.to_string()` writes it.
///
/// Numbers in the messages and values of the browser build are written with
/// this rather than `format!` or `to_string`, which link `core::fmt` into the
/// wasm (docs/browser-size.md).
pub(crate) fn push_decimal(out: &mut String, n: usize) {
    // usize::MAX has 20 digits on 64-bit targets.
    let mut buf = [0u8; 20];
    let mut start = buf.len();
    let mut rest = n;
    loop {
        start -= 1;
        // `rest % 10` is below 10, so the cast cannot truncate.
        buf[start] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend(buf[start..].iter().map(|&b| char::from(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_written_as_to_string_writes_them() {
        let cases: [(usize, &str); 7] = [
            (0, "0"),
            (7, "7"),
            (10, "10"),
            (49, "49"),
            (999, "999"),
            (1_000_000, "1000000"),
            (4_294_967_295, "4294967295"),
        ];
        for (n, want) in cases {
            let mut out = String::from("x");
            push_decimal(&mut out, n);
            assert_eq!(out, format!("x{want}"));
        }
        #[cfg(target_pointer_width = "64")]
        {
            let mut out = String::new();
            push_decimal(&mut out, usize::MAX);
            assert_eq!(out, "18446744073709551615");
        }
    }

    #[test]
    fn zeros_are_sorted_and_runs_do_not_overlap() {
        for pair in ND_ZEROS.windows(2) {
            assert!(u32::from(pair[1]) >= u32::from(pair[0]) + 10, "{pair:?}");
        }
    }

    #[test]
    fn every_table_digit_is_numeric_to_rust_too() {
        // Rust's own Unicode tables are newer and mark Nd (with Nl and No)
        // as numeric: an independent check of the generated table.
        for zero in ND_ZEROS {
            for i in 0..10u8 {
                let c = char::from_u32(u32::from(zero) + u32::from(i)).unwrap();
                assert!(c.is_numeric(), "{:04X}", u32::from(c));
                assert_eq!(decimal_digit(c), Some(i));
            }
        }
    }

    #[test]
    fn unicode_15_runs() {
        assert_eq!(decimal_digit('\u{11F59}'), Some(9)); // KAWI DIGIT NINE
        assert_eq!(decimal_digit('\u{1E4F3}'), Some(3)); // NAG MUNDARI DIGIT THREE
        assert_eq!(decimal_digit('\u{1E4FA}'), None);
    }
}
