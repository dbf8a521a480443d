import type { KeyObject } from 'node:crypto';
import { verifyEvent, type VerificationEvent } from '../../protocol/index.ts';

export interface ChainHead {
  seq: number;
  hash: string;
}

/** What the database already holds for the seqs and ids a batch mentions. */
export interface KnownEvent {
  id: string;
  seq: number;
  hash: string;
}

export type ChainAnomaly =
  /** Events seq `from`..`to` never arrived: the gateway lost them or withheld them. */
  | { kind: 'gap'; from: number; to: number; resumedAt: string }
  /** The next event is authentic but does not continue the stored chain (its history forked). */
  | { kind: 'break'; seq: number; id: string; expectedPrevHash: string; prevHash: string };

/**
 * Why an event was refused: `forgery` (hash or signature does not verify), `replay` (a
 * seq or id already used by other content), `foreign` (names another gateway or site).
 */
export type RejectionClass = 'forgery' | 'replay' | 'foreign';

export interface Rejection {
  id: string;
  seq: number;
  class: RejectionClass;
  reason: string;
}

export interface IngestPlan {
  accept: VerificationEvent[];
  duplicates: number;
  rejected: Rejection[];
  anomalies: ChainAnomaly[];
  head: ChainHead;
}

/**
 * Decides, without I/O, what to do with one batch from one gateway. Authenticity comes
 * from the signature; continuity from seq and prevHash against the stored head.
 *
 * Gaps and breaks are accepted and reported rather than refused: the events are signed
 * by the gateway's key, and refusing them would stall its outbox forever while losing
 * the evidence the bank most needs. Replays (a used seq with different content) and
 * forgeries (bad hash or signature, wrong gateway) are refused.
 */
export function planIngest(input: {
  gatewayId: string;
  siteId: string;
  publicKey: KeyObject;
  head: ChainHead;
  batch: VerificationEvent[];
  known: KnownEvent[];
}): IngestPlan {
  const knownBySeq = new Map(input.known.map((k) => [k.seq, k]));
  const knownById = new Map(input.known.map((k) => [k.id, k]));
  const plan: IngestPlan = { accept: [], duplicates: 0, rejected: [], anomalies: [], head: { ...input.head } };
  const seenInBatch = new Set<string>();
  const ordered = [...input.batch].sort((a, b) => a.seq - b.seq);

  for (const event of ordered) {
    const reject = (cls: RejectionClass, reason: string) => plan.rejected.push({ id: event.id, seq: event.seq, class: cls, reason });
    if (event.gatewayId !== input.gatewayId || event.site !== input.siteId) {
      reject('foreign', `event belongs to gateway ${event.gatewayId} at site ${event.site}`);
      continue;
    }
    const verdict = verifyEvent(event, input.publicKey);
    if (!verdict.ok) {
      reject('forgery', verdict.reason);
      continue;
    }
    if (seenInBatch.has(event.id)) {
      plan.duplicates += 1;
      continue;
    }
    const stored = knownBySeq.get(event.seq) ?? knownById.get(event.id);
    if (stored || event.seq <= plan.head.seq) {
      if (stored && stored.id === event.id && stored.seq === event.seq && stored.hash === event.hash) {
        plan.duplicates += 1;
      } else {
        reject('replay', `replay: seq ${event.seq} or id ${event.id} is already used by another event`);
      }
      continue;
    }
    if (event.seq > plan.head.seq + 1) {
      plan.anomalies.push({ kind: 'gap', from: plan.head.seq + 1, to: event.seq - 1, resumedAt: event.id });
    } else if (event.prevHash !== plan.head.hash) {
      plan.anomalies.push({
        kind: 'break',
        seq: event.seq,
        id: event.id,
        expectedPrevHash: plan.head.hash,
        prevHash: event.prevHash,
      });
    }
    seenInBatch.add(event.id);
    plan.accept.push(event);
    plan.head = { seq: event.seq, hash: event.hash };
  }
  return plan;
}
