//! Delivery of codes and notifications, off the request path.
//!
//! A request only stores a [`Message`](crate::store::Message) in the outbox table
//! ([`Store::enqueue`](crate::store::Store::enqueue)) and wakes the [`worker`](crate::delivery::worker); the worker delivers it
//! through a [`Delivery`](crate::delivery::Delivery), retries failures with back-off and records the
//! last error. So a slow SMS gateway never shows in response times, and a
//! decoy send (unknown identifier) costs the request exactly what a real one
//! costs: the worker, not the request, drops it.
//!
//! The deliveries:
//!
//! - [`DevOutbox`](crate::delivery::DevOutbox): dev mode keeps everything in
//!   memory for `GET /dev/outbox`;
//! - [`SmtpDelivery`](crate::delivery::smtp::SmtpDelivery): e-mail through an
//!   SMTP server (lettre, rustls), rendered from the localised
//!   [`templates`](crate::delivery::templates);
//! - [`WebhookDelivery`](crate::delivery::webhook::WebhookDelivery): SMS as
//!   signed JSON POSTed to a gateway's webhook (the signature scheme is in
//!   that module's docs);
//! - [`ByKind`](crate::delivery::ByKind): routes each message by its channel
//!   kind to one of the two, and fails a message of a kind nothing is
//!   configured for permanently.
//!
//! A failure is either *retryable* (network, timeout, a server's temporary
//! refusal: tried again after
//! [`backoff_secs`](crate::delivery::backoff_secs), given up after
//! [`MAX_ATTEMPTS`](crate::delivery::MAX_ATTEMPTS)) or *permanent* (the peer
//! refused this message for good: recorded at once, never retried). Either
//! way the flow is untouched: the code stays valid, and the user can ask for
//! another one or another channel. A recorded failure names what went wrong
//! and never holds the message's text, its code or its address.

use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use resetflow::flow::ChannelKind;
use resetflow::protocol::{mask_email, mask_phone, OutboxEntry, OutboxKind};
use resetflow::Timestamp;
use sha2::{Digest, Sha256};
use tokio::sync::Notify;

use crate::config::ServeConfig;
use crate::store::{Job, Store};

pub mod smtp;
pub mod templates;
pub mod webhook;

/// How often the worker purges expired data.
pub const PURGE_EVERY_SECS: u64 = 3600;
/// How long expired flows, finished jobs and revoked sessions are kept.
pub const RETAIN_SECS: u64 = 86_400;

/// Attempts after which a message is given up.
pub const MAX_ATTEMPTS: u32 = 5;

/// Why a delivery attempt failed, and whether trying again may help.
///
/// The reason is recorded in the outbox and logged: it must never hold the
/// message's text, code or address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeliveryError {
    permanent: bool,
    reason: String,
}

impl DeliveryError {
    /// A failure that may pass (network, timeout, a temporary refusal): the
    /// worker tries again after a back-off.
    pub fn retry(reason: impl Into<String>) -> DeliveryError {
        DeliveryError {
            permanent: false,
            reason: reason.into(),
        }
    }

    /// A refusal of this message for good (a rejected request, an invalid
    /// recipient, no delivery for its kind): recorded, never retried.
    pub fn permanent(reason: impl Into<String>) -> DeliveryError {
        DeliveryError {
            permanent: true,
            reason: reason.into(),
        }
    }

    /// Whether trying again is pointless.
    pub fn is_permanent(&self) -> bool {
        self.permanent
    }

    /// What went wrong (no message data).
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for DeliveryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.reason)
    }
}

impl std::error::Error for DeliveryError {}

/// A plain description is a retryable failure.
impl From<String> for DeliveryError {
    fn from(reason: String) -> DeliveryError {
        DeliveryError::retry(reason)
    }
}

/// A plain description is a retryable failure.
impl From<&str> for DeliveryError {
    fn from(reason: &str) -> DeliveryError {
        DeliveryError::retry(reason)
    }
}

/// How a message reaches a person.
#[async_trait]
pub trait Delivery: Send + Sync + 'static {
    /// Delivers one queued message, `job.message`; [`message_id`] gives
    /// the id that stays the same over the retries of one job.
    ///
    /// # Errors
    ///
    /// A [`DeliveryError`] without the message's text, code or address; the
    /// worker records it and retries it unless it is permanent.
    async fn deliver(&self, job: &Job) -> Result<(), DeliveryError>;
}

