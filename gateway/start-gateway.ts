import { join } from 'node:path';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { loadSiteConfig, type SiteConfig, type VerificationEvent } from '../protocol/index.ts';
import type { Logger } from '../infra/logger.ts';
import { lockDataDir } from '../infra/data-dir-lock.ts';
import type { GatewayConfig } from './config.ts';
import { loadOrCreateGatewayKey } from './event-log/gateway-key.ts';
import { createEventLog } from './event-log/event-log.ts';
import { FileOutboxStore, createOutboxMetrics, createSender } from './outbox/index.ts';
import { createCloudClient } from './uplink/cloud-client.ts';
import { createCloudDeliver } from './uplink/deliver-to-cloud.ts';
import { createUplinkHealth } from './uplink/uplink-health.ts';
import { openAttachments } from './attachments/attachments.ts';
import { judgeHealth } from './health/gateway-health.ts';
import { createQuarantineHooks } from './uplink/quarantine-file.ts';
import { createPipeline, type Pipeline } from './pipeline/pipeline.ts';
import type { StageContext, StageFactory } from './pipeline/stage.ts';
import { createDevicePresenceStage } from './devices/device-presence-stage.ts';
import { createDeviceIngest } from './ingest/device-ingest.ts';
import { createRfidStage } from './rfid/rfid-stage.ts';
import type { RfidOptions } from './rfid/rfid-options.ts';
import { createVideoStage } from './video/video-stage.ts';
import { createAudioStage } from './audio/audio-stage.ts';
import { loadRoiClassifier } from './video/classifier/roi-classifier.ts';
import { createManifestSync } from './manifests/manifest-sync.ts';
import { createFusionObserver } from './fusion/fusion-observer.ts';
import { openFusionStateFile } from './fusion/fusion-state-file.ts';
import type { EvidenceWindows } from './fusion/evidence-windows.ts';
import { connectGatewayMqtt, type GatewayMqtt } from './mqtt/gateway-mqtt.ts';
import { buildGatewayApi } from './api/gateway-api.ts';
import { createSensorStage, type SensorStageDeps } from './sensors/sensor-stage.ts';

export const GATEWAY_VERSION = '0.1.0';

