//! The SQLite backend (sqlx), the default store.
//!
//! Durability: a consumed code, a counted attempt or a revoked session that
//! is lost in a power cut would reopen what it closed (a replayed code, five
//! more guesses, a live session after a reset). So the database runs in WAL
//! mode with `synchronous=FULL`: a commit is on disk before the answer
//! leaves (two harmless writes excepted, see [`SqliteStore::open`]). WAL
//! keeps readers off the writer's back; `busy_timeout` makes concurrent
//! writers wait instead of failing.

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use resetflow::flow::{ChannelKind, Flow};
use resetflow::Timestamp;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::Row;
use subtle::ConstantTimeEq;

use super::codec::{flow_parts, kind_from, purpose, review_status, secs, to_json, FLOW_COLUMNS};
use super::{
    Account, CodeCheck, FlowRecord, Job, Lookup, Message, Review, ReviewStatus, Saved, Store,
    StoreError, StoreResult, Target, JOB_LEASE_SECS,
};

/// A [`Store`] in one SQLite database file (or in memory for tests).
#[derive(Clone, Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// The same database with `synchronous=NORMAL`, for writes whose loss
    /// in a power cut is harmless (see [`SqliteStore::open`]).
    relaxed: SqlitePool,
}

fn backend(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            let msg = db.message();
            let what = if msg.contains("email") {
                "e-mail address"
            } else if msg.contains("phone") {
                "phone number"
            } else {
                "account ID"
            };
            return StoreError::Duplicate(what);
        }
    }
    StoreError::Backend(e.to_string())
}

impl SqliteStore {
    /// Opens (creating the file if needed) and migrates the database at
    /// `url` (`sqlite://path/to/file.db`, or `sqlite::memory:`).
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] when the file cannot be opened or a migration fails.
    pub async fn open(url: &str) -> StoreResult<SqliteStore> {
        let memory = url.contains(":memory:") || url.contains("mode=memory");
        let options = SqliteConnectOptions::from_str(url)
            .map_err(backend)?
            .create_if_missing(true)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .synchronous(SqliteSynchronous::Full);
        // Writes that need not survive a power cut once answered: a new
        // flow (it holds no code, no counted attempt; lost, the user starts
        // again) and a new captcha challenge (lost, the previous challenge
        // of that flow comes back, which was never answered: answering
        // consumes with a FULL commit). In WAL mode commits reach the log
        // in order and a FULL commit syncs everything before it, so a power
        // cut can only lose a suffix of relaxed writes, never a durable
        // write that came after them; single use of a challenge holds.
        let relaxed_options = options.clone().synchronous(SqliteSynchronous::Normal);
        let options = if memory {
            options
        } else {
            options.journal_mode(SqliteJournalMode::Wal)
        };
        // An in-memory database exists once per connection: keep exactly one.
        let pool = SqlitePoolOptions::new()
            .max_connections(if memory { 1 } else { 8 })
            .min_connections(if memory { 1 } else { 0 })
            .idle_timeout(if memory {
                None
            } else {
                Some(Duration::from_secs(600))
            })
            .max_lifetime(if memory {
                None
            } else {
                Some(Duration::from_secs(3600))
            })
            .connect_with(options)
            .await
            .map_err(backend)?;
        sqlx::migrate!("./migrations/sqlite")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(e.to_string()))?;
        let relaxed = if memory {
            pool.clone()
        } else {
            SqlitePoolOptions::new()
                .max_connections(4)
                .min_connections(0)
                .idle_timeout(Some(Duration::from_secs(600)))
                .max_lifetime(Some(Duration::from_secs(3600)))
                .connect_with(relaxed_options.journal_mode(SqliteJournalMode::Wal))
                .await
                .map_err(backend)?
        };
        Ok(SqliteStore { pool, relaxed })
    }

    /// Closes the pool (waits for connections to be returned).
    pub async fn close(&self) {
        self.relaxed.close().await;
        self.pool.close().await;
    }

    /// One write for a new flow and, optionally, its first challenge.
    async fn insert(
        &self,
        r: &FlowRecord,
        now: Timestamp,
        captcha: Option<(&str, Timestamp)>,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO flows (id, account_id, identifier_key, locale, state, revision, targets,
                                created_at, expires_at, captcha_token, captcha_expires_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&r.id)
        .bind(&r.account_id)
        .bind(&r.identifier_key)
        .bind(&r.locale)
        .bind(to_json(&r.flow)?)
        .bind(i64::try_from(r.flow.revision()).unwrap_or(i64::MAX))
        .bind(to_json(&r.targets)?)
        .bind(secs(now))
        .bind(secs(r.flow.expires_at()))
        .bind(captcha.map(|(token, _)| token))
        .bind(captcha.map(|(_, expires)| secs(expires)))
        .execute(&self.relaxed)
        .await
        .map_err(backend)?;
        Ok(())
    }
}

