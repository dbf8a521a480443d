import type { IsNight, ReaderHealth, RfidRead, SiteConfig } from '../../protocol/index.ts';
import type { EventDraft } from '../event-log/event-draft.ts';
import type { SiteManifest } from '../manifests/manifest.ts';
import { createCycleFindings } from './cycle-findings.ts';
import { reconcileLot, type LotCount } from './lot-reconcile.ts';
import { indexManifest, type LotEntry, type ManifestIndex } from './manifest-index.ts';
import { missingSeverity } from './missing-severity.ts';
import { absenceRule, silentCyclesAllowed, PRIOR_HITS, PRIOR_OBSERVED } from './read-rate.ts';
import { createReaderHealthBook } from './reader-health.ts';
import { foreignEvent, healthEvent, missingEvent, movedEvent, verifiedEvent, type EventContext } from './rfid-events.ts';
import { eventLotId } from './rfid-evidence.ts';
import type { RfidOptions } from './rfid-options.ts';
import { buildSiteLayout } from './site-layout.ts';
import { closeTagCycles, cycleRule } from './tag-cycle.ts';
import { ABSENT, PRESENT, UNSEEN, newTagTrack, recordDoorRead, recordStorageRead, type TagState, type TagTrack } from './tag-track.ts';
import { createVerifiedCadence } from './verified-cadence.ts';

/** A lot as the gateway's local API shows it. */
export interface LotRfidView {
  lotId: string;
  zone: string;
  expected: number;
  present: number;
  /** Absent without an approved release order covering their departure. */
  missing: number;
  /** Absent, having left under an approved release order. */
  released: number;
  /** Expected tags not judged yet (just started, or their zone not observed since). */
  pending: number;
  foreign: number;
  verifiedQuantity: { value: string; unit: string };
  readers: string[];
  /** False until every expected tag was judged present or missing; no `lot.verified` before. */
  settled: boolean;
  lastVerifiedAt: string | null;
  /** Hex EPCs of missing tags, first 50. */
  missingEpcs: string[];
}

export interface TrackerStats {
  tracked: number;
  present: number;
  absent: number;
  unseen: number;
  /** Tags of no manifest being tracked (bounded by `maxForeignTags`). */
  foreign: number;
  /** Reads from readers or antennas the site file does not map to a zone. */
  unmappedReads: number;
  /** Reads of foreign tags not tracked because `maxForeignTags` was reached. */
  untrackedReads: number;
  cyclesClosed: number;
  /** Cycles skipped unobserved after a clock jump or a stall longer than a minute. */
  blindCycles: number;
}

/** The shell ticks every second; more than this many cycles at once means nobody was watching. */
const MAX_CATCH_UP_CYCLES = 6;

const EMPTY_MANIFEST: SiteManifest = { site: '', generatedAt: new Date(0).toISOString(), lots: [], releaseOrders: [] };

/**
 * The RFID core: reads in, verification events out, time passed in, no I/O. The shell
 * (rfid-stage.ts) feeds it decoded reads in arrival order and asks it to close cycles.
 *
 * Per cycle, like an EPCglobal ALE event cycle whose reports are CURRENT (lot.verified),
 * ADDITIONS (tags.foreign, a tag appearing) and DELETIONS (tags.missing), each with
 * smoothing so a flickering read does not become an event.
 */
