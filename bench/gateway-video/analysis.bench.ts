// Video analysis benchmark: `npx tsx bench/gateway-video/analysis.bench.ts`.
// Per 640×480 JPEG of the simulator's bay camera (day, night, a forklift at work), the
// gateway's analysis of a decoded frame (features, phase correlation, tamper, health, ROI
// change: everything after decode) against sharp decoding the same frame, in the same
// run, alternating. Two decode baselines: what the stage does (decode straight to a
// 160×120 grey frame, JPEG shrink-on-load) and a full-size RGB decode. sharp runs on one
// thread here (sharp.concurrency(1)) and all times are process CPU, so "per core" is per
// core. BENCH_SCALE=small shortens it. The last line is a JSON summary; run() returns it.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { createSimulation, deliveredMessages } from '../../firmware-sim/index.ts';
import { parseSiteConfig } from '../../protocol/site/site-config.ts';
import { resolveVideoConfig } from '../../protocol/site/video-config.ts';
import { decodeFrame, type Decoded } from '../../gateway/video/decode-frame.ts';
import { createVideoCore } from '../../gateway/video/video-core.ts';
import { benchScale } from '../bench-scale.ts';

export interface VideoAnalysisSummary {
  readonly bench: 'gateway-video-analysis';
  readonly frames: number;
  readonly passes: number;
  /** CPU per frame, median pass. */
  readonly analysisMs: number;
  readonly decodeSmallMs: number;
  readonly decodeFullMs: number;
  /** Analysis over the stage's own decode of the same frame (target ≤ 1). */
  readonly ratio: number;
  readonly ratioToFullDecode: number;
  /** Decode (as the stage does it) plus analysis, on one core. */
  readonly framesPerSecondPerCore: number;
  readonly camerasAt2FpsPerCore: number;
  readonly targetMet: boolean;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e3;
};

async function frames(count: number): Promise<Buffer[]> {
  const site = parseSiteConfig(readFileSync(new URL('../../config/site-s1.yaml', import.meta.url), 'utf8'));
  const out: Buffer[] = [];
  // Noon, midnight and mid-morning (forklift cycle counts): light, grain and motion vary.
  for (const hour of [12, 0, 9]) {
    const sim = createSimulation({
      siteConfig: site,
      scenario: 'quiet-day',
      seed: 1,
      startMs: Date.UTC(2024, 2, 12, hour),
      devices: { rfid: { enabled: false }, audio: { enabled: false }, sensors: { enabled: false }, only: ['cam-a'], camera: { frameMs: 500 } },
    });
    while (out.length < (count * ([12, 0, 9].indexOf(hour) + 1)) / 3) {
      for (const m of deliveredMessages(await sim.advanceBy(500))) if (m.channel === 'camera') out.push(m.payload);
    }
  }
  return out;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export async function run(options: { log?: (line: string) => void } = {}): Promise<VideoAnalysisSummary> {
  const log = options.log ?? ((line: string) => console.log(line));
  const scale = benchScale();
  const count = Math.max(12, Math.round(120 * scale));
  const passes = scale < 0.5 ? 3 : 7;
  sharp.concurrency(1);
  const payloads = await frames(count);
  const config = resolveVideoConfig();
  const limits = config.limits;
  const decoded: Decoded[] = [];
  for (const p of payloads) decoded.push(await decodeFrame(p, limits));
  const site = parseSiteConfig(readFileSync(new URL('../../config/site-s1.yaml', import.meta.url), 'utf8'));
  const results = { analysis: [] as number[], small: [] as number[], full: [] as number[] };
  for (let pass = 0; pass < passes; pass += 1) {
    let t = cpuMs();
    for (const p of payloads) await decodeFrame(p, limits);
    results.small.push((cpuMs() - t) / payloads.length);
    t = cpuMs();
    for (const p of payloads) await sharp(p).raw().toBuffer();
    results.full.push((cpuMs() - t) / payloads.length);
    // A fresh core per pass, fed the frames as a 2 frames/s stream (its warm-up included).
    const core = createVideoCore(site, config);
    const start = Date.UTC(2024, 2, 12, 12);
    t = cpuMs();
    decoded.forEach((d, i) => core.analyse('cam-a', { ...d, atMs: start + i * 500, sameBytes: false, staleTimestamp: false }));
    results.analysis.push((cpuMs() - t) / decoded.length);
    log(`pass ${pass + 1}/${passes}: analysis ${results.analysis.at(-1)?.toFixed(3)} ms, decode to 160×120 ${results.small.at(-1)?.toFixed(3)} ms, full decode ${results.full.at(-1)?.toFixed(3)} ms per frame`);
  }
  const analysisMs = median(results.analysis);
  const decodeSmallMs = median(results.small);
  const decodeFullMs = median(results.full);
  const fps = 1_000 / (analysisMs + decodeSmallMs);
  const round = (v: number, d = 3) => Math.round(v * 10 ** d) / 10 ** d;
  const summary: VideoAnalysisSummary = {
    bench: 'gateway-video-analysis',
    frames: payloads.length,
    passes,
    analysisMs: round(analysisMs),
    decodeSmallMs: round(decodeSmallMs),
    decodeFullMs: round(decodeFullMs),
    ratio: round(analysisMs / decodeSmallMs, 2),
    ratioToFullDecode: round(analysisMs / decodeFullMs, 2),
    framesPerSecondPerCore: round(fps, 1),
    camerasAt2FpsPerCore: Math.floor(fps / 2),
    targetMet: analysisMs <= decodeSmallMs,
  };
  log(`analysis / decode of the same frame: ${summary.ratio} (target ≤ 1: ${summary.targetMet ? 'met' : 'NOT met'}); vs a full-size decode ${summary.ratioToFullDecode}; ${summary.framesPerSecondPerCore} frames/s per core = ${summary.camerasAt2FpsPerCore} cameras at 2 frames/s`);
  log(JSON.stringify(summary));
  return summary;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const summary = await run();
  if (!summary.targetMet && process.env.BENCH_SCALE === undefined) process.exitCode = 1;
}