fn account_from(row: &SqliteRow) -> Account {
    Account {
        id: row.get("id"),
        email: row.get("email"),
        phone: row.get("phone"),
        password_hash: row.get("password_hash"),
    }
}

fn flow_from(row: &SqliteRow) -> StoreResult<FlowRecord> {
    let (flow, targets) = flow_parts(row.get("state"), row.get("targets"))?;
    Ok(FlowRecord {
        id: row.get("id"),
        account_id: row.get("account_id"),
        identifier_key: row.get("identifier_key"),
        locale: row.get("locale"),
        flow,
        targets,
    })
}

fn review_from(row: &SqliteRow) -> StoreResult<Review> {
    Ok(Review {
        id: row.get("id"),
        flow_id: row.get("flow_id"),
        account_id: row.get("account_id"),
        contact: row.get("contact"),
        message: row.get("message"),
        status: review_status(row.get("status"))?,
        created_at: u64::try_from(row.get::<i64, _>("created_at")).unwrap_or(0),
    })
}

#[async_trait]
impl Store for SqliteStore {
    async fn meta_get_or_init(&self, name: &str, init: &[u8]) -> StoreResult<Vec<u8>> {
        sqlx::query("INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(init)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        let row = sqlx::query("SELECT value FROM meta WHERE name = ?")
            .bind(name)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        Ok(row.get("value"))
    }

    async fn create_account(&self, a: &Account, now: Timestamp) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO accounts (id, email, phone, password_hash, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(&a.id)
        .bind(&a.email)
        .bind(&a.phone)
        .bind(&a.password_hash)
        .bind(secs(now))
        .bind(secs(now))
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn find_account(&self, lookup: Lookup<'_>) -> StoreResult<Option<Account>> {
        let (sql, value) = match lookup {
            Lookup::Id(v) => ("SELECT * FROM accounts WHERE id = ?", v),
            Lookup::Email(v) => ("SELECT * FROM accounts WHERE email = ?", v),
            Lookup::Phone(v) => ("SELECT * FROM accounts WHERE phone = ?", v),
        };
        let row = sqlx::query(sql)
            .bind(value)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        Ok(row.as_ref().map(account_from))
    }

    async fn list_accounts(&self) -> StoreResult<Vec<Account>> {
        let rows = sqlx::query("SELECT * FROM accounts ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        Ok(rows.iter().map(account_from).collect())
    }

    async fn set_password_hash(&self, id: &str, hash: &str, now: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE accounts SET password_hash = ?, updated_at = ? WHERE id = ?")
            .bind(hash)
            .bind(secs(now))
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn replace_contacts(
        &self,
        id: &str,
        kind: ChannelKind,
        address: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        let (email, phone) = match kind {
            ChannelKind::Email => (Some(address), None),
            ChannelKind::Sms => (None, Some(address)),
        };
        sqlx::query("UPDATE accounts SET email = ?, phone = ?, updated_at = ? WHERE id = ?")
            .bind(email)
            .bind(phone)
            .bind(secs(now))
            .bind(id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn insert_flow(&self, r: &FlowRecord, now: Timestamp) -> StoreResult<()> {
        self.insert(r, now, None).await
    }

    async fn insert_flow_with_captcha(
        &self,
        r: &FlowRecord,
        now: Timestamp,
        token: &str,
        expires_at: Timestamp,
    ) -> StoreResult<()> {
        self.insert(r, now, Some((token, expires_at))).await
    }

    async fn flow(&self, id: &str) -> StoreResult<Option<FlowRecord>> {
        let row = sqlx::query(&format!("SELECT {FLOW_COLUMNS} FROM flows WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(flow_from).transpose()
    }

    async fn save_flow(
        &self,
        id: &str,
        flow: &Flow,
        expected: u64,
        targets: Option<&[Target]>,
    ) -> StoreResult<Saved> {
        let targets = targets.map(|t| to_json(&t)).transpose()?;
        let done = sqlx::query(
            "UPDATE flows SET state = ?, revision = ?, expires_at = ?,
                              targets = COALESCE(?, targets)
             WHERE id = ? AND revision = ?",
        )
        .bind(to_json(flow)?)
        .bind(i64::try_from(flow.revision()).unwrap_or(i64::MAX))
        .bind(secs(flow.expires_at()))
        .bind(targets)
        .bind(id)
        .bind(i64::try_from(expected).unwrap_or(i64::MAX))
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(if done.rows_affected() == 1 {
            Saved::Saved
        } else {
            Saved::Conflict
        })
    }

    async fn live_flows_of_account(
        &self,
        account_id: &str,
        now: Timestamp,
    ) -> StoreResult<Vec<FlowRecord>> {
        let rows = sqlx::query(&format!(
            "SELECT {FLOW_COLUMNS} FROM flows WHERE account_id = ? AND expires_at > ? ORDER BY created_at"
        ))
        .bind(account_id)
        .bind(secs(now))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(flow_from).collect()
    }

    async fn set_captcha(&self, flow_id: &str, token: &str, expires: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE flows SET captcha_token = ?, captcha_expires_at = ? WHERE id = ?")
            .bind(token)
            .bind(secs(expires))
            .bind(flow_id)
            .execute(&self.relaxed)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn captcha(&self, flow_id: &str, now: Timestamp) -> StoreResult<Option<String>> {
        let row = sqlx::query(
            "SELECT captcha_token FROM flows
             WHERE id = ? AND captcha_token IS NOT NULL AND captcha_expires_at > ?",
        )
        .bind(flow_id)
        .bind(secs(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.map(|r| r.get("captcha_token")))
    }

    async fn consume_captcha(&self, flow_id: &str, token: &str) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE flows SET captcha_token = NULL, captcha_expires_at = NULL
             WHERE id = ? AND captcha_token = ?",
        )
        .bind(flow_id)
        .bind(token)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn put_code(
        &self,
        flow_id: &str,
        hash: &[u8],
        now: Timestamp,
        expires: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO codes (flow_id, hash, attempts, created_at, expires_at, used_at)
             VALUES (?, ?, 0, ?, ?, NULL)
             ON CONFLICT (flow_id) DO UPDATE SET hash = excluded.hash, attempts = 0,
                 created_at = excluded.created_at, expires_at = excluded.expires_at,
                 used_at = NULL",
        )
        .bind(flow_id)
        .bind(hash)
        .bind(secs(now))
        .bind(secs(expires))
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn check_code(
        &self,
        flow_id: &str,
        candidate: &[u8],
        max_attempts: u32,
        now: Timestamp,
    ) -> StoreResult<CodeCheck> {
        // 1. Count the attempt, atomically and only while the code lives:
        //    parallel guesses each pay, and none gets past the limit.
        let row = sqlx::query(
            "UPDATE codes SET attempts = attempts + 1
             WHERE flow_id = ? AND used_at IS NULL AND attempts < ? AND expires_at > ?
             RETURNING hash",
        )
        .bind(flow_id)
        .bind(i64::from(max_attempts))
        .bind(secs(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        let Some(row) = row else {
            return Ok(CodeCheck::Dead);
        };
        let stored: Vec<u8> = row.get("hash");
        // 2. Compare in constant time.
        if !bool::from(stored.ct_eq(candidate)) {
            return Ok(CodeCheck::Mismatched);
        }
        // 3. Consume: only one request can move `used_at` from NULL.
        let done = sqlx::query(
            "UPDATE codes SET used_at = ? WHERE flow_id = ? AND hash = ? AND used_at IS NULL",
        )
        .bind(secs(now))
        .bind(flow_id)
        .bind(&stored)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(if done.rows_affected() == 1 {
            CodeCheck::Matched
        } else {
            CodeCheck::Dead
        })
    }

    async fn create_session(
        &self,
        hash: &[u8],
        account_id: &str,
        now: Timestamp,
    ) -> StoreResult<()> {
        sqlx::query("INSERT INTO sessions (token_hash, account_id, created_at) VALUES (?, ?, ?)")
            .bind(hash)
            .bind(account_id)
            .bind(secs(now))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn session_account(&self, hash: &[u8]) -> StoreResult<Option<String>> {
        let row = sqlx::query(
            "SELECT account_id FROM sessions WHERE token_hash = ? AND revoked_at IS NULL",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.map(|r| r.get("account_id")))
    }

    async fn revoke_sessions(&self, account_id: &str, now: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE sessions SET revoked_at = ? WHERE account_id = ? AND revoked_at IS NULL",
        )
        .bind(secs(now))
        .bind(account_id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected())
    }

    async fn create_review(
        &self,
        flow_id: &str,
        account_id: Option<&str>,
        contact: &str,
        message: &str,
        now: Timestamp,
    ) -> StoreResult<i64> {
        let row = sqlx::query(
            "INSERT INTO reviews (flow_id, account_id, contact, message, status, created_at)
             VALUES (?, ?, ?, ?, 'pending', ?) RETURNING id",
        )
        .bind(flow_id)
        .bind(account_id)
        .bind(contact)
        .bind(message)
        .bind(secs(now))
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.get("id"))
    }

    async fn reviews(&self, status: Option<ReviewStatus>) -> StoreResult<Vec<Review>> {
        let rows = sqlx::query("SELECT * FROM reviews WHERE ?1 IS NULL OR status = ?1 ORDER BY id")
            .bind(status.map(ReviewStatus::as_str))
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.iter().map(review_from).collect()
    }

    async fn review(&self, id: i64) -> StoreResult<Option<Review>> {
        let row = sqlx::query("SELECT * FROM reviews WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(review_from).transpose()
    }

    async fn decide_review(&self, id: i64, d: ReviewStatus, now: Timestamp) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE reviews SET status = ?, decided_at = ? WHERE id = ? AND status = 'pending'",
        )
        .bind(d.as_str())
        .bind(secs(now))
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(done.rows_affected() == 1)
    }

    async fn enqueue(&self, m: &Message, now: Timestamp) -> StoreResult<i64> {
        let row = sqlx::query(
            "INSERT INTO outbox (kind, recipient, body, secret, decoy, purpose, locale, status,
                                 next_attempt_at, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?) RETURNING id",
        )
        .bind(ChannelKind::as_str(m.kind))
        .bind(&m.to)
        .bind(&m.text)
        .bind(&m.secret)
        .bind(m.decoy)
        .bind(m.purpose.as_str())
        .bind(&m.locale)
        .bind(secs(now))
        .bind(secs(now))
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(row.get("id"))
    }

    async fn due_jobs(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Job>> {
        // Claim and read in one statement: SQLite runs one writer at a
        // time, so no other worker can claim the same rows in between.
        let rows = sqlx::query(
            "UPDATE outbox SET next_attempt_at = ?
             WHERE id IN (SELECT id FROM outbox
                          WHERE status = 'pending' AND next_attempt_at <= ?
                          ORDER BY id LIMIT ?)
             RETURNING id, kind, recipient, body, secret, decoy, purpose, locale, attempts",
        )
        .bind(secs(now.add_secs(JOB_LEASE_SECS)))
        .bind(secs(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut jobs = rows
            .iter()
            .map(|r| {
                Ok(Job {
                    id: r.get("id"),
                    attempts: u32::try_from(r.get::<i64, _>("attempts")).unwrap_or(u32::MAX),
                    message: Message {
                        kind: kind_from(r.get("kind"))?,
                        to: r.get("recipient"),
                        text: r.get::<Option<String>, _>("body").unwrap_or_default(),
                        secret: r.get::<Option<String>, _>("secret").unwrap_or_default(),
                        decoy: r.get("decoy"),
                        purpose: purpose(r.get("purpose"))?,
                        locale: r.get("locale"),
                    },
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        // RETURNING gives rows in no promised order.
        jobs.sort_by_key(|j| j.id);
        Ok(jobs)
    }

    async fn finish_job(&self, id: i64, delivered: bool, now: Timestamp) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET status = ?, body = NULL, secret = NULL, finished_at = ?,
                               attempts = attempts + 1
             WHERE id = ? AND status = 'pending'",
        )
        .bind(if delivered { "sent" } else { "dropped" })
        .bind(secs(now))
        .bind(id)
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn fail_job(
        &self,
        id: i64,
        error: &str,
        retry_at: Option<Timestamp>,
        now: Timestamp,
    ) -> StoreResult<()> {
        match retry_at {
            Some(at) => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?
                 WHERE id = ? AND status = 'pending'",
            )
            .bind(error)
            .bind(secs(at))
            .bind(id),
            None => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = ?, status = 'failed',
                                   body = NULL, secret = NULL, finished_at = ?
                 WHERE id = ? AND status = 'pending'",
            )
            .bind(error)
            .bind(secs(now))
            .bind(id),
        }
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn job_counts(&self) -> StoreResult<Vec<(String, u64)>> {
        let rows =
            sqlx::query("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status ORDER BY status")
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
        Ok(rows
            .iter()
            .map(|r| {
                (
                    r.get::<String, _>("status"),
                    u64::try_from(r.get::<i64, _>("n")).unwrap_or(0),
                )
            })
            .collect())
    }

    async fn purge(&self, before: Timestamp) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        let mut removed = 0;
        for sql in [
            "DELETE FROM codes WHERE flow_id IN (SELECT id FROM flows WHERE expires_at < ?1
                 AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.flow_id = flows.id))",
            "DELETE FROM flows WHERE expires_at < ?1
                 AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.flow_id = flows.id)",
            "DELETE FROM outbox WHERE status != 'pending' AND finished_at < ?1",
            "DELETE FROM sessions WHERE revoked_at IS NOT NULL AND revoked_at < ?1",
        ] {
            let done = sqlx::query(sql)
                .bind(secs(before))
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
            removed += done.rows_affected();
        }
        tx.commit().await.map_err(backend)?;
        Ok(removed)
    }

    async fn hit(&self, key: &[u8], window: u64, now: Timestamp) -> StoreResult<(u32, u64)> {
        let window = window.max(1);
        let start = now.as_unix_secs() - now.as_unix_secs() % window;
        let row = sqlx::query(
            "INSERT INTO rate_limits (key, window_start, count) VALUES (?, ?, 1)
             ON CONFLICT (key, window_start) DO UPDATE SET count = count + 1
             RETURNING count",
        )
        .bind(key)
        .bind(i64::try_from(start).unwrap_or(i64::MAX))
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        let count = u32::try_from(row.get::<i64, _>("count")).unwrap_or(u32::MAX);
        // A new window: drop windows older than any limit uses (a day).
        if count == 1 {
            sqlx::query("DELETE FROM rate_limits WHERE window_start < ?")
                .bind(secs(now).saturating_sub(2 * 86_400))
                .execute(&self.pool)
                .await
                .map_err(backend)?;
        }
        Ok((count, start + window - now.as_unix_secs()))
    }
}
