-- Credit (issue 24): merchants of trading platforms, their transactions as the platforms
-- send them, scorecard versions, monthly scores, pre-loan decisions and the stability
-- checks of the model's population. Money is NUMERIC; a platform's transaction id is
-- stored once per bank, so a batch sent twice changes nothing.

CREATE TABLE credit_merchant (
  bank_tenant_id     TEXT NOT NULL REFERENCES tenant(id),
  merchant_id        TEXT NOT NULL CHECK (merchant_id ~ '^[A-Za-z0-9_-]{1,64}$'),
  platform           TEXT NOT NULL CHECK (length(platform) BETWEEN 1 AND 64),
  name               TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  sector             TEXT NOT NULL CHECK (length(sector) BETWEEN 1 AND 64),
  opened_at          TIMESTAMPTZ(3) NOT NULL,
  -- the merchant's own tenant (kind borrower), whose users see its offers and accept them
  borrower_tenant_id TEXT REFERENCES tenant(id),
  created_at         TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  updated_at         TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (bank_tenant_id, merchant_id)
);
CREATE INDEX credit_merchant_borrower_idx ON credit_merchant (borrower_tenant_id) WHERE borrower_tenant_id IS NOT NULL;

CREATE TABLE credit_transaction (
  bank_tenant_id TEXT NOT NULL,
  id             TEXT NOT NULL CHECK (length(id) BETWEEN 1 AND 128),
  merchant_id    TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('order', 'payment', 'refund', 'dispute', 'shipment')),
  at             TIMESTAMPTZ(3) NOT NULL,
  amount         NUMERIC NOT NULL,
  currency       TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  order_id       TEXT,
  customer_id    TEXT,
  received_at    TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (bank_tenant_id, id),
  FOREIGN KEY (bank_tenant_id, merchant_id) REFERENCES credit_merchant (bank_tenant_id, merchant_id)
);
-- features read one merchant's trailing year
CREATE INDEX credit_transaction_merchant_at_idx ON credit_transaction (bank_tenant_id, merchant_id, at);

-- A trained scorecard (credit-scorecard/1 JSON); one active version per bank.
CREATE TABLE credit_model (
  bank_tenant_id TEXT NOT NULL REFERENCES tenant(id),
  version        TEXT NOT NULL CHECK (version ~ '^sc-[0-9]{8}-[0-9a-f]{12}$'),
  card           JSONB NOT NULL,
  auc            DOUBLE PRECISION NOT NULL,
  ks             DOUBLE PRECISION NOT NULL,
  active         BOOLEAN NOT NULL DEFAULT false,
  created_by     TEXT NOT NULL,
  created_at     TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  PRIMARY KEY (bank_tenant_id, version)
);
CREATE UNIQUE INDEX credit_model_active_key ON credit_model (bank_tenant_id) WHERE active;

-- One score per merchant, month and model version (monthly re-scoring keeps the history).
CREATE TABLE credit_score (
  bank_tenant_id TEXT NOT NULL,
  merchant_id    TEXT NOT NULL,
  month          TEXT NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  model_version  TEXT NOT NULL,
  score          DOUBLE PRECISION NOT NULL,
  pd             DOUBLE PRECISION NOT NULL CHECK (pd >= 0 AND pd <= 1),
  features       JSONB NOT NULL,
  reasons        JSONB NOT NULL,
  scored_at      TIMESTAMPTZ(3) NOT NULL,
  PRIMARY KEY (bank_tenant_id, merchant_id, month, model_version),
  FOREIGN KEY (bank_tenant_id, merchant_id) REFERENCES credit_merchant (bank_tenant_id, merchant_id),
  FOREIGN KEY (bank_tenant_id, model_version) REFERENCES credit_model (bank_tenant_id, version)
);

-- A pre-loan decision: an offer of an unsecured revolving line, or a decline, with the
-- reason codes and policy rules that made it. Accepting an offer opens or extends the
-- merchant's facility.
CREATE TABLE credit_decision (
  id             UUID PRIMARY KEY,
  bank_tenant_id TEXT NOT NULL,
  merchant_id    TEXT NOT NULL,
  month          TEXT NOT NULL,
  model_version  TEXT NOT NULL,
  score          DOUBLE PRECISION NOT NULL,
  pd             DOUBLE PRECISION NOT NULL,
  outcome        TEXT NOT NULL CHECK (outcome IN ('offer', 'decline')),
  limit_amount   NUMERIC CHECK (limit_amount > 0),
  currency       TEXT NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  annual_rate    NUMERIC,
  explanation    JSONB NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('offered', 'accepted', 'declined', 'superseded')),
  facility_id    UUID REFERENCES facility(id),
  decided_at     TIMESTAMPTZ(3) NOT NULL,
  expires_at     TIMESTAMPTZ(3) NOT NULL,
  accepted_at    TIMESTAMPTZ(3),
  accepted_by    TEXT,
  CONSTRAINT credit_decision_offer_check CHECK (outcome = 'decline' OR (limit_amount IS NOT NULL AND annual_rate IS NOT NULL)),
  FOREIGN KEY (bank_tenant_id, merchant_id) REFERENCES credit_merchant (bank_tenant_id, merchant_id)
);
CREATE INDEX credit_decision_merchant_idx ON credit_decision (bank_tenant_id, merchant_id, decided_at);
-- at most one open offer per merchant
CREATE UNIQUE INDEX credit_decision_open_offer_key ON credit_decision (bank_tenant_id, merchant_id) WHERE status = 'offered';

-- Population stability of a month's scored population against the model's training one.
CREATE TABLE credit_stability (
  bank_tenant_id TEXT NOT NULL,
  month          TEXT NOT NULL,
  model_version  TEXT NOT NULL,
  merchants      INTEGER NOT NULL CHECK (merchants >= 0),
  score_psi      DOUBLE PRECISION NOT NULL,
  inputs         JSONB NOT NULL,
  shifted        BOOLEAN NOT NULL,
  checked_at     TIMESTAMPTZ(3) NOT NULL,
  PRIMARY KEY (bank_tenant_id, month, model_version),
  FOREIGN KEY (bank_tenant_id, model_version) REFERENCES credit_model (bank_tenant_id, version)
);

-- Credit opens cases too (early warnings, population shifts).
ALTER TABLE alert_case DROP CONSTRAINT alert_case_source_check;
ALTER TABLE alert_case ADD CONSTRAINT alert_case_source_check
  CHECK (source IN ('gateway', 'ingestion', 'collateral', 'inspection', 'manual', 'credit'));

-- An accepted credit offer gives the merchant's facility an unsecured tranche: drawing
-- power beyond its collateral's, never beyond its limit (cloud/facilities/availability.ts).
ALTER TABLE facility ADD COLUMN unsecured_limit NUMERIC NOT NULL DEFAULT 0 CHECK (unsecured_limit >= 0);
ALTER TABLE facility ADD CONSTRAINT facility_unsecured_within_limit_check CHECK (unsecured_limit <= limit_amount);
