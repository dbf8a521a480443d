-- Gateways and their verified, append-only event log.
CREATE TABLE gateway (
  id             TEXT PRIMARY KEY,
  site_id        TEXT NOT NULL,
  token_hash     TEXT NOT NULL,
  public_key_pem TEXT,
  last_seq       INTEGER NOT NULL DEFAULT 0,
  last_hash      TEXT NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000',
  created_at     TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

CREATE TABLE event (
  id          UUID PRIMARY KEY,
  gateway_id  TEXT NOT NULL REFERENCES gateway(id),
  seq         INTEGER NOT NULL,
  site        TEXT NOT NULL,
  ts          TIMESTAMPTZ(3) NOT NULL,
  type        TEXT NOT NULL,
  severity    TEXT NOT NULL,
  lot_id      TEXT,
  zone        TEXT,
  -- the event exactly as signed, so anyone can re-verify hash and signature
  body        JSONB NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  sig         TEXT NOT NULL,
  received_at TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  CONSTRAINT event_gateway_id_seq_key UNIQUE (gateway_id, seq)
);
CREATE INDEX event_ts_idx ON event (ts);
CREATE INDEX event_lot_id_ts_idx ON event (lot_id, ts);

-- The event log is evidence: once stored, an event is never changed or removed.
CREATE FUNCTION event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'event log is append-only (% refused)', TG_OP;
END;
$$;
CREATE TRIGGER event_append_only BEFORE UPDATE OR DELETE ON event
  FOR EACH ROW EXECUTE FUNCTION event_is_append_only();
