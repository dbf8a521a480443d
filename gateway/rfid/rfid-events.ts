import type { Severity } from '../../protocol/index.ts';
import type { DraftOf } from '../event-log/event-draft.ts';
import type { LotCount } from './lot-reconcile.ts';
import type { LotEntry, ReleaseEntry } from './manifest-index.ts';
import type { HealthChange } from './reader-health.ts';
import { eventLotId, eventZone, latest, mainReader, tagList } from './rfid-evidence.ts';
import type { SiteLayout } from './site-layout.ts';
import type { TagTrack } from './tag-track.ts';

/**
 * Findings of one closed cycle, grouped so that a pallet leaving is one event, not one
 * per tag (and never one per read). Built into the evidence shapes the cloud reads.
 */
export interface MissingFinding {
  kind: 'missing';
  lot: LotEntry;
  tags: TagTrack[];
}

export interface MovedFinding {
  kind: 'moved';
  /** `door`: confirmed passage through a door zone; `zone`: now resolved to another storage zone; `gone`: vanished under a release order. */
  how: 'door' | 'zone' | 'gone';
  lotId: string | undefined;
  /** The lot's zone as the manifest names it. */
  lotZone: string | undefined;
  tags: TagTrack[];
  release: ReleaseEntry | undefined;
  door?: number;
  from?: number;
  to?: number;
}

export interface ForeignFinding {
  kind: 'foreign';
  zone: number;
  /** Set when the zone holds exactly one pledged lot. */
  lotId: string | undefined;
  tags: TagTrack[];
}

export interface EventContext {
  layout: SiteLayout;
  maxTags: number;
  atMs: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

/** The evidence without its absent fields: an optional field is left out, never written as undefined. */
function defined<T extends object>(evidence: T): T {
  for (const key of Object.keys(evidence) as (keyof T)[]) if (evidence[key] === undefined) delete evidence[key];
  return evidence;
}

export function missingEvent(f: MissingFinding, severity: Severity, c: EventContext): DraftOf<'tags.missing'> {
  const departed = f.tags.filter((t) => t.departure !== undefined);
  const door = departed.length > 0 ? c.layout.zones[departed[0]?.departure?.zone ?? -1]?.id : undefined;
  return {
    type: 'tags.missing',
    severity,
    lotId: eventLotId(f.lot.lotId),
    zone: eventZone(f.lot.zoneId),
    ts: iso(c.atMs),
    evidence: defined({ ...tagList(f.tags, c.maxTags), reader: mainReader(f.tags, c.layout), door, lastSeen: latest(f.tags) }),
  };
}

export function movedEvent(f: MovedFinding, c: EventContext): DraftOf<'tags.moved'> {
  const zoneId = (z: number | undefined) => (z === undefined ? undefined : c.layout.zones[z]?.id);
  const viaDoor = f.how === 'door';
  return {
    type: 'tags.moved',
    // Authorised movement is not theft; anything else leaving is at least a warning.
    severity: f.release ? 'info' : 'warning',
    lotId: eventLotId(f.lotId),
    zone: eventZone(f.lotZone ?? zoneId(f.from)),
    ts: iso(c.atMs),
    evidence: defined({
      ...tagList(f.tags, c.maxTags),
      reader: viaDoor ? mainReader(f.tags, c.layout, (t) => t.departure?.reader ?? -1) : mainReader(f.tags, c.layout),
      releaseOrder: f.release?.reference,
      door: zoneId(f.door),
      from: zoneId(f.from),
      to: zoneId(f.to),
      lastSeen: viaDoor ? latest(f.tags, (t) => t.departure?.lastMs ?? Number.NaN) : latest(f.tags),
    }),
  };
}

export function foreignEvent(f: ForeignFinding, c: EventContext): DraftOf<'tags.foreign'> {
  return {
    type: 'tags.foreign',
    severity: 'warning',
    lotId: eventLotId(f.lotId),
    zone: eventZone(c.layout.zones[f.zone]?.id),
    ts: iso(c.atMs),
    evidence: defined({ ...tagList(f.tags, c.maxTags), reader: mainReader(f.tags, c.layout), lastSeen: latest(f.tags) }),
  };
}

export function verifiedEvent(count: LotCount, atMs: number): DraftOf<'lot.verified'> {
  return {
    type: 'lot.verified',
    severity: 'info',
    lotId: eventLotId(count.lot.lotId),
    zone: eventZone(count.lot.zoneId),
    ts: iso(atMs),
    evidence: {
      expected: count.expected,
      present: count.present,
      missing: count.missing,
      foreign: count.foreign,
      verifiedQuantity: { value: count.verifiedQuantity.value, unit: count.verifiedQuantity.unit },
      readers: [...count.readers],
    },
  };
}

export function healthEvent(h: HealthChange, layout: SiteLayout): DraftOf<'device.offline' | 'device.online'> {
  return {
    type: h.state === 'offline' ? 'device.offline' : 'device.online',
    // A blind antenna is a hole in the evidence; fusion decides how bad it is.
    severity: h.state === 'offline' ? 'warning' : 'info',
    zone: eventZone(layout.zones[h.zone]?.id),
    ts: iso(h.atMs),
    evidence: defined({ device: h.reader.ref, antenna: h.antenna, reason: h.reason, ...h.detail }),
  };
}
