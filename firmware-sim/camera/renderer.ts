import { Rng } from '../core/prng.ts';
import type { TamperMode } from '../engine/faults.ts';
import { coveredFrame, finishFrame, noiseTable, turnedScene } from './final-pass.ts';
import { encodeJpeg } from './jpeg.ts';
import type { Lighting } from './lighting.ts';
import { placeView } from './placement.ts';
import { blit, rasterise, type RgbaImage } from './raster.ts';
import type { SceneSnapshot } from './scene.ts';
import { backgroundSvg, exitSignRect, spriteSvg, type BackgroundStyle, type SpriteKind } from './sprites.ts';

export interface CameraLook {
  style: BackgroundStyle;
  /** How this camera ends up when knocked: rotation and shift. */
  turn: { angleRad: number; dx: number; dy: number };
}

export interface FrameRequest {
  cameraId: string;
  width: number;
  height: number;
  quality: number;
  look: CameraLook;
  scene: SceneSnapshot;
  lighting: Lighting;
  tamper: Exclude<TamperMode, 'frozen'> | undefined;
  noiseOffset: number;
  comment: string;
}

/** Room in the noise table for a random start offset per frame. */
export const NOISE_SLACK = 1 << 20;

interface Composed {
  key: string;
  scene: Promise<Uint8Array>;
  turned: Promise<Uint8Array> | undefined;
}

/**
 * Renders camera frames. The costly parts are done rarely and cached: the empty bay once
 * per camera, each sprite once per size, the goods composited only when the scene's key
 * changes (stock moved, someone working). A frame then costs one pass for light and noise
 * plus a JPEG encode in sharp's thread pool. Everything is a function of the request, so a
 * seed still gives the same bytes.
 */
export class FrameRenderer {
  private readonly backgrounds = new Map<string, Promise<Uint8Array>>();
  private readonly sprites = new Map<string, Promise<RgbaImage>>();
  private readonly composed = new Map<string, Composed>();
  private readonly noise = new Map<string, Int8Array>();
  private readonly vignettes = new Map<string, Float32Array>();

  async render(req: FrameRequest): Promise<Buffer> {
    const { width, height } = req;
    const noise = this.noiseFor(width, height);
    const out = new Uint8Array(width * height * 3);
    if (req.tamper === 'covered') {
      coveredFrame(out, width, height, noise, req.noiseOffset);
    } else {
      const scene = await this.sceneFor(req);
      finishFrame(scene, out, { lighting: req.lighting, noise, noiseOffset: req.noiseOffset, emissive: emissive(width, height) });
    }
    return encodeJpeg(out, {
      width,
      height,
      quality: req.quality,
      blurSigma: req.tamper === 'blurred' ? Math.max(4, width / 90) : 0,
      comment: req.comment,
    });
  }

  private sceneFor(req: FrameRequest): Promise<Uint8Array> {
    let entry = this.composed.get(req.cameraId);
    if (!entry || entry.key !== req.scene.key) {
      entry = { key: req.scene.key, scene: this.compose(req), turned: undefined };
      this.composed.set(req.cameraId, entry);
    }
    if (req.tamper !== 'moved') return entry.scene;
    if (!entry.turned) {
      const { angleRad, dx, dy } = req.look.turn;
      entry.turned = entry.scene.then((s) => turnedScene(s, req.width, req.height, angleRad, dx, dy));
    }
    return entry.turned;
  }

  private async compose(req: FrameRequest): Promise<Uint8Array> {
    const { width, height } = req;
    const canvas = (await this.background(req)).slice();
    const ops = req.scene.views.flatMap((v) => placeView(v));
    const images = await Promise.all(ops.map((op) => this.sprite(op.kind, op.w, op.h)));
    ops.forEach((op, i) => blit(canvas, width, height, images[i] as RgbaImage, op.x, op.y));
    const v = this.vignette(width, height);
    for (let p = 0, i = 0; p < v.length; p += 1, i += 3) {
      const k = v[p] as number;
      canvas[i] = (canvas[i] as number) * k;
      canvas[i + 1] = (canvas[i + 1] as number) * k;
      canvas[i + 2] = (canvas[i + 2] as number) * k;
    }
    return canvas;
  }

  private background(req: FrameRequest): Promise<Uint8Array> {
    const key = `${req.cameraId}:${req.width}x${req.height}`;
    let bg = this.backgrounds.get(key);
    if (!bg) {
      bg = rasterise(backgroundSvg(req.width, req.height, req.look.style)).then(toRgb);
      this.backgrounds.set(key, bg);
    }
    return bg;
  }

  private sprite(kind: SpriteKind, w: number, h: number): Promise<RgbaImage> {
    const key = `${kind}:${w}x${h}`;
    let img = this.sprites.get(key);
    if (!img) {
      img = rasterise(spriteSvg(kind, w, h));
      this.sprites.set(key, img);
    }
    return img;
  }

  private noiseFor(width: number, height: number): Int8Array {
    const key = `${width}x${height}`;
    let table = this.noise.get(key);
    if (!table) {
      // A fixed seed: which part of the table a frame uses is what the run's seed decides.
      const rng = new Rng(0x5eed);
      table = noiseTable(width * height * 3 + NOISE_SLACK, () => rng.normal());
      this.noise.set(key, table);
    }
    return table;
  }

  /** Lens fall-off, baked into the composed scene. */
  private vignette(width: number, height: number): Float32Array {
    const key = `${width}x${height}`;
    let v = this.vignettes.get(key);
    if (!v) {
      v = new Float32Array(width * height);
      for (let y = 0; y < height; y += 1) {
        for (let x = 0; x < width; x += 1) {
          const nx = (x - width / 2) / (width / 2);
          const ny = (y - height / 2) / (height / 2);
          v[y * width + x] = 1 - 0.22 * (nx * nx + ny * ny);
        }
      }
      this.vignettes.set(key, v);
    }
    return v;
  }
}

function toRgb(img: RgbaImage): Uint8Array {
  const out = new Uint8Array(img.width * img.height * 3);
  for (let p = 0, s = 0, d = 0; p < img.width * img.height; p += 1, s += 4, d += 3) {
    out[d] = img.data[s] as number;
    out[d + 1] = img.data[s + 1] as number;
    out[d + 2] = img.data[s + 2] as number;
  }
  return out;
}

function emissive(width: number, height: number): [number, number][] {
  const r = exitSignRect(width, height);
  const ranges: [number, number][] = [];
  for (let y = r.y; y < r.y + r.height; y += 1) ranges.push([(y * width + r.x) * 3, (y * width + r.x + r.width) * 3]);
  return ranges;
}
