-- Collateral priced in another currency than its facility's (issue 22): the line keeps the
-- currency its commodity series is quoted in and the exchange rate applied, so a tick of
-- either the commodity series or the exchange rate finds and revalues it.
ALTER TABLE collateral_line ADD COLUMN price_currency TEXT;
ALTER TABLE collateral_line ADD COLUMN fx_rate NUMERIC CHECK (fx_rate > 0);
CREATE INDEX collateral_line_fx_series_idx ON collateral_line (commodity, price_currency);
