import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, generateGatewayKeys, loadPrivateKey, sealEvent, type VerificationEvent } from '../../../protocol/index.ts';
import { neighbourSeqs, planChain, type KnownEvent } from '../../../cloud/events/ingest-plan.ts';

const key = loadPrivateKey(generateGatewayKeys().privateKeyPem);

/** A genuine chain seq 1..n of one gateway. */
function chain(n: number): VerificationEvent[] {
  const events: VerificationEvent[] = [];
  let prev = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const e = sealEvent({ type: 'device.online', severity: 'info', evidence: {}, id: randomUUID(), site: 's', gatewayId: 'gw', seq, ts: new Date(Date.UTC(2026, 2, 2, 8, 0, seq)).toISOString() }, prev, key);
    events.push(e);
    prev = e.hash;
  }
  return events;
}

const known = (events: readonly (VerificationEvent | undefined)[]): KnownEvent[] =>
  events.filter((e): e is VerificationEvent => e !== undefined).map((e) => ({ id: e.id, seq: e.seq, hash: e.hash, prevHash: e.prevHash }));
const plan = (head: VerificationEvent | undefined, batch: VerificationEvent[], stored: KnownEvent[]) =>
  planChain({ head: { seq: head?.seq ?? 0, hash: head?.hash ?? GENESIS_HASH }, screened: { authentic: [...batch].sort((a, b) => a.seq - b.seq), rejected: [] }, known: stored });

describe('planChain: late events into a reported gap', () => {
  const events = chain(6);
  const [e1, e2, e3, e4, e5, e6] = events as [VerificationEvent, VerificationEvent, VerificationEvent, VerificationEvent, VerificationEvent, VerificationEvent];

  it('asks for the neighbours of events at or below the head only', () => {
    expect(neighbourSeqs({ seq: 6, hash: e6.hash }, [e3, e4]).sort()).toEqual([2, 3, 4, 5]);
    expect(neighbourSeqs({ seq: 2, hash: e2.hash }, [e3, e4])).toEqual([]);
  });

  it('accepts a withheld event that links both ways, without moving the head back', () => {
    // Stored: 1, 2, 4, 5, 6 (3 was reported missing when 4 arrived).
    const p = plan(e6, [e3], known([e2, e4]));
    expect(p.accept).toEqual([e3]);
    expect(p.rejected).toEqual([]);
    expect(p.anomalies).toEqual([{ kind: 'gap_filled', seq: 3, id: e3.id, linksPrevious: true, linksNext: true, linked: true }]);
    expect(p.head).toEqual({ seq: 6, hash: e6.hash });
  });

  it('links late neighbours delivered together, and the first event to the genesis hash', () => {
    const p = plan(e6, [e2, e1], known([e3]));
    expect(p.accept.map((e) => e.seq)).toEqual([1, 2]);
    expect(p.anomalies).toEqual([
      { kind: 'gap_filled', seq: 1, id: e1.id, linksPrevious: true, linksNext: true, linked: true },
      { kind: 'gap_filled', seq: 2, id: e2.id, linksPrevious: true, linksNext: true, linked: true },
    ]);
    expect(p.head.seq).toBe(6);
  });

  it('accepts but does not link an authentic event from another history for the missing seq', () => {
    const other = sealEvent({ type: 'device.online', severity: 'info', evidence: {}, id: randomUUID(), site: 's', gatewayId: 'gw', seq: 3, ts: e3.ts }, 'f'.repeat(64), key);
    const p = plan(e6, [other], known([e2, e4]));
    expect(p.accept).toEqual([other]);
    expect(p.anomalies).toEqual([{ kind: 'gap_filled', seq: 3, id: other.id, linksPrevious: false, linksNext: false, linked: false }]);
  });

  it('still refuses a stored seq with other content, and acknowledges a stored event as a duplicate', () => {
    const other = sealEvent({ type: 'device.online', severity: 'info', evidence: {}, id: randomUUID(), site: 's', gatewayId: 'gw', seq: 4, ts: e4.ts }, e3.hash, key);
    const p = plan(e6, [other, e5], known([e4, e5]));
    expect(p.accept).toEqual([]);
    expect(p.duplicates).toBe(1);
    expect(p.rejected).toMatchObject([{ seq: 4, class: 'replay' }]);
  });

  it('refuses a late event reusing a stored id under another seq', () => {
    const reused = sealEvent({ type: 'device.online', severity: 'info', evidence: {}, id: e5.id, site: 's', gatewayId: 'gw', seq: 3, ts: e3.ts }, e2.hash, key);
    expect(plan(e6, [reused], known([e2, e4, e5])).rejected).toMatchObject([{ seq: 3, class: 'replay' }]);
  });

  it('reports gaps and breaks ahead of the head as before', () => {
    expect(plan(e2, [e4], known([])).anomalies).toEqual([{ kind: 'gap', from: 3, to: 3, resumedAt: e4.id }]);
    expect(plan(e1, [e3], known([])).head).toEqual({ seq: 3, hash: e3.hash });
  });
});
