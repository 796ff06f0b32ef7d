//! Punycode decoding (RFC 3492), for the browser build without the `idna`
//! feature: the JS host's URL parser passes ASCII labels through unchecked,
//! so an `xn--` label is decoded here and handed to it in Unicode, to be
//! validated and encoded again.

const BASE: u32 = 36;
const T_MIN: u32 = 1;
const T_MAX: u32 = 26;
const SKEW: u32 = 38;
const DAMP: u32 = 700;
const INITIAL_BIAS: u32 = 72;
const INITIAL_N: u32 = 128;

/// Decodes the part of a label after `xn--`; `None` for anything that is
/// not valid Punycode (a bad digit, a truncated number, an overflow, a code
/// point that is no Unicode scalar value).
///
/// The input is attacker controlled: arithmetic is checked, and the work is
/// quadratic in its length at worst, which the identifier parser bounds.
pub(crate) fn decode(input: &str) -> Option<String> {
    // A delimiter with nothing before it is not one (as in the `idna`
    // crate): it is then read, and refused, as a digit.
    let (basic, extended) = match input.rsplit_once('-') {
        Some((basic, extended)) if !basic.is_empty() => (basic, extended),
        _ => ("", input),
    };
    if !basic.is_ascii() {
        return None;
    }
    let mut output: Vec<char> = basic.chars().collect();
    let mut n = INITIAL_N;
    let mut i: u32 = 0;
    let mut bias = INITIAL_BIAS;
    let mut digits = extended.bytes().peekable();
    while digits.peek().is_some() {
        let old_i = i;
        let mut w: u32 = 1;
        let mut k = BASE;
        loop {
            let digit = match digits.next()? {
                b @ b'a'..=b'z' => b - b'a',
                b @ b'A'..=b'Z' => b - b'A',
                b @ b'0'..=b'9' => b - b'0' + 26,
                _ => return None,
            };
            let digit = u32::from(digit);
            i = i.checked_add(digit.checked_mul(w)?)?;
            let t = if k <= bias {
                T_MIN
            } else if k >= bias + T_MAX {
                T_MAX
            } else {
                k - bias
            };
            if digit < t {
                break;
            }
            w = w.checked_mul(BASE - t)?;
            k += BASE;
        }
        let len = u32::try_from(output.len()).ok()? + 1;
        bias = adapt(i - old_i, len, old_i == 0);
        n = n.checked_add(i / len)?;
        i %= len;
        output.insert(i as usize, char::from_u32(n)?);
        i += 1;
    }
    Some(output.into_iter().collect())
}

/// RFC 3492, section 6.1.
fn adapt(delta: u32, points: u32, first: bool) -> u32 {
    let mut delta = if first { delta / DAMP } else { delta / 2 };
    delta += delta / points;
    let mut k = 0;
    while delta > ((BASE - T_MIN) * T_MAX) / 2 {
        delta /= BASE - T_MIN;
        k += BASE;
    }
    k + (BASE - T_MIN + 1) * delta / (delta + SKEW)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn rfc_3492_samples() {
        // Section 7.1: (A) Arabic (Egyptian), (L) 3<nen>B<gumi><kinpachi><sensei>,
        // (J) Spanish; and labels checked with Python's `punycode` codec.
        assert_eq!(
            decode("egbpdaj6bu4bxfgehfvwxn").as_deref(),
            Some("\u{644}\u{64A}\u{647}\u{645}\u{627}\u{628}\u{62A}\u{643}\u{644}\u{645}\u{648}\u{634}\u{639}\u{631}\u{628}\u{64A}\u{61F}")
        );
        assert_eq!(
            decode("3B-ww4c5e180e575a65lsy2b").as_deref(),
            Some("3\u{5E74}B\u{7D44}\u{91D1}\u{516B}\u{5148}\u{751F}")
        );
        assert_eq!(
            decode("PorqunopuedensimplementehablarenEspaol-fmd56a").as_deref(),
            Some("Porqu\u{E9}nopuedensimplementehablarenEspa\u{F1}ol")
        );
        assert_eq!(decode("mnchen-3ya").as_deref(), Some("münchen"));
        assert_eq!(decode("bcher-kva").as_deref(), Some("bücher"));
        assert_eq!(decode("r8jz45g").as_deref(), Some("例え"));
        assert_eq!(decode("abc-").as_deref(), Some("abc"));
        assert_eq!(decode("").as_deref(), Some(""));
    }

    #[test]
    fn malformed_input_is_none() {
        for bad in ["0", "99999999999", "ü-a", "ab!c"] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
    }

    /// Agreement with the `idna` crate's decoder on everything it encodes.
    #[test]
    #[cfg(feature = "idna")]
    fn agrees_with_the_idna_crate() {
        let labels = [
            "münchen",
            "例え",
            "テスト",
            "faß",
            "βόλος",
            "≮7",
            "a\u{10FFFF}b",
            "ü",
        ];
        for label in labels {
            let encoded = idna::punycode::encode_str(label).unwrap();
            assert_eq!(decode(&encoded).as_deref(), Some(label), "{encoded}");
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..3000 {
            let mut s = String::new();
            for _ in 0..(state % 12) {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                s.push(b"abz09-AZ"[(state % 8) as usize] as char);
            }
            assert_eq!(decode(&s), idna::punycode::decode_to_string(&s), "{s:?}");
        }
    }
}
