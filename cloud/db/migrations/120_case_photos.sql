-- Photos people attach to a case's comments as evidence (issue 23): the branch reports
-- back from the warehouse with what it saw. User uploads, kept apart from the gateways'
-- attachments (crops, clips); the bytes live in PostgreSQL so they are backed up,
-- replicated and access-checked with the case they belong to. Bounded in size (the
-- route refuses more, the CHECK holds for any other writer) and typed by their magic
-- bytes, never by what the uploader claimed.
CREATE TABLE case_photo (
  id           UUID PRIMARY KEY,
  case_id      UUID NOT NULL REFERENCES alert_case(id),
  comment_id   UUID NOT NULL REFERENCES case_comment(id),
  media_type   TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/png')),
  size_bytes   INTEGER NOT NULL CHECK (size_bytes BETWEEN 1 AND 8388608),
  sha256       TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  bytes        BYTEA NOT NULL CHECK (octet_length(bytes) = size_bytes),
  uploaded_by  TEXT NOT NULL,
  at           TIMESTAMPTZ(3) NOT NULL
);
CREATE INDEX case_photo_comment_idx ON case_photo (comment_id, at);
CREATE INDEX case_photo_case_idx ON case_photo (case_id);
