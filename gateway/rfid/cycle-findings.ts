import { releaseCovering, type LotEntry, type ManifestIndex, type ReleaseEntry } from './manifest-index.ts';
import type { ForeignFinding, MissingFinding, MovedFinding } from './rfid-events.ts';
import { APPEARED, DEPARTED, SWITCHED, VANISHED } from './tag-cycle.ts';
import { PRESENT, type TagState, type TagTrack } from './tag-track.ts';

/**
 * What one cycle's tag transitions mean for the lender, grouped so that one pallet is
 * one finding: per lot for missing tags, per zone for strangers, per lot, route and
 * release order for movements. Decides authorised vs not: a departure is covered when an
 * approved release order valid at that moment names the tag (or its lot's quantity).
 */
export function createCycleFindings(deps: { index: ManifestIndex; releaseUsed: Map<string, number>; endMs: number }) {
  const { index, releaseUsed, endMs } = deps;
  const moved = new Map<string, MovedFinding>();
  const missing = new Map<number, MissingFinding>();
  const foreign = new Map<number, ForeignFinding>();

  const lotOf = (tag: TagTrack): LotEntry | undefined => (tag.lot >= 0 ? index.lots[tag.lot] : undefined);
  const lotIdOf = (tag: TagTrack): string | undefined => lotOf(tag)?.lotId ?? index.releasesOfEpc.get(tag.epc)?.[0]?.lotId;
  const cover = (tag: TagTrack, atMs: number): ReleaseEntry | undefined => releaseCovering(index, tag.epc, lotIdOf(tag), atMs, releaseUsed);

  function move(tag: TagTrack, how: MovedFinding['how'], release: ReleaseEntry | undefined, route: { door?: number; from?: number; to?: number }): void {
    const lotId = lotIdOf(tag);
    const key = `${how}|${lotId}|${route.door}|${route.from}|${route.to}|${release?.id}`;
    let f = moved.get(key);
    if (!f) {
      f = { kind: 'moved', how, lotId, lotZone: lotOf(tag)?.zoneId, tags: [], release, ...route };
      moved.set(key, f);
    }
    f.tags.push(tag);
  }

  function watchedTag(tag: TagTrack, result: number, homeBefore: number, stateBefore: TagState): void {
    const lot = lotOf(tag);
    const origin = tag.home >= 0 ? tag.home : lot?.zone;
    if (result & SWITCHED) {
      move(tag, 'zone', cover(tag, endMs), { from: homeBefore, to: tag.home });
    } else if (result & APPEARED && lot && lot.zone >= 0 && tag.home !== lot.zone && stateBefore !== PRESENT) {
      // First seen (or seen again) somewhere other than where the lot is pledged.
      move(tag, 'zone', cover(tag, endMs), { from: lot.zone, to: tag.home });
    }
    if (result & DEPARTED && tag.departure) {
      const release = tag.departedUnder === undefined ? cover(tag, tag.departure.lastMs) : undefined;
      if (release) tag.departedUnder = release.reference;
      move(tag, 'door', release, { door: tag.departure.zone, from: origin });
    }
    // Already reported as leaving under an order: its absence is expected, not news.
    if (result & VANISHED && tag.departedUnder === undefined) {
      const release = cover(tag, Number.isNaN(tag.lastSeenMs) ? endMs : tag.lastSeenMs);
      if (release) {
        tag.departedUnder = release.reference;
        move(tag, 'gone', release, { from: origin });
      } else if (lot) {
        let f = missing.get(lot.index);
        if (!f) missing.set(lot.index, (f = { kind: 'missing', lot, tags: [] }));
        f.tags.push(tag);
      }
    }
  }

  function stranger(tag: TagTrack, result: number): void {
    if (!(result & APPEARED) || tag.known || (index.lotsPerZone[tag.home] ?? 0) === 0) return;
    let f = foreign.get(tag.home);
    if (!f) {
      const lotsHere = index.lots.filter((l) => l.zone === tag.home);
      f = { kind: 'foreign', zone: tag.home, lotId: lotsHere.length === 1 ? lotsHere[0]?.lotId : undefined, tags: [] };
      foreign.set(tag.home, f);
    }
    f.tags.push(tag);
  }

  return {
    /** One tag's `closeTagCycles` result (non-zero), with its zone and state before the close. */
    note(tag: TagTrack, result: number, homeBefore: number, stateBefore: TagState): void {
      if (tag.lot >= 0 || tag.released) watchedTag(tag, result, homeBefore, stateBefore);
      else stranger(tag, result);
    },
    moved: (): MovedFinding[] => [...moved.values()],
    missing: (): MissingFinding[] => [...missing.values()],
    foreign: (): ForeignFinding[] => [...foreign.values()],
  };
}