/// The stable id of a queued message: the same on every retry of the job
/// (so a gateway or mail server can drop duplicates), different for every
/// other job.
///
/// The job id, a dash, and 16 hex digits of a SHA-256 over the message's
/// kind, recipient and purpose, so that an id reused after the outbox was
/// emptied only collides for the same recipient. The text and its code are
/// left out on purpose: a hash of a 6-digit code would give it away to
/// anyone who sees the id and tries the million candidates. Only
/// `[0-9a-f-]`: safe in JSON, headers and a `Message-ID`.
pub fn message_id(job: &Job) -> String {
    let m = &job.message;
    let mut h = Sha256::new();
    for part in [m.kind.as_str(), &m.to, m.purpose.as_str()] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    let mut id = format!("{}-", job.id);
    for b in &digest[..8] {
        id.push_str(&format!("{b:02x}"));
    }
    id
}

/// Dev mode's delivery: keeps everything in memory for `GET /dev/outbox`,
/// together with the captcha answers issued to flows.
#[derive(Debug, Default)]
pub struct DevOutbox {
    entries: Mutex<Vec<OutboxEntry>>,
}

/// At most this many entries are kept (oldest dropped first).
const DEV_OUTBOX_CAP: usize = 1000;

impl DevOutbox {
    /// An empty outbox.
    pub fn new() -> DevOutbox {
        DevOutbox::default()
    }

    fn push(&self, entry: OutboxEntry) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= DEV_OUTBOX_CAP {
            entries.remove(0);
        }
        entries.push(entry);
    }

    /// Records the answer of a captcha challenge issued to `flow_id`.
    pub fn captcha_issued(&self, flow_id: &str, answer: &str) {
        self.push(OutboxEntry {
            kind: OutboxKind::Captcha,
            to: flow_id.to_owned(),
            text: "Captcha challenge issued".to_owned(),
            secret: answer.to_owned(),
        });
    }

    /// Everything so far, newest last.
    pub fn entries(&self) -> Vec<OutboxEntry> {
        self.entries
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }
}

#[async_trait]
impl Delivery for DevOutbox {
    async fn deliver(&self, job: &Job) -> Result<(), DeliveryError> {
        let m = &job.message;
        let (kind, masked) = match m.kind {
            ChannelKind::Sms => (OutboxKind::Sms, mask_phone(&m.to)),
            ChannelKind::Email => (OutboxKind::Email, mask_email(&m.to)),
        };
        tracing::info!(kind = m.kind.as_str(), to = %masked, "dev outbox: message delivered");
        self.push(OutboxEntry {
            kind,
            to: m.to.clone(),
            text: m.text.clone(),
            secret: m.secret.clone(),
        });
        Ok(())
    }
}

/// Seconds to wait before attempt `attempts + 1`: 5, 10, 20, 40 s.
pub fn backoff_secs(attempts: u32) -> u64 {
    5u64 << attempts.min(10)
}

/// Works off every due job once; returns how many were handled.
///
/// Jobs are claimed one at a time: a claim is a lease of
/// [`JOB_LEASE_SECS`](crate::store::JOB_LEASE_SECS) that must outlast the
/// send it covers, and one send is bounded by its delivery's timeout (30 s
/// for SMTP, 10 s for the webhook by default), where a batch of jobs sent
/// one after another would not be: another node could claim and send the
/// batch's last jobs again.
///
/// # Errors
///
/// A store failure (the worker logs it and tries again later).
pub async fn work_once(
    store: &dyn Store,
    delivery: &dyn Delivery,
    now: Timestamp,
) -> Result<usize, crate::store::StoreError> {
    let mut handled = 0;
    // A claimed job is due again only after its lease or its retry time,
    // both after `now`, so this ends once every due job was handled.
    while let Some(job) = store.due_jobs(now, 1).await?.pop() {
        handled += 1;
        if job.message.decoy {
            store.finish_job(job.id, false, now).await?;
            continue;
        }
        match delivery.deliver(&job).await {
            Ok(()) => store.finish_job(job.id, true, now).await?,
            Err(error) => {
                let attempts = job.attempts.saturating_add(1);
                let retry = (!error.is_permanent() && attempts < MAX_ATTEMPTS)
                    .then(|| now.add_secs(backoff_secs(job.attempts)));
                tracing::warn!(
                    job = job.id,
                    kind = job.message.kind.as_str(),
                    attempts,
                    permanent = error.is_permanent(),
                    retry = retry.is_some(),
                    %error,
                    "delivery failed"
                );
                store.fail_job(job.id, error.reason(), retry, now).await?;
            }
        }
    }
    Ok(handled)
}

