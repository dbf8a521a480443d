import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseVideo } from '../../../gateway/video/cli/analyse-video.ts';
import { texturedJpeg } from './stage-harness.ts';

const dirs: string[] = [];
afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

describe('npm run analyse -- video', () => {
  it('prints one JSON line per finding with t in seconds at --fps, then a summary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'analyse-video-'));
    dirs.push(dir);
    const covered = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#0c0c0c' } }).png().toBuffer();
    const files: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const path = join(dir, `frame-${String(i).padStart(3, '0')}.${i < 10 ? 'jpg' : 'png'}`);
      await writeFile(path, i < 10 ? await texturedJpeg(i + 1) : covered);
      files.push(path);
    }
    await writeFile(join(dir, 'junk.jpg'), 'not an image');
    const out: string[] = [];
    const err: string[] = [];
    const code = await analyseVideo(['--fps', '2', ...files.slice(0, 10), join(dir, 'junk.jpg'), ...files.slice(10)], (l) => out.push(l), (l) => err.push(l));
    expect(code).toBe(0);
    const lines = out.map((l) => JSON.parse(l) as Record<string, unknown>);
    const findings = lines.filter((l) => l.summary !== true);
    expect(findings[0]).toMatchObject({ kind: 'covered' });
    // The cover starts at frame 11 (t = 5.5 s, the junk file took a slot) and is confirmed 2 s later.
    expect(findings[0]?.t).toBeGreaterThanOrEqual(7.5);
    expect(findings[0]?.t).toBeLessThanOrEqual(9);
    expect(lines.at(-1)).toMatchObject({ summary: true, frames: 20, refused: 1, findings: { covered: 1 } });
    expect(err.some((l) => l.includes('junk.jpg: refused (wrong_type)'))).toBe(true);
    expect(await analyseVideo(['--fps', '0', files[0] as string], () => {}, () => {})).toBe(2);
  });
});
