import { performance } from 'node:perf_hooks';
import { DeviceStatus, parseJsonPayload } from '../../protocol/index.ts';
import { createRateLimitedLog } from '../../infra/logger.ts';
import type { EventDraft } from '../event-log/event-draft.ts';
import type { ManifestSource, SiteManifest } from '../manifests/manifest.ts';
import type { ManifestSyncStatus } from '../manifests/manifest-sync.ts';
import { createByteBacklog } from '../pipeline/backlog.ts';
import type { DeviceMessage } from '../pipeline/device-message.ts';
import type { Stage, StageContext } from '../pipeline/stage.ts';
import { countDecodeErrors } from './decode-error-reason.ts';
import { createRfidDecoder } from './decode/rfid-decoder.ts';
import { createByteBoundedQueue } from './ingest-queue.ts';
import { createRfidMetrics } from './rfid-metrics.ts';
import { resolveRfidOptions, type RfidOptions } from './rfid-options.ts';
import { registerRfidRoutes } from './rfid-routes.ts';
import { createRfidTracker, type LotRfidView, type TrackerStats } from './rfid-tracker.ts';

export interface RfidStageDeps {
  /** With `status` (the cloud-synced manifest), /api/v1/rfid/health also says where the manifest came from. */
  manifests: ManifestSource & { status?(): ManifestSyncStatus };
  options?: Partial<RfidOptions>;
  /** Runs decoding off the MQTT callback; `setImmediate` unless a test wants its own. */
  defer?: (run: () => void) => void;
}

export interface RfidHealth {
  /** False while decoding lags by more than a cycle, or payloads were dropped in the last minute. */
  ok: boolean;
  queue: { messages: number; bytes: number; maxBytes: number; dropped: number };
  lagSeconds: number;
  lastCycleEnd: string | null;
  lots: number;
  tags: TrackerStats;
  readers: ReturnType<ReturnType<typeof createRfidTracker>['readers']>;
}

/** A lot's facet in the local API's lot list (`rfid`): its live count. */
export type RfidLotFacet = Omit<LotRfidView, 'lotId' | 'zone'>;

/**
 * Offers `GET /api/v1/rfid/health` and `/api/v1/rfid/lots`, the health facet `rfid: { ok }`
 * and the lot facet `rfid` (each lot's live count).
 */
export type RfidStage = Stage & {
  /** Each pledged lot's current count, for the local API and the retained lot topics. */
  snapshot(): LotRfidView[];
  health(): RfidHealth;
  /** Decodes everything queued and closes due cycles now (tests, benchmarks, shutdown). */
  drain(): void;
  /** Payloads decoded and refused for overload so far, and waiting (cheap enough to poll; benchmarks wait on it). */
  progress(): { decoded: number; dropped: number; queued: number };
};

/**
 * The RFID stage's shell: `handle` only queues the raw payload (bounded by bytes; beyond
 * the bound the message is counted and rejected as `overload`, never dropped silently),
 * decoding and tracking run in slices of `batchBudgetMs` off the MQTT callback, and
 * cycles close in arrival order, so a backlog never makes a cycle end before its reads
 * are in. All decisions are in the pure tracker (rfid-tracker.ts).
 */
