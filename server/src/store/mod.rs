//! Storage behind one trait, so SQLite (default) and PostgreSQL (several
//! nodes on one database) are interchangeable and all run the same
//! [`conformance`](crate::store::conformance) suite.
//!
//! The store keeps no secret in the clear: codes and session tokens arrive
//! here already as keyed hashes (see [`crate::keys`]); captcha answers only
//! inside signed challenge tokens ([`resetflow::token`]). The
//! operations that guard a security limit are single atomic statements:
//! [`Store::save_flow`](crate::store::Store::save_flow) is a compare-and-swap on the flow's revision,
//! [`Store::check_code`](crate::store::Store::check_code) counts the attempt before the caller may compare,
//! [`Store::consume_captcha`](crate::store::Store::consume_captcha) and the code consumption are guarded updates
//! that only one request can win, and [`Store::due_jobs`](crate::store::Store::due_jobs) claims the jobs it
//! returns so that two delivery workers never send the same message.

use async_trait::async_trait;
use resetflow::flow::{ChannelKind, Flow};
use resetflow::Timestamp;
use serde::{Deserialize, Serialize};
use std::fmt;

mod codec;
pub mod conformance;
mod postgres;
mod sqlite;

pub use postgres::{PostgresStore, DEFAULT_MAX_CONNECTIONS};
pub use sqlite::SqliteStore;

/// How long a job claimed by [`Store::due_jobs`] stays away from other
/// workers, in seconds. The claiming worker settles it well within this
/// time ([`Store::finish_job`], [`Store::fail_job`]); if it dies first, the
/// job comes due again when the lease ends and another worker delivers it.
pub const JOB_LEASE_SECS: u64 = 60;

/// A failure of the storage backend. Internal: logged, never shown to a client.
#[derive(Debug)]
pub enum StoreError {
    /// A unique value (account ID, e-mail, phone) is taken.
    Duplicate(&'static str),
    /// The stored data could not be read back (corrupt row).
    Corrupt(String),
    /// The backend failed (I/O, connection, SQL).
    Backend(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Duplicate(what) => write!(f, "{what} is already taken"),
            StoreError::Corrupt(e) => write!(f, "corrupt stored data: {e}"),
            StoreError::Backend(e) => write!(f, "storage failure: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

/// Shorthand for store results.
pub type StoreResult<T> = Result<T, StoreError>;

/// An account of the directory.
#[derive(Clone, PartialEq, Eq)]
pub struct Account {
    /// The numeric account ID.
    pub id: String,
    /// The normalised e-mail address, if any.
    pub email: Option<String>,
    /// The phone number in E.164, if any.
    pub phone: Option<String>,
    /// The argon2id PHC string.
    pub password_hash: String,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("email", &self.email)
            .field("phone", &self.phone)
            .field("password_hash", &"<redacted>")
            .finish()
    }
}

/// How an account is looked up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// By numeric account ID.
    Id(&'a str),
    /// By normalised e-mail address.
    Email(&'a str),
    /// By E.164 phone number.
    Phone(&'a str),
}

/// The real address behind one of a flow's channels. Stays on the server.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Target {
    /// The [`resetflow::flow::Channel::id`].
    pub channel: String,
    /// SMS or e-mail.
    pub kind: ChannelKind,
    /// The real address (E.164 or e-mail).
    pub address: String,
}

/// A persisted flow and what the server keeps beside it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlowRecord {
    /// The flow id (random, unguessable).
    pub id: String,
    /// The account, or `None` for an unknown identifier.
    pub account_id: Option<String>,
    /// Keyed hash of the canonical identifier (for per-identifier limits).
    pub identifier_key: Vec<u8>,
    /// The locale the flow was started in (`en`, `de`, ...).
    pub locale: String,
    /// The state machine.
    pub flow: Flow,
    /// Real addresses of the channels; empty for decoys.
    pub targets: Vec<Target>,
}

/// The result of a compare-and-swap save.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[must_use]
pub enum Saved {
    /// The stored revision was the expected one; the new flow is stored.
    Saved,
    /// Someone else saved first (or the flow is gone); nothing was written.
    Conflict,
}

/// The result of checking a code's keyed hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeCheck {
    /// The hash matched and this request consumed the code.
    Matched,
    /// The hash did not match; the attempt was counted.
    Mismatched,
    /// No live code: none sent, used, expired or out of attempts.
    Dead,
}

/// A manual review's state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewStatus {
    /// Waiting for an operator.
    Pending,
    /// Approved: the flow continues at step `code`.
    Approved,
    /// Denied: the flow is locked.
    Denied,
}

impl ReviewStatus {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::Approved => "approved",
            ReviewStatus::Denied => "denied",
        }
    }

    /// The status with stored name `s`.
    pub fn from_name(s: &str) -> Option<ReviewStatus> {
        match s {
            "pending" => Some(ReviewStatus::Pending),
            "approved" => Some(ReviewStatus::Approved),
            "denied" => Some(ReviewStatus::Denied),
            _ => None,
        }
    }
}

