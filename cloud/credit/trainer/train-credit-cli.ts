/**
 * Trains a credit scorecard on any tabular CSV with a header and a binary target column:
 *
 *   npm run train:credit -- --csv FILE --target COL [--folds 5] [--seed 1]
 *        [--out FILE] [--exclude a,b] [--non-monotone a,b] [--bad v1,v2] [--holdout FILE]
 *
 * Columns are detected as numeric or categorical (identifiers and free text are left
 * out and listed). k-fold cross-validation (binning refitted in every fold) gives AUC,
 * KS and Gini, with a progress bar and the per-fold figures on stderr; the final card
 * is fitted on all rows, calibrated on the out-of-fold scores and saved as versioned
 * JSON (default .data/credit-models/<version>.json). The last line on stdout is JSON:
 * {"auc":…,"ks":…,"gini":…,"folds":…,"rows":…,"version":…,"model":…}
 * With --holdout, a second CSV of the same columns (rows the trainer never saw) is scored
 * with the final card and the line gains "holdout":{"auc":…,"ks":…,"rows":…}.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { createProgressBar } from '../../prices/progress-bar.ts';
import { observationAt } from '../model/dataset.ts';
import { auc, ks } from '../model/metrics.ts';
import { scoreDataset } from '../model/scorecard.ts';
import { trainScorecard, type TrainedScorecard } from '../model/trained-scorecard.ts';
import { readTabularCsv, TabularError } from './tabular-csv.ts';

const USAGE = 'usage: train:credit -- --csv FILE --target COL [--folds 5] [--seed 1] [--out FILE] [--exclude a,b] [--non-monotone a,b] [--bad v1,v2] [--holdout FILE]';
const list = (value: string | undefined): string[] | undefined => value?.split(',').map((s) => s.trim()).filter((s) => s !== '');

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      csv: { type: 'string' },
      target: { type: 'string' },
      folds: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      exclude: { type: 'string' },
      'non-monotone': { type: 'string' },
      bad: { type: 'string' },
      holdout: { type: 'string' },
    },
    strict: true,
  });
  const folds = Number(values.folds);
  const seed = Number(values.seed);
  if (values.csv === undefined || values.target === undefined || !Number.isInteger(folds) || folds < 2 || folds > 20 || !Number.isInteger(seed)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const bar = createProgressBar(process.stderr);
  bar.update(0, 1, `reading ${values.csv}`);
  const exclude = list(values.exclude);
  const badValues = list(values.bad);
  const table = readTabularCsv(await readFile(values.csv), {
    target: values.target,
    ...(exclude === undefined ? {} : { exclude }),
    ...(badValues === undefined ? {} : { badValues }),
  });
  const { dataset } = table;
  const bads = dataset.target.reduce((s, t) => s + t, 0);
  bar.finish(
    `${dataset.target.length.toLocaleString('en')} rows (${bads} bad), ${dataset.columns.length} columns: ` +
      dataset.columns.map((c) => `${c.name} (${c.kind})`).join(', ') +
      (table.skippedColumns.length > 0 ? `; left out: ${table.skippedColumns.map((c) => `${c.column} (${c.reason})`).join(', ')}` : '') +
      (table.skippedRows > 0 ? `; ${table.skippedRows} rows without a binary target` : ''),
  );
  if (bads === 0 || bads === dataset.target.length) throw new TabularError(`${values.target} has only one class`);
  const nonMonotone = list(values['non-monotone']);
  const card = trainScorecard(dataset, values.target, {
    folds,
    seed,
    now: new Date(),
    ...(nonMonotone === undefined ? {} : { nonMonotone }),
    onFold: (done, of) => bar.update(done, of + 1, `cross-validation fold ${done}/${of}`),
  });
  bar.finish(`cross-validated ${folds} folds and fitted the final card`);
  for (const f of card.validation.folds) {
    process.stderr.write(`fold ${f.fold + 1}: ${f.rows} rows  AUC ${f.auc.toFixed(3)}  KS ${f.ks.toFixed(3)}  Gini ${f.gini.toFixed(3)}\n`);
  }
  for (const f of card.model.features) {
    process.stderr.write(`  ${f.feature.padEnd(28)} IV ${f.iv.toFixed(3)}  β ${f.coefficient.toFixed(3)}  ${f.bins.length} classes  ${f.trend}\n`);
  }
  for (const e of card.model.excluded) process.stderr.write(`  ${e.feature.padEnd(28)} IV ${e.iv.toFixed(3)}  not used (${e.reason})\n`);
  const out = values.out ?? join('.data', 'credit-models', `${card.version}.json`);
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(card, null, 2)}\n`);
  const v = card.validation;
  const holdout = values.holdout === undefined ? undefined : await scoreHoldout(card, values.holdout, values.target, badValues);
  if (holdout !== undefined) process.stderr.write(`held out (${values.holdout}): ${holdout.rows} rows  AUC ${holdout.auc.toFixed(3)}  KS ${holdout.ks.toFixed(3)}\n`);
  process.stdout.write(`${JSON.stringify({ auc: v.auc, ks: v.ks, gini: v.gini, folds, rows: v.rows, version: card.version, model: out, ...(holdout === undefined ? {} : { holdout }) })}\n`);
  return 0;
}

// Scores rows the card never saw: the figure a README can state for unseen merchants.
async function scoreHoldout(card: TrainedScorecard, file: string, target: string, badValues: string[] | undefined): Promise<{ auc: number; ks: number; rows: number }> {
  const { dataset } = readTabularCsv(await readFile(file), { target, ...(badValues === undefined ? {} : { badValues }) });
  const rows = dataset.target.length;
  // Higher score = lower risk, so risk is the negated score.
  const risk = scoreDataset(card.model, Array.from({ length: rows }, (_, i) => observationAt(dataset, i))).map((s) => -s);
  return { auc: auc(risk, dataset.target), ks: ks(risk, dataset.target), rows };
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof TabularError || (error as NodeJS.ErrnoException).code === 'ENOENT' || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS') === true) {
    process.stderr.write(`train:credit: ${(error as Error).message}\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    throw error;
  }
}
