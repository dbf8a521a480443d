import { existsSync } from 'node:fs';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { parseSiteConfig } from '../../../protocol/site/site-config.ts';
import { createFramePlayer } from './play-frames.ts';

// Real photographs we did not render (Debian's opencv-doc sample data: a building, a
// house, fruit, a baboon), so the detectors are not tuned to firmware-sim's pictures only.
// Not committed: the test finds them where the package puts them; .ci/run installs it.
const DIR = '/usr/share/doc/opencv-doc/examples/data';
const PHOTOS = ['building.jpg', 'home.jpg', 'fruits.jpg', 'baboon.jpg'].map((f) => `${DIR}/${f}`);
const available = PHOTOS.filter((p) => existsSync(p));
if (available.length === 0) {
  if (process.env.REQUIRE_DEBIAN_FIXTURES === '1') throw new Error(`no photographs in ${DIR}: apt-get install -y opencv-doc`);
  console.log(`skipped: real-photo video tests need Debian's opencv-doc (photographs in ${DIR}); apt-get install -y opencv-doc`);
}

const SITE = parseSiteConfig(`
site: s1
timezone: UTC
zones:
  - id: bay-a
    kind: storage
    cameras: [{ camera: cam-a, roi: { x: 40, y: 120, width: 560, height: 320 } }]
`);
// Small frames keep the test quick; the detectors see every camera at 160 × 120 anyway.
const W = 320;
const H = 240;
const SHIFT = 32;
const T0 = Date.UTC(2024, 2, 12, 11);

/** Unit Gaussian-ish noise (sum of uniforms, fixed seed), read at a different offset per frame as sensors differ frame to frame. */
const NOISE = (() => {
  let s = 12_345;
  const next = () => (s = (s * 1_664_525 + 1_013_904_223) >>> 0) / 2 ** 32;
  return Float32Array.from({ length: W * H * 3 + 65_536 }, () => (next() + next() + next() + next() - 2) * 1.73);
})();

async function rawOf(image: Sharp): Promise<Uint8Array> {
  return new Uint8Array(await image.removeAlpha().resize(W, H, { fit: 'cover' }).raw().toBuffer());
}

/** One camera frame: the scene × gain plus fresh sensor noise, JPEG-compressed like a camera's. */
async function frame(scene: Uint8Array, o: { gain?: number | undefined; noiseSd?: number | undefined; seed: number }): Promise<Buffer> {
  const offset = (o.seed * 7_919) % 65_536;
  const out = Buffer.alloc(scene.length);
  const gain = o.gain ?? 1;
  const sd = o.noiseSd ?? 3;
  for (let i = 0; i < scene.length; i += 1) out[i] = Math.max(0, Math.min(255, Math.round((scene[i] as number) * gain + (NOISE[offset + i] as number) * sd)));
  return sharp(out, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: 75 }).toBuffer();
}

interface Variant {
  name: string;
  expect: string | undefined;
  /** The altered view, made once per photo from the photo resized to the frame (`fitted`). */
  scene?: (fitted: Sharp, wide: Buffer) => Promise<Uint8Array>;
  gain?: number;
  noiseSd?: number;
  /** Send the very same bytes every frame. */
  repeat?: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'made dark (night, not a cover)', expect: undefined, gain: 0.3, noiseSd: 6 },
  { name: 'much noisier', expect: undefined, noiseSd: 12 },
  { name: 'covered (dark and uniform)', expect: 'covered', scene: (fitted) => rawOf(fitted.blur(60).linear(0.08, 4)), noiseSd: 1 },
  { name: 'blurred', expect: 'blurred', scene: (fitted) => rawOf(fitted.blur(3)) },
  { name: 'shifted 10 %', expect: 'moved', scene: (_f, wide) => rawOf(sharp(wide).extract({ left: 0, top: 0, width: W, height: H })) },
  { name: 'repeated', expect: 'frozen', repeat: true },
];

describe.skipIf(available.length === 0)('video tamper on real photographs', () => {
  for (const variant of VARIANTS) {
    it(`${variant.name}: ${variant.expect ?? 'no tamper'}`, async () => {
      for (const photo of available) {
        // The normal view is the photo cropped a little from the right, so "shifted" really moves it.
        const wide = await sharp(photo).resize(W + SHIFT, H, { fit: 'cover' }).toBuffer();
        const normal = await rawOf(sharp(wide).extract({ left: SHIFT, top: 0, width: W, height: H }));
        const altered = variant.scene ? await variant.scene(sharp(await sharp(wide).extract({ left: SHIFT, top: 0, width: W, height: H }).toBuffer()), wide) : normal;
        const player = createFramePlayer(SITE);
        let t = T0;
        for (let i = 0; i < 10; i += 1, t += 500) await player.play('cam-a', await frame(normal, { seed: i + 1 }), { ts: new Date(t).toISOString() }, t);
        expect(player.seen, `${photo}: nothing before the change`).toEqual([]);
        const repeated = await frame(altered, { seed: 99, gain: variant.gain, noiseSd: variant.noiseSd });
        for (let i = 0; i < 10; i += 1, t += 500) {
          const payload = variant.repeat ? repeated : await frame(altered, { seed: 100 + i, gain: variant.gain, noiseSd: variant.noiseSd });
          await player.play('cam-a', payload, { ts: new Date(t).toISOString() }, t);
        }
        const kinds = player.seen.flatMap((s) => (s.finding.type === 'tamper' ? [s.finding.finding.kind] : []));
        expect(kinds[0], photo).toBe(variant.expect);
      }
    }, 30_000);
  }
});
