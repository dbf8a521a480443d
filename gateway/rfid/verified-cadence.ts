import type { LotCount } from './lot-reconcile.ts';

/**
 * When a lot's `lot.verified` is due: on any change of what it vouches for (present,
 * missing, foreign), else once per `everyMs` as a heartbeat, so the cloud can tell "still
 * verified" from "not heard of".
 */
export function createVerifiedCadence(everyMs: number) {
  const last = new Map<string, { key: string; atMs: number }>();
  return {
    due(count: LotCount, atMs: number): boolean {
      const key = `${count.present}|${count.missing}|${count.foreign}`;
      const before = last.get(count.lot.lotId);
      if (before && before.key === key && atMs - before.atMs < everyMs) return false;
      last.set(count.lot.lotId, { key, atMs });
      return true;
    },
    lastAt: (lotId: string): number | undefined => last.get(lotId)?.atMs,
    /** Lots no longer in the manifest start afresh if they come back. */
    keepOnly(lotIds: ReadonlySet<string>): void {
      for (const lotId of last.keys()) if (!lotIds.has(lotId)) last.delete(lotId);
    },
  };
}
