import { Decimal } from 'decimal.js';
import type { LotEntry } from './manifest-index.ts';
import type { SiteLayout } from './site-layout.ts';
import { ABSENT, PRESENT, UNSEEN, type TagTrack } from './tag-track.ts';

/** One lot against its manifest after a cycle: the figures of `lot.verified`. */
export interface LotCount {
  readonly lot: LotEntry;
  readonly expected: number;
  readonly present: number;
  /** Absent without an approved release order covering their departure. */
  readonly missing: number;
  /** Absent, having left under an approved release order. */
  readonly released: number;
  /** Expected tags not yet judged (not read since the gateway started, grace not over). */
  readonly pending: number;
  /** Tags of no manifest present in the lot's zone. */
  readonly foreign: number;
  readonly verifiedQuantity: { value: string; unit: string };
  /** Device refs of the readers that last read its present tags. */
  readonly readers: string[];
}

const Dec = Decimal.clone({ precision: 34, rounding: Decimal.ROUND_DOWN });

/**
 * The lot's quantity in proportion to the tags present (tagged goods are uniform units,
 * as the cloud assumes). Rounded down to 6 decimals: the gateway never vouches for more
 * than it counted.
 */
export function verifiedQuantity(quantity: { value: string; unit: string }, present: number, expected: number): { value: string; unit: string } {
  if (expected <= 0) return { value: '0', unit: quantity.unit };
  let total: Decimal;
  try {
    total = new Dec(quantity.value);
  } catch {
    return { value: '0', unit: quantity.unit };
  }
  const value = total.times(present).dividedBy(expected).toDecimalPlaces(6, Decimal.ROUND_DOWN);
  return { value: value.isZero() ? '0' : value.toFixed(), unit: quantity.unit };
}

export function reconcileLot(lot: LotEntry, tags: readonly TagTrack[], foreignInZone: number, layout: SiteLayout): LotCount {
  let present = 0;
  let missing = 0;
  let released = 0;
  let pending = 0;
  const readers = new Set<number>();
  for (const tag of tags) {
    if (tag.state === PRESENT) {
      present += 1;
      if (tag.lastReader >= 0) readers.add(tag.lastReader);
    } else if (tag.state === ABSENT) {
      if (tag.departedUnder === undefined) missing += 1;
      else released += 1;
    } else if (tag.state === UNSEEN) pending += 1;
  }
  return {
    lot,
    expected: tags.length,
    present,
    missing,
    released,
    pending,
    foreign: foreignInZone,
    verifiedQuantity: verifiedQuantity(lot.quantity, present, tags.length),
    readers: [...readers].map((r) => layout.readers[r]?.ref ?? '').filter((ref) => ref !== '').sort(),
  };
}
