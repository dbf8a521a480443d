-- Borrowers (issue 23): the enterprise that borrows under a facility gets its own tenant
-- and users, and sees only the facilities linked to it. A facility without a borrower
-- tenant is served by the bank alone, as before.
ALTER TABLE tenant DROP CONSTRAINT tenant_kind_check;
ALTER TABLE tenant ADD CONSTRAINT tenant_kind_check CHECK (kind IN ('bank', 'warehouse_operator', 'platform', 'borrower'));

ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check
  CHECK (role IN ('lender', 'risk_officer', 'branch_investigator', 'warehouse_operator', 'admin', 'borrower'));

ALTER TABLE facility ADD COLUMN borrower_tenant_id TEXT REFERENCES tenant(id);
CREATE INDEX facility_borrower_idx ON facility (borrower_tenant_id, created_at) WHERE borrower_tenant_id IS NOT NULL;