/// A manual review request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Review {
    /// The review id.
    pub id: i64,
    /// The flow that asked.
    pub flow_id: String,
    /// The account of that flow, `None` for an unknown identifier.
    pub account_id: Option<String>,
    /// The new contact the user gave (normalised).
    pub contact: String,
    /// The user's description.
    pub message: String,
    /// `pending`, `approved` or `denied`.
    #[serde(serialize_with = "ser_status")]
    pub status: ReviewStatus,
    /// When it was asked, Unix seconds.
    pub created_at: u64,
}

fn ser_status<S: serde::Serializer>(s: &ReviewStatus, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.as_str())
}

/// A message to deliver.
#[derive(Clone, PartialEq, Eq)]
pub struct Message {
    /// SMS or e-mail.
    pub kind: ChannelKind,
    /// The real address; empty for a decoy.
    pub to: String,
    /// The text to deliver.
    pub text: String,
    /// The code the text holds, or empty for a notification.
    pub secret: String,
    /// A pretend send for an unknown identifier: stored like any message,
    /// then dropped by the worker instead of delivered.
    pub decoy: bool,
    /// What the message is for; picks the e-mail template and subject.
    pub purpose: Purpose,
    /// The language of the flow that sent it (`en`, `de`, ...).
    pub locale: String,
}

/// What a [`Message`] is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// A verification code of a recovery flow.
    Code,
    /// The notice that an account's password was changed.
    PasswordChanged,
}

impl Purpose {
    /// The stored name.
    pub const fn as_str(self) -> &'static str {
        match self {
            Purpose::Code => "code",
            Purpose::PasswordChanged => "password_changed",
        }
    }

    /// The purpose with stored name `s`.
    pub fn from_name(s: &str) -> Option<Purpose> {
        match s {
            "code" => Some(Purpose::Code),
            "password_changed" => Some(Purpose::PasswordChanged),
            _ => None,
        }
    }
}

impl fmt::Debug for Message {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Message")
            .field("kind", &self.kind)
            .field("to", &"<redacted>")
            .field("text", &"<redacted>")
            .field("secret", &"<redacted>")
            .field("decoy", &self.decoy)
            .field("purpose", &self.purpose)
            .field("locale", &self.locale)
            .finish()
    }
}

/// A queued message with its delivery bookkeeping.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job {
    /// The job id.
    pub id: i64,
    /// Delivery attempts made so far.
    pub attempts: u32,
    /// The message.
    pub message: Message,
}

