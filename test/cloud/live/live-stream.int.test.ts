import { evidenceOf } from '../../support/evidence-examples.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../../cloud/alerts/case-views.ts';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld, type TestGateway } from '../alerts/support/monitoring-world.ts';
import { openSse, type SseStream } from '../../support/sse-client.ts';

describe('GET /api/v1/live (Server-Sent Events)', () => {
  let w: MonitoringWorld;
  let url: string;
  let gw: TestGateway;
  let lender: Caller;
  let otherLender: Caller;
  const streams: SseStream[] = [];
  const open = async (path: string, headers: Record<string, string> = {}) => {
    const stream = await openSse(`${url}${path}`, headers);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    // Heartbeats, and with them the re-checks of each viewer's token and account, every 50 ms.
    w = await startMonitoringWorld({ env: { LIVE_HEARTBEAT_MS: '50' } });
    await w.pledgeLot({ site: 's-a', lotId: 'LOT-1', bank: 'bank-a', operator: 'wh-a' });
    gw = await w.gateway('s-a');
    lender = await w.as('bank-a', 'lender');
    otherLender = await w.as('bank-b', 'lender');
    url = await w.listen();
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await w.close();
  });

  it('refuses a stream without a valid token', async () => {
    expect((await fetch(`${url}/api/v1/live`)).status).toBe(401);
    expect((await fetch(`${url}/api/v1/live?access_token=forged`)).status).toBe(401);
  });

  it("delivers a new case to the lender's stream and not to another bank's", async () => {
    const mine = await open('/api/v1/live', { authorization: `Bearer ${lender.token}` });
    const theirs = await open(`/api/v1/live?access_token=${encodeURIComponent(otherLender.token)}`);
    expect(mine.status).toBe(200);
    expect(theirs.status).toBe(200);
    await mine.next((e) => e.event === 'ready');
    await theirs.next((e) => e.event === 'ready');

    await gw.send([{ type: 'tags.missing', severity: 'critical', lotId: 'LOT-1', zone: 'bay-1', evidence: evidenceOf('tags.missing', { count: 5 }) }]);
    const opened = await mine.next((e) => e.event === 'case.opened');
    expect(opened.data).toMatchObject({ kind: 'tags.missing', site: 's-a', lotId: 'LOT-1', status: 'open', severity: 'critical' } satisfies Partial<CaseView>);
    expect(opened.id).toMatch(/^[0-9a-f]+\.\d+$/);

    // bank-b's stream is alive (it gets its own collateral change) but never saw the case.
    w.bus.emit('collateral.changed', { tenantId: 'bank-b', facilityId: null, receiptId: null, reason: 'test', detail: {} });
    await theirs.next((e) => e.event === 'collateral.changed');
    expect(theirs.received.map((e) => e.event)).toEqual(['ready', 'collateral.changed']);
    expect(mine.received.some((e) => e.event === 'collateral.changed')).toBe(false);
  });

  it("tells a borrower its own facility's changes, without the bank's detail, and nobody else's", async () => {
    const { facilityId } = await w.pledgeLot({ site: 's-a', lotId: 'LOT-L2', bank: 'bank-a', operator: 'wh-a' });
    const banker = await w.as('bank-a', 'lender');
    expectStatus(await w.app.inject({ method: 'PUT', url: `/api/v1/facilities/${facilityId}/borrower-tenant`, headers: { authorization: `Bearer ${banker.token}` }, payload: { tenantId: 'borrower-a' } }), 200);
    const borrower = await open(`/api/v1/live?access_token=${encodeURIComponent((await w.as('borrower-a', 'borrower')).token)}`);
    const otherBorrower = await open(`/api/v1/live?access_token=${encodeURIComponent((await w.as('borrower-b', 'borrower')).token)}`);
    await borrower.next((e) => e.event === 'ready');
    await otherBorrower.next((e) => e.event === 'ready');
    w.bus.emit('collateral.changed', { tenantId: 'bank-a', facilityId, receiptId: null, reason: 'margin_call.opened', detail: { internal: 'the bank’s own' } });
    const change = await borrower.next((e) => e.event === 'collateral.changed');
    expect(change.data).toEqual({ facilityId, reason: 'margin_call.opened' });
    // The other borrower's stream is alive but never hears of it.
    w.bus.emit('collateral.changed', { tenantId: 'borrower-b', facilityId: null, receiptId: null, reason: 'test', detail: {} });
    await otherBorrower.next((e) => e.event === 'collateral.changed');
    expect(otherBorrower.received.filter((e) => e.event === 'collateral.changed').map((e) => e.data)).toEqual([expect.objectContaining({ reason: 'test' })]);
  });

  it('resumes from Last-Event-ID and asks for a reload when the id is unknown', async () => {
    const first = await open('/api/v1/live', { authorization: `Bearer ${lender.token}` });
    await first.next((e) => e.event === 'ready');
    await gw.send([{ type: 'camera.tamper', severity: 'critical', zone: 'bay-1', evidence: evidenceOf('camera.tamper', { device: 's-a/camera/c1', kind: 'covered' }) }]);
    const seen = await first.next((e) => e.event === 'case.opened');
    first.close();
    await gw.send([{ type: 'device.offline', severity: 'warning', evidence: evidenceOf('device.offline', { device: 's-a/rfid/r2' }) }]);

    const resumed = await open('/api/v1/live', { authorization: `Bearer ${lender.token}`, 'last-event-id': seen.id ?? '' });
    const missed = await resumed.next((e) => e.event === 'case.opened');
    expect(missed.data).toMatchObject({ kind: 'device.offline' });

    const stale = await open('/api/v1/live?lastEventId=deadbeef.1', { authorization: `Bearer ${lender.token}` });
    await stale.next((e) => e.event === 'reset');
  });

  it('lets an administrator watch every tenant', async () => {
    const admin = await w.as('platform', 'admin');
    const all = await open('/api/v1/live', { authorization: `Bearer ${admin.token}` });
    await all.next((e) => e.event === 'ready');
    w.bus.emit('collateral.changed', { tenantId: 'bank-b', facilityId: null, receiptId: null, reason: 'test', detail: {} });
    await all.next((e) => e.event === 'collateral.changed');
  });

  it("ends a disabled user's open stream with the reason and keeps everyone else's", async () => {
    const admin = await w.as('platform', 'admin');
    const leaving = await w.as('bank-a', 'lender');
    const cut = await open('/api/v1/live', { authorization: `Bearer ${leaving.token}` });
    const kept = await open('/api/v1/live', { authorization: `Bearer ${lender.token}` });
    await cut.next((e) => e.event === 'ready');
    await kept.next((e) => e.event === 'ready');

    expectStatus(await admin.patch(`/api/v1/users/${leaving.userId}`, { disabled: true }), 200);
    const revoked = await cut.next((e) => e.event === 'revoked');
    expect(revoked.data).toEqual({ reason: 'the account is disabled' });
    await cut.ended;
    expect((await fetch(`${url}/api/v1/live`, { headers: { authorization: `Bearer ${leaving.token}` } })).status).toBe(401);

    // Many heartbeats later the colleague's stream still delivers and was never revoked.
    w.bus.emit('collateral.changed', { tenantId: 'bank-a', facilityId: null, receiptId: null, reason: 'test', detail: {} });
    await kept.next((e) => e.event === 'collateral.changed');
    expect(kept.received.some((e) => e.event === 'revoked')).toBe(false);
  });

  it('ends a stream when its token expires', async () => {
    const shortLived = w.app.jwt.sign({ sub: lender.userId, tid: 'bank-a', role: 'lender', email: 'short@bank-a.test' }, { expiresIn: 1 });
    const stream = await open('/api/v1/live', { authorization: `Bearer ${shortLived}` });
    await stream.next((e) => e.event === 'ready');
    const revoked = await stream.next((e) => e.event === 'revoked', 5_000);
    expect(revoked.data).toEqual({ reason: 'the token expired' });
    await stream.ended;
  });
});
