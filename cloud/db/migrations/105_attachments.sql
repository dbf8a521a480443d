-- Evidence attachments (PROTOCOL.md "evidence.attachments", issue 16): an event cites a
-- JPEG crop or a short audio clip by SHA-256, size and media type inside its signed
-- evidence; the gateway uploads the bytes after the event. Which stored event cites which
-- bytes is recorded at ingestion, so an upload is accepted only for bytes an authentic
-- event of that gateway vouches for, and a user reads them only through an event they see.
CREATE TABLE attachment_citation (
  event_id   UUID NOT NULL REFERENCES event(id),
  sha256     TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  gateway_id TEXT NOT NULL REFERENCES gateway(id),
  bytes      INTEGER NOT NULL CHECK (bytes > 0),
  media_type TEXT NOT NULL,
  PRIMARY KEY (event_id, sha256)
);
CREATE INDEX attachment_citation_sha256_idx ON attachment_citation (sha256);
CREATE INDEX attachment_citation_gateway_sha256_idx ON attachment_citation (gateway_id, sha256);

-- The bytes, once per gateway (content-addressed: a re-upload changes nothing). The
-- per-tenant bound sums `bytes` over the sites of the site's tenant.
CREATE TABLE attachment (
  gateway_id  TEXT NOT NULL REFERENCES gateway(id),
  sha256      TEXT NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  site_id     TEXT NOT NULL,
  media_type  TEXT NOT NULL,
  bytes       INTEGER NOT NULL CHECK (bytes > 0),
  content     BYTEA NOT NULL CHECK (octet_length(content) = bytes),
  uploaded_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (gateway_id, sha256)
);
CREATE INDEX attachment_site_idx ON attachment (site_id);
CREATE INDEX attachment_sha256_idx ON attachment (sha256);
