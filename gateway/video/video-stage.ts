import { performance } from 'node:perf_hooks';
import { deviceRef, checkEvidence, type VerificationEvent } from '../../protocol/index.ts';
import { resolveVideoConfig, type VideoConfig } from '../../protocol/site/video-config.ts';
import type { EventDraft } from '../event-log/event-draft.ts';
import { isCompleteCount } from '../fusion/evidence-fields.ts';
import type { ManifestSource } from '../manifests/manifest.ts';
import type { DeviceMessage } from '../pipeline/device-message.ts';
import type { Stage, StageContext } from '../pipeline/stage.ts';
import type { CameraFinding } from './camera-analyser.ts';
import { captureTime } from './capture-time.ts';
import { decodeFrame, FrameRefused } from './decode-frame.ts';
import { createFrameClock } from './frame-clock.ts';
import { createFrameQueue } from './frame-queue.ts';
import { roiCrop } from './roi-crop.ts';
import { createVideoCore } from './video-core.ts';
import { changeEvents, healthEvent, tamperEvent, type Attach, type Attachment, type CameraRef, type RoiLabel } from './video-events.ts';
import { createVideoMetrics } from './video-metrics.ts';
import { registerVideoRoutes } from './video-routes.ts';

/** Labels an ROI (the analysis frame's pixels); the learned classifier of gateway/video/classifier. */
export type RoiClassify = (pixels: Float32Array, width: number, height: number) => { label: RoiLabel; confidence: number } | undefined;

export interface VideoStageDeps {
  /** Stores a change's JPEG crop for upload (SHARED-SPEC `attach`); without it, changes carry no crop. */
  attach?: Attach;
  /** Pledged lots per zone, so a change names its lots. Without it, the lots seen in `lot.verified`. */
  manifests?: ManifestSource;
  classify?: RoiClassify;
  /** Loads the classifier in the background (TensorFlow.js takes a moment); changes before it is ready carry no label. */
  loadClassifier?: () => Promise<RoiClassify>;
  /** Settings; the site YAML's `video:` (defaults filled in) unless given. */
  config?: VideoConfig;
}

export interface CameraHealthView {
  camera: string;
  zones: string[];
  frames: number;
  skipped: number;
  queued: number;
  lastFrameAt: string | null;
  resolution: string | null;
  tamper: string | null;
  fault: string | null;
}

/** Offers `GET /api/v1/video/cameras`. */
export type VideoStage = Stage & {
  /**
   * Sealed events (the pipeline hands every stage that observes them): a complete
   * `lot.verified` renews the reference of the ROIs of the lot's zone.
   */
  observe(event: Pick<VerificationEvent, 'type' | 'lotId' | 'zone' | 'ts' | 'evidence'>): void;
  cameras(): CameraHealthView[];
  /** Resolves once every queued frame is analysed and its events emitted (tests, shutdown). */
  idle(): Promise<void>;
};

interface CameraState {
  ref: CameraRef;
  queue: ReturnType<typeof createFrameQueue<DeviceMessage>>;
  clock: ReturnType<typeof createFrameClock>;
  running: Promise<void> | undefined;
  previous: Buffer | undefined;
  frames: number;
  skipped: number;
  lastFrameAt: number | undefined;
  resolution: string | undefined;
}

/**
 * The video stage's shell: `handle` queues the frame per camera (bounded; the oldest
 * waiting frame is skipped, counted per camera), each camera's frames are decoded in
 * order in sharp's thread pool (never on the event loop, so RFID is not held), and the
 * pure video core judges them. Bad frames are refused and counted, never thrown.
 */
