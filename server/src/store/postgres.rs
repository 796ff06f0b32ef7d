//! The PostgreSQL backend (sqlx), for several server nodes on one database.
//!
//! Same contract as the SQLite store, kept the same way: every guarded
//! operation is one statement whose `WHERE` clause is the guard, so under
//! PostgreSQL's default isolation (read committed) a concurrent writer
//! waits for the row, then re-checks the guard against the committed
//! version (a counted attempt, a consumed code or challenge, a revision
//! that moved on). Nothing here holds a row lock across a round trip.
//!
//! Several nodes at once: migrations run at start under sqlx's advisory
//! lock (one node migrates, the others wait and find the work done);
//! delivery jobs are claimed with `FOR UPDATE SKIP LOCKED` and a lease
//! ([`Store::due_jobs`]); purging runs on one node at a time.
//!
//! Durability follows the server's `synchronous_commit` (on by default: a
//! commit is on disk before the answer leaves, as with SQLite's
//! `synchronous=FULL`).

use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use resetflow::flow::{ChannelKind, Flow};
use resetflow::Timestamp;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};
use sqlx::{Connection, PgConnection, Row};
use subtle::ConstantTimeEq;

use super::codec::{flow_parts, kind_from, purpose, review_status, secs, to_json, FLOW_COLUMNS};
use super::{
    Account, CodeCheck, FlowRecord, Job, Lookup, Message, Review, ReviewStatus, Saved, Store,
    StoreError, StoreResult, Target, JOB_LEASE_SECS,
};

/// Connections per node when the URL does not say (`max_connections`).
pub const DEFAULT_MAX_CONNECTIONS: u32 = 16;

/// The advisory lock key that keeps [`Store::purge`] to one node at a time
/// (`b"rfpurge\0"` as a big-endian integer).
const PURGE_LOCK: i64 = 0x7266_7075_7267_6500;

/// A [`Store`] in a PostgreSQL database, shared by any number of nodes.
#[derive(Clone, Debug)]
pub struct PostgresStore {
    pool: PgPool,
}

fn backend(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        if db.is_unique_violation() {
            let what = match db.constraint().unwrap_or_default() {
                c if c.contains("email") => "e-mail address",
                c if c.contains("phone") => "phone number",
                _ => "account ID",
            };
            return StoreError::Duplicate(what);
        }
    }
    StoreError::Backend(e.to_string())
}

fn col<'r, T>(row: &'r PgRow, name: &str) -> StoreResult<T>
where
    T: sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
{
    row.try_get(name)
        .map_err(|e| StoreError::Corrupt(format!("column {name}: {e}")))
}

fn big(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Splits the pool size (`max_connections=N`, our own parameter) off a
/// URL's query, so the driver only sees its own parameters.
fn take_max_connections(url: &str) -> StoreResult<(String, u32)> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_owned(), DEFAULT_MAX_CONNECTIONS));
    };
    let mut max = DEFAULT_MAX_CONNECTIONS;
    let mut rest = Vec::new();
    for pair in query.split('&') {
        match pair.split_once('=') {
            Some(("max_connections", v)) => {
                max = v
                    .parse()
                    .ok()
                    .filter(|n| (1..=1000).contains(n))
                    .ok_or_else(|| {
                        StoreError::Backend(format!(
                            "max_connections must be a number from 1 to 1000, not {v:?}"
                        ))
                    })?;
            }
            _ => rest.push(pair),
        }
    }
    let url = if rest.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    Ok((url, max))
}

