import { createHash } from 'node:crypto';
import { Registry } from 'prom-client';
import sharp from 'sharp';
import { nightHours, type SiteConfig } from '../../../protocol/index.ts';
import { resolveVideoConfig } from '../../../protocol/site/video-config.ts';
import { createLogger } from '../../../infra/logger.ts';
import type { EventDraft } from '../../../gateway/event-log/event-draft.ts';
import type { ManifestSource } from '../../../gateway/manifests/manifest.ts';
import type { DeviceMessage } from '../../../gateway/pipeline/device-message.ts';
import type { StageContext } from '../../../gateway/pipeline/stage.ts';
import type { Attach } from '../../../gateway/video/video-events.ts';
import { createVideoStage } from '../../../gateway/video/video-stage.ts';

/** What the SHARED-SPEC asks tests to pass as `attach`: hash with node:crypto, keep the bytes. */
export function memoryAttach(): { attach: Attach; stored: Map<string, Uint8Array> } {
  const stored = new Map<string, Uint8Array>();
  return {
    stored,
    attach(bytes, mediaType) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      stored.set(sha256, bytes);
      return { sha256, bytes: bytes.length, mediaType };
    },
  };
}

export function videoStageHarness(site: SiteConfig, options: { video?: unknown; manifests?: ManifestSource } = {}) {
  let now = new Date('2024-03-12T10:00:00Z');
  const drafts: EventDraft[] = [];
  const rejected: Array<{ reason: string; detail: string | undefined }> = [];
  const metrics = new Registry();
  const ctx: StageContext = {
    site,
    emit: (d) => drafts.push(d),
    now: () => now,
    isNight: nightHours(site),
    log: createLogger('video-test'),
    metrics,
    reject: (_m, reason, detail) => rejected.push({ reason, detail }),
  };
  const { attach, stored } = memoryAttach();
  const stage = createVideoStage(ctx, { attach, config: resolveVideoConfig(options.video ?? site.video), ...(options.manifests ? { manifests: options.manifests } : {}) });
  return {
    stage,
    drafts,
    rejected,
    stored,
    metrics,
    at(ms: number) {
      now = new Date(ms);
    },
    frame(deviceId: string, payload: Buffer, atMs: number, userProperties: Record<string, string> = { ts: new Date(atMs).toISOString() }): DeviceMessage {
      now = new Date(atMs);
      return { channel: 'camera.frame', site: site.site, deviceId, payload, userProperties, receivedAt: new Date(atMs), retained: false };
    },
    async metric(name: string, labels: Record<string, string> = {}): Promise<number> {
      const m = (await metrics.getMetricsAsJSON()).find((x) => x.name === name);
      const v = m?.values.find((x) => Object.entries(labels).every(([k, l]) => x.labels[k] === l));
      return v?.value ?? 0;
    },
  };
}

/** A textured 640×480 JPEG (a checkerboard with noise), different on every call. */
export async function texturedJpeg(seed: number, width = 640, height = 480): Promise<Buffer> {
  const raw = Buffer.alloc(width * height);
  let s = seed * 2_654_435_761;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      s = (s * 1_103_515_245 + 12_345) >>> 0;
      raw[y * width + x] = ((x >> 5) + (y >> 5)) % 2 === 0 ? 60 + (s % 9) : 190 + (s % 9);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 1 } }).jpeg({ quality: 80 }).toBuffer();
}