/// Runs [`work_once`] whenever `wake` is notified, and at least every
/// `poll` (for jobs queued by another process, such as the CLI, and for
/// retries), until `shutdown` fires.
pub async fn worker(
    store: Arc<dyn Store>,
    delivery: Arc<dyn Delivery>,
    wake: Arc<Notify>,
    poll: Duration,
    clock: crate::service::Clock,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) {
    let mut last_purge = 0u64;
    loop {
        let now = clock();
        if let Err(e) = work_once(store.as_ref(), delivery.as_ref(), now).await {
            tracing::error!(error = %e, "delivery worker: store failure");
        }
        // Data nobody needs any more goes after a day; checked hourly.
        if now.as_unix_secs() >= last_purge + PURGE_EVERY_SECS {
            last_purge = now.as_unix_secs();
            let before = Timestamp::from_unix_secs(now.as_unix_secs().saturating_sub(RETAIN_SECS));
            match store.purge(before).await {
                Ok(n) => tracing::debug!(removed = n, "purged expired data"),
                Err(e) => tracing::error!(error = %e, "purge failed"),
            }
        }
        tokio::select! {
            _ = wake.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => return,
        }
    }
}

/// Routes each message by its kind: e-mail to one delivery, SMS to another.
///
/// A message whose kind has no delivery fails permanently with the recorded
/// error "no e-mail delivery is configured" (or SMS): the flow offers that
/// channel because the account has that contact, but this server cannot
/// reach it, and a retry would not change that. `serve` warns about it at
/// start.
pub struct ByKind {
    email: Option<Arc<dyn Delivery>>,
    sms: Option<Arc<dyn Delivery>>,
}

impl ByKind {
    /// E-mail through `email`, SMS through `sms`.
    pub fn new(email: Option<Arc<dyn Delivery>>, sms: Option<Arc<dyn Delivery>>) -> ByKind {
        ByKind { email, sms }
    }

    /// Whether `kind` has a delivery.
    pub fn delivers(&self, kind: ChannelKind) -> bool {
        match kind {
            ChannelKind::Email => self.email.is_some(),
            ChannelKind::Sms => self.sms.is_some(),
        }
    }
}

impl fmt::Debug for ByKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByKind")
            .field("email", &self.email.is_some())
            .field("sms", &self.sms.is_some())
            .finish()
    }
}

#[async_trait]
impl Delivery for ByKind {
    async fn deliver(&self, job: &Job) -> Result<(), DeliveryError> {
        let (delivery, name) = match job.message.kind {
            ChannelKind::Email => (&self.email, "e-mail"),
            ChannelKind::Sms => (&self.sms, "SMS"),
        };
        match delivery {
            Some(d) => d.deliver(job).await,
            None => Err(DeliveryError::permanent(format!(
                "no {name} delivery is configured"
            ))),
        }
    }
}

/// A delivery configuration that `serve` refuses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    /// A stable code: `serve.smtp`, `serve.sms_webhook` or `serve.no_delivery`.
    pub code: &'static str,
    /// What is wrong and how to fix it (never a password or secret).
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ConfigError {}

pub(crate) fn config_error(code: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        code,
        message: message.into(),
    }
}

/// The real delivery `serve` configures outside dev mode: SMTP for e-mail
/// and/or the SMS webhook, routed [`ByKind`]. `clock` dates the webhook's
/// signatures.
///
/// # Errors
///
/// `serve.smtp` or `serve.sms_webhook` for an incomplete or invalid part
/// (a URL without its From address or secret, a bad URL, an unreadable CA
/// file, ...); `serve.no_delivery` when neither is configured.
pub fn from_config(
    config: &ServeConfig,
    clock: crate::service::Clock,
) -> Result<ByKind, ConfigError> {
    let email = smtp::SmtpSettings::from_config(config)?
        .map(|s| smtp::SmtpDelivery::new(&s))
        .transpose()?;
    let sms = webhook::WebhookSettings::from_config(config)?
        .map(|s| webhook::WebhookDelivery::new(&s, clock))
        .transpose()?;
    if email.is_none() && sms.is_none() {
        return Err(config_error(
            "serve.no_delivery",
            "no delivery is configured: give --smtp-url and --smtp-from for e-mail, \
             --sms-webhook-url and --sms-webhook-secret for SMS (or both), or start \
             with --dev on a loopback address",
        ));
    }
    if let Some(e) = &email {
        tracing::info!(smtp = %e.describe(), "e-mail delivery through SMTP");
        if e.unencrypted_remote() {
            tracing::warn!(
                smtp = %e.describe(),
                "e-mail with codes leaves this host without TLS (--smtp-tls none)"
            );
        }
    }
    if let Some(w) = &sms {
        tracing::info!(webhook = %w.describe(), "SMS delivery through the webhook");
    }
    let by_kind = ByKind::new(
        email.map(|d| Arc::new(d) as Arc<dyn Delivery>),
        sms.map(|d| Arc::new(d) as Arc<dyn Delivery>),
    );
    for (kind, name) in [(ChannelKind::Email, "e-mail"), (ChannelKind::Sms, "SMS")] {
        if !by_kind.delivers(kind) {
            tracing::warn!(
                kind = kind.as_str(),
                "no {name} delivery is configured: {name} messages will fail and be recorded \
                 as failed"
            );
        }
    }
    Ok(by_kind)
}
