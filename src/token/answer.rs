//! Answer normalisation: what a person types becomes what the token binds.
//!
//! People type captcha answers on every keyboard there is. A phone set to
//! Arabic offers `٣٤٥`, a Chinese input method in full-width mode gives
//! `３４５`, and people put spaces between digits to keep their place. All of
//! these mean `345`. Anything else is kept as typed: a letter in a numeric
//! answer is simply wrong, and guessing what it meant would only widen what an
//! attacker's guess matches.

use super::error::ConfigError;

/// The longest answer input, in UTF-8 bytes, that is normalised at all.
///
/// Longer input is rejected before it is looked at, so hostile input costs no
/// more than this. It leaves room for spaces and three-byte full-width digits
/// around any answer of [`MAX_ANSWER_LEN`].
pub const MAX_ANSWER_INPUT_LEN: usize = 256;

/// The longest normalised answer, in UTF-8 bytes, a token can bind.
pub const MAX_ANSWER_LEN: usize = 64;

/// The decimal value of `c` if it is a Unicode decimal digit (general
/// category Nd) of any script: ASCII `7`, full-width `７`, Arabic-Indic `٧`,
/// Devanagari `७` and so on all give `Some(7)`.
///
/// Unlike [`char::to_digit`], which reads ASCII only. The table behind this
/// follows Unicode 15.0 (see the provenance note in the source).
pub fn decimal_digit_value(c: char) -> Option<u32> {
    crate::digits::decimal_digit(c).map(u32::from)
}

/// An answer after normalisation, held on the stack.
#[derive(Clone)]
pub(crate) struct Normalized {
    buf: [u8; MAX_ANSWER_LEN],
    len: usize,
}

