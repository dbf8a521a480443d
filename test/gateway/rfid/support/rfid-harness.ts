// A site, a manifest and an RFID stage on a fake clock, with payload builders in the
// three reader formats; tests send hand-made rounds and read back the events.
import { Registry } from 'prom-client';
import { encodeSgtin96, nightHours, parseSiteConfig, type SiteConfig } from '../../../../protocol/index.ts';
import { createLogger } from '../../../../infra/logger.ts';
import type { EventDraft } from '../../../../gateway/event-log/event-draft.ts';
import type { ManifestReleaseOrder, SiteManifest } from '../../../../gateway/manifests/manifest.ts';
import { createStaticManifestSource } from '../../../../gateway/manifests/static-manifest-source.ts';
import type { DeviceMessage } from '../../../../gateway/pipeline/device-message.ts';
import type { StageContext } from '../../../../gateway/pipeline/stage.ts';
import type { RfidOptions } from '../../../../gateway/rfid/rfid-options.ts';
import { createRfidStage } from '../../../../gateway/rfid/rfid-stage.ts';

/** 2024-03-12 10:00 UTC: daytime at the test site (night 20:00–06:00 UTC). */
export const T0 = Date.UTC(2024, 2, 12, 10, 0, 0);
export const SECOND = 1_000;
export const MINUTE = 60_000;

export const SITE_YAML = `
site: s1
timezone: UTC
night: { from: "20:00", to: "06:00" }
zones:
  - id: bay-a
    kind: storage
    readers: [{ reader: rd-a, antennas: [1, 2, 3, 4] }]
  - id: bay-b
    kind: storage
    readers: [{ reader: rd-b, antennas: [1, 2, 3, 4] }]
  - id: dock-1
    kind: door
    readers: [{ reader: rd-dock, antennas: [1, 2] }]
`;

export function testSite(yaml = SITE_YAML): SiteConfig {
  return parseSiteConfig(yaml, 'test site');
}

/** SGTIN-96 EPCs with consecutive serials, as a printer roll gives them. */
export function epcs(from: number, count: number, itemReference = '812345'): string[] {
  return Array.from({ length: count }, (_, i) => encodeSgtin96({ companyPrefix: '0614141', itemReference, serial: from + i }));
}

export interface LotSpec {
  lotId: string;
  zone: string;
  epcs: string[];
  quantity?: { value: string; unit: string };
}

export function manifestOf(lots: LotSpec[], releaseOrders: ManifestReleaseOrder[] = []): SiteManifest {
  return {
    site: 's1',
    generatedAt: new Date(T0).toISOString(),
    lots: lots.map((l) => ({
      lotId: l.lotId,
      receiptId: `r-${l.lotId}`,
      receiptNumber: `WR-${l.lotId}`,
      zone: l.zone,
      commodity: 'coffee',
      quantity: l.quantity ?? { value: String(l.epcs.length * 60), unit: 'kg' },
      epcs: l.epcs,
      status: 'pledged',
    })),
    releaseOrders,
  };
}

export function releaseOrder(o: { reference: string; lotId: string; epcs?: string[]; quantity?: { value: string; unit: string }; from?: number; until?: number }): ManifestReleaseOrder {
  return {
    id: `ro-${o.reference}`,
    reference: o.reference,
    lotId: o.lotId,
    receiptId: `r-${o.lotId}`,
    epcs: o.epcs ?? [],
    quantity: o.quantity ?? null,
    status: 'approved',
    validFrom: new Date(o.from ?? T0 - 3_600_000).toISOString(),
    validUntil: new Date(o.until ?? T0 + 48 * 3_600_000).toISOString(),
  };
}

export interface Read {
  epc: string;
  antenna: number;
  rssi?: number;
}

/** The contract's compact format, as a JSON array. */
export function compactPayload(reads: Read[], atMs: number): string {
  return JSON.stringify(reads.map((r) => ({ epc: r.epc, antenna: r.antenna, rssi: r.rssi ?? -60, ts: new Date(atMs).toISOString() })));
}

/** Impinj IoT device interface events: base64 `epc`, centi-dBm, µs timestamps; NDJSON, array or concatenated. */
export function impinjPayload(reads: Read[], atMs: number, batching: 'ndjson' | 'array' | 'concatenated' = 'ndjson'): string {
  const ts = `${new Date(atMs).toISOString().slice(0, -1)}123Z`;
  const events = reads.map((r, i) =>
    JSON.stringify({
      timestamp: ts,
      hostname: 'impinj-14-2d-a1-b2-c3',
      ...(i % 2 === 0 ? { eventType: 'tagInventory' } : {}),
      tagInventoryEvent: {
        epc: Buffer.from(r.epc, 'hex').toString('base64'),
        ...(i % 3 === 0 ? { epcHex: r.epc } : {}),
        antennaPort: r.antenna,
        antennaName: `Antenna ${r.antenna}`,
        peakRssiCdbm: Math.round((r.rssi ?? -60) * 100),
        frequency: 902750,
        transmitPowerCdbm: 3000,
        lastSeenTime: ts,
      },
    }),
  );
  if (batching === 'array') return `[${events.join(',')}]`;
  return events.join(batching === 'ndjson' ? '\n' : '');
}

