-- The recovery server's schema. Times are Unix seconds (UTC).
-- Secrets are never stored in the clear: codes, session tokens and identifier
-- keys are keyed hashes (HMAC-SHA256 with a server key); a captcha answer is
-- only bound into its challenge token by an HMAC.

-- Server-wide values created on first start (the master key when none is configured).
CREATE TABLE meta (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

CREATE TABLE accounts (
    id            TEXT PRIMARY KEY,          -- the numeric account ID
    email         TEXT UNIQUE COLLATE NOCASE, -- normalised; local part matched case-insensitively
    phone         TEXT UNIQUE,               -- E.164
    password_hash TEXT NOT NULL,             -- argon2id PHC string
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);

CREATE TABLE flows (
    id                 TEXT PRIMARY KEY,
    account_id         TEXT REFERENCES accounts(id),  -- NULL for an unknown identifier
    identifier_key     BLOB NOT NULL,                 -- keyed hash of the canonical identifier
    locale             TEXT NOT NULL,
    state              TEXT NOT NULL,                 -- resetflow::flow::Flow as JSON
    revision           INTEGER NOT NULL,              -- compare-and-swap token (Flow::revision)
    targets            TEXT NOT NULL,                 -- JSON: channel id -> real address
    captcha_token      TEXT,                          -- signed challenge token (answer bound by HMAC)
    captcha_expires_at INTEGER,
    created_at         INTEGER NOT NULL,
    expires_at         INTEGER NOT NULL
);
CREATE INDEX flows_account ON flows(account_id);

CREATE TABLE codes (
    flow_id    TEXT PRIMARY KEY REFERENCES flows(id) ON DELETE CASCADE,
    hash       BLOB NOT NULL,                 -- keyed hash, never the code
    attempts   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at    INTEGER
);

CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY,
    account_id TEXT NOT NULL REFERENCES accounts(id),
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
);
CREATE INDEX sessions_account ON sessions(account_id);

CREATE TABLE reviews (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    flow_id    TEXT NOT NULL REFERENCES flows(id),
    account_id TEXT,
    contact    TEXT NOT NULL,
    message    TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'denied')),
    created_at INTEGER NOT NULL,
    decided_at INTEGER
);

-- Messages to deliver, worked off the request path with retries. The body
-- (which holds a code) is cleared once the message is delivered or given up.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    kind            TEXT NOT NULL CHECK (kind IN ('sms', 'email')),
    recipient       TEXT NOT NULL,
    body            TEXT,
    secret          TEXT,
    decoy           INTEGER NOT NULL,
    status          TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed', 'dropped')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    finished_at     INTEGER
);
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);

-- Fixed-window counters for rate limits; keys are keyed hashes or IP strings.
CREATE TABLE rate_limits (
    key          BLOB NOT NULL,
    window_start INTEGER NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
