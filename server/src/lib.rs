//! The resetflow reference recovery server, as a library.
//!
//! [`api::app`] builds the axum [`Router`](axum::Router) of SPEC section 4
//! from an [`api::AppState`]; `resetflow serve` (the binary) only reads its
//! configuration, opens the store and runs it. Tests call the same router
//! with `oneshot`, without a socket.
//!
//! Map of the crate:
#![deny(missing_docs)]
#![forbid(unsafe_code)]

/// HTTP: the router, handlers, the one error type and request guards.
pub mod api;
/// Captcha challenges: the image source and the keyed answer hash.
pub mod challenge;
/// `resetflow serve` configuration (clap, with environment variables).
pub mod config;
/// Delivery of codes and notifications, off the request path.
pub mod delivery;
/// The one error type of the HTTP API and its status mapping.
pub mod error;
/// Server keys: HKDF subkeys per purpose and keyed hashes.
pub mod keys;
/// The client's address behind trusted reverse proxies (`X-Forwarded-For`).
pub mod proxy;
/// Running the server: open the store, seed dev accounts, serve, shut down.
pub mod serve;
/// The recovery operations shared by the HTTP API and the CLI.
pub mod service;
/// State several nodes share: rate limits, cooldowns, used nonces (memory
/// or Redis).
pub mod shared;
/// Storage behind a trait, its SQLite backend and conformance suite.
pub mod store;
/// The test page: static files with their MIME types.
pub mod www;
