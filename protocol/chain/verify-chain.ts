import type { KeyObject } from 'node:crypto';
import { FIRST_SEQ } from '../schemas/verification-event.ts';
import { GENESIS_HASH } from './hash-event.ts';
import { checkEventSeal, checkEventShape } from './verify-event.ts';

/** The link the first event must continue from: its `prevHash`, and `seq` one below it. */
export interface ChainAnchor {
  prevHash: string;
  seq: number;
}

/** A gateway's chain starts at GENESIS_HASH with seq FIRST_SEQ. */
export const GENESIS_ANCHOR: ChainAnchor = { prevHash: GENESIS_HASH, seq: FIRST_SEQ - 1 };

export type ChainFailureReason = 'hash' | 'signature' | 'prevHash' | 'seq' | 'schema';

export type VerifyChainResult =
  | { ok: true; count: number }
  | { ok: false; index: number; seq: number; id: string; reason: ChainFailureReason; message: string };

function field<T>(event: unknown, key: string, guard: (v: unknown) => v is T, fallback: T): T {
  if (typeof event !== 'object' || event === null) return fallback;
  const v = (event as Record<string, unknown>)[key];
  return guard(v) ? v : fallback;
}

const isNumber = (v: unknown): v is number => typeof v === 'number';
const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * Verifies events in order and names the first broken link. Per event: shape, then
 * `seq` (previous + 1, no gaps), then `prevHash` (previous `hash`), then its own hash
 * and signature. Without `start` the events must begin the chain (GENESIS_ANCHOR);
 * to verify a later batch pass the last verified event's `{ prevHash: hash, seq }`.
 */
export function verifyChain(events: readonly unknown[], publicKey: KeyObject, start: ChainAnchor = GENESIS_ANCHOR): VerifyChainResult {
  let prevHash = start.prevHash;
  let prevSeq = start.seq;
  for (let index = 0; index < events.length; index++) {
    const raw = events[index];
    const failAt = (reason: ChainFailureReason, message: string): VerifyChainResult => ({
      ok: false,
      index,
      seq: field(raw, 'seq', isNumber, -1),
      id: field(raw, 'id', isString, ''),
      reason,
      message,
    });
    const shape = checkEventShape(raw);
    if (!shape.ok) return failAt(shape.reason, shape.message);
    const event = shape.event;
    if (event.seq !== prevSeq + 1) return failAt('seq', `seq ${event.seq} follows ${prevSeq}; expected ${prevSeq + 1}`);
    if (event.prevHash !== prevHash) {
      return failAt('prevHash', `prevHash ${event.prevHash} is not the previous event's hash ${prevHash}`);
    }
    const seal = checkEventSeal(event, publicKey);
    if (!seal.ok) return failAt(seal.reason, seal.message);
    prevHash = event.hash;
    prevSeq = event.seq;
  }
  return { ok: true, count: events.length };
}