/// The storage the recovery server needs.
///
/// Every method is one atomic operation; the conformance suite in
/// [`conformance`] states the contract each backend must keep.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    // --- meta ---

    /// The value stored under `name`, storing `init` first if there is none.
    /// Used for the master key generated on first start.
    async fn meta_get_or_init(&self, name: &str, init: &[u8]) -> StoreResult<Vec<u8>>;

    // --- accounts ---

    /// Adds an account.
    ///
    /// # Errors
    ///
    /// [`StoreError::Duplicate`] when the ID, e-mail or phone is taken.
    async fn create_account(&self, account: &Account, now: Timestamp) -> StoreResult<()>;
    /// The account found by `lookup`; e-mail addresses match ignoring
    /// ASCII case (and are unique that way).
    async fn find_account(&self, lookup: Lookup<'_>) -> StoreResult<Option<Account>>;
    /// Every account, by ID.
    async fn list_accounts(&self) -> StoreResult<Vec<Account>>;
    /// Replaces an account's password hash.
    async fn set_password_hash(
        &self,
        account_id: &str,
        hash: &str,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// Replaces an account's contacts with the one given (the other kind
    /// is cleared): the approved contact of a manual review.
    async fn replace_contacts(
        &self,
        account_id: &str,
        kind: ChannelKind,
        address: &str,
        now: Timestamp,
    ) -> StoreResult<()>;

    // --- flows ---

    /// Stores a new flow.
    async fn insert_flow(&self, record: &FlowRecord, now: Timestamp) -> StoreResult<()>;
    /// Stores a new flow with its first captcha challenge (`token`, live
    /// until `expires_at`), as [`Store::insert_flow`] then
    /// [`Store::set_captcha`]; a backend may do both in one write.
    async fn insert_flow_with_captcha(
        &self,
        record: &FlowRecord,
        now: Timestamp,
        token: &str,
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        self.insert_flow(record, now).await?;
        self.set_captcha(&record.id, token, expires_at).await
    }
    /// The flow with this id.
    async fn flow(&self, id: &str) -> StoreResult<Option<FlowRecord>>;
    /// Stores `flow` if the stored revision is still `expected_revision`;
    /// replaces the targets too when `targets` is given.
    async fn save_flow(
        &self,
        id: &str,
        flow: &Flow,
        expected_revision: u64,
        targets: Option<&[Target]>,
    ) -> StoreResult<Saved>;
    /// The not yet expired flows of an account.
    async fn live_flows_of_account(
        &self,
        account_id: &str,
        now: Timestamp,
    ) -> StoreResult<Vec<FlowRecord>>;

    // --- captcha challenges ---

    /// Makes `token` the flow's current captcha challenge (the previous
    /// one dies).
    async fn set_captcha(
        &self,
        flow_id: &str,
        token: &str,
        expires_at: Timestamp,
    ) -> StoreResult<()>;
    /// The current challenge token, if one is live at `now`.
    async fn captcha(&self, flow_id: &str, now: Timestamp) -> StoreResult<Option<String>>;
    /// Clears the challenge if it is still `token`; `true` for the one
    /// caller that cleared it. This is the token's used-nonce store: a
    /// challenge is consumed by its first answer, right or wrong.
    async fn consume_captcha(&self, flow_id: &str, token: &str) -> StoreResult<bool>;

    // --- codes ---

    /// Stores the keyed hash of a fresh code for the flow, replacing any
    /// previous code and its attempt count.
    async fn put_code(
        &self,
        flow_id: &str,
        hash: &[u8],
        now: Timestamp,
        expires_at: Timestamp,
    ) -> StoreResult<()>;
    /// Checks `candidate` against the flow's code: counts the attempt first
    /// (atomically, at most `max_attempts`), then compares in constant time,
    /// then consumes a match with a guarded update.
    async fn check_code(
        &self,
        flow_id: &str,
        candidate: &[u8],
        max_attempts: u32,
        now: Timestamp,
    ) -> StoreResult<CodeCheck>;

    // --- sessions ---

    /// Records a session (by the keyed hash of its token).
    async fn create_session(
        &self,
        token_hash: &[u8],
        account_id: &str,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// The account of a session that is not revoked.
    async fn session_account(&self, token_hash: &[u8]) -> StoreResult<Option<String>>;
    /// Revokes every open session of an account; returns how many.
    async fn revoke_sessions(&self, account_id: &str, now: Timestamp) -> StoreResult<u64>;

    // --- reviews ---

    /// Queues a review; returns its id.
    async fn create_review(
        &self,
        flow_id: &str,
        account_id: Option<&str>,
        contact: &str,
        message: &str,
        now: Timestamp,
    ) -> StoreResult<i64>;
    /// Reviews with `status` (all when `None`), oldest first.
    async fn reviews(&self, status: Option<ReviewStatus>) -> StoreResult<Vec<Review>>;
    /// The review with this id.
    async fn review(&self, id: i64) -> StoreResult<Option<Review>>;
    /// Moves a pending review to `decision`; `true` for the one caller that did.
    async fn decide_review(
        &self,
        id: i64,
        decision: ReviewStatus,
        now: Timestamp,
    ) -> StoreResult<bool>;

    // --- outbox ---

    /// Queues a message for the delivery worker; returns the job id.
    async fn enqueue(&self, message: &Message, now: Timestamp) -> StoreResult<i64>;
    /// Claims and returns the pending jobs due at `now`, oldest first, at
    /// most `limit`.
    ///
    /// Claiming is atomic: the same statement moves each returned job's
    /// next attempt to `now` + [`JOB_LEASE_SECS`], so concurrent callers
    /// (other workers, other nodes) never get the same job while the lease
    /// lasts. The caller settles each job with [`Store::finish_job`] or
    /// [`Store::fail_job`]; an unsettled job is due again when its lease
    /// ends.
    async fn due_jobs(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Job>>;
    /// Marks a pending job delivered (or dropped, for a decoy) and clears
    /// its body. A job that is no longer pending is left as it is.
    async fn finish_job(&self, id: i64, delivered: bool, now: Timestamp) -> StoreResult<()>;
    /// Records a failed attempt of a pending job: retried at `retry_at`
    /// (which replaces its lease), or given up (body cleared) when `None`.
    /// A job that is no longer pending is left as it is.
    async fn fail_job(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// `(status, count)` of jobs by status, for health output and tests.
    async fn job_counts(&self) -> StoreResult<Vec<(String, u64)>>;

    // --- housekeeping ---

    /// Deletes what no limit or answer needs any more: flows (and their
    /// codes) expired before `before` with no review attached, finished
    /// outbox jobs and revoked sessions older than `before`. Returns the
    /// number of rows removed.
    async fn purge(&self, before: Timestamp) -> StoreResult<u64>;

    // --- rate limits ---

    /// Counts one hit on `key` in the fixed window of `window_secs` that
    /// holds `now`; returns the count including this hit and the seconds
    /// until the window ends.
    async fn hit(&self, key: &[u8], window_secs: u64, now: Timestamp) -> StoreResult<(u32, u64)>;
}
