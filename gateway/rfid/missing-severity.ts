import type { Severity } from '../../protocol/index.ts';
import type { TagTrack } from './tag-track.ts';

/**
 * `tags.missing` is a warning, critical when goods go at night (site hours, judged at the
 * last sighting or at detection, since a removal at 05:55 is found after 06:00) or when
 * more than `criticalPercent` of the lot is missing (no longer a miscount).
 */
export function missingSeverity(o: {
  tags: readonly TagTrack[];
  missingInLot: number;
  expectedInLot: number;
  atMs: number;
  isNight: (ms: number) => boolean;
  criticalPercent: number;
}): Severity {
  const share = o.expectedInLot > 0 ? (100 * o.missingInLot) / o.expectedInLot : 0;
  const leftAt = o.tags.reduce((m, t) => (t.lastSeenMs > m ? t.lastSeenMs : m), Number.NEGATIVE_INFINITY);
  const night = o.isNight(o.atMs) || (Number.isFinite(leftAt) && o.isNight(leftAt));
  return night || share > o.criticalPercent ? 'critical' : 'warning';
}