/** Zebra IoT Connector SIMPLE data events: lower-case `idHex`, dBm, `+0000` offsets. */
export function zebraPayload(reads: Read[], atMs: number): string {
  const ts = new Date(atMs).toISOString().replace('Z', '+0000');
  return JSON.stringify(
    reads.map((r, i) => ({
      data: { eventNum: i + 1, format: 'epc', idHex: r.epc.toLowerCase(), antenna: r.antenna, peakRssi: Math.round(r.rssi ?? -60), reads: 2, channel: 915.25, PC: '3000' },
      timestamp: ts,
      type: 'SIMPLE',
    })),
  );
}

export function message(deviceId: string, payload: string | Buffer, atMs: number, channel: DeviceMessage['channel'] = 'rfid.events'): DeviceMessage {
  return {
    channel,
    site: 's1',
    deviceId,
    payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
    userProperties: {},
    receivedAt: new Date(atMs),
    retained: false,
  };
}

export interface HarnessOptions {
  site?: SiteConfig;
  manifest: SiteManifest;
  options?: Partial<RfidOptions>;
  startMs?: number;
  /** Run decoding only when the test says (drain) instead of on setImmediate. */
  manualDefer?: boolean;
}

export function rfidHarness(o: HarnessOptions) {
  let nowMs = o.startMs ?? T0;
  const events: EventDraft[] = [];
  const rejects: { deviceId: string; reason: string; detail: string | undefined }[] = [];
  const deferred: (() => void)[] = [];
  const metrics = new Registry();
  const site = o.site ?? testSite();
  const ctx: StageContext = {
    site,
    emit: (draft) => void events.push(draft),
    now: () => new Date(nowMs),
    isNight: nightHours(site),
    log: createLogger('rfid-test'),
    metrics,
    reject: (m, reason, detail) => void rejects.push({ deviceId: m.deviceId, reason, detail }),
  };
  const manifests = createStaticManifestSource(o.manifest);
  const stage = createRfidStage(ctx, { manifests, options: o.options, ...(o.manualDefer ? { defer: (run) => void deferred.push(run) } : {}) });

  return {
    stage,
    events,
    rejects,
    metrics,
    manifests,
    deferred,
    now: () => nowMs,
    /** Sets the clock, then lets the stage close what is due (decoding anything queued first). */
    tick(atMs: number) {
      nowMs = atMs;
      stage.drain();
      stage.tick?.(new Date(atMs));
      stage.drain();
    },
    send(readerId: string, payload: string | Buffer, atMs = nowMs) {
      nowMs = Math.max(nowMs, atMs);
      stage.handle(message(readerId, payload, atMs));
    },
    status(deviceId: string, state: 'online' | 'offline', atMs = nowMs) {
      nowMs = Math.max(nowMs, atMs);
      stage.handle(message(deviceId, JSON.stringify({ state }), atMs, 'device.status'));
    },
    /**
     * One inventory round every `everyMs` from `fromMs` to `toMs` (exclusive): each reader
     * reports what `readsAt(t)` says it sees, in compact format; the clock ticks each second.
     */
    run(fromMs: number, toMs: number, everyMs: number, readsAt: (t: number) => Record<string, Read[]>) {
      let nextRound = fromMs;
      for (let t = fromMs; t < toMs; t += SECOND) {
        if (t >= nextRound) {
          for (const [reader, reads] of Object.entries(readsAt(t))) if (reads.length > 0) this.send(reader, compactPayload(reads, t), t);
          nextRound += everyMs;
        }
        this.tick(t);
      }
      this.tick(toMs);
    },
    ofType<T extends EventDraft['type']>(type: T): Extract<EventDraft, { type: T }>[] {
      return events.filter((e): e is Extract<EventDraft, { type: T }> => e.type === type);
    },
    async metric(name: string) {
      return (await metrics.getSingleMetric(name)?.get())?.values ?? [];
    },
  };
}

export type RfidHarness = ReturnType<typeof rfidHarness>;

/** Tag lists of events, as hex EPCs. */
export function epcsOf(event: EventDraft | undefined): string[] {
  const tags = event?.type === 'tags.missing' || event?.type === 'tags.moved' || event?.type === 'tags.foreign' ? event.evidence.tags : [];
  return tags.map((t) => t.epc);
}