export function createRfidTracker(deps: { site: SiteConfig; options: RfidOptions; startMs: number; isNight: IsNight }) {
  const { site, options, isNight } = deps;
  const layout = buildSiteLayout(site);
  const absence = absenceRule(options);
  const rule = cycleRule(options, absence);
  const health = createReaderHealthBook(layout, options);
  const firstSilence = silentCyclesAllowed({ hits: PRIOR_HITS, observed: PRIOR_OBSERVED }, absence);
  const tags = new Map<string, TagTrack>();
  const releaseUsed = new Map<string, number>();
  const cadence = createVerifiedCadence(options.verifiedEveryMs);
  let index: ManifestIndex = indexManifest(EMPTY_MANIFEST, layout);
  let lotTags: TagTrack[][] = [];
  let foreignTracked = 0;
  let openCycle = Math.floor(deps.startMs / options.cycleMs);
  const stats: TrackerStats = { tracked: 0, present: 0, absent: 0, unseen: 0, foreign: 0, unmappedReads: 0, untrackedReads: 0, cyclesClosed: 0, blindCycles: 0 };
  let foreignPerZone: number[] = layout.zones.map(() => 0);

  const lotOf = (tag: TagTrack): LotEntry | undefined => (tag.lot >= 0 ? index.lots[tag.lot] : undefined);
  const watched = (tag: TagTrack): boolean => tag.lot >= 0 || tag.released;

  function track(epc: string): TagTrack {
    let tag = tags.get(epc);
    if (!tag) {
      tag = newTagTrack(epc, firstSilence);
      tags.set(epc, tag);
    }
    return tag;
  }

  function setManifest(manifest: SiteManifest): readonly string[] {
    index = indexManifest(manifest, layout);
    for (const tag of tags.values()) {
      tag.lot = -1;
      tag.released = false;
    }
    lotTags = index.lots.map((lot) =>
      lot.epcs.map((epc) => {
        const tag = track(epc);
        tag.lot = lot.index;
        tag.known = true;
        // Until read, a tag is taken to be where it is pledged: a ghost read next door is then a rival, not its home.
        if (tag.home < 0 && lot.zone >= 0 && layout.zones[lot.zone]?.door === false) tag.home = lot.zone;
        return tag;
      }),
    );
    for (const epc of index.releasesOfEpc.keys()) {
      const tag = track(epc);
      tag.released = true;
      tag.known = true;
    }
    foreignTracked = 0;
    for (const tag of tags.values()) if (!tag.known) foreignTracked += 1;
    cadence.keepOnly(new Set(index.lots.map((l) => l.lotId)));
    const warnings = [...index.warnings];
    for (const lot of index.lots) {
      if (eventLotId(lot.lotId) === undefined) warnings.push(`lot id ${JSON.stringify(lot.lotId.slice(0, 80))} is not topic-safe: its events carry no lotId`);
    }
    return warnings;
  }

  /** Reads of one payload, all from `readerId`, received at `atMs` (gateway clock). */
  function ingest(readerId: string, reads: readonly RfidRead[], atMs: number): void {
    const reader = layout.readerById.get(readerId);
    if (!reader) {
      stats.unmappedReads += reads.length;
      return;
    }
    const gapMs = options.doorPassageGapMs;
    for (const read of reads) {
      const antenna = reader.byPort[read.antenna];
      if (antenna === undefined) {
        stats.unmappedReads += 1;
        continue;
      }
      health.noteRead(reader, antenna, atMs);
      let tag = tags.get(read.epc);
      if (layout.zones[antenna.zone]?.door) {
        // Only goods we watch matter at the door; strangers pass through all day.
        if (tag !== undefined && watched(tag)) recordDoorRead(tag, antenna.zone, reader.index, atMs, gapMs);
        continue;
      }
      if (tag === undefined) {
        if (foreignTracked >= options.maxForeignTags) {
          stats.untrackedReads += 1;
          continue;
        }
        tag = newTagTrack(read.epc, firstSilence);
        tags.set(read.epc, tag);
        foreignTracked += 1;
      }
      recordStorageRead(tag, antenna.zone, antenna.bit, reader.index, read.rssi, atMs);
    }
  }

  function report(readerId: string, items: readonly ReaderHealth[], atMs: number): EventDraft[] {
    const out: EventDraft[] = [];
    for (const h of items) for (const change of health.report(readerId, h, atMs)) out.push(healthEvent(change, layout));
    return out;
  }

  function observed(tag: TagTrack, masks: readonly number[]): boolean {
    const zone = tag.home >= 0 ? tag.home : (lotOf(tag)?.zone ?? -1);
    // Goods expected where no reader looks: their silence counts, the gap is the news.
    if (zone < 0) return true;
    const mask = masks[zone] ?? 0;
    const seenBy = tag.antennas | tag.antennasBefore;
    return seenBy === 0 ? mask !== 0 : (seenBy & mask) !== 0;
  }

  /** `blind`: nobody was watching these cycles (see closeUntil), so silence in them proves nothing. */
  function closeCycles(cycles: number, events: EventDraft[], blind = false): void {
    const startMs = openCycle * options.cycleMs;
    const endMs = (openCycle + cycles) * options.cycleMs;
    if (blind) health.rebase(endMs);
    else for (const change of health.closeCycle(startMs, endMs)) events.push(healthEvent(change, layout));
    const masks = layout.zones.map((z) => (blind ? 0 : health.observableMask(z.index)));
    const rotate = Math.floor((openCycle + cycles) / options.windowCycles) !== Math.floor(openCycle / options.windowCycles);
    const findings = createCycleFindings({ index, releaseUsed, endMs });
    const counts: Record<TagState, number> = { [UNSEEN]: 0, [PRESENT]: 0, [ABSENT]: 0 };
    foreignPerZone = layout.zones.map(() => 0);

    for (const tag of tags.values()) {
      const homeBefore = tag.home;
      const stateBefore = tag.state;
      const result = closeTagCycles(tag, cycles, observed(tag, masks), rotate, endMs, rule);
      if (result !== 0) findings.note(tag, result, homeBefore, stateBefore);
      counts[tag.state] += 1;
      if (!tag.known) {
        if (tag.state === PRESENT && tag.home >= 0) foreignPerZone[tag.home] = (foreignPerZone[tag.home] ?? 0) + 1;
        else if (tag.state === ABSENT) {
          // A stranger that left is forgotten: memory follows what is on the floor now.
          tags.delete(tag.epc);
          foreignTracked -= 1;
          counts[ABSENT] -= 1;
        }
      }
    }

    const ctx: EventContext = { layout, maxTags: options.maxTagsPerEvent, atMs: endMs };
    for (const f of findings.moved()) events.push(movedEvent(f, ctx));
    for (const f of findings.foreign()) events.push(foreignEvent(f, ctx));
    const lotCounts = reconcileAll();
    for (const f of findings.missing()) {
      const severity = missingSeverity({
        tags: f.tags,
        missingInLot: lotCounts[f.lot.index]?.missing ?? f.tags.length,
        expectedInLot: f.lot.epcs.length,
        atMs: endMs,
        isNight,
        criticalPercent: options.missingCriticalPercent,
      });
      events.push(missingEvent(f, severity, ctx));
    }
    for (const count of lotCounts) {
      // Nothing to vouch for until every tag was judged, nor while nobody can look (reader away by its last will, antennas cut).
      if (count.expected === 0 || count.pending > 0 || (count.lot.zone >= 0 && masks[count.lot.zone] === 0)) continue;
      if (cadence.due(count, endMs)) events.push(verifiedEvent(count, endMs));
    }
    Object.assign(stats, {
      tracked: tags.size,
      present: counts[PRESENT],
      absent: counts[ABSENT],
      unseen: counts[UNSEEN],
      foreign: foreignTracked,
      cyclesClosed: stats.cyclesClosed + cycles,
    });
  }

  function reconcileAll(): LotCount[] {
    return index.lots.map((lot) => reconcileLot(lot, lotTags[lot.index] ?? [], lot.zone >= 0 ? (foreignPerZone[lot.zone] ?? 0) : 0, layout));
  }

  return {
    layout,
    setManifest,
    ingest,
    report,
    /** The reader's retained status (its last will when it drops): while offline, its zones are not observed. */
    status(readerId: string, state: 'online' | 'offline', atMs: number): void {
      health.status(readerId, state, atMs);
    },
    /** End of the open cycle; reads received at or after it belong to a later cycle. */
    openCycleEndMs: (): number => (openCycle + 1) * options.cycleMs,
    /** Closes every cycle that ended at or before `nowMs` and returns what they found. */
    closeUntil(nowMs: number): EventDraft[] {
      const events: EventDraft[] = [];
      const ended = Math.floor(nowMs / options.cycleMs) - openCycle;
      if (ended <= 0) return events;
      if (ended <= MAX_CATCH_UP_CYCLES) {
        closeCycles(ended, events);
        openCycle += ended;
        return events;
      }
      // The clock jumped or the process stalled: the gateway was not watching, so those
      // cycles must not count as silence (or every tag would be reported missing at once).
      closeCycles(1, events);
      openCycle += 1;
      closeCycles(ended - 1, events, true);
      openCycle += ended - 1;
      stats.blindCycles += ended - 1;
      return events;
    },
    lots(): LotRfidView[] {
      return reconcileAll().map((c) => ({
        lotId: c.lot.lotId,
        zone: c.lot.zoneId,
        expected: c.expected,
        present: c.present,
        missing: c.missing,
        released: c.released,
        pending: c.pending,
        foreign: c.foreign,
        verifiedQuantity: c.verifiedQuantity,
        readers: c.readers,
        settled: c.pending === 0,
        lastVerifiedAt: ((at) => (at === undefined ? null : new Date(at).toISOString()))(cadence.lastAt(c.lot.lotId)),
        missingEpcs: (lotTags[c.lot.index] ?? []).filter((t) => t.state === ABSENT && t.departedUnder === undefined).slice(0, 50).map((t) => t.epc),
      }));
    },
    lotCount: (): number => index.lots.length,
    stats: (): TrackerStats => ({ ...stats }),
    readers: () => health.view(),
  };
}

export type RfidTracker = ReturnType<typeof createRfidTracker>;
