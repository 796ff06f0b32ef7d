-- What each queued message is for and in which language, so a delivery can
-- render a localised template (e-mail subject, plain text and HTML).
ALTER TABLE outbox ADD COLUMN purpose TEXT NOT NULL DEFAULT 'code'
    CHECK (purpose IN ('code', 'password_changed'));
ALTER TABLE outbox ADD COLUMN locale TEXT NOT NULL DEFAULT 'en';
