//! The npm package's `./captcha` entry (wasm32 with feature `js-captcha`):
//! image captchas and their challenge tokens for Node and edge runtimes.
//!
//! A thin layer over [`crate::captcha`] and [`crate::token`], like the
//! browser module: it converts JavaScript values and holds no logic of its
//! own, so a captcha issued in Node verifies exactly as one issued by the
//! Rust server (same token format, same answer normalisation).
//!
//! ```js
//! const issuer = new CaptchaIssuer(key); // 32+ secret bytes
//! const { png, token } = issuer.issue();  // PNG to the user, token to the form
//! issuer.verify(token, typed);            // { ok: true } | { ok: false, reason }
//! ```
//!
//! Time comes from `Date.now()`, randomness from the host's
//! `crypto.getRandomValues` (getrandom's `js` backend). Used nonces live in
//! one [`MemoryNonceStore`] per issuer: a token is single-use within that
//! issuer (one process). Processes sharing a key do not share that memory,
//! so a deployment of many processes must route a challenge's verification
//! to the process that issued it, or use the Rust crate with a shared store.

use js_sys::{Object, Reflect, Uint8Array};
use rand_core::OsRng;
use wasm_bindgen::prelude::*;

use crate::captcha::{self, Config, Difficulty};
use crate::token::{Keyring, MasterKey, MemoryNonceStore, Rejected, VerifyError};
use crate::Timestamp;

/// The token purpose: the same label the reference server uses, so a key
/// shared with it verifies its tokens and no token of another purpose.
const PURPOSE: &str = "captcha";

/// `new CaptchaIssuer(key, options?)`: issues captcha images with signed,
/// single-use tokens, and verifies answers against them.
///
/// The key is the master secret (a `Uint8Array` of at least 32 random
/// bytes). It stays inside the wasm instance; nothing here exposes it.
#[wasm_bindgen]
pub struct CaptchaIssuer {
    config: Config,
    keyring: Keyring,
    used: MemoryNonceStore,
}

#[wasm_bindgen]
impl CaptchaIssuer {
    /// A new issuer.
    ///
    /// `options`: `{ length?: 4..8, width?, height?, scale?: 1..3,
    /// difficulty?: "easy" | "normal" | "hard", ttlSeconds?: 1..86400 }`
    /// (defaults: 6 digits, 160x60, scale 1, normal, 300 s).
    ///
    /// # Errors
    ///
    /// Throws `{ code, message }`: `token.config.key_type` (key not a
    /// `Uint8Array`), `token.config.key_too_short`, `token.config.invalid_ttl`,
    /// `captcha.length`, `captcha.size`, `captcha.scale`, `captcha.difficulty`,
    /// or `captcha.options` (options not an object, or a field of the wrong
    /// type).
    #[wasm_bindgen(constructor)]
    pub fn new(key: JsValue, options: JsValue) -> Result<CaptchaIssuer, JsValue> {
        let key = key.dyn_into::<Uint8Array>().map_err(|_| {
            error(
                "token.config.key_type",
                "the captcha key must be a Uint8Array of at least 32 bytes",
            )
        })?;
        let master =
            MasterKey::from_bytes(&key.to_vec()).map_err(|e| error(e.code(), &e.to_string()))?;
        let keyring = Keyring::new(PURPOSE, master).map_err(|e| error(e.code(), &e.to_string()))?;
        let options = Options::read(&options)?;
        let mut builder = Config::builder();
        if let Some(length) = options.length {
            builder = builder.length(length as usize);
        }
        let defaults = Config::default().pixel_size();
        if options.width.is_some() || options.height.is_some() {
            builder = builder.size(
                options.width.unwrap_or(defaults.0),
                options.height.unwrap_or(defaults.1),
            );
        }
        if let Some(scale) = options.scale {
            builder = builder.scale(scale);
        }
        if let Some(name) = &options.difficulty {
            let difficulty =
                Difficulty::parse(name).map_err(|e| error(e.code(), &e.to_string()))?;
            builder = builder.difficulty(difficulty);
        }
        let config = builder
            .build()
            .map_err(|e| error(e.code(), &e.to_string()))?;
        let keyring = match options.ttl_seconds {
            Some(secs) => keyring
                .with_ttl_secs(u64::from(secs))
                .map_err(|e| error(e.code(), &e.to_string()))?,
            None => keyring,
        };
        Ok(CaptchaIssuer {
            config,
            keyring,
            used: MemoryNonceStore::new(),
        })
    }

