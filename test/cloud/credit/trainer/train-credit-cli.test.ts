import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CREDIT_CSV_COLUMNS, syntheticCreditPanel } from '../../../../scripts/synthetic-credit-table.ts';

/**
 * npm run train:credit as a process: a CSV of the synthetic platform in, the last stdout
 * line one JSON object with the cross-validated figures, and with --holdout the figures
 * on a second platform run it never saw; the card saved where --out says.
 */
const CLI = new URL('../../../../cloud/credit/trainer/train-credit-cli.ts', import.meta.url).pathname;

function writeTable(file: string, seed: number): void {
  const rows = syntheticCreditPanel({ seed, merchants: 600, start: '2024-01', months: 18, historyMonths: 12 }, ['2024-12']).get('2024-12') ?? [];
  const cell = (v: string | number): string => (typeof v === 'number' && Number.isNaN(v) ? '' : String(v));
  writeFileSync(file, `${[CREDIT_CSV_COLUMNS.join(','), ...rows.map((r) => CREDIT_CSV_COLUMNS.map((c) => cell(r[c])).join(','))].join('\n')}\n`);
}

describe('train:credit CLI', () => {
  it('ends with one JSON line of k-fold and held-out figures and saves the versioned card', () => {
    const dir = mkdtempSync(join(tmpdir(), 'train-credit-'));
    writeTable(join(dir, 'train.csv'), 41);
    writeTable(join(dir, 'holdout.csv'), 42);
    const out = join(dir, 'card.json');
    const run = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--csv', join(dir, 'train.csv'), '--target', 'defaulted', '--folds', '3', '--holdout', join(dir, 'holdout.csv'), '--out', out], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const last = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { auc: number; ks: number; gini: number; folds: number; rows: number; version: string; holdout: { auc: number; ks: number; rows: number } };
    expect(last).toMatchObject({ folds: 3, rows: expect.any(Number), model: out });
    expect(last.gini).toBeCloseTo(2 * last.auc - 1, 9);
    expect(last.holdout.rows).toBeGreaterThan(400);
    expect(last.holdout.auc).toBeGreaterThan(0.7);
    expect(last.holdout.ks).toBeGreaterThan(0.3);
    expect(run.stderr).toContain('held out');
    expect((JSON.parse(readFileSync(out, 'utf8')) as { version: string }).version).toBe(last.version);

    const missing = spawnSync(process.execPath, ['--import', 'tsx', CLI, '--csv', join(dir, 'train.csv'), '--target', 'defaulted', '--holdout', join(dir, 'nope.csv'), '--out', out], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
  }, 120_000);
});