impl PostgresStore {
    /// Connects to and migrates the database at `url`
    /// (`postgres://USER:PASSWORD@HOST:PORT/DB`, or `postgresql://`). The
    /// driver's own URL parameters apply (`sslmode`, `options[...]`, ...);
    /// `max_connections=N` sets this node's pool size (default
    /// [`DEFAULT_MAX_CONNECTIONS`]).
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] for a malformed URL, a database that cannot
    /// be reached or a migration that fails.
    pub async fn open(url: &str) -> StoreResult<PostgresStore> {
        let (url, max_connections) = take_max_connections(url)?;
        let options = PgConnectOptions::from_str(&url).map_err(backend)?;
        PostgresStore::open_with(options, max_connections).await
    }

    /// Connects with `options` and a pool of at most `max_connections`,
    /// then runs the migrations (a no-op when they are applied already;
    /// nodes starting together take turns under an advisory lock).
    ///
    /// # Errors
    ///
    /// [`StoreError::Backend`] when the database cannot be reached or a
    /// migration fails.
    pub async fn open_with(
        options: PgConnectOptions,
        max_connections: u32,
    ) -> StoreResult<PostgresStore> {
        // One plain connection first: the pool retries an unreachable
        // server until its timeout and then reports only the timeout; this
        // names the cause (refused, authentication, no such database).
        let probe = PgConnection::connect_with(&options)
            .await
            .map_err(backend)?;
        probe.close().await.map_err(backend)?;
        let pool = PgPoolOptions::new()
            .max_connections(max_connections.max(1))
            .min_connections(0)
            .acquire_timeout(Duration::from_secs(10))
            // No ping before each use: it doubles the round trips of the
            // one-statement operations (measured: a third fewer requests
            // per second). A connection that died while idle fails its
            // next statement once (an internal error, logged) and is
            // dropped from the pool.
            .test_before_acquire(false)
            .idle_timeout(Some(Duration::from_secs(600)))
            .max_lifetime(Some(Duration::from_secs(1800)))
            .connect_with(options)
            .await
            .map_err(backend)?;
        sqlx::migrate!("./migrations/postgres")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(format!("migration: {e}")))?;
        Ok(PostgresStore { pool })
    }

    /// Closes the pool (waits for connections to be returned).
    pub async fn close(&self) {
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
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(&r.id)
        .bind(&r.account_id)
        .bind(&r.identifier_key)
        .bind(&r.locale)
        .bind(to_json(&r.flow)?)
        .bind(big(r.flow.revision()))
        .bind(to_json(&r.targets)?)
        .bind(secs(now))
        .bind(secs(r.flow.expires_at()))
        .bind(captcha.map(|(token, _)| token))
        .bind(captcha.map(|(_, expires)| secs(expires)))
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }
}

fn account_from(row: &PgRow) -> StoreResult<Account> {
    Ok(Account {
        id: col(row, "id")?,
        email: col(row, "email")?,
        phone: col(row, "phone")?,
        password_hash: col(row, "password_hash")?,
    })
}

fn flow_from(row: &PgRow) -> StoreResult<FlowRecord> {
    let (flow, targets) = flow_parts(
        &col::<String>(row, "state")?,
        &col::<String>(row, "targets")?,
    )?;
    Ok(FlowRecord {
        id: col(row, "id")?,
        account_id: col(row, "account_id")?,
        identifier_key: col(row, "identifier_key")?,
        locale: col(row, "locale")?,
        flow,
        targets,
    })
}

fn review_from(row: &PgRow) -> StoreResult<Review> {
    Ok(Review {
        id: col(row, "id")?,
        flow_id: col(row, "flow_id")?,
        account_id: col(row, "account_id")?,
        contact: col(row, "contact")?,
        message: col(row, "message")?,
        status: review_status(&col::<String>(row, "status")?)?,
        created_at: u64::try_from(col::<i64>(row, "created_at")?).unwrap_or(0),
    })
}

fn job_from(row: &PgRow) -> StoreResult<Job> {
    Ok(Job {
        id: col(row, "id")?,
        attempts: u32::try_from(col::<i64>(row, "attempts")?).unwrap_or(u32::MAX),
        message: Message {
            kind: kind_from(&col::<String>(row, "kind")?)?,
            to: col(row, "recipient")?,
            text: col::<Option<String>>(row, "body")?.unwrap_or_default(),
            secret: col::<Option<String>>(row, "secret")?.unwrap_or_default(),
            decoy: col(row, "decoy")?,
            purpose: purpose(&col::<String>(row, "purpose")?)?,
            locale: col(row, "locale")?,
        },
    })
}

/// E-mail addresses compare with ASCII letters folded, as the unique index
/// `accounts_email_lower` does (the migration explains the collation).
const EMAIL_KEY: &str = "lower(email COLLATE \"C\")";

#[async_trait]
impl Store for PostgresStore {
    async fn meta_get_or_init(&self, name: &str, init: &[u8]) -> StoreResult<Vec<u8>> {
        // Two statements on purpose: a racing first start makes the insert
        // wait for the other node's commit, and the select (a new snapshot)
        // then reads the value that won.
        sqlx::query("INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING")
            .bind(name)
            .bind(init)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        let row = sqlx::query("SELECT value FROM meta WHERE name = $1")
            .bind(name)
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        col(&row, "value")
    }