    /// `issue()`: a fresh captcha, `{ png: Uint8Array, token: string, width,
    /// height, expiresAt }` (`expiresAt` in Unix seconds). Send the PNG and
    /// the token to the client; the answer exists only inside the token's MAC.
    ///
    /// # Errors
    ///
    /// Throws `{ code: "token.rng_failed", message }` if the host has no
    /// `crypto.getRandomValues`.
    pub fn issue(&self) -> Result<Object, JsValue> {
        let image = captcha::generate(&self.config, &mut OsRng);
        let issued = self
            .keyring
            .issue(&mut OsRng, image.answer(), Timestamp::now())
            .map_err(|e| error(e.code(), &e.to_string()))?;
        let out = Object::new();
        set(&out, "png", &Uint8Array::from(image.png()).into());
        set(&out, "token", &JsValue::from_str(issued.token()));
        set(&out, "width", &JsValue::from(image.width()));
        set(&out, "height", &JsValue::from(image.height()));
        set(
            &out,
            "expiresAt",
            &JsValue::from(issued.expires_at().as_unix_secs() as f64),
        );
        Ok(out)
    }

    /// `verify(token, answer)`: `{ ok: true }` or `{ ok: false, reason }`,
    /// reason one of `"malformed"`, `"expired"`, `"mismatch"`, `"replayed"`.
    ///
    /// Any attempt on a genuine, unexpired token uses it up, right or wrong:
    /// after a mismatch, issue a new captcha. Spaces and non-ASCII decimal
    /// digits in the answer are read as the user meant them. A token that
    /// is not a string is malformed; an answer that is not a string is
    /// wrong.
    ///
    /// # Errors
    ///
    /// Throws `{ code: "token.store.full", message }` when the issuer holds
    /// 100,000 unexpired used nonces and so cannot record another (nothing
    /// was verified).
    pub fn verify(&self, token: JsValue, answer: JsValue) -> Result<Object, JsValue> {
        let out = Object::new();
        let Some(token) = token.as_string() else {
            return Ok(rejection(out, Rejected::Malformed));
        };
        let answer = answer.as_string().unwrap_or_default();
        match self
            .keyring
            .verify(&token, &answer, Timestamp::now(), &self.used)
        {
            Ok(_) => {
                set(&out, "ok", &JsValue::TRUE);
                Ok(out)
            }
            Err(VerifyError::Rejected(rejected)) => Ok(rejection(out, rejected)),
            Err(VerifyError::Store(e)) => Err(error(e.code(), &e.to_string())),
        }
    }

    /// The lifetime of issued tokens, in seconds.
    #[wasm_bindgen(getter, js_name = ttlSeconds)]
    pub fn ttl_seconds(&self) -> f64 {
        self.keyring.ttl_secs() as f64
    }
}

fn rejection(out: Object, rejected: Rejected) -> Object {
    let reason = match rejected {
        Rejected::Malformed => "malformed",
        Rejected::Expired => "expired",
        Rejected::Wrong => "mismatch",
        Rejected::Replayed => "replayed",
    };
    set(&out, "ok", &JsValue::FALSE);
    set(&out, "reason", &JsValue::from_str(reason));
    out
}

/// The constructor's options, read from a plain object.
#[derive(Default)]
struct Options {
    length: Option<u32>,
    width: Option<u32>,
    height: Option<u32>,
    scale: Option<u32>,
    difficulty: Option<String>,
    ttl_seconds: Option<u32>,
}

impl Options {
    fn read(value: &JsValue) -> Result<Options, JsValue> {
        if value.is_undefined() || value.is_null() {
            return Ok(Options::default());
        }
        if !value.is_object() {
            return Err(error("captcha.options", "options must be an object"));
        }
        let difficulty = match field(value, "difficulty")? {
            None => None,
            Some(v) => Some(v.as_string().ok_or_else(|| {
                error(
                    "captcha.options",
                    "options.difficulty must be \"easy\", \"normal\" or \"hard\"",
                )
            })?),
        };
        Ok(Options {
            length: whole(value, "length")?,
            width: whole(value, "width")?,
            height: whole(value, "height")?,
            scale: whole(value, "scale")?,
            difficulty,
            ttl_seconds: whole(value, "ttlSeconds")?,
        })
    }
}

/// `options[name]`, `None` when absent or `undefined`.
fn field(options: &JsValue, name: &str) -> Result<Option<JsValue>, JsValue> {
    let value = Reflect::get(options, &JsValue::from_str(name))
        .map_err(|_| error("captcha.options", "options could not be read"))?;
    Ok((!value.is_undefined()).then_some(value))
}

/// `options[name]` as a whole number in `0..=u32::MAX`; ranges are checked
/// by the library's own builders, which give the precise error code.
fn whole(options: &JsValue, name: &str) -> Result<Option<u32>, JsValue> {
    let Some(value) = field(options, name)? else {
        return Ok(None);
    };
    match value.as_f64() {
        Some(n) if n.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&n) => {
            Ok(Some(n as u32))
        }
        _ => Err(error(
            "captcha.options",
            &format!("options.{name} must be a whole number"),
        )),
    }
}

/// The thrown error: a plain `{ code, message }` object, like the browser
/// module's. Messages name the rule broken, never a secret.
fn error(code: &str, message: &str) -> JsValue {
    let out = Object::new();
    set(&out, "code", &JsValue::from_str(code));
    set(&out, "message", &JsValue::from_str(message));
    out.into()
}

fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a data property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}
