-- The gateway reports each lot's condition from its climate history (`lot.condition`
-- events); the receipt's sensor condition factor follows the latest one unless a person
-- set it (condition_override), which wins until they hand it back to the gateway.
ALTER TABLE receipt ADD COLUMN condition_override BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE receipt ADD COLUMN gateway_condition_factor NUMERIC CHECK (gateway_condition_factor >= 0 AND gateway_condition_factor <= 1);
ALTER TABLE receipt ADD COLUMN gateway_condition_at TIMESTAMPTZ(3);
