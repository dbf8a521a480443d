import { evidenceOf } from '../../support/evidence-examples.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPrivateKey, sealEvent, type VerificationEvent } from '../../../protocol/index.ts';
import type { CaseDetailView, CaseView } from '../../../cloud/alerts/case-views.ts';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld, type TestGateway } from '../alerts/support/monitoring-world.ts';

const online = { type: 'device.online' as const, severity: 'info' as const, evidence: evidenceOf('device.online', { device: 's-a/rfid/r1' }) };

describe('ingestion: forgeries, replays, gaps and breaks become alerts of their own', () => {
  let w: MonitoringWorld;
  let gw: TestGateway;
  let risk: Caller;
  let operator: Caller;
  let admin: Caller;

  beforeAll(async () => {
    w = await startMonitoringWorld();
    await w.pledgeLot({ site: 's-a', lotId: 'LOT-1', bank: 'bank-a', operator: 'wh-a' });
    gw = await w.gateway('s-a');
    risk = await w.as('bank-a', 'risk_officer');
    operator = await w.as('wh-a', 'warehouse_operator');
    admin = await w.as('platform', 'admin');
    await gw.send([online, online, online]);
  });
  afterAll(() => w.close());

  const caseOf = async (kind: string): Promise<CaseDetailView> => {
    const items = expectStatus(await admin.get(`/api/v1/alerts?kind=${kind}&status=active`), 200).items as CaseView[];
    expect(items, `one open ${kind} case`).toHaveLength(1);
    return expectStatus(await admin.get(`/api/v1/alerts/${items[0]?.id}`), 200) as unknown as CaseDetailView;
  };
  const post = async (events: unknown[]) => {
    const res = await gw.deliver(events);
    await w.bus.idle();
    return expectStatus(res, 200);
  };

  it('rejects a forged signature and an altered field, keeps them as evidence and opens one forgery case', async () => {
    const [next] = gw.seal([online]);
    const event = next as VerificationEvent;
    const forged = { ...event, sig: Buffer.alloc(64, 7).toString('base64') };
    const altered = { ...event, evidence: { device: 's-a/rfid/r9' } };
    const first = await post([forged]);
    expect(first).toMatchObject({ accepted: 0, rejected: [{ id: event.id, seq: 4, class: 'forgery' }] });
    const second = await post([altered]);
    expect(second).toMatchObject({ accepted: 0, rejected: [{ class: 'forgery', reason: expect.stringMatching(/hash/) as string }] });
    const c = await caseOf('ingest.forgery');
    expect(c).toMatchObject({ severity: 'critical', source: 'ingestion', site: 's-a', gatewayId: gw.id, occurrences: 2 });
    expect(c.evidence.map((e) => e.kind)).toEqual(['document', 'document']);
    const stored = await w.db.sql.query<{ n: number }>(`SELECT count(*)::int AS n FROM ingest_rejection WHERE gateway_id = $1 AND class = 'forgery'`, [gw.id]);
    expect(stored[0]?.n).toBe(2);
    await expect(w.db.sql.exec(`DELETE FROM ingest_rejection`)).rejects.toThrow(/append-only/);
    // The genuine event still goes in afterwards: forgeries do not advance the chain.
    expect(await post([event])).toMatchObject({ accepted: 1, rejected: [], anomalies: [] });
  });

  it('acknowledges a retried batch as duplicates and refuses a replayed seq with other content', async () => {
    const batch = gw.seal([online, online]);
    expect(await post(batch)).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(await post(batch)).toMatchObject({ accepted: 0, duplicates: 2, rejected: [] });
    const replay = sealEvent({ ...online, id: randomUUID(), site: 's-a', gatewayId: gw.id, seq: 2, ts: '2026-03-02T09:00:00.000Z' }, batch[0]?.prevHash ?? '', loadPrivateKey(gw.privateKeyPem));
    expect(await post([replay])).toMatchObject({ accepted: 0, rejected: [{ class: 'replay' }] });
    expect(await caseOf('ingest.replay')).toMatchObject({ severity: 'critical', title: expect.stringMatching(/replayed/) as string });
  });

  it("refuses events naming another gateway's identity", async () => {
    const other = await w.gateway('s-b', 'gw-b');
    const [theirs] = other.seal([online]);
    expect(await post([theirs])).toMatchObject({ accepted: 0, rejected: [{ class: 'foreign' }] });
    await caseOf('ingest.foreign');
  });

  it('finds one forged event in a large batch (checked on worker threads) and keeps the rest', async () => {
    const batch = gw.seal(Array.from({ length: 150 }, () => online));
    const forged = batch.map((e, i) => (i === 70 ? { ...e, sig: Buffer.alloc(64, 9).toString('base64') } : e));
    const res = await post(forged);
    expect(res).toMatchObject({ accepted: 149, rejected: [{ seq: batch[70]?.seq, class: 'forgery' }], anomalies: [{ kind: 'gap', from: batch[70]?.seq, to: batch[70]?.seq }] });
    // The genuine event arrives late, behind the head, into the seq the forgery left empty:
    // authentic and never stored, so it is kept, and it closes the gap exactly.
    const head = expectStatus(await admin.get(`/api/v1/gateways/${gw.id}`), 200) as { lastSeq: number };
    expect(await post([batch[70]])).toMatchObject({ accepted: 1, rejected: [], anomalies: [{ kind: 'gap_filled', seq: batch[70]?.seq, linked: true }], head: { seq: head.lastSeq } });
    expect(await post([batch[70]])).toMatchObject({ accepted: 0, duplicates: 1, rejected: [] });
    const gap = await caseOf('chain.gap');
    expect(gap.evidence).toContainEqual(expect.objectContaining({ kind: 'event', ref: batch[70]?.id, note: expect.stringMatching(/arrived late and links/) as string }));
  });

  it('keeps withheld events that arrive late, notes the filled gap on its case and leaves the head where it was', async () => {
    const [first, second, third] = gw.seal([online, online, online]);
    expect(await post([third])).toMatchObject({ accepted: 1, anomalies: [{ kind: 'gap', from: first?.seq, to: second?.seq }] });
    const late = await post([second, first]);
    expect(late).toMatchObject({
      accepted: 2,
      rejected: [],
      anomalies: [
        { kind: 'gap_filled', seq: first?.seq, linksPrevious: true, linksNext: true, linked: true },
        { kind: 'gap_filled', seq: second?.seq, linksPrevious: true, linksNext: true, linked: true },
      ],
      head: { seq: third?.seq, hash: third?.hash },
    });
    const gateway = expectStatus(await admin.get(`/api/v1/gateways/${gw.id}`), 200);
    expect(gateway).toMatchObject({ lastSeq: third?.seq });
    const gap = await caseOf('chain.gap');
    expect(gap.evidence.filter((e) => e.ref === first?.id || e.ref === second?.id)).toHaveLength(2);
    const trail = expectStatus(await admin.get(`/api/v1/audit?entityType=case&entityId=${gap.id}&action=case.gap_filled`), 200).items as { after: { seq: number } }[];
    expect(trail.map((t) => t.after.seq)).toEqual(expect.arrayContaining([first?.seq, second?.seq]));
    const stored = expectStatus(await admin.get(`/api/v1/events?gatewayId=${gw.id}&limit=5`), 200).items as { event: VerificationEvent }[];
    expect(stored.map((i) => i.event.id)).toEqual(expect.arrayContaining([first?.id, second?.id]));
  });

  it('accepts across a skipped sequence, reports the gap and opens a case citing the event after it', async () => {
    const { lastSeq } = expectStatus(await admin.get(`/api/v1/gateways/${gw.id}`), 200) as { lastSeq: number };
    gw.skip(2);
    const [after] = gw.seal([online]);
    const res = await post([after]);
    expect(res).toMatchObject({ accepted: 1, anomalies: [{ kind: 'gap', from: lastSeq + 1, to: lastSeq + 2, resumedAt: after?.id }] });
    const c = await caseOf('chain.gap');
    // One open gap case per site: a later gap joins it, its range in the evidence note.
    expect(c.evidence).toContainEqual(expect.objectContaining({ kind: 'event', ref: after?.id, note: `first event after missing ${lastSeq + 1}–${lastSeq + 2}` }));
  });

  it('accepts an authentic event that forks the chain and opens a chain-break case', async () => {
    const head = expectStatus(await admin.get(`/api/v1/gateways/${gw.id}`), 200) as { lastSeq: number };
    const fork = sealEvent({ ...online, id: randomUUID(), site: 's-a', gatewayId: gw.id, seq: head.lastSeq + 1, ts: '2026-03-02T10:00:00.000Z' }, 'f'.repeat(64), loadPrivateKey(gw.privateKeyPem));
    expect(await post([fork])).toMatchObject({ accepted: 1, anomalies: [{ kind: 'break', seq: head.lastSeq + 1 }] });
    await caseOf('chain.break');
  });

  it('keeps a late event that does not link to its neighbours, and reports it as a break', async () => {
    // A second gateway at the site: the fork above left the first one's head apart from its chain.
    const gw2 = await w.gateway('s-a', 'gw-s-a-2');
    const post2 = async (events: unknown[]) => {
      const res = await gw2.deliver(events);
      await w.bus.idle();
      return expectStatus(res, 200);
    };
    await gw2.send([online]);
    gw2.skip(1);
    const [after] = gw2.seal([online]);
    expect(await post2([after])).toMatchObject({ accepted: 1, anomalies: [{ kind: 'gap' }] });
    const missing = (after?.seq ?? 0) - 1;
    const key = loadPrivateKey(gw2.privateKeyPem);
    const other = sealEvent({ ...online, id: randomUUID(), site: 's-a', gatewayId: gw2.id, seq: missing, ts: '2026-03-02T11:00:00.000Z' }, 'e'.repeat(64), key);
    expect(await post2([other])).toMatchObject({ accepted: 1, anomalies: [{ kind: 'gap_filled', seq: missing, linksPrevious: false, linksNext: false, linked: false }] });
    const brk = await caseOf('chain.break');
    expect(brk.evidence).toContainEqual(expect.objectContaining({ kind: 'event', ref: other.id }));
    // Now stored: the same seq again with other content is a replay.
    const again = sealEvent({ ...online, id: randomUUID(), site: 's-a', gatewayId: gw2.id, seq: missing, ts: '2026-03-02T11:00:01.000Z' }, 'e'.repeat(64), key);
    expect(await post2([again])).toMatchObject({ accepted: 0, rejected: [{ class: 'replay', seq: missing }] });
  });

  it('answers 401 for events of an unknown gateway, before reading the batch', async () => {
    const res = await w.app.inject({ method: 'POST', url: '/api/v1/gateways/gw-nobody/events', headers: { authorization: `Bearer ${gw.token}` }, payload: { events: 'not even a list' } });
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
    expect((await w.app.inject({ method: 'POST', url: `/api/v1/gateways/${gw.id}/events`, payload: { events: [] } })).statusCode).toBe(401);
  });

  it('shows integrity cases to the banks lending there (not to the site operator), and the log by visibility', async () => {
    const mine = (expectStatus(await risk.get('/api/v1/alerts'), 200).items as CaseView[]).map((c) => c.kind).sort();
    expect(mine).toEqual(['chain.break', 'chain.gap', 'ingest.foreign', 'ingest.forgery', 'ingest.replay']);
    expect(expectStatus(await operator.get('/api/v1/alerts'), 200).items).toEqual([]);
    const stranger = await w.as('bank-b', 'lender');
    expect(expectStatus(await stranger.get('/api/v1/alerts'), 200).items).toEqual([]);
    expect(expectStatus(await stranger.get('/api/v1/events'), 200).items).toEqual([]);
    const seen = expectStatus(await risk.get(`/api/v1/events?gatewayId=${gw.id}&limit=1000`), 200).items as unknown[];
    expect(seen.length).toBeGreaterThan(5);
  });
});