    async fn create_account(&self, a: &Account, now: Timestamp) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO accounts (id, email, phone, password_hash, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $5)",
        )
        .bind(&a.id)
        .bind(&a.email)
        .bind(&a.phone)
        .bind(&a.password_hash)
        .bind(secs(now))
        .execute(&self.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn find_account(&self, lookup: Lookup<'_>) -> StoreResult<Option<Account>> {
        let email_sql =
            format!("SELECT * FROM accounts WHERE {EMAIL_KEY} = lower($1::text COLLATE \"C\")");
        let (sql, value) = match lookup {
            Lookup::Id(v) => ("SELECT * FROM accounts WHERE id = $1", v),
            Lookup::Email(v) => (email_sql.as_str(), v),
            Lookup::Phone(v) => ("SELECT * FROM accounts WHERE phone = $1", v),
        };
        let row = sqlx::query(sql)
            .bind(value)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(account_from).transpose()
    }

    async fn list_accounts(&self) -> StoreResult<Vec<Account>> {
        let rows = sqlx::query("SELECT * FROM accounts ORDER BY id")
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.iter().map(account_from).collect()
    }

    async fn set_password_hash(&self, id: &str, hash: &str, now: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
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
        sqlx::query("UPDATE accounts SET email = $1, phone = $2, updated_at = $3 WHERE id = $4")
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
        let row = sqlx::query(&format!("SELECT {FLOW_COLUMNS} FROM flows WHERE id = $1"))
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
            "UPDATE flows SET state = $1, revision = $2, expires_at = $3,
                              targets = COALESCE($4, targets)
             WHERE id = $5 AND revision = $6",
        )
        .bind(to_json(flow)?)
        .bind(big(flow.revision()))
        .bind(secs(flow.expires_at()))
        .bind(targets)
        .bind(id)
        .bind(big(expected))
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
            "SELECT {FLOW_COLUMNS} FROM flows WHERE account_id = $1 AND expires_at > $2
             ORDER BY created_at, id"
        ))
        .bind(account_id)
        .bind(secs(now))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(flow_from).collect()
    }

    async fn set_captcha(&self, flow_id: &str, token: &str, expires: Timestamp) -> StoreResult<()> {
        sqlx::query("UPDATE flows SET captcha_token = $1, captcha_expires_at = $2 WHERE id = $3")
            .bind(token)
            .bind(secs(expires))
            .bind(flow_id)
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn captcha(&self, flow_id: &str, now: Timestamp) -> StoreResult<Option<String>> {
        let row = sqlx::query(
            "SELECT captcha_token FROM flows
             WHERE id = $1 AND captcha_token IS NOT NULL AND captcha_expires_at > $2",
        )
        .bind(flow_id)
        .bind(secs(now))
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.as_ref().map(|r| col(r, "captcha_token")).transpose()
    }

    async fn consume_captcha(&self, flow_id: &str, token: &str) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE flows SET captcha_token = NULL, captcha_expires_at = NULL
             WHERE id = $1 AND captcha_token = $2",
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
             VALUES ($1, $2, 0, $3, $4, NULL)
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
        //    parallel guesses queue on the row lock and each re-checks the
        //    guard against the committed count, so none gets past the limit.
        let row = sqlx::query(
            "UPDATE codes SET attempts = attempts + 1
             WHERE flow_id = $1 AND used_at IS NULL AND attempts < $2 AND expires_at > $3
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
        let stored: Vec<u8> = col(&row, "hash")?;
        // 2. Compare in constant time.
        if !bool::from(stored.ct_eq(candidate)) {
            return Ok(CodeCheck::Mismatched);
        }
        // 3. Consume: only one request can move `used_at` from NULL.
        let done = sqlx::query(
            "UPDATE codes SET used_at = $1 WHERE flow_id = $2 AND hash = $3 AND used_at IS NULL",
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
        sqlx::query(
            "INSERT INTO sessions (token_hash, account_id, created_at) VALUES ($1, $2, $3)",
        )
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
            "SELECT account_id FROM sessions WHERE token_hash = $1 AND revoked_at IS NULL",
        )
        .bind(hash)
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.as_ref().map(|r| col(r, "account_id")).transpose()
    }

    async fn revoke_sessions(&self, account_id: &str, now: Timestamp) -> StoreResult<u64> {
        let done = sqlx::query(
            "UPDATE sessions SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL",
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
             VALUES ($1, $2, $3, $4, 'pending', $5) RETURNING id",
        )
        .bind(flow_id)
        .bind(account_id)
        .bind(contact)
        .bind(message)
        .bind(secs(now))
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        col(&row, "id")
    }

    async fn reviews(&self, status: Option<ReviewStatus>) -> StoreResult<Vec<Review>> {
        let rows = sqlx::query(
            "SELECT * FROM reviews WHERE $1::text IS NULL OR status = $1::text ORDER BY id",
        )
        .bind(status.map(ReviewStatus::as_str))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        rows.iter().map(review_from).collect()
    }

    async fn review(&self, id: i64) -> StoreResult<Option<Review>> {
        let row = sqlx::query("SELECT * FROM reviews WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.as_ref().map(review_from).transpose()
    }

    async fn decide_review(&self, id: i64, d: ReviewStatus, now: Timestamp) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE reviews SET status = $1, decided_at = $2 WHERE id = $3 AND status = 'pending'",
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
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8) RETURNING id",
        )
        .bind(m.kind.as_str())
        .bind(&m.to)
        .bind(&m.text)
        .bind(&m.secret)
        .bind(m.decoy)
        .bind(m.purpose.as_str())
        .bind(&m.locale)
        .bind(secs(now))
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        col(&row, "id")
    }

    async fn due_jobs(&self, now: Timestamp, limit: u32) -> StoreResult<Vec<Job>> {
        // Claim: lock due rows another worker has not locked (SKIP LOCKED,
        // so workers never wait on each other) and push them out by the
        // lease in the same statement. A worker whose snapshot predates
        // another's claim re-checks `next_attempt_at` on the locked row
        // and drops it.
        let rows = sqlx::query(
            "UPDATE outbox SET next_attempt_at = $1
             WHERE id IN (SELECT id FROM outbox
                          WHERE status = 'pending' AND next_attempt_at <= $2
                          ORDER BY id LIMIT $3
                          FOR UPDATE SKIP LOCKED)
             RETURNING id, kind, recipient, body, secret, decoy, purpose, locale, attempts",
        )
        .bind(secs(now.add_secs(JOB_LEASE_SECS)))
        .bind(secs(now))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut jobs = rows.iter().map(job_from).collect::<StoreResult<Vec<_>>>()?;
        jobs.sort_by_key(|j| j.id);
        Ok(jobs)
    }

    async fn finish_job(&self, id: i64, delivered: bool, now: Timestamp) -> StoreResult<()> {
        sqlx::query(
            "UPDATE outbox SET status = $1, body = NULL, secret = NULL, finished_at = $2,
                               attempts = attempts + 1
             WHERE id = $3 AND status = 'pending'",
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
                "UPDATE outbox SET attempts = attempts + 1, last_error = $1, next_attempt_at = $2
                 WHERE id = $3 AND status = 'pending'",
            )
            .bind(error)
            .bind(secs(at))
            .bind(id),
            None => sqlx::query(
                "UPDATE outbox SET attempts = attempts + 1, last_error = $1, status = 'failed',
                                   body = NULL, secret = NULL, finished_at = $2
                 WHERE id = $3 AND status = 'pending'",
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
        rows.iter()
            .map(|r| {
                Ok((
                    col::<String>(r, "status")?,
                    u64::try_from(col::<i64>(r, "n")?).unwrap_or(0),
                ))
            })
            .collect()
    }

    async fn purge(&self, before: Timestamp) -> StoreResult<u64> {
        let mut tx = self.pool.begin().await.map_err(backend)?;
        // One node purges at a time: the others skip this round instead of
        // deleting the same rows in a different order (a deadlock).
        let row = sqlx::query("SELECT pg_try_advisory_xact_lock($1) AS locked")
            .bind(PURGE_LOCK)
            .fetch_one(&mut *tx)
            .await
            .map_err(backend)?;
        if !col::<bool>(&row, "locked")? {
            return Ok(0);
        }
        let mut removed = 0;
        for sql in [
            "DELETE FROM codes WHERE flow_id IN (SELECT id FROM flows WHERE expires_at < $1
                 AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.flow_id = flows.id))",
            "DELETE FROM flows WHERE expires_at < $1
                 AND NOT EXISTS (SELECT 1 FROM reviews r WHERE r.flow_id = flows.id)",
            "DELETE FROM outbox WHERE status <> 'pending' AND finished_at < $1",
            "DELETE FROM sessions WHERE revoked_at IS NOT NULL AND revoked_at < $1",
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
            "INSERT INTO rate_limits (key, window_start, count) VALUES ($1, $2, 1)
             ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limits.count + 1
             RETURNING count",
        )
        .bind(key)
        .bind(big(start))
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        let count = u32::try_from(col::<i64>(&row, "count")?).unwrap_or(u32::MAX);
        // A new window: drop windows older than any limit uses (a day).
        if count == 1 {
            sqlx::query("DELETE FROM rate_limits WHERE window_start < $1")
                .bind(secs(now).saturating_sub(2 * 86_400))
                .execute(&self.pool)
                .await
                .map_err(backend)?;
        }
        Ok((count, start + window - now.as_unix_secs()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_size_is_taken_from_the_url() {
        let (url, n) = take_max_connections("postgres://u@h/db").unwrap();
        assert_eq!((url.as_str(), n), ("postgres://u@h/db", 16));
        let (url, n) =
            take_max_connections("postgres://u@h/db?max_connections=4&sslmode=disable").unwrap();
        assert_eq!((url.as_str(), n), ("postgres://u@h/db?sslmode=disable", 4));
        let (url, n) = take_max_connections("postgres://u@h/db?max_connections=64").unwrap();
        assert_eq!((url.as_str(), n), ("postgres://u@h/db", 64));
        for bad in ["0", "x", "1001", ""] {
            let url = format!("postgres://u@h/db?max_connections={bad}");
            assert!(take_max_connections(&url).is_err(), "{bad:?}");
        }
    }
}
