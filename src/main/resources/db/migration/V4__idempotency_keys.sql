-- Stored answers of POST requests sent with an Idempotency-Key (README "Safe retries"). A row is written in the
-- same transaction as the request's own writes, so it exists exactly when they do. Rows older than the retention
-- (24 h) are ignored and removed by the service in the background.
CREATE TABLE idempotency_keys (
    key          varchar(255) COLLATE "C" PRIMARY KEY,
    fingerprint  bytea        NOT NULL,
    status       smallint     NOT NULL,
    body         text         NOT NULL,
    location     text,
    created_at   timestamptz  NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX idempotency_keys_created_at_idx ON idempotency_keys (created_at);
