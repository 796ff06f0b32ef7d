//! resetflow: the parts of an account-recovery flow that must be done right.
//!
//! This crate is the library behind the resetflow recovery server and npm
//! package. It compiles natively and to `wasm32-unknown-unknown`, so the same
//! code judges user input in the browser and on the server.
//!
//! What it gives you:
//!
//! - [`captcha`]: distorted numeric image captchas rendered to PNG, designed
//!   against an attacker who has this source code and can train a model.
//! - [`token`]: stateless challenge tokens (HMAC-SHA256) binding a nonce, an
//!   expiry and the answer, verified in constant time and exactly once.
//! - [`identifier`]: one parser for "e-mail, phone number or account ID",
//!   with stable error codes and localised messages.
//! - [`flow`]: the recovery flow as a pure state machine (no I/O), and
//!   [`protocol`], the JSON wire types and route paths of its HTTP contract.
//! - [`password`]: the policy a new password must meet, and strength
//!   guidance for the form.
//!
//! What it deliberately does not do: it performs no I/O. Time and randomness
//! are parameters ([`Timestamp`], any [`rand_core::RngCore`]), storage of used
//! nonces sits behind a trait, and delivery of codes belongs to the server.
//!
//! # Getting started
//!
//! ```
//! # #[cfg(feature = "captcha")] {
//! use rand_core::OsRng;
//! use resetflow::token::{Keyring, MasterKey, MemoryNonceStore, Rejected};
//! use resetflow::{captcha, identifier, Timestamp};
//!
//! // Who is recovering? Parsed the same way in the browser.
//! let who = identifier::parse("+49 151 2345 6789", None).unwrap();
//! assert_eq!(who.as_str(), "+4915123456789");
//!
//! // A captcha: the PNG goes to the client, the answer into a signed token.
//! let keyring = Keyring::new("captcha", MasterKey::from_bytes(&[7; 32]).unwrap()).unwrap();
//! let image = captcha::generate(&captcha::Config::default(), &mut OsRng);
//! let now = Timestamp::now();
//! let token = keyring.issue(&mut OsRng, image.answer(), now).unwrap().into_token();
//!
//! // Any node holding the key checks the answer, once.
//! let used = MemoryNonceStore::new();
//! assert!(keyring.verify(&token, image.answer(), now, &used).is_ok());
//! let replay = keyring.verify(&token, image.answer(), now, &used).unwrap_err();
//! assert_eq!(replay.rejected(), Some(Rejected::Replayed));
//! # }
//! ```
//!
//! # Features
//!
//! - `captcha` (default): the image captcha engine and its PNG encoder.
//! - `common-passwords` (default): the list of common passwords that
//!   [`password`] refuses (about 45 KB gzipped).
//! - `idna` (default): UTS #46 tables for e-mail domains that are not ASCII
//!   (the `idna` crate). Without it, wasm32 builds ask the JS host's URL
//!   parser for the punycode form, and native builds refuse such domains
//!   with `email.idna_unavailable`.
//! - `unicode-tables` (default): NFKC tables for new passwords (the
//!   `unicode-normalization` crate). Without them, wasm32 builds normalise
//!   through the JS host's `String.prototype.normalize` (and lower-case and
//!   classify password characters through it too, leaving core's case
//!   tables out), and native builds refuse non-ASCII passwords with
//!   `password.normalisation_unavailable`.
//! - `phone-metadata` (default): the phone numbering plans compiled in.
//!   Without it, [`identifier::phone::load_metadata`] installs them at run
//!   time; until then phone numbers are only checked for their E.164 shape
//!   (see [`identifier::phone`]).
//!
//! The npm package builds with `--no-default-features --features browser`;
//! `docs/browser-size.md` gives what each feature costs there.
//! - `serde`: `Serialize`/`Deserialize` on public data types.
//! - `browser`: the JavaScript API of the npm package (wasm32 only; no extra
//!   dependencies beyond `wasm-bindgen` and `js-sys`, which wasm32 builds
//!   always use).
//! - `small-allocator`: `browser` with talc as the global allocator instead
//!   of std's dlmalloc (wasm32 only), for the npm package's smaller wasm.
//!   Never on by default: a library does not choose its users' allocator.
#![deny(missing_docs)]
#![forbid(unsafe_code)]

/// The JavaScript API of the npm package (wasm32 with feature `browser`).
#[cfg(all(feature = "browser", target_arch = "wasm32"))]
pub mod browser;
/// Numeric image captchas: layout, distortion, rasterisation and PNG output.
#[cfg(feature = "captcha")]
pub mod captcha;
/// The clock: the one place that reads real time, natively and in wasm.
mod clock;
/// Decimal digits of every script, read as ASCII digits.
mod digits;
/// The recovery flow as a pure state machine: states, events, effects, limits.
pub mod flow;
/// Identifiers a user types to find their account: e-mail, phone, account ID.
pub mod identifier;
/// The npm package's `./captcha` entry (wasm32 with feature `js-captcha`).
#[cfg(all(feature = "js-captcha", target_arch = "wasm32"))]
mod js_captcha;
/// The JS host's UTS #46 and NFKC, for wasm32 builds without the tables.
#[cfg(all(
    target_arch = "wasm32",
    any(not(feature = "idna"), not(feature = "unicode-tables"))
))]
mod js_host;
/// The languages user-facing messages come in.
pub mod locale;
/// New passwords: the policy they must meet and strength guidance.
pub mod password;
/// The JSON wire types, route paths and display masks of the HTTP contract.
pub mod protocol;
/// Stateless, signed, single-use challenge tokens.
pub mod token;

pub use clock::Timestamp;
pub use locale::Locale;

/// The README's examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
