-- Interest posted per facility and calendar month (issue 23): what the borrower owes for
-- the month, accrued on the daily outstanding balance (cloud/facilities/interest.ts) and
-- fixed once the month is over. One posting per facility and month; posting again is a
-- no-op, so a retried job or a double click cannot charge twice.
CREATE TABLE facility_interest_posting (
  id             UUID PRIMARY KEY,
  facility_id    UUID NOT NULL REFERENCES facility(id),
  -- [period_start, period_end): the first day of the month and of the next, UTC
  period_start   DATE NOT NULL,
  period_end     DATE NOT NULL,
  days           INTEGER NOT NULL CHECK (days >= 1),
  amount         NUMERIC NOT NULL CHECK (amount >= 0),
  amount_exact   NUMERIC NOT NULL CHECK (amount_exact >= 0),
  currency       TEXT NOT NULL,
  annual_rate    NUMERIC NOT NULL,
  day_count      TEXT NOT NULL,
  posted_at      TIMESTAMPTZ(3) NOT NULL,
  posted_by      TEXT NOT NULL,
  CONSTRAINT facility_interest_posting_period_key UNIQUE (facility_id, period_start),
  CONSTRAINT facility_interest_posting_period_check CHECK (period_end > period_start)
);
