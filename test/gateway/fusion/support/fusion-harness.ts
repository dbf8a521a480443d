import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { nightHours, parseSiteConfig, type EvidenceOf, type Severity, type SiteConfig, type VerificationEvent, type VerificationEventType } from '../../../../protocol/index.ts';
import { createLogger } from '../../../../infra/logger.ts';
import type { DraftOf, EventDraft } from '../../../../gateway/event-log/event-draft.ts';
import type { ManifestLot, ManifestSource, SiteManifest } from '../../../../gateway/manifests/manifest.ts';
import type { StageContext } from '../../../../gateway/pipeline/stage.ts';
import { createFusion, type FusionRule, type LotStateView } from '../../../../gateway/fusion/index.ts';
import type { FusionStateStore } from '../../../../gateway/fusion/fusion-state-file.ts';

/** The demo site's layout (config/site-s1.yaml) in a time zone of the test's choosing. */
export function testSite(timezone = 'UTC', night = { from: '20:00', to: '06:00' }): SiteConfig {
  return parseSiteConfig(`
site: s1
timezone: ${timezone}
night: { from: "${night.from}", to: "${night.to}" }
zones:
  - id: bay-a
    kind: storage
    readers: [{ reader: rd-a, antennas: [1, 2, 3, 4] }]
    cameras: [{ camera: cam-a, roi: { x: 40, y: 120, width: 560, height: 320 } }]
    microphones: [mic-1]
    sensors: [scale-a, climate-a]
  - id: bay-b
    kind: storage
    readers: [{ reader: rd-b, antennas: [1, 2, 3, 4] }]
    cameras: [{ camera: cam-b, roi: { x: 40, y: 120, width: 560, height: 320 } }]
    microphones: [mic-1]
    sensors: [climate-b]
  - id: dock-1
    kind: door
    readers: [{ reader: rd-dock, antennas: [1, 2] }]
`);
}

export function lot(lotId: string, zone: string, epcs: string[] = []): ManifestLot {
  return { lotId, receiptId: `r-${lotId}`, receiptNumber: `WR-${lotId}`, zone, commodity: 'coffee', quantity: { value: '1000', unit: 'kg' }, epcs, status: 'pledged' };
}

export const EPC_A1 = '3074257BF7194E4000001A85';
export const EPC_A2 = '3074257BF7194E4000001A86';
export const DEFAULT_LOTS = [lot('LOT-A', 'bay-a', [EPC_A1, EPC_A2]), lot('LOT-A2', 'bay-a'), lot('LOT-B', 'bay-b')];

export function fakeManifests(lots: ManifestLot[]): ManifestSource & { set(lots: ManifestLot[]): void } {
  let manifest: SiteManifest = { site: 's1', generatedAt: '2026-03-01T00:00:00.000Z', lots, releaseOrders: [] };
  const listeners = new Set<(m: SiteManifest) => void>();
  return {
    current: () => manifest,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    set(next) {
      manifest = { ...manifest, lots: next };
      for (const listener of listeners) listener(manifest);
    },
  };
}

export interface EventFields<T extends VerificationEventType = VerificationEventType> {
  severity?: Severity;
  lotId?: string;
  zone?: string;
  /** Over a neutral evidence of the type (NEUTRAL): what the test is about, typed. */
  evidence?: Partial<EvidenceOf<T>>;
  ts?: string;
}

const SINCE = '2026-01-01T00:00:00.000Z';
const QTY = { value: '0', unit: 'kg' };

/**
 * Evidence of each type that says as little as it can while fitting its schema (fusion
 * ignores evidence that does not): no tags, no zones, no lots, nothing cleared.
 */
