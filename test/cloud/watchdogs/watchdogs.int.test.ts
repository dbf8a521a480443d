import { evidenceOf } from '../../support/evidence-examples.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobRunner } from '../../../cloud/jobs/job-runner.ts';
import { createFrozenClock } from '../../support/test-clock.ts';
import { expectStatus, facilityBody, list, receiptBody, startCollateralWorld, type CollateralWorld } from '../risk/support/collateral-world.ts';
import { startGatewayFeed, type GatewayFeed } from '../risk/support/gateway-feed.ts';

const MINUTE = 60_000;
const SILENCE = 15 * MINUTE; // GATEWAY_SILENCE_MS default

interface CaseItem {
  id: string;
  kind: string;
  severity: string;
  status: string;
  gatewayId: string | null;
  lotId: string | null;
  finding: { kind: string } | null;
  detail: { numbers?: Record<string, unknown> };
}

describe('watchdogs', () => {
  let w: CollateralWorld;
  let gateway: GatewayFeed;
  const clock = createFrozenClock();
  const runWatchdogs = async () => {
    await w.app.earlyWarning.watchdogs.run(clock.now());
    await w.bus.idle();
    await w.app.earlyWarning.idle();
  };
  const cases = async (kind: string, caller = w.operator): Promise<CaseItem[]> => list(expectStatus(await caller.get(`/api/v1/alerts?kind=${kind}`), 200), 'items') as CaseItem[];

  // Starting the cloud on a fresh database is most of the setup; a loaded machine needs more than the default minute.
  beforeAll(async () => {
    w = await startCollateralWorld({ now: clock.now });
    gateway = await startGatewayFeed(w, 's-a1');
    await gateway.send('gateway.started', { evidence: evidenceOf('gateway.started'), ts: clock.now() });
    await w.app.earlyWarning.idle();
  }, 180_000);
  afterAll(() => w.close());

  it('a gateway silent for its interval: nothing at the interval, a warning just past it, critical past four, resolved when it reports again', async () => {
    clock.advance(SILENCE);
    await runWatchdogs();
    expect(await cases('watchdog.gateway_silent')).toEqual([]);
    clock.advance(1);
    await runWatchdogs();
    const [warning] = await cases('watchdog.gateway_silent');
    expect(warning).toMatchObject({ severity: 'warning', status: 'open', gatewayId: gateway.gatewayId });
    expect(warning?.detail.numbers).toMatchObject({ silentMs: SILENCE + 1, expectedIntervalMs: SILENCE });
    clock.advance(3 * SILENCE);
    await runWatchdogs();
    expect(await cases('watchdog.gateway_silent')).toEqual([expect.objectContaining({ id: warning?.id, severity: 'critical' })]);

    await gateway.send('lot.verified', { lotId: 'NO-SUCH-LOT', evidence: { expected: 1, present: 1, missing: 0 }, ts: clock.now() });
    await w.app.earlyWarning.idle();
    const [resolved] = await cases('watchdog.gateway_silent');
    expect(resolved).toMatchObject({ id: warning?.id, status: 'resolved', finding: { kind: 'device_fault' } });
    await runWatchdogs();
    expect((await cases('watchdog.gateway_silent')).filter((c) => c.status !== 'resolved')).toEqual([]);
  });

  it('a pledged lot not verified for a day opens a case for the lot, which the next verification resolves', async () => {
    const receipt = expectStatus(await w.operator.post('/api/v1/receipts', receiptBody({ epcs: [] })), 201);
    const facility = expectStatus(await w.lender.post('/api/v1/facilities', facilityBody()), 201);
    expectStatus(await w.lender.post('/api/v1/pledges', { receiptId: receipt.id, facilityId: facility.id }), 201);
    await gateway.send('lot.verified', { lotId: String(receipt.lotId), evidence: { expected: 10, present: 10, missing: 0 }, ts: clock.now() });
    clock.advance(24 * 60 * MINUTE);
    await gateway.send('gateway.started', { evidence: evidenceOf('gateway.started'), ts: clock.now() });
    await runWatchdogs();
    expect((await cases('watchdog.lot_unverified')).filter((c) => c.lotId === receipt.lotId)).toEqual([]);
    clock.advance(1);
    await runWatchdogs();
    const [lot] = (await cases('watchdog.lot_unverified', w.lender)).filter((c) => c.lotId === receipt.lotId);
    expect(lot).toMatchObject({ severity: 'warning', status: 'open' });
    expect(lot?.detail.numbers).toMatchObject({ ageMs: 24 * 60 * MINUTE + 1, receiptNumber: receipt.number });
    await gateway.send('lot.verified', { lotId: String(receipt.lotId), evidence: { expected: 10, present: 10, missing: 0 }, ts: clock.now() });
    await runWatchdogs();
    expect((await cases('watchdog.lot_unverified', w.lender)).find((c) => c.id === lot?.id)).toMatchObject({ status: 'resolved' });
  });

  it('a job runs once per interval however many processes share the database, and not again after a restart', async () => {
    const runs: string[] = [];
    const job = (owner: string) => ({ name: 'count', intervalMs: 10 * MINUTE, run: async () => void runs.push(owner) });
    const start = (owner: string) => startJobRunner({ prisma: w.db.prisma, jobs: [job(owner)], now: clock.now, pollMs: 0, log: { error: () => undefined }, owner });
    const a = start('a');
    const b = start('b');
    const at = clock.now();
    await Promise.all([a.runDue(at), b.runDue(at), a.runDue(at), b.runDue(at)]);
    expect(runs).toHaveLength(1);
    await a.stop();
    const restarted = start('a2');
    expect(await restarted.runDue(at)).toEqual([]);
    clock.advance(10 * MINUTE);
    expect(await restarted.runDue(clock.now())).toEqual(['count']);
    expect(runs).toHaveLength(2);
    const stored = await w.db.prisma.jobRun.findMany({ where: { job: 'count' }, orderBy: { slot: 'asc' } });
    expect(stored.map((r) => r.finishedAt !== null)).toEqual([true, true]);
    await b.stop();
    await restarted.stop();
  });
});
