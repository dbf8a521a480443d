import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadSiteConfig, parseSiteConfig, type SiteConfig } from '../../../protocol/site/site-config.ts';
import { resolveVideoConfig } from '../../../protocol/site/video-config.ts';
import { decodeFrame, FrameRefused } from '../decode-frame.ts';
import type { CameraFinding } from '../camera-analyser.ts';
import { createVideoCore } from '../video-core.ts';

const USAGE = `usage: npm run analyse -- video [--fps 2] [--site config/site-s1.yaml] [--camera ID] [--start ISO] FRAME...
Runs the gateway's video core on recorded frames (JPEG or PNG, in order) and prints one
JSON line per finding, then a summary line. Without --site every frame is one ROI.`;

/** A site of one camera whose ROI is the whole frame, for footage from anywhere. */
function wholeFrameSite(width: number, height: number): SiteConfig {
  return parseSiteConfig(`site: cli\nzones:\n  - id: view\n    kind: storage\n    cameras: [{ camera: cam, roi: { x: 0, y: 0, width: ${width}, height: ${height} } }]\n`);
}

function line(t: number, f: CameraFinding): Record<string, unknown> {
  const at = Math.round(t * 1_000) / 1_000;
  if (f.type === 'tamper') {
    const x = f.finding;
    return { t: at, kind: x.kind, ...(x.cleared ? { cleared: true } : {}), sinceT: Math.round((x.sinceMs / 1_000) * 1_000) / 1_000, metrics: x.metrics };
  }
  if (f.type === 'change') {
    const x = f.finding;
    return { t: at, kind: 'change', ...(x.cleared ? { cleared: true, reason: x.reason } : {}), zone: x.zone, roi: x.roi, changedFraction: Math.round(x.changedFraction * 10_000) / 10_000, atNight: x.atNight };
  }
  return { t: at, kind: 'health', state: f.finding.state, reason: f.finding.reason };
}

/** `npm run analyse -- video …`: returns the exit code (0 done, 2 bad usage). */
export async function analyseVideo(argv: readonly string[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`), err: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { fps: { type: 'string', default: '2' }, site: { type: 'string' }, camera: { type: 'string' }, start: { type: 'string' }, help: { type: 'boolean' } } });
  } catch (error) {
    err(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const fps = Number(values.fps);
  const start = values.start === undefined ? Date.UTC(2024, 0, 1, 12) : Date.parse(values.start);
  if (values.help || positionals.length === 0 || !(fps > 0 && fps <= 1_000) || !Number.isFinite(start)) {
    err(USAGE);
    return values.help ? 0 : 2;
  }
  let site: SiteConfig | undefined = values.site ? await loadSiteConfig(values.site) : undefined;
  const config = resolveVideoConfig(site?.video);
  let core: ReturnType<typeof createVideoCore> | undefined;
  let camera = values.camera ?? '';
  const counts: Record<string, number> = {};
  let frames = 0;
  let refused = 0;
  const started = performance.now();
  let previous: Buffer | undefined;
  for (const [i, path] of positionals.entries()) {
    const payload = await readFile(path);
    const atMs = start + (i * 1_000) / fps;
    let decoded;
    try {
      decoded = await decodeFrame(payload, config.limits);
    } catch (error) {
      refused += 1;
      err(`${path}: refused (${error instanceof FrameRefused ? error.reason : 'corrupt'}): ${(error as Error).message}`);
      continue;
    }
    if (!core) {
      site ??= wholeFrameSite(decoded.width, decoded.height);
      camera ||= site.zones.flatMap((z) => z.cameras)[0]?.camera ?? 'cam';
      core = createVideoCore(site, config, [camera]);
    }
    const analysis = core.analyse(camera, { ...decoded, atMs, sameBytes: previous !== undefined && previous.equals(payload), staleTimestamp: false });
    previous = payload;
    frames += 1;
    for (const f of analysis?.findings ?? []) {
      const l = line((atMs - start) / 1_000, f);
      const key = `${l.kind}${l.cleared ? '-cleared' : ''}`;
      counts[key] = (counts[key] ?? 0) + 1;
      out(JSON.stringify(l));
    }
    if (i % 50 === 49) err(`analysed ${i + 1}/${positionals.length} frames`);
  }
  const seconds = (performance.now() - started) / 1_000;
  out(JSON.stringify({ summary: true, frames, refused, seconds: Math.round(seconds * 100) / 100, framesPerSecond: Math.round((frames / Math.max(seconds, 1e-6)) * 10) / 10, findings: counts }));
  return 0;
}
