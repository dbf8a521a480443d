-- Issue 17 (security).
-- Event sequences are 64-bit: a gateway's chain must not stop for good at 2^31 events.
ALTER TABLE gateway ALTER COLUMN last_seq TYPE BIGINT;
ALTER TABLE event ALTER COLUMN seq TYPE BIGINT;
ALTER TABLE ingest_rejection ALTER COLUMN seq TYPE BIGINT;

-- Raised on every password or role change; a token carries the value it was issued
-- under, so tokens issued before the change stop working at once.
ALTER TABLE app_user ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