export interface GatewayHandle {
  readonly apiUrl: string;
  readonly site: SiteConfig;
  readonly pipeline: Pipeline;
  readonly outbox: FileOutboxStore<VerificationEvent>;
  /** Resolves once every event appended so far has been delivered to the cloud. */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

export interface GatewayDeps {
  log: Logger;
  /** MQTT broker to use when the config names none (the demo's embedded broker). */
  mqttUrl?: string;
  fetchImpl?: typeof fetch;
  /** How often stages get `tick` (silence, grace periods); tests drive ticks themselves with 0. */
  tickMs?: number;
  /** RFID smoothing and timing (gateway/rfid/README.md); the demo scales them to its simulated clock. */
  rfid?: Partial<RfidOptions>;
  /** Fusion's dwell before a better state and how long findings live (gateway/fusion/README.md). */
  fusion?: { dwellMs?: number; windows?: Partial<EvidenceWindows> };
  /** How often the manifest of pledged lots is pulled from the cloud. */
  manifestPollMs?: number;
  /** The warehouse's clock at a gateway instant, for its night hours; the demo's simulated warehouse runs faster. */
  siteTime?: (gatewayMs: number) => number;
  /** Scales and climate probes (gateway/sensors/README.md); the demo gives its simulated clock's speed. */
  sensors?: Pick<SensorStageDeps, 'speed'>;
  /**
   * Stages run after the built-in ones (gateway/pipeline/stage.ts): each brings its own
   * channels, routes, health and lot facets, wired like the built-in ones (a test's toy
   * stage; README "Adding a stage").
   */
  extraStages?: readonly StageFactory[];
}

/**
 * The gateway's composition root, top to bottom as data flows: key and outbox (durable
 * state) → event log → uplink → pipeline stages → MQTT ingest → local API. Stopped in
 * reverse order.
 */
export async function startGateway(config: GatewayConfig, deps: GatewayDeps): Promise<GatewayHandle> {
  const log = deps.log;
  const site = await loadSiteConfig(config.siteConfigPath);
  const mqttUrl = config.mqttUrl ?? deps.mqttUrl;
  if (!mqttUrl) throw new Error('no MQTT broker: set MQTT_URL');
  // Two gateways writing one outbox corrupt it: the second refuses to start, naming the first.
  const dirLock = await lockDataDir({ dir: config.dataDir, file: join(config.dataDir, 'gateway.lock'), purpose: `gateway ${config.gatewayId}`, setting: 'GATEWAY_DATA_DIR' });
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'gateway_' });

  const key = await loadOrCreateGatewayKey(join(config.dataDir, 'gateway-key.pem'));
  const outboxMetrics = createOutboxMetrics({ registry });
  const outbox = new FileOutboxStore<VerificationEvent>({
    dir: join(config.dataDir, 'outbox'),
    logger: log.child({ component: 'outbox' }),
    onCorruption: (report) => {
      outboxMetrics.onCorruption(report);
      log.error({ report }, 'ALARM: corrupted outbox record skipped');
    },
    onEviction: (report) => {
      outboxMetrics.onEviction(report);
      log.warn({ count: report.seqs.length, bytes: report.bytes }, 'outbox full: oldest info events evicted');
    },
  });
  await outbox.open();
  outboxMetrics.observe(outbox);

  const eventLog = await createEventLog({
    store: { appendSerialised: (events) => outbox.appendSerialised(events), lastRecord: async () => outbox.lastRecord() },
    privateKey: key.privateKey,
    gatewayId: config.gatewayId,
    site: site.site,
  });

  const uplink = createUplinkHealth();
  const cloud = createCloudClient({ baseUrl: config.cloudUrl, gatewayId: config.gatewayId, token: config.cloudToken, fetchImpl: deps.fetchImpl });
  const attachments = await openAttachments({ dataDir: config.dataDir, maxBytes: config.attachmentsMaxBytes, cloud, outboxPending: () => outbox.stats().pending, registry, log: log.child({ component: 'attachments' }) });
  const sender = createSender({
    store: outbox,
    deliver: attachments.wrap(createCloudDeliver({ cloud, publicKeyPem: key.publicKeyPem, log: log.child({ component: 'uplink' }) })),
    batchSize: config.uplinkBatchSize,
    maxBatchBytes: 4 * 1024 * 1024,
    backoff: { initialMs: 500, maxMs: 60_000 },
    logger: log.child({ component: 'sender' }),
    hooks: [
      outboxMetrics.senderHooks,
      uplink.hooks,
      createQuarantineHooks({ file: join(config.dataDir, 'quarantine.jsonl'), log: log.child({ component: 'uplink' }) }),
    ],
  });

  // The pledged lots to guard: from the disk cache at once, then from the cloud, so a
  // gateway restarted while the cloud is away still knows what it watches.
  const manifests = createManifestSync({
    cloudUrl: config.cloudUrl,
    gatewayId: config.gatewayId,
    token: config.cloudToken,
    cacheFile: join(config.dataDir, 'manifest.json'),
    log: log.child({ component: 'manifests' }),
    pollMs: deps.manifestPollMs ?? 60_000,
    site: site.site,
    fetchImpl: deps.fetchImpl,
  });
  await manifests.start();

  // Lot states and findings as they were before a restart (a held breach stays breached).
  const fusionState = await openFusionStateFile(join(config.dataDir, 'fusion-state.json'), log.child({ component: 'fusion' }));
  let mqtt: GatewayMqtt | undefined;
  // The stage list: a stage offers its routes, health and lot facets and what it observes
  // through its factory's return type (pipeline/stage.ts), so adding one is one line here.
  const pipeline = await createPipeline(
    {
      site,
      eventLog,
      log: log.child({ component: 'pipeline' }),
      metrics: registry,
      ...(deps.siteTime === undefined ? {} : { siteTime: deps.siteTime }),
      onEvent: (event) => mqtt?.publishEvent(event),
    },
    [
      (ctx) => createDevicePresenceStage(ctx, { silenceMs: config.deviceSilenceMs }),
      (ctx) => createRfidStage(ctx, { manifests, options: deps.rfid }),
      (ctx) => createSensorStage(ctx, { manifests, ...deps.sensors }),
      (ctx) => createVideoStage(ctx, { manifests, attach: attachments.attach, loadClassifier: async () => (await loadRoiClassifier()).classify }),
      ...(site.zones.some((z) => z.microphones.length > 0) ? [(ctx: StageContext) => createAudioStage(ctx, { attach: attachments.attach })] : []),
      ...(deps.extraStages ?? []),
    ],
  );
  // Fusion weighs the sealed events of every stage into each lot's state.
  const fusion = pipeline.addObserver((ctx) =>
    createFusionObserver(ctx, {
      manifests,
      publishLot: (lotId, view) => mqtt?.publishLot(lotId, view),
      clearLot: (lotId) => mqtt?.clearLot(lotId),
      state: fusionState,
      ...deps.fusion,
    }),
  );

  await eventLog.append([
    {
      type: 'gateway.started',
      severity: 'info',
      evidence: { version: GATEWAY_VERSION, resumedAtSeq: eventLog.head().seq, outboxPending: outbox.stats().pending },
    },
  ]);
  sender.start();
  attachments.start();

  mqtt = await connectGatewayMqtt({
    url: mqttUrl,
    site: site.site,
    gatewayId: config.gatewayId,
    version: GATEWAY_VERSION,
    sessionExpirySeconds: config.mqttSessionExpirySeconds,
    log: log.child({ component: 'mqtt' }),
    onMessage: createDeviceIngest(site.site, pipeline),
    backlog: pipeline.backlog,
    credentials: config.mqttCredentials,
  });
  // Fusion published every lot's first state before MQTT was up.
  for (const view of fusion.states()) mqtt.publishLot(view.lotId, view);
  const tickMs = deps.tickMs ?? 1_000;
  const ticker = tickMs > 0 ? setInterval(() => pipeline.tick(), tickMs) : undefined;
  ticker?.unref();

  const api = await buildGatewayApi({
    log: log.child({ component: 'api' }),
    metrics: registry,
    health: () => ({
      ...judgeHealth(
        { mqttConnected: mqtt?.connected() ?? false, uplink: uplink.status(), outbox: outbox.stats(), now: Date.now() },
        { uplinkFailingMs: config.uplinkFailingMs, outboxOldestMs: config.outboxOldestMs },
      ),
      detail: { gatewayId: config.gatewayId, site: site.site, chainHead: eventLog.head(), manifest: manifests.status(), attachments: attachments.status() },
    }),
    lots: () => fusion.states(),
    outbox: () => ({ ...outbox.stats() }),
    stages: pipeline.stages,
  });
  const apiUrl = await api.listen({ host: config.apiHost, port: config.apiPort });
  log.info({ apiUrl, site: site.site, gatewayId: config.gatewayId }, 'gateway started');

  let stopping: Promise<void> | undefined;
  return {
    apiUrl,
    site,
    pipeline,
    outbox,
    flush: async () => {
      await pipeline.settled();
      await sender.flush();
    },
    // Once: a second call (a test, or a signal during a stop) waits for the first.
    stop() {
      stopping ??= (async () => {
        if (ticker) clearInterval(ticker);
        manifests.stop();
        await api.close();
        // mqtt.js refuses publications once it is closing ("client disconnecting"); what
        // fusion or the event log would still publish now is not lost: events are in the
        // outbox, and every lot's state is published again at the next start.
        const closing = mqtt;
        mqtt = undefined;
        await closing?.close();
        await pipeline.stop();
        await sender.stop();
        await attachments.stop();
        await outbox.close();
        await dirLock.release();
      })();
      return stopping;
    },
  };
}
