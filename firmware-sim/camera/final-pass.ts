import type { Lighting } from './lighting.ts';

export const NOISE_SCALE = 20;

/**
 * A table of Gaussian noise (sd = NOISE_SCALE) read at a random offset per frame: drawing
 * fresh noise for 921,600 bytes per frame would cost more than encoding the JPEG.
 */
export function noiseTable(length: number, normal: () => number): Int8Array {
  const table = new Int8Array(length);
  for (let i = 0; i < length; i += 1) table[i] = Math.max(-127, Math.min(127, Math.round(normal() * NOISE_SCALE)));
  return table;
}

export interface FinishOptions {
  lighting: Lighting;
  noise: Int8Array;
  noiseOffset: number;
  /** Pixels that keep their own light (exit sign), as [start, end) byte ranges. */
  emissive: readonly [number, number][];
}

/** Lights the fully lit scene, washes out colour in low light and adds sensor noise. */
export function finishFrame(scene: Uint8Array, out: Uint8Array, o: FinishOptions): void {
  const [gr, gg, gb] = o.lighting.gain;
  const sat = o.lighting.saturation;
  const k = o.lighting.noiseSd / NOISE_SCALE;
  const noise = o.noise;
  const off = o.noiseOffset;
  const n = scene.length;
  for (let i = 0; i < n; i += 3) {
    let r = (scene[i] as number) * gr;
    let g = (scene[i + 1] as number) * gg;
    let b = (scene[i + 2] as number) * gb;
    if (sat < 1) {
      const y = 0.299 * r + 0.587 * g + 0.114 * b;
      r = y + (r - y) * sat;
      g = y + (g - y) * sat;
      b = y + (b - y) * sat;
    }
    // Uint8Array assignment truncates and wraps, so clamp first.
    const nr = r + (noise[off + i] as number) * k;
    const ng = g + (noise[off + i + 1] as number) * k;
    const nb = b + (noise[off + i + 2] as number) * k;
    out[i] = nr < 0 ? 0 : nr > 255 ? 255 : nr;
    out[i + 1] = ng < 0 ? 0 : ng > 255 ? 255 : ng;
    out[i + 2] = nb < 0 ? 0 : nb > 255 ? 255 : nb;
  }
  for (const [start, end] of o.emissive) {
    for (let i = start; i < end; i += 1) out[i] = scene[i] as number;
  }
}

/** Lens covered by a hand, tape or a bag: almost no light, a faint gradient, little noise. */
export function coveredFrame(out: Uint8Array, width: number, height: number, noise: Int8Array, noiseOffset: number): void {
  for (let y = 0; y < height; y += 1) {
    const base = 10 + (4 * y) / height;
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 3;
      out[i] = Math.max(0, base + 3 + (noise[noiseOffset + i] as number) / 16);
      out[i + 1] = Math.max(0, base + 1 + (noise[noiseOffset + i + 1] as number) / 16);
      out[i + 2] = Math.max(0, base + (noise[noiseOffset + i + 2] as number) / 16);
    }
  }
}

/**
 * The scene as a camera knocked sideways sees it: rotated about the centre and shifted,
 * nearest-neighbour sampled, mirrored at the edges so the new border looks like more bay.
 */
export function turnedScene(scene: Uint8Array, width: number, height: number, angleRad: number, dx: number, dy: number): Uint8Array {
  const out = new Uint8Array(scene.length);
  const cos = Math.cos(angleRad);
  const sin = Math.sin(angleRad);
  const cx = width / 2;
  const cy = height / 2;
  const mirror = (v: number, n: number) => {
    const p = ((v % (2 * n)) + 2 * n) % (2 * n);
    return p < n ? p : 2 * n - 1 - p;
  };
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const rx = x - cx - dx;
      const ry = y - cy - dy;
      const sx = mirror(Math.round(cos * rx + sin * ry + cx), width);
      const sy = mirror(Math.round(-sin * rx + cos * ry + cy), height);
      const d = (y * width + x) * 3;
      const s = (sy * width + sx) * 3;
      out[d] = scene[s] as number;
      out[d + 1] = scene[s + 1] as number;
      out[d + 2] = scene[s + 2] as number;
    }
  }
  return out;
}
