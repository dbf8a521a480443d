import type { EvidenceOf, ReaderHealth } from '../../protocol/index.ts';
import type { AntennaInfo, ReaderInfo, SiteLayout } from './site-layout.ts';

/**
 * Why a reader or one of its antennas went dark or came back. The reader as a whole
 * going offline (last will, silence) is gateway/devices' business; these are what the
 * readers say about themselves and what their antennas' silence says.
 */
export type HealthReason =
  | 'antennaDisconnected'
  | 'antennaConnected'
  | 'overflow'
  | 'overflow-ended'
  | 'reader-error'
  | 'reader-error-cleared'
  | 'antenna-silent'
  | 'antenna-reporting'
  | 'inventory-stopped'
  | 'inventory-running';

export interface HealthChange {
  reader: ReaderInfo;
  /** Antenna port, when the change is about one antenna. */
  antenna: number | undefined;
  /** Zone index the change blinds or restores (the antenna's, or the reader's single zone), or -1. */
  zone: number;
  state: 'online' | 'offline';
  reason: HealthReason;
  atMs: number;
  detail: HealthDetail;
}

/** What the reader said about the change, as `device.offline` evidence carries it. */
export type HealthDetail = Pick<
  EvidenceOf<'device.offline'>,
  'eventsPurged' | 'eventsRemaining' | 'firstEventTimestamp' | 'lastEventTimestamp' | 'status' | 'message' | 'lastSeen'
>;

// The reader's own fields are untrusted: a count or a short text, else null.
const countOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : null);
const textOrNull = (v: unknown): string | null => (typeof v === 'string' ? v.slice(0, 500) : null);

interface AntennaHealth {
  readonly info: AntennaInfo;
  disconnected: boolean;
  silentSinceMs: number;
  lastReadMs: number;
  /** Cycles with at least one read, since the reader last came back: an antenna that never read cannot fall silent. */
  activeCycles: number;
  lastErrorMs: number;
}

interface ReaderState {
  readonly info: ReaderInfo;
  /** Its retained status (last will) says offline: nothing it covers is observed. */
  statusOffline: boolean;
  /** Impinj inventoryStatus other than running: the reader is connected but not reading. */
  stopped: boolean;
  lastReadMs: number;
  lastErrorMs: number;
  errored: boolean;
  readonly byPort: (AntennaHealth | undefined)[];
  readonly antennas: AntennaHealth[];
}

/** Antennas that have read in this many cycles are expected to keep reading. */
const ESTABLISHED_CYCLES = 3;
const STOPPED_STATUSES = new Set(['idle', 'stopped', 'disarmed', 'paused']);
const WARNING_TYPE = /^warnings?$/i;

function singleZone(reader: ReaderInfo): number {
  return reader.zones.length === 1 ? (reader.zones[0] ?? -1) : -1;
}

/**
 * Per reader and antenna: disconnected (reader said so), silent (stopped reporting while
 * the reader reads on other antennas), errored, stopped, offline by status. Changes come
 * out once per transition, never once per read or per repeated report.
 */
