// Admission under the size bound, pure. The policy (also in README.md):
//
// * The bound is on pending bytes: framed records neither acknowledged nor evicted.
// * While an append fits under `maxBytes`, nothing happens.
// * When it does not fit, the oldest pending `info` records are evicted, oldest
//   first, down to `lowWaterBytes` (so evictions, which rewrite segment files, come
//   in rounds rather than on every append). Newer info is worth more than older.
// * `warning` and `critical` records are never evicted.
// * If evicting every pending info record still does not make room, an append whose
//   most severe record is info or warning is rejected with OutboxFullError and
//   evicts nothing; an append holding a critical record is written anyway, over the
//   bound, as long as the disk accepts it.

import type { Severity } from './types.ts';

export interface SizeLimits {
  readonly maxBytes: number;
  readonly lowWaterBytes: number;
}

export interface AdmissionRequest {
  readonly bytes: number;
  /** The most severe record in the request decides for all of it. */
  readonly severity: Severity;
}

export interface EvictionCandidate {
  readonly seq: number;
  readonly bytes: number;
}

export interface GroupAdmission {
  /** Per request, in order. */
  readonly accepted: readonly boolean[];
  /** Seqs to evict before writing, oldest first. */
  readonly evict: readonly number[];
  readonly evictBytes: number;
}

/**
 * Decides a whole commit group at once, request by request, each seeing the bytes
 * admitted and freed by the ones before it. `candidates` yields the pending info
 * records oldest first and is only pulled as far as needed.
 */
export function planGroupAdmission(
  requests: readonly AdmissionRequest[],
  pendingBytes: number,
  candidates: Iterator<EvictionCandidate>,
  limits: SizeLimits,
): GroupAdmission {
  const pulled: EvictionCandidate[] = [];
  let exhausted = false;
  const candidateAt = (index: number): EvictionCandidate | undefined => {
    while (!exhausted && pulled.length <= index) {
      const next = candidates.next();
      if (next.done === true) exhausted = true;
      else pulled.push(next.value);
    }
    return pulled[index];
  };

  const accepted: boolean[] = [];
  let evictCount = 0;
  let evictBytes = 0;
  let pending = pendingBytes;
  for (const request of requests) {
    if (pending + request.bytes <= limits.maxBytes) {
      accepted.push(true);
      pending += request.bytes;
      continue;
    }
    let tryCount = evictCount;
    let tryBytes = evictBytes;
    let projected = pending;
    for (let candidate = candidateAt(tryCount); candidate !== undefined && projected + request.bytes > limits.lowWaterBytes; candidate = candidateAt(tryCount)) {
      tryCount += 1;
      tryBytes += candidate.bytes;
      projected -= candidate.bytes;
    }
    const fits = projected + request.bytes <= limits.maxBytes;
    if (fits || request.severity === 'critical') {
      accepted.push(true);
      evictCount = tryCount;
      evictBytes = tryBytes;
      pending = projected + request.bytes;
    } else {
      accepted.push(false);
    }
  }
  return { accepted, evict: pulled.slice(0, evictCount).map((candidate) => candidate.seq), evictBytes };
}

export function validateSizeLimits(limits: SizeLimits): void {
  if (!(limits.maxBytes > 0)) throw new RangeError('maxBytes must be positive');
  if (!(limits.lowWaterBytes >= 0 && limits.lowWaterBytes <= limits.maxBytes)) {
    throw new RangeError('lowWaterBytes must lie in [0, maxBytes]');
  }
}
