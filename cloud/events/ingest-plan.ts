import type { KeyObject } from 'node:crypto';
import type { VerificationEvent } from '../../protocol/index.ts';
import { checkEventSeal, type VerifyEventResult } from '../../protocol/chain/verify-event.ts';

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

/** A batch after each event was checked on its own: identity, hash and signature. */
export interface Screening {
  /** Authentic events of this gateway, in seq order. */
  authentic: VerificationEvent[];
  rejected: Rejection[];
}

/** Hash and signature of one event whose shape the route already validated. */
export type SealCheck = (event: VerificationEvent) => VerifyEventResult;

/**
 * Checks every event of a batch on its own: pure CPU, so ingestion does it before it
 * takes the gateway's row lock, and other gateways' batches commit meanwhile.
 */
export function screenBatch(input: { gatewayId: string; siteId: string; publicKey: KeyObject; batch: VerificationEvent[]; checkSeal?: SealCheck }): Screening {
  const check = input.checkSeal ?? ((event: VerificationEvent) => checkEventSeal(event, input.publicKey));
  const screening: Screening = { authentic: [], rejected: [] };
  for (const event of [...input.batch].sort((a, b) => a.seq - b.seq)) {
    if (event.gatewayId !== input.gatewayId || event.site !== input.siteId) {
      screening.rejected.push({ id: event.id, seq: event.seq, class: 'foreign', reason: `event belongs to gateway ${event.gatewayId} at site ${event.site}` });
      continue;
    }
    const verdict = check(event);
    if (!verdict.ok) {
      screening.rejected.push({ id: event.id, seq: event.seq, class: 'forgery', reason: verdict.reason });
      continue;
    }
    screening.authentic.push(event);
  }
  return screening;
}

/**
 * Decides, without I/O, what to do with the authentic events of one batch against the
 * stored head and the events already stored under the same seqs or ids.
 *
 * Gaps and breaks are accepted and reported rather than refused: the events are signed
 * by the gateway's key, and refusing them would stall its outbox forever while losing
 * the evidence the bank most needs. Replays (a used seq with different content) and
 * forgeries (bad hash or signature, wrong gateway) are refused.
 */
export function planChain(input: { head: ChainHead; screened: Screening; known: KnownEvent[] }): IngestPlan {
  const knownBySeq = new Map(input.known.map((k) => [k.seq, k]));
  const knownById = new Map(input.known.map((k) => [k.id, k]));
  const plan: IngestPlan = { accept: [], duplicates: 0, rejected: [...input.screened.rejected], anomalies: [], head: { ...input.head } };
  const seenInBatch = new Set<string>();

  for (const event of input.screened.authentic) {
    if (seenInBatch.has(event.id)) {
      plan.duplicates += 1;
      continue;
    }
    const stored = knownBySeq.get(event.seq) ?? knownById.get(event.id);
    if (stored || event.seq <= plan.head.seq) {
      if (stored && stored.id === event.id && stored.seq === event.seq && stored.hash === event.hash) {
        plan.duplicates += 1;
      } else {
        plan.rejected.push({ id: event.id, seq: event.seq, class: 'replay', reason: `replay: seq ${event.seq} or id ${event.id} is already used by another event` });
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
  plan.rejected.sort((a, b) => a.seq - b.seq);
  return plan;
}

/** Screening and planning in one step, for callers that hold everything already. */
export function planIngest(input: {
  gatewayId: string;
  siteId: string;
  publicKey: KeyObject;
  head: ChainHead;
  batch: VerificationEvent[];
  known: KnownEvent[];
}): IngestPlan {
  return planChain({ head: input.head, known: input.known, screened: screenBatch(input) });
}