export function createRfidStage(ctx: StageContext, deps: RfidStageDeps): RfidStage {
  const options = resolveRfidOptions(deps.options);
  const tracker = createRfidTracker({ site: ctx.site, options, startMs: ctx.now().getTime(), isNight: ctx.isNight });
  const queue = createByteBoundedQueue<DeviceMessage>(options.maxQueueBytes);
  const backlog = createByteBacklog(() => queue.bytes, options.pauseQueueBytes);
  const metrics = createRfidMetrics(ctx.metrics, () => ({ ...tracker.stats(), queueMessages: queue.length, queueBytes: queue.bytes }));
  const warnLimited = createRateLimitedLog(ctx.log);
  // The fast path's learned layouts and caches belong to this stage, not to the process.
  const decoder = createRfidDecoder();
  const defer = deps.defer ?? ((run: () => void) => void setImmediate(run));
  let scheduled = false;
  let dueMs = Number.NEGATIVE_INFINITY;
  let dropped = 0;
  let lastDropMs = Number.NEGATIVE_INFINITY;
  let decoded = 0;
  let lagSeconds = 0;
  let lastCycleEnd: number | undefined;
  let seenStats = tracker.stats();

  const emit = (drafts: readonly EventDraft[]): void => {
    for (const draft of drafts) ctx.emit(draft);
  };

  const applyManifest = (manifest: SiteManifest): void => {
    for (const warning of tracker.setManifest(manifest)) ctx.log.warn({ site: ctx.site.site }, `manifest: ${warning}`);
    ctx.log.info({ lots: manifest.lots.length, releaseOrders: manifest.releaseOrders.length }, 'RFID stage uses a new manifest');
  };
  applyManifest(deps.manifests.current());
  const unsubscribe = deps.manifests.onChange(applyManifest);

  function closeDue(untilMs: number): void {
    if (untilMs < tracker.openCycleEndMs()) return;
    const started = performance.now();
    emit(tracker.closeUntil(untilMs));
    metrics.cycle.observe((performance.now() - started) / 1000);
    lastCycleEnd = tracker.openCycleEndMs() - options.cycleMs;
    const stats = tracker.stats();
    if (stats.unmappedReads > seenStats.unmappedReads) metrics.unmappedReads.inc(stats.unmappedReads - seenStats.unmappedReads);
    if (stats.untrackedReads > seenStats.untrackedReads) metrics.untrackedReads.inc(stats.untrackedReads - seenStats.untrackedReads);
    if (stats.blindCycles > seenStats.blindCycles) {
      ctx.log.warn({ cycles: stats.blindCycles - seenStats.blindCycles }, 'RFID cycles skipped unobserved (clock jump or stalled process)');
    }
    if (stats.unmappedReads > seenStats.unmappedReads) warnLimited('rfid:unmapped', 'reads from readers or antennas the site file does not map to a zone are ignored');
    seenStats = stats;
  }

  function applyStatus(message: DeviceMessage): void {
    // Bad status payloads are gateway/devices' to count; here they are only skipped.
    const status = parseJsonPayload(DeviceStatus, message.payload);
    if (status.ok) tracker.status(message.deviceId, status.value.state, message.receivedAt.getTime());
  }

  function process(message: DeviceMessage): void {
    if (message.channel === 'device.status') {
      applyStatus(message);
      return;
    }
    const at = message.receivedAt.getTime();
    // Every earlier arrival is in, so cycles that ended before this one can be judged.
    if (at >= tracker.openCycleEndMs()) closeDue(at);
    const result = decoder.decode(message.payload, message.deviceId, message.receivedAt);
    decoded += 1;
    metrics.payloads.inc();
    if (result.errors.length > 0) {
      for (const [reason, n] of countDecodeErrors(result.errors)) metrics.decodeErrors.inc({ reason }, n);
      ctx.reject(message, 'rfid_decode', `${result.errors.length} bad element(s): ${result.errors[0]}`);
    }
    if (result.reads.length > 0) {
      metrics.reads.inc(result.reads.length);
      tracker.ingest(message.deviceId, result.reads, at);
    }
    if (result.health.length > 0) {
      for (const h of result.health) metrics.healthReports.inc({ kind: h.kind });
      emit(tracker.report(message.deviceId, result.health, at));
    }
    lagSeconds = Math.max(0, (ctx.now().getTime() - at) / 1000);
    metrics.lag.observe(lagSeconds);
    metrics.lastLag.set(lagSeconds);
  }

  const health = (): RfidHealth => {
    const lagging = queue.length > 0 && lagSeconds > options.cycleMs / 1000;
    const droppingRecently = ctx.now().getTime() - lastDropMs < 60_000;
    return {
      ok: !lagging && !droppingRecently,
      queue: { messages: queue.length, bytes: queue.bytes, maxBytes: options.maxQueueBytes, dropped },
      lagSeconds,
      lastCycleEnd: lastCycleEnd === undefined ? null : new Date(lastCycleEnd).toISOString(),
      lots: tracker.lotCount(),
      tags: tracker.stats(),
      readers: tracker.readers(),
    };
  };
  const snapshot = (): LotRfidView[] => tracker.lots();

  function pump(): void {
    scheduled = false;
    const started = performance.now();
    while (queue.length > 0) {
      const message = queue.take();
      if (message) process(message);
      backlog.drained();
      if (performance.now() - started >= options.batchBudgetMs) {
        schedule();
        return;
      }
    }
    closeDue(dueMs);
  }

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    defer(pump);
  }

  return {
    name: 'rfid',
    channels: ['rfid.events', 'device.status'],
    backlog: { full: backlog.full, whenEased: backlog.whenEased },
    handle(message) {
      if (message.channel === 'device.status') {
        if (!tracker.layout.readerById.has(message.deviceId)) return;
        // Kept in order with the reads around it; tiny, so never refused for lack of room.
        if (queue.length === 0 || !queue.offer(message, message.payload.byteLength)) applyStatus(message);
        return;
      }
      if (message.channel !== 'rfid.events') return;
      const wasFull = backlog.full();
      if (!queue.offer(message, message.payload.byteLength)) {
        dropped += 1;
        lastDropMs = ctx.now().getTime();
        metrics.dropped.inc();
        metrics.droppedBytes.inc(message.payload.byteLength);
        ctx.reject(message, 'overload', `${queue.length} payloads (${queue.bytes} bytes) waiting to be decoded`);
        return;
      }
      if (!wasFull && backlog.full()) metrics.paused.inc();
      schedule();
    },
    tick(now) {
      dueMs = Math.max(dueMs, now.getTime());
      if (queue.length === 0) closeDue(dueMs);
      else schedule();
    },
    drain() {
      while (queue.length > 0) {
        const message = queue.take();
        if (message) process(message);
      }
      backlog.drained();
      closeDue(dueMs);
    },
    progress: () => ({ decoded, dropped, queued: queue.length }),
    snapshot,
    health,
    routes(app) {
      const status = deps.manifests.status?.bind(deps.manifests);
      registerRfidRoutes(app, { rfid: { health, snapshot }, ...(status ? { manifests: { status } } : {}) });
    },
    healthFacets: { rfid: () => ({ ok: health().ok }) },
    lotFacets: { rfid: () => new Map(snapshot().map(({ lotId, zone: _zone, ...count }): [string, RfidLotFacet] => [lotId, count])) },
    stop() {
      unsubscribe();
      const discarded = queue.clear();
      backlog.release();
      if (discarded > 0) ctx.log.warn({ discarded }, 'RFID payloads still queued at stop were discarded');
    },
  };
}
