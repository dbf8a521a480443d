-- Each bank closes its day at its own time (issue 22): the daily report is made at the
-- bank's cut-off in each site's local time; null keeps the platform default (REPORT_CUTOFF).
ALTER TABLE tenant ADD COLUMN report_cutoff_minutes INTEGER CHECK (report_cutoff_minutes >= 0 AND report_cutoff_minutes < 1440);
