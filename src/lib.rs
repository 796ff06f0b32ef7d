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
//!
//! What it deliberately does not do: it performs no I/O. Time and randomness
//! are parameters ([`Timestamp`], any [`rand_core::RngCore`]), storage of used
//! nonces sits behind a trait, and delivery of codes belongs to the server.
//!
//! # Features
//!
//! - `captcha` (default): the image captcha engine and its PNG encoder.
//! - `common-passwords` (default): the list of common passwords that
//!   [`password`] refuses (about 45 KB gzipped).
//! - `serde`: `Serialize`/`Deserialize` on public data types.
//! - `browser`: the JavaScript API of the npm package (wasm32 only; no extra
//!   dependencies beyond `wasm-bindgen` and `js-sys`, which wasm32 builds
//!   always use).
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
