import { performance } from 'node:perf_hooks';
import type { DeviceMessage } from '../pipeline/device-message.ts';
import type { Stage, StageContext } from '../pipeline/stage.ts';
import { createAudioCore, type Attach, type AudioCore } from './audio-core.ts';
import { createAudioMetrics } from './audio-metrics.ts';
import { registerAudioRoutes } from './audio-routes.ts';
import { loadAudioClassifier, type AudioClassifier } from './classifier/audio-classifier.ts';
import { WINDOW_MS } from './feature-stream.ts';
import { CLEAR_AFTER_MS } from './finding-tracker.ts';
import { decodePcmChunk, MODEL_RATE, type PcmChunk } from './pcm-chunk.ts';

export interface AudioStageOptions {
  /** Stores a clip for upload and names it (SHARED-SPEC); without it events carry no clip. */
  attach?: Attach;
  /** The classifier; the committed model unless a test brings its own. */
  classifier?: AudioClassifier;
  /** Chunks waiting per microphone before new ones are dropped (counted); 64 by default (~32 s of 0.5 s chunks). */
  maxQueuedChunks?: number;
  /** Work per slice before yielding to the event loop (RFID and MQTT go first); 15 ms by default. */
  sliceMs?: number;
  /** Runs analysis off the MQTT callback; `setImmediate` unless a test wants its own. */
  defer?: (run: () => void) => void;
}

export interface AudioHealth {
  ok: boolean;
  backend: string;
  queued: number;
  dropped: number;
  microphones: ReturnType<AudioCore['microphones']>;
}

/** Offers `GET /api/v1/audio/health`. */
export type AudioStage = Stage & {
  health(): AudioHealth;
  /** Analyses everything queued now (tests, shutdown). */
  drain(): void;
};

/**
 * The audio stage's shell. `handle` only checks the chunk's envelope and queues it, per
 * microphone and bounded (audio is sampled evidence: past the bound a chunk is dropped
 * and counted, and the MQTT session is never paused for it, so RFID never waits on
 * sound). Analysis runs in slices off the callback; all decisions are in the core.
 */
export async function createAudioStage(ctx: StageContext, options: AudioStageOptions = {}): Promise<AudioStage> {
  const classifier = options.classifier ?? (await loadAudioClassifier());
  const core = createAudioCore({ site: ctx.site, classifier, isNight: ctx.isNight, ...(options.attach ? { attach: options.attach } : {}) });
  const configured = new Set(ctx.site.zones.flatMap((z) => z.microphones));
  const maxQueued = options.maxQueuedChunks ?? 64;
  const sliceMs = options.sliceMs ?? 15;
  const defer = options.defer ?? ((run: () => void) => void setImmediate(run));
  const queues = new Map<string, PcmChunk[]>();
  const lastArrival = new Map<string, number>();
  let queued = 0;
  let dropped = 0;
  let scheduled = false;
  let stopped = false;
  const metrics = createAudioMetrics(ctx.metrics, () => core, () => queued);

  const runOne = (chunk: PcmChunk): void => {
    const started = performance.now();
    const out = core.ingest(chunk);
    metrics.processingSeconds.inc((performance.now() - started) / 1000);
    metrics.audioSeconds.inc(chunk.samples.length / MODEL_RATE);
    for (const w of out.windows) metrics.windows.inc({ label: w.label });
    for (const draft of out.drafts) {
      if (draft.type === 'audio.anomaly' && draft.evidence.cleared !== true) metrics.findings.inc({ label: String(draft.evidence.label) });
      ctx.emit(draft);
    }
  };

  const slice = (budgetMs: number): void => {
    scheduled = false;
    const until = performance.now() + budgetMs;
    // Round-robin over microphones: one loud, busy microphone cannot starve the others.
    while (queued > 0 && performance.now() < until) {
      for (const queue of queues.values()) {
        const chunk = queue.shift();
        if (chunk === undefined) continue;
        queued -= 1;
        runOne(chunk);
      }
    }
    if (queued > 0) schedule();
  };

  const schedule = (): void => {
    if (scheduled || stopped) return;
    scheduled = true;
    defer(() => slice(sliceMs));
  };

  const drain = (): void => {
    while (queued > 0) slice(Number.POSITIVE_INFINITY);
  };

  const health = (): AudioHealth => {
    const microphones = core.microphones();
    return { ok: microphones.every((m) => m.fault === undefined), backend: classifier.backend, queued, dropped, microphones };
  };

  const emitAll = (out: ReturnType<AudioCore['idle']>) => {
    for (const draft of out.drafts) ctx.emit(draft);
  };

  return {
    name: 'audio',
    channels: ['audio.pcm'],
    handle(message: DeviceMessage) {
      if (!configured.has(message.deviceId)) {
        ctx.reject(message, 'unconfigured_microphone', 'not in the site YAML');
        return;
      }
      const decoded = decodePcmChunk(message);
      if (!decoded.ok) {
        metrics.chunkErrors.inc({ reason: decoded.reason });
        ctx.reject(message, `audio_${decoded.reason}`, decoded.detail);
        return;
      }
      if (decoded.oddByte) metrics.chunkErrors.inc({ reason: 'odd_length' });
      const queue = queues.get(message.deviceId) ?? [];
      queues.set(message.deviceId, queue);
      if (queue.length >= maxQueued) {
        dropped += 1;
        ctx.reject(message, 'audio_overload', `${queue.length} chunks waiting`);
        return;
      }
      queue.push(decoded.chunk);
      queued += 1;
      lastArrival.set(message.deviceId, message.receivedAt.getTime());
      schedule();
    },
    tick(now: Date) {
      // A microphone that stopped sending: what it held is analysed and its findings end.
      for (const [deviceId, at] of lastArrival) {
        if (now.getTime() - at < CLEAR_AFTER_MS + WINDOW_MS || (queues.get(deviceId)?.length ?? 0) > 0) continue;
        lastArrival.delete(deviceId);
        emitAll(core.idle(deviceId));
      }
    },
    health,
    routes(app) {
      registerAudioRoutes(app, { audio: { health } });
    },
    drain,
    stop() {
      stopped = true;
      drain();
      for (const deviceId of lastArrival.keys()) emitAll(core.idle(deviceId));
    },
  } satisfies AudioStage;
}