export const NEUTRAL: { readonly [T in VerificationEventType]: EvidenceOf<T> } = {
  'lot.verified': { expected: 0, present: 0, missing: 0, foreign: 0, verifiedQuantity: QTY, readers: [] },
  'tags.missing': { tags: [], count: 0 },
  'tags.foreign': { tags: [], count: 0 },
  'tags.moved': { tags: [], count: 0 },
  'camera.tamper': { device: 's1/camera/cam-a', zones: [], kind: 'covered', metrics: {}, since: SINCE, durationMs: 0 },
  'camera.change': { device: 's1/camera/cam-a', zone: 'no-zone', roi: { x: 0, y: 0, width: 1, height: 1 }, changedFraction: 0.5, atNight: false },
  'audio.anomaly': { device: 's1/audio/mic-1', zones: [], label: 'unknown', confidence: 1, dbfs: -20, durationMs: 0, atNight: false },
  'device.offline': { device: 's1/device/unknown', reason: 'silence' },
  'device.online': { device: 's1/device/unknown', reason: 'activity' },
  'sensor.out_of_range': { device: 's1/sensor/probe', kind: 'temperature', value: 0, unit: 'C', since: SINCE, durationMs: 0, extent: 0, lots: [], zones: [] },
  'gateway.started': { version: '0.1.0', resumedAtSeq: 0, outboxPending: 0 },
  'lot.state': { state: 'verified', previous: 'verified', rule: 'all-clear', reason: 'test', cites: [], kinds: [] },
  'weight.change': { device: 's1/sensor/scale', unit: 'kg', before: 0, after: 0, delta: 0, expected: 0, tolerance: 0, step: true, atNight: false, lots: [], since: SINCE },
  'lot.condition': { lots: [], factor: 1, reasons: [], since: SINCE },
};

/** Fusion with a fake clock, recording what it emits and publishes. Events are sealed-looking fakes: fusion does not verify. */
export function fusionHarness(options: { start: string; site?: SiteConfig; lots?: ManifestLot[]; rules?: FusionRule[]; dwellMs?: number; state?: FusionStateStore }) {
  let now = new Date(options.start);
  let seq = 0;
  const drafts: EventDraft[] = [];
  const published: Array<{ lotId: string; view: LotStateView }> = [];
  const cleared: string[] = [];
  const site = options.site ?? testSite();
  const manifests = fakeManifests(options.lots ?? DEFAULT_LOTS);
  const ctx: StageContext = {
    site,
    emit: (draft) => drafts.push(draft),
    now: () => now,
    isNight: nightHours(site),
    log: createLogger('fusion-test'),
    metrics: new Registry(),
    reject: () => {},
  };
  const fusion = createFusion({
    ctx,
    manifests,
    publishLot: (lotId, view) => published.push({ lotId, view }),
    clearLot: (lotId) => cleared.push(lotId),
    ...(options.rules ? { rules: options.rules } : {}),
    ...(options.dwellMs !== undefined ? { dwellMs: options.dwellMs } : {}),
    ...(options.state !== undefined ? { state: options.state } : {}),
  });

  const event = <T extends VerificationEventType>(type: T, fields: EventFields<T> = {}): VerificationEvent => {
    seq += 1;
    return {
      id: randomUUID(),
      site: 's1',
      gatewayId: 'gw-s1',
      seq,
      ts: fields.ts ?? now.toISOString(),
      type,
      severity: fields.severity ?? 'warning',
      ...(fields.lotId !== undefined ? { lotId: fields.lotId } : {}),
      ...(fields.zone !== undefined ? { zone: fields.zone } : {}),
      evidence: { ...NEUTRAL[type], ...fields.evidence },
      prevHash: '0'.repeat(64),
      hash: seq.toString(16).padStart(64, '0'),
      sig: `${'A'.repeat(86)}==`,
    };
  };

  return {
    fusion,
    ctx,
    manifests,
    drafts,
    published,
    cleared,
    event,
    /** Builds an event at the current time and hands it to fusion. */
    observe<T extends VerificationEventType>(type: T, fields: EventFields<T> = {}): VerificationEvent {
      const e = event(type, fields);
      fusion.observe(e);
      return e;
    },
    at(iso: string) {
      now = new Date(iso);
    },
    advance(ms: number) {
      now = new Date(now.getTime() + ms);
    },
    tick() {
      fusion.tick(now);
    },
    lotStates(lotId?: string): DraftOf<'lot.state'>[] {
      return drafts.filter((d): d is DraftOf<'lot.state'> => d.type === 'lot.state' && (lotId === undefined || d.lotId === lotId));
    },
    view(lotId: string): LotStateView | undefined {
      return fusion.states().find((v) => v.lotId === lotId);
    },
    publishedFor(lotId: string) {
      return published.filter((p) => p.lotId === lotId).map((p) => p.view);
    },
  };
}

export const MINUTE = 60_000;
