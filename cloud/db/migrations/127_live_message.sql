-- Live updates shared by every cloud replica on this database (issue 20): a message is
-- written here and announced with NOTIFY live_message; each replica reads what it has not
-- seen in `seq` order and streams it to its own viewers, so a viewer on replica B sees
-- what replica A published and may resume on either with Last-Event-ID.
CREATE TABLE live_message (
  seq BIGSERIAL PRIMARY KEY,
  event TEXT NOT NULL,
  data JSONB NOT NULL,
  tenants TEXT[] NOT NULL,
  created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
-- The prefix of every message id: a Last-Event-ID from another database (a reset demo)
-- is recognised as unknown instead of being taken for a position in this one.
CREATE TABLE live_epoch (
  id TEXT PRIMARY KEY
);
INSERT INTO live_epoch (id) SELECT substr(md5(random()::text || clock_timestamp()::text), 1, 8);
