import { readFileSync } from 'node:fs';
import { createSimulation, deliveredMessages, type SimMessage, type Simulation } from '../../../firmware-sim/index.ts';
import { parseSiteConfig, type SiteConfig } from '../../../protocol/site/site-config.ts';
import { resolveVideoConfig, type VideoConfig } from '../../../protocol/site/video-config.ts';
import { captureTime } from '../../../gateway/video/capture-time.ts';
import { decodeFrame } from '../../../gateway/video/decode-frame.ts';
import { createVideoCore, type CameraFinding, type VideoCore } from '../../../gateway/video/video-core.ts';

export const CAMERAS_ONLY = { rfid: { enabled: false }, audio: { enabled: false }, sensors: { enabled: false } } as const;

export function siteS1(): SiteConfig {
  return parseSiteConfig(readFileSync(new URL('../../../config/site-s1.yaml', import.meta.url), 'utf8'), 'config/site-s1.yaml');
}

/** Cameras at 320 × 240 (a quarter of the rendering and decoding) for long runs. */
export const SMALL_FRAMES = { width: 320, height: 240 } as const;

/** The site as the gateway sees 320 × 240 cameras: ROIs are pixels of the frame, so halved. */
export function siteS1SmallFrames(): SiteConfig {
  const site = siteS1();
  const half = (v: number) => Math.round(v / 2);
  return {
    ...site,
    zones: site.zones.map((z) => ({ ...z, cameras: z.cameras.map((c) => ({ ...c, roi: { x: half(c.roi.x), y: half(c.roi.y), width: half(c.roi.width), height: half(c.roi.height) } })) })),
  };
}

export interface Seen {
  cameraId: string;
  atMs: number;
  finding: CameraFinding;
}

/** Feeds frames through decode and the video core as the stage does (same-bytes and stale-time checks included). */
export function createFramePlayer(site: SiteConfig, config: VideoConfig = resolveVideoConfig(site.video)) {
  const core: VideoCore = createVideoCore(site, config);
  const last = new Map<string, { payload: Buffer; ts: number | undefined }>();
  const seen: Seen[] = [];
  return {
    core,
    seen,
    async play(cameraId: string, payload: Buffer, userProperties: Readonly<Record<string, string>>, fallbackMs: number): Promise<CameraFinding[]> {
      const decoded = await decodeFrame(payload, config.limits);
      const ts = captureTime(userProperties, payload);
      const prev = last.get(cameraId);
      last.set(cameraId, { payload, ts });
      const analysis = core.analyse(cameraId, {
        ...decoded,
        atMs: ts ?? fallbackMs,
        sameBytes: prev !== undefined && prev.payload.equals(payload),
        staleTimestamp: prev?.ts !== undefined && ts !== undefined && ts <= prev.ts && userProperties.ts === undefined && !prev.payload.equals(payload),
      });
      const findings = analysis?.findings ?? [];
      for (const finding of findings) seen.push({ cameraId, atMs: ts ?? fallbackMs, finding });
      return findings;
    },
  };
}

export function cameraFrames(outputs: Awaited<ReturnType<Simulation['advanceTo']>>): SimMessage[] {
  return deliveredMessages(outputs).filter((m) => m.channel === 'camera');
}

/** When the scenario's first ground-truth event of `kind` happens (skipping: no frames are rendered). */
export function truthTime(site: SiteConfig, scenario: string, kind: string, seed = 1): { ts: number; detail: Record<string, unknown>; lotId?: string | undefined; deviceId?: string | undefined; zone?: string | undefined } {
  const sim = createSimulation({ siteConfig: site, scenario, seed, devices: { ...CAMERAS_ONLY } });
  while (sim.now() < sim.startMs + 48 * 3_600_000) {
    const hit = sim.groundTruth().find((g) => g.kind === kind);
    if (hit) return { ts: Date.parse(hit.ts), detail: hit.detail, lotId: hit.lotId, deviceId: hit.deviceId, zone: hit.zone };
    sim.skipTo(sim.now() + 60_000);
  }
  throw new Error(`${scenario} has no ${kind}`);
}
