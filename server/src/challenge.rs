//! Captcha challenges for flows.
//!
//! The image comes from a [`CaptchaSource`](crate::challenge::CaptchaSource); its answer is bound into a
//! signed challenge token ([`resetflow::token`]) kept beside the flow
//! ([`crate::store::Store::set_captcha`]). The client gets only the image.
//! The flow's column doubles as the token's used-nonce store: the first
//! answer, right or wrong, consumes the challenge with a guarded update.

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

/// The library's image captchas ([`resetflow::captcha`]) with OS randomness:
/// the production source.
#[derive(Clone, Debug, Default)]
pub struct LibraryCaptcha {
    config: resetflow::captcha::Config,
}

impl LibraryCaptcha {
    /// Images rendered with `config` (length, size, difficulty).
    pub fn new(config: resetflow::captcha::Config) -> LibraryCaptcha {
        LibraryCaptcha { config }
    }
}

impl CaptchaSource for LibraryCaptcha {
    fn render(&self) -> Result<Rendered, String> {
        let (answer, png) = resetflow::captcha::generate_random(&self.config).into_parts();
        Ok(Rendered { png, answer })
    }
}
