-- Tenants (banks, warehouse operators, the platform itself) and their users.
CREATE TABLE tenant (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('bank', 'warehouse_operator', 'platform')),
  created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);

CREATE TABLE app_user (
  id            UUID PRIMARY KEY,
  tenant_id     TEXT NOT NULL REFERENCES tenant(id),
  email         TEXT NOT NULL,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('lender', 'risk_officer', 'branch_investigator', 'warehouse_operator', 'admin')),
  password_hash TEXT NOT NULL,
  disabled      BOOLEAN NOT NULL DEFAULT false,
  created_at    TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
-- Emails are logins: unique regardless of case.
CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email));
CREATE INDEX app_user_tenant_id_idx ON app_user (tenant_id);

-- Which warehouse operator runs a site; gateways belong to sites.
CREATE TABLE site (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenant(id),
  name       TEXT NOT NULL,
  timezone   TEXT NOT NULL DEFAULT 'UTC',
  created_at TIMESTAMPTZ(3) NOT NULL DEFAULT now()
);
CREATE INDEX site_tenant_id_idx ON site (tenant_id);
