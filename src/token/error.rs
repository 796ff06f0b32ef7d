//! Errors, one type per cause: configuration misuse, rejected input,
//! infrastructure failure. Each has a stable `code()`.

use core::fmt;

/// The caller's setup or arguments are wrong: a deployment or programming
/// error, never the end user's doing. Fix the configuration; do not retry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConfigError {
    /// The master secret is shorter than
    /// [`MIN_MASTER_KEY_LEN`](super::MIN_MASTER_KEY_LEN) bytes.
    KeyTooShort,
    /// A purpose label is empty, longer than
    /// [`MAX_PURPOSE_LEN`](super::MAX_PURPOSE_LEN), or holds a byte other than
    /// `a-z`, `0-9`, `.`, `_`, `-`.
    InvalidPurpose,
    /// The previous key has the same key id as the current one (almost
    /// certainly the same secret given twice).
    DuplicateKey,
    /// A token lifetime of zero or over [`MAX_TTL_SECS`](super::MAX_TTL_SECS).
    InvalidTtl,
    /// The answer to bind is empty after normalisation.
    AnswerEmpty,
    /// The answer to bind is over
    /// [`MAX_ANSWER_LEN`](super::MAX_ANSWER_LEN) bytes after normalisation
    /// (or its input over [`MAX_ANSWER_INPUT_LEN`](super::MAX_ANSWER_INPUT_LEN)).
    AnswerTooLong,
}

impl ConfigError {
    /// The stable error code, e.g. `token.config.key_too_short`.
    pub const fn code(&self) -> &'static str {
        match self {
            ConfigError::KeyTooShort => "token.config.key_too_short",
            ConfigError::InvalidPurpose => "token.config.invalid_purpose",
            ConfigError::DuplicateKey => "token.config.duplicate_key",
            ConfigError::InvalidTtl => "token.config.invalid_ttl",
            ConfigError::AnswerEmpty => "token.config.answer_empty",
            ConfigError::AnswerTooLong => "token.config.answer_too_long",
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let msg = match self {
            ConfigError::KeyTooShort => "token master secret is too short (at least 32 bytes)",
            ConfigError::InvalidPurpose => {
                "token purpose must be 1 to 32 bytes of a-z, 0-9, '.', '_' or '-'"
            }
            ConfigError::DuplicateKey => "previous token key is the same as the current key",
            ConfigError::InvalidTtl => "token lifetime must be between 1 s and 24 h",
            ConfigError::AnswerEmpty => "token answer is empty",
            ConfigError::AnswerTooLong => "token answer is too long",
        };
        write!(f, "{msg} ({})", self.code())
    }
}

impl std::error::Error for ConfigError {}

/// Why a token or an answer was not accepted. The input's fault, not ours.
///
/// | variant | code | meaning |
/// |---|---|---|
/// | [`Malformed`](Rejected::Malformed) | `token.malformed` | not a token we issued: bad length, encoding or version, unknown key id, or the integrity tag fails (forged or tampered) |
/// | [`Expired`](Rejected::Expired) | `token.expired` | a genuine token past its expiry |
/// | [`Replayed`](Rejected::Replayed) | `token.replayed` | a genuine token whose nonce was already used |
/// | [`Wrong`](Rejected::Wrong) | `token.wrong` | a genuine, fresh token, but the answer does not match; the token is now used up |
///
/// A server facing people would map `Wrong` to its own message (the
/// reference server says `captcha.mismatch`) and issue a new challenge for
/// every variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Rejected {
    /// Not a token issued with any key of this keyring for this purpose.
    Malformed,
    /// The token's expiry has passed.
    Expired,
    /// The answer does not match the one the token binds.
    Wrong,
    /// The token was already used.
    Replayed,
}

impl Rejected {
    /// The stable error code: `token.malformed`, `token.expired`,
    /// `token.wrong` or `token.replayed`.
    pub const fn code(&self) -> &'static str {
        match self {
            Rejected::Malformed => "token.malformed",
            Rejected::Expired => "token.expired",
            Rejected::Wrong => "token.wrong",
            Rejected::Replayed => "token.replayed",
        }
    }
}

impl fmt::Display for Rejected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let msg = match self {
            Rejected::Malformed => "the challenge token is not valid",
            Rejected::Expired => "the challenge has expired",
            Rejected::Wrong => "the answer is wrong",
            Rejected::Replayed => "the challenge was already used",
        };
        write!(f, "{msg} ({})", self.code())
    }
}

