//! Delivery of codes and notifications, off the request path.
//!
//! A request only stores a [`Message`](crate::store::Message) in the outbox table
//! ([`Store::enqueue`](crate::store::Store::enqueue)) and wakes the [`worker`](crate::delivery::worker); the worker delivers it
//! through a [`Delivery`](crate::delivery::Delivery), retries failures with back-off and records the
//! last error. So a slow SMS gateway never shows in response times, and a
//! decoy send (unknown identifier) costs the request exactly what a real one
//! costs: the worker, not the request, drops it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use resetflow::flow::ChannelKind;
use resetflow::protocol::{mask_email, mask_phone, OutboxEntry, OutboxKind};
use resetflow::Timestamp;
use tokio::sync::Notify;

use crate::store::{Message, Store};

/// How often the worker purges expired data.
pub const PURGE_EVERY_SECS: u64 = 3600;
/// How long expired flows, finished jobs and revoked sessions are kept.
pub const RETAIN_SECS: u64 = 86_400;

/// Attempts after which a message is given up.
pub const MAX_ATTEMPTS: u32 = 5;

/// How a message reaches a person.
#[async_trait]
pub trait Delivery: Send + Sync + 'static {
    /// Delivers one message.
    ///
    /// # Errors
    ///
    /// A description of the failure, without the message text; the worker
    /// records it and retries.
    async fn deliver(&self, message: &Message) -> Result<(), String>;
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
    async fn deliver(&self, m: &Message) -> Result<(), String> {
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
/// # Errors
///
/// A store failure (the worker logs it and tries again later).
pub async fn work_once(
    store: &dyn Store,
    delivery: &dyn Delivery,
    now: Timestamp,
) -> Result<usize, crate::store::StoreError> {
    let jobs = store.due_jobs(now, 50).await?;
    for job in &jobs {
        if job.message.decoy {
            store.finish_job(job.id, false, now).await?;
            continue;
        }
        match delivery.deliver(&job.message).await {
            Ok(()) => store.finish_job(job.id, true, now).await?,
            Err(error) => {
                let attempts = job.attempts.saturating_add(1);
                let retry =
                    (attempts < MAX_ATTEMPTS).then(|| now.add_secs(backoff_secs(job.attempts)));
                tracing::warn!(job = job.id, attempts, retry = retry.is_some(), %error, "delivery failed");
                store.fail_job(job.id, &error, retry, now).await?;
            }
        }
    }
    Ok(jobs.len())
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
