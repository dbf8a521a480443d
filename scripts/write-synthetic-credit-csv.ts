/**
 * Writes the synthetic platform (firmware-sim/platform) as a credit table the trainer
 * reads: one row per merchant trading at the end of the observation month, its features
 * then and whether it defaulted in the following six months.
 *
 *   npm run credit:synthetic -- --merchants 4000 [--seed 1] [--month 2024-12] [--shift 0] --out FILE
 *
 * The platform's first month is eleven months before the observation month (a year of
 * history), and defaults can happen from the month after it.
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { addMonths } from '../protocol/credit/month.ts';
import { CREDIT_CSV_COLUMNS, syntheticCreditPanel } from './synthetic-credit-table.ts';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    merchants: { type: 'string', default: '4000' },
    seed: { type: 'string', default: '1' },
    month: { type: 'string', default: '2024-12' },
    shift: { type: 'string', default: '0' },
    out: { type: 'string' },
  },
});
const merchants = Number(values.merchants);
if (values.out === undefined || !Number.isInteger(merchants) || merchants < 1 || !/^\d{4}-\d{2}$/.test(values.month)) {
  process.stderr.write('usage: credit:synthetic -- --merchants N [--seed 1] [--month YYYY-MM] [--shift 0] --out FILE\n');
  process.exit(2);
}
const panel = syntheticCreditPanel(
  { seed: Number(values.seed), merchants, start: addMonths(values.month, -11), months: 18, historyMonths: 12, shift: Number(values.shift) },
  [values.month],
);
const rows = panel.get(values.month) ?? [];
const cell = (v: string | number): string => (typeof v === 'number' && Number.isNaN(v) ? '' : String(v));
const lines = [CREDIT_CSV_COLUMNS.join(','), ...rows.map((r) => CREDIT_CSV_COLUMNS.map((c) => cell(r[c])).join(','))];
await writeFile(values.out, `${lines.join('\n')}\n`);
process.stderr.write(`wrote ${rows.length} merchants (${rows.filter((r) => r.defaulted === 1).length} defaulted) to ${values.out}\n`);
