import { createPublicKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERIFICATION_EVENT_TYPES, verifyChain, type IngestReply, type TypedEvidence, type VerificationEvent } from '../../protocol/index.ts';
import type { CaseDetailView, CaseView } from '../../cloud/alerts/case-views.ts';
import { expectStatus, startMonitoringWorld, type Caller, type MonitoringWorld, type TestGateway } from '../cloud/alerts/support/monitoring-world.ts';
import { EVIDENCE_EXAMPLES } from '../support/evidence-examples.ts';

interface StoredEventView {
  event: VerificationEvent;
  receivedAt: string;
  evidenceError: string | null;
}

/** One draft of `type` with its example evidence, typed as the gateway drafts it. */
function draftOf(type: (typeof VERIFICATION_EVENT_TYPES)[number]): TypedEvidence & { severity: 'warning'; lotId: string; zone: string } {
  return { type, evidence: structuredClone(EVIDENCE_EXAMPLES[type]), severity: 'warning', lotId: 'LOT-1', zone: 'bay-1' } as TypedEvidence & { severity: 'warning'; lotId: string; zone: string };
}

describe('typed evidence from gateway to cloud and back', () => {
  let w: MonitoringWorld;
  let gw: TestGateway;
  let admin: Caller;
  let lender: Caller;
  let operator: Caller;

  beforeAll(async () => {
    w = await startMonitoringWorld();
    await w.pledgeLot({ site: 's-a', lotId: 'LOT-1', bank: 'bank-a', operator: 'wh-a' });
    gw = await w.gateway('s-a');
    admin = await w.as('platform', 'admin');
    lender = await w.as('bank-a', 'risk_officer');
    operator = await w.as('wh-a', 'warehouse_operator');
  });
  afterAll(() => w.close());

  const allEvents = async (caller: Caller): Promise<StoredEventView[]> =>
    (expectStatus(await caller.get(`/api/v1/events?gatewayId=${gw.id}&limit=1000`), 200).items as StoredEventView[]).sort((a, b) => a.event.seq - b.event.seq);
  const chainVerifies = async () => {
    const key = createPublicKey((expectStatus(await admin.get(`/api/v1/gateways/${gw.id}/key`), 200) as { publicKey: string }).publicKey);
    return verifyChain((await allEvents(admin)).map((e) => e.event), key);
  };
  const counted = async (type: string): Promise<number> => {
    const text = (await w.app.inject({ method: 'GET', url: '/metrics' })).body;
    const line = text.split('\n').find((l) => l.startsWith(`cloud_gateway_events_invalid_evidence_total{type="${type}"}`));
    return line === undefined ? 0 : Number(line.split(' ').at(-1));
  };

  it('ingests one event of every type and reads each back through the API with the same typed evidence', async () => {
    const drafts = VERIFICATION_EVENT_TYPES.map(draftOf);
    const sealed = gw.seal(drafts);
    const reply = expectStatus(await gw.deliver(sealed), 200) as unknown as IngestReply;
    await w.bus.idle();
    expect(reply).toMatchObject({ accepted: VERIFICATION_EVENT_TYPES.length, rejected: [], invalidEvidence: [] });

    for (const reader of [admin, lender]) {
      const stored = await allEvents(reader);
      expect(stored.map((s) => s.event.type)).toEqual([...VERIFICATION_EVENT_TYPES]);
      for (const s of stored) {
        expect(s.event.evidence, s.event.type).toEqual(EVIDENCE_EXAMPLES[s.event.type]);
        expect(s.evidenceError).toBeNull();
      }
      // Exactly as signed: the reader can verify the chain itself.
      expect(stored.map((s) => s.event)).toEqual(sealed);
    }
    expect(await chainVerifies()).toMatchObject({ ok: true });
    // Typed evidence reached the case rules: the breached lot and the tampered camera are cases.
    const kinds = (expectStatus(await admin.get('/api/v1/alerts?status=active'), 200).items as CaseView[]).map((c) => c.kind);
    expect(kinds).toEqual(expect.arrayContaining(['tags.missing', 'camera.tamper', 'audio.anomaly', 'device.offline', 'lot.state']));
  });

  it('stores an event whose evidence does not fit its type in the chain, reports, counts and raises it, and applies it to nothing', async () => {
    const before = await counted('tags.missing');
    const casesBefore = (expectStatus(await admin.get('/api/v1/alerts?kind=tags.missing'), 200).items as CaseView[])[0]?.occurrences;
    // What earlier tests and simulators wrote: a count without the tags.
    const [wrong] = gw.seal([{ type: 'tags.missing', severity: 'critical', lotId: 'LOT-1', evidence: { count: 3 } }]);
    const event = wrong as VerificationEvent;
    const reply = expectStatus(await gw.deliver([event]), 200) as unknown as IngestReply;
    await w.bus.idle();
    expect(reply).toMatchObject({ accepted: 1, rejected: [], invalidEvidence: [{ id: event.id, seq: event.seq, message: expect.stringContaining('evidence of tags.missing') as string }] });

    const stored = (await allEvents(admin)).at(-1);
    expect(stored?.event).toEqual(event);
    expect(stored?.evidenceError).toContain('tags');
    expect(await chainVerifies()).toMatchObject({ ok: true });
    expect(await counted('tags.missing')).toBe(before + 1);

    // Not applied: the tags.missing case did not grow.
    const after = (expectStatus(await admin.get('/api/v1/alerts?kind=tags.missing'), 200).items as CaseView[])[0]?.occurrences;
    expect(after).toBe(casesBefore);

    // Raised on the gateway's case, for the bank and the platform, not the warehouse operator.
    const items = expectStatus(await admin.get('/api/v1/alerts?kind=ingest.invalid_evidence&status=active'), 200).items as CaseView[];
    expect(items).toHaveLength(1);
    const c = expectStatus(await admin.get(`/api/v1/alerts/${items[0]?.id}`), 200) as unknown as CaseDetailView;
    expect(c).toMatchObject({ source: 'ingestion', gatewayId: gw.id, site: 's-a' });
    expect(c.evidence).toEqual([expect.objectContaining({ kind: 'event', ref: event.id })]);
    const operatorSees = expectStatus(await operator.get('/api/v1/alerts?kind=ingest.invalid_evidence'), 200).items as CaseView[];
    expect(operatorSees).toHaveLength(0);

    // The chain goes on after it.
    const [next] = gw.seal([draftOf('gateway.started')]);
    expect(expectStatus(await gw.deliver([next]), 200)).toMatchObject({ accepted: 1, invalidEvidence: [] });
    expect(await chainVerifies()).toMatchObject({ ok: true });
  });
});
