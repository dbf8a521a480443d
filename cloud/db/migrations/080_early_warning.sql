-- Early warning (issue 22): what the market rules and watchdogs last concluded, jobs that
-- run once per interval across processes, the gateways' last contact, margin-call
-- acknowledgements, notification subscriptions with their delivery queue, and the
-- stored daily reports.

-- One row per rule and subject (a price series, a facility, a gateway, a lot): the level
-- the rule last found, so a case opens or is updated when the level changes, not on
-- every tick, and a watch list is a query.
CREATE TABLE warning_state (
  subject     TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 200),
  rule        TEXT NOT NULL CHECK (length(rule) BETWEEN 1 AND 64),
  level       TEXT NOT NULL CHECK (length(level) BETWEEN 1 AND 32),
  tenant_id   TEXT,
  case_id     UUID,
  numbers     JSONB NOT NULL DEFAULT '{}',
  since       TIMESTAMPTZ(3) NOT NULL,
  updated_at  TIMESTAMPTZ(3) NOT NULL,
  PRIMARY KEY (subject, rule)
);
CREATE INDEX warning_state_rule_idx ON warning_state (rule, level);

-- A job's run for one interval slot (floor(time / interval)): the primary key lets exactly
-- one process claim a slot, and a claimed slot survives restarts, so a job runs once per
-- interval however many cloud processes share the database.
CREATE TABLE job_run (
  job          TEXT NOT NULL CHECK (length(job) BETWEEN 1 AND 64),
  slot         BIGINT NOT NULL,
  owner        TEXT NOT NULL,
  started_at   TIMESTAMPTZ(3) NOT NULL,
  finished_at  TIMESTAMPTZ(3),
  error        TEXT,
  PRIMARY KEY (job, slot)
);

-- When each gateway was last heard from (a batch; a quiet gateway's periodic lot.verified
-- is its heartbeat), and how long it may be silent before that is a finding.
CREATE TABLE gateway_contact (
  gateway_id           TEXT PRIMARY KEY REFERENCES gateway(id),
  last_seen_at         TIMESTAMPTZ(3) NOT NULL,
  expected_interval_ms INTEGER CHECK (expected_interval_ms > 0)
);

-- Who acknowledged a margin call (the borrower or the lender), once per party.
CREATE TABLE margin_call_ack (
  margin_call_id UUID NOT NULL REFERENCES margin_call(id),
  party          TEXT NOT NULL CHECK (party IN ('lender', 'borrower')),
  user_id        UUID NOT NULL,
  note           TEXT CHECK (length(note) <= 2000),
  at             TIMESTAMPTZ(3) NOT NULL,
  PRIMARY KEY (margin_call_id, party)
);

-- A user's (or a whole role's, within a tenant) wish to hear about topics by email or webhook.
CREATE TABLE notification_subscription (
  id            UUID PRIMARY KEY,
  tenant_id     TEXT NOT NULL REFERENCES tenant(id),
  user_id       UUID REFERENCES app_user(id),
  role          TEXT,
  channel       TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
  target        TEXT NOT NULL CHECK (length(target) BETWEEN 3 AND 2048),
  secret        TEXT,
  topics        TEXT[] NOT NULL,
  min_severity  TEXT NOT NULL DEFAULT 'warning' CHECK (min_severity IN ('info', 'warning', 'critical')),
  created_at    TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT notification_subscription_who CHECK (user_id IS NOT NULL OR role IS NOT NULL),
  CONSTRAINT notification_subscription_secret CHECK (channel <> 'webhook' OR secret IS NOT NULL)
);
CREATE INDEX notification_subscription_tenant_idx ON notification_subscription (tenant_id);

-- Every message to deliver, retried with backoff until delivered or dead (the dead letters).
CREATE TABLE notification_delivery (
  id               UUID PRIMARY KEY,
  -- NULL for what goes to a person without a subscription (an escalation to the next level)
  subscription_id  UUID REFERENCES notification_subscription(id) ON DELETE CASCADE,
  tenant_id        TEXT NOT NULL,
  channel          TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
  target           TEXT NOT NULL,
  topic            TEXT NOT NULL,
  subject          TEXT NOT NULL,
  payload          JSONB NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TIMESTAMPTZ(3) NOT NULL,
  last_error       TEXT,
  created_at       TIMESTAMPTZ(3) NOT NULL,
  delivered_at     TIMESTAMPTZ(3)
);
CREATE INDEX notification_delivery_due_idx ON notification_delivery (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notification_delivery_dead_idx ON notification_delivery (tenant_id, created_at) WHERE status = 'dead';

-- The daily stock, movement and variance report of a bank at a site, generated at the
-- bank's cut-off time and kept.
CREATE TABLE stored_report (
  id            UUID PRIMARY KEY,
  tenant_id     TEXT NOT NULL REFERENCES tenant(id),
  site_id       TEXT NOT NULL,
  day           TEXT NOT NULL,
  generated_at  TIMESTAMPTZ(3) NOT NULL,
  body          JSONB NOT NULL,
  CONSTRAINT stored_report_key UNIQUE (tenant_id, site_id, day)
);
