import { toCsv, type CsvValue } from './csv-writer.ts';
import type { DailyReport, ReportRow } from './daily-report.ts';

const COLUMNS: readonly (readonly [string, (r: ReportRow, report: DailyReport) => CsvValue])[] = [
  ['date', (_r, report) => report.date],
  ['site', (r) => r.site],
  ['lot_id', (r) => r.lotId],
  ['zone', (r) => r.zone],
  ['receipt_number', (r) => r.receiptNumber],
  ['state', (r) => r.state],
  ['expected_items', (r) => r.expectedItems],
  ['present_items', (r) => r.presentItems],
  ['variance_items', (r) => r.varianceItems],
  ['expected_quantity', (r) => r.expectedQuantity?.value],
  ['verified_quantity', (r) => r.verifiedQuantity?.value],
  ['variance_quantity', (r) => r.varianceQuantity?.value],
  ['unit', (r) => r.expectedQuantity?.unit ?? r.verifiedQuantity?.unit],
  ['verified_unit', (r) => r.verifiedQuantity?.unit],
  ['variance_percent', (r) => r.variancePercent],
  ['last_verified_at', (r) => r.lastVerifiedAt],
  ['moved_events', (r) => r.movedEvents],
  ['releases', (r) => r.releases],
  ['released_quantity', (r) => r.releasedQuantity?.value],
  ['warnings', (r) => r.warnings],
  ['criticals', (r) => r.criticals],
];

/** The report as one CSV table, a row per lot, the same columns every day. */
export function reportCsv(report: DailyReport): string {
  return toCsv(
    COLUMNS.map(([name]) => name),
    report.rows.map((row) => COLUMNS.map(([, pick]) => pick(row, report))),
  );
}