export function createVideoStage(ctx: StageContext, deps: VideoStageDeps): VideoStage {
  const config = deps.config ?? resolveVideoConfig(ctx.site.video);
  const core = createVideoCore(ctx.site, config, config.cameras.map((c) => c.camera));
  const cameras = new Map<string, CameraState>();
  const lotsSeen = new Map<string, Set<string>>();
  const metrics = createVideoMetrics(ctx.metrics, () => [...cameras].map(([camera, s]) => ({ camera, frames: s.queue.length })));
  let stopped = false;
  let classify = deps.classify;
  if (!classify && deps.loadClassifier && config.classifier.enabled) {
    deps.loadClassifier().then(
      (loaded) => {
        classify = loaded;
        ctx.log.info('video ROI classifier loaded');
      },
      (error: unknown) => ctx.log.warn({ err: error }, 'video ROI classifier could not be loaded; changes are reported without a label'),
    );
  }

  const zonesOf = (cameraId: string) => ctx.site.zones.filter((z) => z.cameras.some((c) => c.camera === cameraId)).map((z) => z.id);
  const state = (cameraId: string): CameraState => {
    let s = cameras.get(cameraId);
    if (!s) {
      s = {
        ref: { device: deviceRef(ctx.site.site, 'camera', cameraId), zones: zonesOf(cameraId) },
        queue: createFrameQueue<DeviceMessage>(config.queue.framesPerCamera),
        clock: createFrameClock(),
        running: undefined,
        previous: undefined,
        frames: 0,
        skipped: 0,
        lastFrameAt: undefined,
        resolution: undefined,
      };
      cameras.set(cameraId, s);
    }
    return s;
  };

  function lotsIn(zone: string): string[] {
    if (deps.manifests) return deps.manifests.current().lots.filter((l) => l.zone === zone).map((l) => l.lotId);
    return [...(lotsSeen.get(zone) ?? [])];
  }

  async function draftsOf(s: CameraState, message: DeviceMessage, width: number, height: number, f: CameraFinding): Promise<EventDraft[]> {
    const ts = message.receivedAt.toISOString();
    if (f.type === 'tamper') return [tamperEvent(s.ref, f.finding, ts)];
    if (f.type === 'health') {
      if (f.finding.state === 'offline') ctx.log.warn({ camera: s.ref.device, reason: f.finding.reason, ...f.finding.detail }, 'camera stream fault');
      return [healthEvent(s.ref, f.finding, ts)];
    }
    const c = f.finding;
    const extra: { attachments?: Attachment[]; classifier?: { label: RoiLabel; confidence: number } } = {};
    if (!c.cleared && deps.attach) {
      const attach = deps.attach;
      try {
        const crop = await roiCrop(message.payload, c.roi, { width, height }, config.change.cropMaxWidth);
        const ref = attach(crop, 'image/jpeg');
        if (ref) extra.attachments = [ref];
      } catch (error) {
        ctx.log.warn({ err: error, camera: s.ref.device }, 'change crop could not be made; reported without it');
      }
    }
    if (!c.cleared && config.classifier.enabled && classify) {
      const label = classify(f.roiPixels, f.analysisRoi.width, f.analysisRoi.height);
      if (label) extra.classifier = label;
    }
    return changeEvents(s.ref, c, ts, lotsIn(c.zone), extra);
  }

  async function process(cameraId: string, s: CameraState, message: DeviceMessage): Promise<void> {
    const started = performance.now();
    let decoded;
    try {
      decoded = await decodeFrame(message.payload, config.limits);
    } catch (error) {
      const reason = error instanceof FrameRefused ? error.reason : 'corrupt';
      metrics.refused.inc({ reason });
      ctx.reject(message, `video_${reason}`, (error as Error).message);
      return;
    }
    metrics.decode.observe((performance.now() - started) / 1000);
    const { atMs, stale } = s.clock.next(captureTime(message.userProperties, message.payload), message.receivedAt.getTime());
    const sameBytes = s.previous !== undefined && s.previous.equals(message.payload);
    s.previous = message.payload;
    const analysing = performance.now();
    const analysis = core.analyse(cameraId, { ...decoded, atMs, sameBytes, staleTimestamp: stale && !sameBytes });
    metrics.analysis.observe((performance.now() - analysing) / 1000);
    s.frames += 1;
    s.lastFrameAt = message.receivedAt.getTime();
    s.resolution = `${decoded.width}x${decoded.height}`;
    metrics.frames.inc({ camera: cameraId });
    for (const f of analysis?.findings ?? []) {
      metrics.findings.inc({ type: f.type, kind: f.type === 'tamper' ? f.finding.kind : f.type === 'health' ? f.finding.reason : f.finding.cleared ? 'cleared' : 'change' });
      for (const draft of await draftsOf(s, message, decoded.width, decoded.height, f)) if (!stopped) ctx.emit(draft);
    }
  }

  function pump(cameraId: string, s: CameraState): void {
    if (s.running) return;
    s.running = (async () => {
      for (let m = s.queue.take(); m && !stopped; m = s.queue.take()) {
        try {
          await process(cameraId, s, m);
        } catch (error) {
          ctx.log.error({ err: error, camera: cameraId }, 'video frame analysis failed');
        }
      }
      s.running = undefined;
    })();
  }

  const stage: VideoStage = {
    name: 'video',
    channels: ['camera.frame'],
    handle(message) {
      if (message.channel !== 'camera.frame' || stopped) return;
      if (!core.knows(message.deviceId)) {
        metrics.refused.inc({ reason: 'unknown_camera' });
        ctx.reject(message, 'video_unknown_camera', 'camera not in the site file');
        return;
      }
      // Cheap checks before queueing, so junk never takes a frame's place.
      if (message.payload.length > config.limits.maxFrameBytes) {
        metrics.refused.inc({ reason: 'too_large' });
        ctx.reject(message, 'video_too_large', `${message.payload.length} bytes`);
        return;
      }
      const s = state(message.deviceId);
      if (s.queue.offer(message)) {
        s.skipped += 1;
        metrics.skipped.inc({ camera: message.deviceId });
      }
      pump(message.deviceId, s);
    },
    observe(event) {
      if (event.type !== 'lot.verified') return;
      const zone = event.zone ?? (event.lotId ? deps.manifests?.current().lots.find((l) => l.lotId === event.lotId)?.zone : undefined);
      if (!zone) return;
      if (event.lotId) lotsSeen.set(zone, (lotsSeen.get(zone) ?? new Set()).add(event.lotId));
      const count = checkEvidence('lot.verified', event.evidence);
      if (count.ok && isCompleteCount(count.value)) {
        const at = Date.parse(event.ts);
        core.reverified(zone, ctx.isNight(Number.isFinite(at) ? at : ctx.now().getTime()));
      }
    },
    routes(app) {
      registerVideoRoutes(app, stage);
    },
    cameras() {
      return core.cameras().map((camera) => {
        const s = cameras.get(camera);
        return {
          camera,
          zones: zonesOf(camera),
          frames: s?.frames ?? 0,
          skipped: s?.skipped ?? 0,
          queued: s?.queue.length ?? 0,
          lastFrameAt: s?.lastFrameAt === undefined ? null : new Date(s.lastFrameAt).toISOString(),
          resolution: s?.resolution ?? null,
          tamper: core.tamperOf(camera)?.kind ?? null,
          fault: core.faultOf(camera) ?? null,
        };
      });
    },
    async idle() {
      for (;;) {
        const running = [...cameras.values()].flatMap((s) => (s.running ? [s.running] : []));
        if (running.length === 0) return;
        await Promise.all(running);
      }
    },
    async stop() {
      stopped = true;
      let discarded = 0;
      for (const s of cameras.values()) discarded += s.queue.clear();
      await Promise.all([...cameras.values()].map((s) => s.running));
      if (discarded > 0) ctx.log.info({ discarded }, 'video frames still queued at stop were discarded');
    },
  };
  return stage;
}
