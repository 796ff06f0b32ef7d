//! Captcha challenges for flows.
//!
//! The image comes from a [`CaptchaSource`]; the server keeps only a keyed
//! hash of the answer beside the flow ([`crate::store::Store::set_captcha`]),
//! consumed by a guarded update so that a right answer counts once.

use crate::keys::{Keys, Purpose};

/// A rendered challenge: the image and its answer.
pub struct Rendered {
    /// The PNG bytes.
    pub png: Vec<u8>,
    /// The digits to read (ASCII).
    pub answer: String,
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendered")
            .field("png_bytes", &self.png.len())
            .field("answer", &"<redacted>")
            .finish()
    }
}

/// Where captcha images come from.
pub trait CaptchaSource: Send + Sync + 'static {
    /// Renders a fresh challenge with OS randomness.
    ///
    /// # Errors
    ///
    /// A description of the failure (logged, answered as an internal error).
    fn render(&self) -> Result<Rendered, String>;
}

/// Reads a typed answer as the digits it means: white space dropped,
/// full-width and other Unicode decimal digits read as ASCII digits. `None`
/// when anything else is in it (or it is absurdly long).
pub fn normalise_answer(input: &str) -> Option<String> {
    if input.len() > 256 {
        return None;
    }
    let mut out = String::new();
    for c in input.chars() {
        if c.is_whitespace() {
            continue;
        }
        out.push(char::from(b'0' + decimal_digit(c)?));
    }
    Some(out)
}

/// The value of a Unicode decimal digit (`Nd`) in the blocks people type
/// from: ASCII, full-width, Arabic-Indic and Devanagari digits.
fn decimal_digit(c: char) -> Option<u8> {
    const ZEROS: [u32; 5] = [0x30, 0xFF10, 0x0660, 0x06F0, 0x0966];
    let cp = u32::from(c);
    ZEROS
        .iter()
        .find(|&&z| (z..z + 10).contains(&cp))
        .and_then(|&z| u8::try_from(cp - z).ok())
}

/// The keyed hash stored for the answer of `flow_id`'s challenge.
pub fn answer_hash(keys: &Keys, flow_id: &str, answer: &str) -> [u8; 32] {
    keys.mac(Purpose::Captcha, &[flow_id.as_bytes(), answer.as_bytes()])
}

#[cfg(test)]
mod tests {
    use super::normalise_answer;

    #[test]
    fn answers_are_normalised() {
        assert_eq!(normalise_answer(" 12 34 ").as_deref(), Some("1234"));
        assert_eq!(normalise_answer("１２３４").as_deref(), Some("1234"));
        assert_eq!(normalise_answer("٤٢").as_deref(), Some("42"));
        assert_eq!(normalise_answer("12a4"), None);
        assert_eq!(normalise_answer(&"1".repeat(300)), None);
    }
}
