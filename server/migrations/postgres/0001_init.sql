-- The recovery server's schema for PostgreSQL; mirrors ../sqlite/0001_init.sql
-- (same tables, columns and rules). Times are Unix seconds (UTC).
-- Secrets are never stored in the clear: codes, session tokens and identifier
-- keys are keyed hashes (HMAC-SHA256 with a server key); a captcha answer is
-- only bound into its challenge token by an HMAC.

-- Server-wide values created on first start (the master key when none is configured).
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value BYTEA NOT NULL
);

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,          -- the numeric account ID
    email         TEXT,                      -- normalised; unique ignoring ASCII case (index below)
    phone         TEXT UNIQUE,               -- E.164
    password_hash TEXT NOT NULL,             -- argon2id PHC string
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL
);
-- Under the "C" collation lower() folds ASCII letters only, whatever the
-- database's locale: the same rule as SQLite's NOCASE. Lookups use the same
-- expression so they use this index.
CREATE UNIQUE INDEX accounts_email_lower ON accounts (lower(email COLLATE "C"));

CREATE TABLE flows (
    id                 TEXT PRIMARY KEY,
    account_id         TEXT REFERENCES accounts(id),  -- NULL for an unknown identifier
    identifier_key     BYTEA NOT NULL,                -- keyed hash of the canonical identifier
    locale             TEXT NOT NULL,
    state              TEXT NOT NULL,                 -- resetflow::flow::Flow as JSON
    revision           BIGINT NOT NULL,               -- compare-and-swap token (Flow::revision)
    targets            TEXT NOT NULL,                 -- JSON: channel id -> real address
    captcha_token      TEXT,                          -- signed challenge token (answer bound by HMAC)
    captcha_expires_at BIGINT,
    created_at         BIGINT NOT NULL,
    expires_at         BIGINT NOT NULL
);
CREATE INDEX flows_account ON flows(account_id);
CREATE INDEX flows_expires ON flows(expires_at);

CREATE TABLE codes (
    flow_id    TEXT PRIMARY KEY REFERENCES flows(id) ON DELETE CASCADE,
    hash       BYTEA NOT NULL,                -- keyed hash, never the code
    attempts   BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

CREATE TABLE sessions (
    token_hash BYTEA PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE reviews (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    flow_id    TEXT NOT NULL REFERENCES flows(id),
    account_id TEXT,
    contact    TEXT NOT NULL,
    message    TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
    created_at BIGINT NOT NULL,
    decided_at BIGINT
);
CREATE INDEX reviews_flow ON reviews(flow_id);

-- Messages to deliver, worked off the request path with retries. The body
-- (which holds a code) is cleared once the message is delivered or given up.
CREATE TABLE outbox (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('sms', 'email')),
    recipient       TEXT NOT NULL,
    body            TEXT,
    secret          TEXT,
    decoy           BOOLEAN NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'dropped')),
    attempts        BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at BIGINT NOT NULL,
    last_error      TEXT,
    created_at      BIGINT NOT NULL,
    finished_at     BIGINT
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

-- Fixed-window counters for rate limits; keys are keyed hashes or IP strings.
CREATE TABLE rate_limits (
    key          BYTEA NOT NULL,
    window_start BIGINT NOT NULL,
    count        BIGINT NOT NULL,
    PRIMARY KEY (key, window_start)
);
-- Old windows are deleted by age.
CREATE INDEX rate_limits_window ON rate_limits(window_start);
