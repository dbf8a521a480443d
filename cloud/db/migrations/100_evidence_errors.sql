-- Issue 16: an event whose evidence does not fit its type's schema (protocol/evidence)
-- is still stored in the chain, so the chain verifies over it, but marked with the
-- error and applied to nothing (case rules, lot state, reports).
ALTER TABLE event ADD COLUMN evidence_error TEXT;
CREATE INDEX event_evidence_error_idx ON event (gateway_id, ts) WHERE evidence_error IS NOT NULL;