impl Normalized {
    pub(crate) fn as_bytes(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

/// Why an answer could not be normalised.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum AnswerError {
    /// Nothing left after dropping whitespace.
    Empty,
    /// Over [`MAX_ANSWER_INPUT_LEN`] bytes typed or [`MAX_ANSWER_LEN`] bytes
    /// after normalisation.
    TooLong,
}

impl From<AnswerError> for ConfigError {
    fn from(err: AnswerError) -> ConfigError {
        match err {
            AnswerError::Empty => ConfigError::AnswerEmpty,
            AnswerError::TooLong => ConfigError::AnswerTooLong,
        }
    }
}

/// Normalises `input` without allocating: whitespace (the Unicode
/// `White_Space` property, so also no-break and ideographic spaces) is
/// dropped, every decimal digit becomes its ASCII digit, all else is kept.
pub(crate) fn normalize(input: &str) -> Result<Normalized, AnswerError> {
    // Bound the work before looking at a single character.
    if input.len() > MAX_ANSWER_INPUT_LEN {
        return Err(AnswerError::TooLong);
    }
    let mut out = Normalized {
        buf: [0; MAX_ANSWER_LEN],
        len: 0,
    };
    for c in input.chars().filter(|c| !c.is_whitespace()) {
        let c = match decimal_digit_value(c) {
            // `value < 10`, so this is an ASCII digit.
            Some(value) => char::from(b'0' + value as u8),
            None => c,
        };
        let end = out.len + c.len_utf8();
        let slot = out.buf.get_mut(out.len..end).ok_or(AnswerError::TooLong)?;
        c.encode_utf8(slot);
        out.len = end;
    }
    if out.len == 0 {
        return Err(AnswerError::Empty);
    }
    Ok(out)
}

/// The normalised form of an answer, exactly as a token binds it.
///
/// Whitespace is dropped (spaces, tabs, no-break and ideographic spaces), and
/// every Unicode decimal digit of any script is read as its ASCII digit (see
/// [`decimal_digit_value`]); everything else stays as it is.
///
/// ```
/// use resetflow::token::normalize_answer;
/// assert_eq!(normalize_answer("１２３ ４５６").unwrap(), "123456");
/// assert_eq!(normalize_answer("٣ ٤ ٥").unwrap(), "345");
/// assert_eq!(normalize_answer("12a").unwrap(), "12a");
/// ```
///
/// # Errors
///
/// [`ConfigError::AnswerEmpty`] if nothing but whitespace was given;
/// [`ConfigError::AnswerTooLong`] if the input is over
/// [`MAX_ANSWER_INPUT_LEN`] bytes or its normal form over [`MAX_ANSWER_LEN`].
pub fn normalize_answer(input: &str) -> Result<String, ConfigError> {
    let normalized = normalize(input)?;
    // Built only from whole `char`s of a `&str`, so it is UTF-8.
    Ok(String::from_utf8_lossy(normalized.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_agrees_with_to_digit() {
        for c in '\0'..='\u{7f}' {
            assert_eq!(decimal_digit_value(c), c.to_digit(10), "{c:?}");
        }
    }

    #[test]
    fn digit_values_across_scripts() {
        let cases = [
            ('０', 0),
            ('９', 9),
            ('٠', 0),
            ('٧', 7),
            ('۴', 4),
            ('७', 7),
            ('৩', 3),
            ('๕', 5),
            ('᠑', 1),
            ('𝟘', 0),
            ('𝟿', 9),
            ('🯹', 9),
        ];
        for (c, v) in cases {
            assert_eq!(decimal_digit_value(c), Some(v), "{c:?}");
        }
        // Numeric, but not decimal digits: superscripts, circled, Roman, CJK.
        for c in ['²', '①', 'Ⅻ', '三', '½', 'a', ' ', '\u{10FFFF}', '\0'] {
            assert_eq!(decimal_digit_value(c), None, "{c:?}");
        }
        // The code points right after a run are not digits.
        assert_eq!(decimal_digit_value('\u{066A}'), None);
        assert_eq!(decimal_digit_value('\u{FF1A}'), None);
    }

    #[test]
    fn normalises_spaces_and_digits() {
        let n = |s: &str| normalize_answer(s).unwrap();
        assert_eq!(n("１２３"), "123");
        assert_eq!(n("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(n("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
        assert_eq!(n("०१२३४५६७८९"), "0123456789");
        assert_eq!(n(" 1 2\t3\n4\u{a0}5\u{3000}6 "), "123456");
        assert_eq!(n("1２٣४"), "1234");
        assert_eq!(n("12O4"), "12O4");
        assert_eq!(n("Ａ1"), "Ａ1");
    }

    #[test]
    fn bounds() {
        assert_eq!(normalize_answer(""), Err(ConfigError::AnswerEmpty));
        assert_eq!(
            normalize_answer(" \u{3000}\t"),
            Err(ConfigError::AnswerEmpty)
        );
        assert_eq!(
            normalize_answer(&"1".repeat(MAX_ANSWER_LEN)).unwrap().len(),
            MAX_ANSWER_LEN
        );
        assert_eq!(
            normalize_answer(&"1".repeat(MAX_ANSWER_LEN + 1)),
            Err(ConfigError::AnswerTooLong)
        );
        // Full-width digits shrink to one byte each, spaces vanish.
        let wide = "１ ".repeat(MAX_ANSWER_LEN / 2);
        assert!(wide.len() <= MAX_ANSWER_INPUT_LEN);
        assert_eq!(
            normalize_answer(&wide).unwrap(),
            "1".repeat(MAX_ANSWER_LEN / 2)
        );
        assert_eq!(
            normalize_answer(&" ".repeat(MAX_ANSWER_INPUT_LEN + 1)),
            Err(ConfigError::AnswerTooLong)
        );
        // A multi-byte char that does not fit is refused, not split.
        let tight = format!("{}é", "1".repeat(MAX_ANSWER_LEN - 1));
        assert_eq!(normalize_answer(&tight), Err(ConfigError::AnswerTooLong));
    }
}