export function createReaderHealthBook(layout: SiteLayout, options: { antennaSilentMs: number }) {
  const readers: ReaderState[] = layout.readers.map((info) => {
    const antennas = info.antennas.map((a) => ({
      info: a,
      disconnected: false,
      silentSinceMs: Number.NaN,
      lastReadMs: Number.NaN,
      activeCycles: 0,
      lastErrorMs: Number.NaN,
    }));
    const byPort: (AntennaHealth | undefined)[] = new Array(65).fill(undefined);
    for (const a of antennas) byPort[a.info.port] = a;
    return { info, statusOffline: false, stopped: false, lastReadMs: Number.NaN, lastErrorMs: Number.NaN, errored: false, byPort, antennas };
  });

  const change = (r: ReaderState, a: AntennaHealth | undefined, state: 'online' | 'offline', reason: HealthReason, atMs: number, detail: HealthDetail = {}): HealthChange => ({
    reader: r.info,
    antenna: a?.info.port,
    zone: a ? a.info.zone : singleZone(r.info),
    state,
    reason,
    atMs,
    detail,
  });

  return {
    /** Hot path: one read on a mapped antenna. */
    noteRead(reader: ReaderInfo, antenna: AntennaInfo, atMs: number): void {
      const r = readers[reader.index];
      if (!r) return;
      r.lastReadMs = atMs;
      const a = r.byPort[antenna.port];
      if (a) a.lastReadMs = atMs;
    },

    /** What the reader reported about itself (Impinj health events, Zebra errors). */
    report(readerId: string, h: ReaderHealth, atMs: number): HealthChange[] {
      const reader = layout.readerById.get(readerId);
      const r = reader ? readers[reader.index] : undefined;
      if (!r) return [];
      const a = h.antenna === undefined ? undefined : r.byPort[h.antenna];
      switch (h.kind) {
        case 'antennaDisconnected':
          if (!a || a.disconnected) return [];
          a.disconnected = true;
          return [change(r, a, 'offline', 'antennaDisconnected', atMs)];
        case 'antennaConnected':
          if (!a || !a.disconnected) return [];
          a.disconnected = false;
          a.lastReadMs = atMs;
          return [change(r, a, 'online', 'antennaConnected', atMs)];
        case 'overflow': {
          // The reader purged buffered reads: a hole in the evidence for the period it names.
          // The hole is in the past and the reader is talking again, so it is closed at once
          // (a lone offline would leave consumers believing the reader is still dark).
          const d = h.detail;
          return [
            change(r, undefined, 'offline', 'overflow', atMs, {
              eventsPurged: countOrNull(d['eventsPurged']),
              eventsRemaining: countOrNull(d['eventsRemaining']),
              firstEventTimestamp: textOrNull(d['firstEventTimestamp']),
              lastEventTimestamp: textOrNull(d['lastEventTimestamp']),
            }),
            change(r, undefined, 'online', 'overflow-ended', atMs),
          ];
        }
        case 'inventoryStatus': {
          const status = typeof h.detail['status'] === 'string' ? h.detail['status'].toLowerCase() : undefined;
          if (status === 'running' && r.stopped) {
            r.stopped = false;
            return [change(r, undefined, 'online', 'inventory-running', atMs, { status: status.slice(0, 64) })];
          }
          if (status !== undefined && STOPPED_STATUSES.has(status) && !r.stopped) {
            r.stopped = true;
            return [change(r, undefined, 'offline', 'inventory-stopped', atMs, { status: status.slice(0, 64) })];
          }
          return [];
        }
        case 'error': {
          // Zebra IoT Connector warnings are advisory (e.g. temperature); only errors mean lost reads.
          if (typeof h.detail['type'] === 'string' && WARNING_TYPE.test(h.detail['type'])) return [];
          const message = textOrNull(h.detail['message'] ?? h.detail['description']);
          if (a) {
            const first = Number.isNaN(a.lastErrorMs);
            a.lastErrorMs = atMs;
            return first ? [change(r, a, 'offline', 'reader-error', atMs, { message })] : [];
          }
          r.lastErrorMs = atMs;
          if (r.errored) return [];
          r.errored = true;
          return [change(r, undefined, 'offline', 'reader-error', atMs, { message })];
        }
        default:
          return [];
      }
    },

    /** The reader's retained status topic (its own word or its last will). */
    status(readerId: string, state: 'online' | 'offline', atMs: number): void {
      const reader = layout.readerById.get(readerId);
      const r = reader ? readers[reader.index] : undefined;
      if (!r) return;
      const wasOffline = r.statusOffline;
      r.statusOffline = state === 'offline';
      if (wasOffline && !r.statusOffline) {
        // Silence is measured from its return, not from before it went away.
        for (const a of r.antennas) a.lastReadMs = Number.isNaN(a.lastReadMs) ? a.lastReadMs : Math.max(a.lastReadMs, atMs);
      }
    },

    /** After time the gateway did not watch (a clock jump, a stalled process): silence is measured from now. */
    rebase(atMs: number): void {
      for (const r of readers) {
        if (!Number.isNaN(r.lastReadMs)) r.lastReadMs = Math.max(r.lastReadMs, atMs);
        for (const a of r.antennas) if (!Number.isNaN(a.lastReadMs)) a.lastReadMs = Math.max(a.lastReadMs, atMs);
      }
    },

    /** Antenna bits of `zone` whose reads can currently be trusted to mean "still there". */
    observableMask(zone: number): number {
      let mask = 0;
      for (const r of readers) {
        if (r.statusOffline || r.stopped) continue;
        for (const a of r.antennas) if (a.info.zone === zone && !a.disconnected) mask |= a.info.bit;
      }
      return mask;
    },

    /** End of an inventory cycle [startMs, endMs): silence and recovery are judged here. */
    closeCycle(startMs: number, endMs: number): HealthChange[] {
      const out: HealthChange[] = [];
      const quietFor = options.antennaSilentMs;
      for (const r of readers) {
        for (const a of r.antennas) {
          if (a.lastReadMs >= startMs) a.activeCycles = Math.min(a.activeCycles + 1, 1_000_000);
          if (!Number.isNaN(a.silentSinceMs) && a.lastReadMs > a.silentSinceMs) {
            a.silentSinceMs = Number.NaN;
            a.activeCycles = 1;
            out.push(change(r, a, 'online', 'antenna-reporting', endMs));
          }
          if (!Number.isNaN(a.lastErrorMs) && endMs - a.lastErrorMs >= quietFor && a.lastReadMs > a.lastErrorMs) {
            a.lastErrorMs = Number.NaN;
            out.push(change(r, a, 'online', 'reader-error-cleared', endMs));
          }
        }
        if (r.errored && endMs - r.lastErrorMs >= quietFor && r.lastReadMs > r.lastErrorMs) {
          r.errored = false;
          out.push(change(r, undefined, 'online', 'reader-error-cleared', endMs));
        }
        // An antenna is silent only while its reader demonstrably reads on others.
        if (r.statusOffline || r.stopped || !(endMs - r.lastReadMs <= 2 * (endMs - startMs))) continue;
        for (const a of r.antennas) {
          if (a.disconnected || !Number.isNaN(a.silentSinceMs) || a.activeCycles < ESTABLISHED_CYCLES) continue;
          if (endMs - a.lastReadMs < quietFor) continue;
          a.silentSinceMs = endMs;
          out.push(change(r, a, 'offline', 'antenna-silent', endMs, { lastSeen: new Date(a.lastReadMs).toISOString() }));
        }
      }
      return out;
    },

    view() {
      return readers.map((r) => ({
        reader: r.info.ref,
        offlineByStatus: r.statusOffline,
        inventoryStopped: r.stopped,
        errored: r.errored,
        lastRead: Number.isNaN(r.lastReadMs) ? null : new Date(r.lastReadMs).toISOString(),
        antennas: r.antennas.map((a) => ({
          antenna: a.info.port,
          zone: layout.zones[a.info.zone]?.id ?? null,
          disconnected: a.disconnected,
          silent: !Number.isNaN(a.silentSinceMs),
          errored: !Number.isNaN(a.lastErrorMs),
          lastRead: Number.isNaN(a.lastReadMs) ? null : new Date(a.lastReadMs).toISOString(),
        })),
      }));
    },
  };
}

export type ReaderHealthBook = ReturnType<typeof createReaderHealthBook>;
