import type { DailyReport } from '../monitoring/daily-report.ts';

const escape = (value: unknown): string =>
  String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** The daily report as one printable HTML page (A4 landscape, the browser's print to PDF). */
export function reportHtml(report: DailyReport, title: string): string {
  const rows = report.rows
    .map((r) => {
      const variance = r.varianceQuantity !== null && Number(r.varianceQuantity.value) !== 0;
      return `<tr${variance ? ' class="variance"' : ''}><td>${escape(r.lotId)}</td><td>${escape(r.zone)}</td><td>${escape(r.receiptNumber)}</td><td>${escape(r.state)}</td>` +
        `<td class="n">${escape(r.expectedQuantity?.value)}</td><td class="n">${escape(r.verifiedQuantity?.value)}</td><td class="n">${escape(r.varianceQuantity?.value)}</td><td>${escape(r.expectedQuantity?.unit ?? r.verifiedQuantity?.unit)}</td>` +
        `<td class="n">${escape(r.variancePercent)}</td><td>${escape(r.lastVerifiedAt)}</td><td class="n">${r.movedEvents}</td><td class="n">${r.releases}</td><td class="n">${r.warnings}</td><td class="n">${r.criticals}</td></tr>`;
    })
    .join('\n');
  const t = report.totals;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title>
<style>
@page { size: A4 landscape; margin: 12mm; }
body { font: 10pt system-ui, sans-serif; color: #111; }
h1 { font-size: 14pt; margin: 0 0 4pt; }
p { margin: 0 0 8pt; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #999; padding: 2pt 4pt; text-align: left; }
th { background: #eee; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
tr.variance td { background: #fde8e8; }
thead { display: table-header-group; }
</style></head><body>
<h1>${escape(title)}</h1>
<p>${escape(report.date)} (${escape(report.timezone)}), ${escape(report.from)} to ${escape(report.to)}; generated ${escape(report.generatedAt)}.
${t.lots} lots, ${t.lotsWithVariance} with variance, ${t.lotsNotVerified} not verified; ${t.movedEvents} movements, ${t.releases} releases, ${t.warnings} warnings, ${t.criticals} critical.</p>
<table><thead><tr><th>Lot</th><th>Zone</th><th>Receipt</th><th>State</th><th>Expected</th><th>Verified</th><th>Variance</th><th>Unit</th><th>Variance %</th><th>Last verified</th><th>Moved</th><th>Releases</th><th>Warnings</th><th>Critical</th></tr></thead>
<tbody>
${rows}
</tbody></table>
</body></html>
`;
}