impl std::error::Error for Rejected {}

/// The kinds of [`StoreError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StoreErrorKind {
    /// The store is at capacity with unexpired nonces and refuses new ones
    /// rather than forget one that could then be replayed.
    Full,
    /// The store cannot be reached or failed (network, backend, a poisoned
    /// lock).
    Unavailable,
}

/// The used-nonce store failed: infrastructure, neither the user's fault nor
/// a verdict on the token. Nothing was verified; answer with a temporary
/// error (HTTP 503) and log it.
#[derive(Debug)]
pub struct StoreError {
    kind: StoreErrorKind,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl StoreError {
    /// A store that is full of unexpired nonces.
    pub fn full() -> StoreError {
        StoreError {
            kind: StoreErrorKind::Full,
            source: None,
        }
    }

    /// A store that failed, with the backend's error as the cause.
    ///
    /// The cause is shown by `Display` and `source()`: it must not hold
    /// secrets (a connection URL with a password, for one).
    pub fn unavailable(source: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> StoreError {
        StoreError {
            kind: StoreErrorKind::Unavailable,
            source: Some(source.into()),
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> StoreErrorKind {
        self.kind
    }

    /// The stable error code: `token.store.full` or `token.store.unavailable`.
    pub const fn code(&self) -> &'static str {
        match self.kind {
            StoreErrorKind::Full => "token.store.full",
            StoreErrorKind::Unavailable => "token.store.unavailable",
        }
    }
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.kind, &self.source) {
            (StoreErrorKind::Full, _) => write!(f, "used-nonce store is full ({})", self.code()),
            (StoreErrorKind::Unavailable, Some(cause)) => {
                write!(f, "used-nonce store failed: {cause} ({})", self.code())
            }
            (StoreErrorKind::Unavailable, None) => {
                write!(f, "used-nonce store failed ({})", self.code())
            }
        }
    }
}

impl std::error::Error for StoreError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

/// The outcome of [`Keyring::verify`](super::Keyring::verify) when it is not
/// a success: the input was rejected, or the nonce store failed.
#[derive(Debug)]
pub enum VerifyError {
    /// The token or answer was rejected.
    Rejected(Rejected),
    /// The used-nonce store failed; nothing was decided.
    Store(StoreError),
}

impl VerifyError {
    /// The stable code of the underlying error.
    pub fn code(&self) -> &'static str {
        match self {
            VerifyError::Rejected(r) => r.code(),
            VerifyError::Store(e) => e.code(),
        }
    }

    /// The rejection, if this is one.
    pub fn rejected(&self) -> Option<Rejected> {
        match self {
            VerifyError::Rejected(r) => Some(*r),
            VerifyError::Store(_) => None,
        }
    }
}

impl From<Rejected> for VerifyError {
    fn from(r: Rejected) -> VerifyError {
        VerifyError::Rejected(r)
    }
}

impl From<StoreError> for VerifyError {
    fn from(e: StoreError) -> VerifyError {
        VerifyError::Store(e)
    }
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::Rejected(r) => r.fmt(f),
            VerifyError::Store(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for VerifyError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            VerifyError::Rejected(r) => Some(r),
            VerifyError::Store(e) => Some(e),
        }
    }
}

/// Issuing a token failed.
#[derive(Debug)]
#[non_exhaustive]
pub enum IssueError {
    /// The answer to bind is not acceptable.
    Config(ConfigError),
    /// The random number generator failed to give a nonce (infrastructure).
    Rng(rand_core::Error),
}

impl IssueError {
    /// The stable code: the [`ConfigError`]'s, or `token.rng_failed`.
    pub fn code(&self) -> &'static str {
        match self {
            IssueError::Config(e) => e.code(),
            IssueError::Rng(_) => "token.rng_failed",
        }
    }
}

impl From<ConfigError> for IssueError {
    fn from(e: ConfigError) -> IssueError {
        IssueError::Config(e)
    }
}

impl fmt::Display for IssueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssueError::Config(e) => e.fmt(f),
            IssueError::Rng(e) => {
                write!(f, "random number generator failed: {e} ({})", self.code())
            }
        }
    }
}

impl std::error::Error for IssueError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            IssueError::Config(e) => Some(e),
            // `rand_core::Error` is a `std` error only with its `std` feature,
            // which this crate does not require; its text is in `Display`.
            IssueError::Rng(_) => None,
        }
    }
}
