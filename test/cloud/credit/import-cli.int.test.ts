import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateMerchant, type SyntheticMerchant } from '../../../firmware-sim/platform/synthetic-platform.ts';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld } from '../alerts/support/monitoring-world.ts';

/**
 * npm run credit:import as a platform's operator runs it: a real process streaming a
 * CSV into the cloud over HTTP in batches, progress as JSON lines on stderr (not a
 * terminal), refused rows by line, the JSON summary last on stdout; run again, nothing
 * is stored twice.
 */
const CLI = new URL('../../../cloud/credit/ingest/import-transactions-cli.ts', import.meta.url).pathname;

function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lastJson = (text: string): Record<string, unknown> => JSON.parse(text.trim().split('\n').at(-1) ?? '{}') as Record<string, unknown>;

describe('credit:import CLI', () => {
  let w: MonitoringWorld;
  let url: string;
  let lender: Caller;
  let merchant: SyntheticMerchant;
  let file: string;

  beforeAll(async () => {
    w = await startMonitoringWorld();
    url = await w.listen();
    lender = await w.as('bank-a', 'lender');
    merchant = generateMerchant({ seed: 7, merchants: 10, start: '2025-01', months: 13, idPrefix: 'cli-' }, 0);
    expectStatus(await lender.post('/api/v1/credit/merchants', { merchants: [merchant.record] }), 200);
    const lines = ['id,merchant_id,kind,at,amount,currency,order_id,customer_id'];
    for (const t of merchant.transactions) lines.push([t.id, t.merchantId, t.kind, t.at, t.amount, t.currency, t.orderId ?? '', t.customerId ?? ''].join(','));
    lines.splice(5, 0, 'bad-1,cli-000000,order,yesterday,1.00,EUR,,');
    lines.push('x-1,nobody,order,2025-02-01T00:00:00Z,1.00,EUR,,');
    file = join(mkdtempSync(join(tmpdir(), 'credit-import-')), 'platform.csv');
    writeFileSync(file, `${lines.join('\n')}\n`);
  }, 120_000);
  afterAll(() => w.close());

  it('streams the file in batches with JSON progress and reports refused rows by line', async () => {
    const first = await run(['--csv', file, '--platform', 'shopx', '--url', url, '--batch', '100'], { CREDIT_API_TOKEN: lender.token });
    expect(first.stderr).not.toContain('Error');
    const progress = first.stderr.trim().split('\n').map((l) => JSON.parse(l) as { progress: number; accepted: number });
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)?.progress).toBe(1);
    const summary = lastJson(first.stdout);
    const good = merchant.transactions.length;
    expect(summary).toMatchObject({ rows: good + 2, accepted: good, duplicates: 0, refused: 2, batches: Math.ceil((good + 1) / 100), platform: 'shopx' });
    expect((summary.refusedRows as { line: number; reason: string }[]).map((r) => [r.line, r.reason.split(':')[0]])).toEqual([
      [6, '/at'],
      [good + 3, 'unknown merchant nobody'],
    ]);
    expect(first.code).toBe(1);
    const stored = await w.db.prisma.creditTransaction.count({ where: { bankTenantId: 'bank-a', id: { startsWith: 'shopx:' } } });
    expect(stored).toBe(good);

    const again = await run(['--csv', file, '--platform', 'shopx', '--url', url], { CREDIT_API_TOKEN: lender.token });
    expect(lastJson(again.stdout)).toMatchObject({ accepted: 0, duplicates: good, refused: 2 });
  }, 120_000);

  it('says what is wrong without a token, with a bad batch size, or with a token the cloud refuses', async () => {
    const noToken = await run(['--csv', file, '--url', url], { CREDIT_API_TOKEN: '' });
    expect(noToken.code).toBe(2);
    expect(noToken.stderr).toContain('CREDIT_API_TOKEN');
    const badBatch = await run(['--csv', file, '--url', url, '--batch', '9000'], { CREDIT_API_TOKEN: lender.token });
    expect(badBatch.code).toBe(2);
    const borrower = await w.as('borrower-a', 'borrower');
    const refused = await run(['--csv', file, '--url', url], { CREDIT_API_TOKEN: borrower.token });
    expect(refused.code).toBe(2);
    expect(lastJson(refused.stdout).error).toMatch(/403/);
  }, 120_000);
});
