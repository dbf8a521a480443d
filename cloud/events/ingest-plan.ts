import type { KeyObject } from 'node:crypto';
import { GENESIS_HASH, type VerificationEvent } from '../../protocol/index.ts';
import { checkEventSeal, type VerifyEventResult } from '../../protocol/chain/verify-event.ts';

export interface ChainHead {
  seq: number;
  hash: string;
}

/**
 * What the database already holds for the seqs and ids a batch mentions, and for the
 * neighbours (seq ± 1) of events that arrive late, below the head.
 */
export interface KnownEvent {
  id: string;
  seq: number;
  hash: string;
  prevHash: string;
}

export type ChainAnomaly =
  /** Events seq `from`..`to` never arrived: the gateway lost them or withheld them. */
  | { kind: 'gap'; from: number; to: number; resumedAt: string }
  /** The next event is authentic but does not continue the stored chain (its history forked). */
  | { kind: 'break'; seq: number; id: string; expectedPrevHash: string; prevHash: string }
  /**
   * An authentic event that arrived after a later one, into a seq never stored (a gap
   * reported earlier): stored, the head left where it is. `linked` when it continues
   * its stored (or delivered) predecessor and its successor continues it, so the chain
   * is whole again across that seq; otherwise the gap holds a different history.
   */
  | { kind: 'gap_filled'; seq: number; id: string; linksPrevious: boolean; linksNext: boolean; linked: boolean };

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
 * The seqs whose stored events the planner needs beyond the batch's own: the neighbours
 * of events at or below the head (possible late arrivals), so it can tell whether a
 * late event links into the chain.
 */
export function neighbourSeqs(head: ChainHead, events: readonly VerificationEvent[]): number[] {
  const seqs = new Set<number>();
  for (const e of events) {
    if (e.seq > head.seq) continue;
    if (e.seq > 1) seqs.add(e.seq - 1);
    seqs.add(e.seq + 1);
  }
  return [...seqs];
}

/**
 * Decides, without I/O, what to do with the authentic events of one batch against the
 * stored head and the events already stored under the same seqs or ids (and the
 * neighbours `neighbourSeqs` names).
 *
 * Gaps and breaks are accepted and reported rather than refused: the events are signed
 * by the gateway's key, and refusing them would stall its outbox forever while losing
 * the evidence the bank most needs. For the same reason an authentic event that arrives
 * late, into a seq that was never stored, is accepted (reported as `gap_filled`); the
 * head stays where it is. Replays (a used seq or id with different content) and
 * forgeries (bad hash or signature, wrong gateway) are refused.
 */
export function planChain(input: { head: ChainHead; screened: Screening; known: KnownEvent[] }): IngestPlan {
  const knownBySeq = new Map(input.known.map((k) => [k.seq, k]));
  const knownById = new Map(input.known.map((k) => [k.id, k]));
  const plan: IngestPlan = { accept: [], duplicates: 0, rejected: [...input.screened.rejected], anomalies: [], head: { ...input.head } };
  const seenInBatch = new Set<string>();
  const acceptedBySeq = new Map<number, VerificationEvent>();
  // A late event's successor may come in the same batch (two lost events resent together).
  const batchBySeq = new Map(input.screened.authentic.map((e) => [e.seq, e]));

  for (const event of input.screened.authentic) {
    if (seenInBatch.has(event.id)) {
      plan.duplicates += 1;
      continue;
    }
    const stored = knownBySeq.get(event.seq) ?? knownById.get(event.id);
    const late = event.seq <= plan.head.seq;
    if (stored || (late && acceptedBySeq.has(event.seq))) {
      if (stored && stored.id === event.id && stored.seq === event.seq && stored.hash === event.hash) {
        plan.duplicates += 1;
      } else {
        plan.rejected.push({ id: event.id, seq: event.seq, class: 'replay', reason: `replay: seq ${event.seq} or id ${event.id} is already used by another event` });
      }
      continue;
    }
    seenInBatch.add(event.id);
    acceptedBySeq.set(event.seq, event);
    plan.accept.push(event);
    if (late) {
      const previousHash = event.seq === 1 ? GENESIS_HASH : (acceptedBySeq.get(event.seq - 1)?.hash ?? knownBySeq.get(event.seq - 1)?.hash);
      const nextPrevHash = batchBySeq.get(event.seq + 1)?.prevHash ?? knownBySeq.get(event.seq + 1)?.prevHash;
      const linksPrevious = previousHash === event.prevHash;
      const linksNext = nextPrevHash === event.hash;
      plan.anomalies.push({ kind: 'gap_filled', seq: event.seq, id: event.id, linksPrevious, linksNext, linked: linksPrevious && linksNext });
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
