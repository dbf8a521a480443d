import type { GreyFrame } from './grey-frame.ts';

/** What one frame says on its own, before any comparison with the camera's past. */
export interface FrameFeatures {
  meanLuma: number;
  /** Spatial standard deviation of luma: a covered lens is dark or bright but uniform. */
  sdLuma: number;
  /** Shannon entropy of the luma histogram, bits (0–8). */
  entropy: number;
  /** Mean gradient magnitude over the frame (levels per pixel). */
  gradient: number;
  /**
   * Gradient energy against contrast (gradient / sdLuma): independent of gain, so lamps
   * and dusk do not change it, while defocus lowers it at once.
   */
  sharpness: number;
  /** Share of pixels at or below the black level (no signal). */
  blackFraction: number;
}

/** Gradient magnitude per pixel (|gx| + |gy| of central differences), zero on the border. */
export function gradientMap(frame: GreyFrame, out: Float32Array = new Float32Array(frame.width * frame.height)): Float32Array {
  const { width: w, height: h, data } = frame;
  for (let y = 1; y < h - 1; y += 1) {
    const row = y * w;
    for (let x = 1; x < w - 1; x += 1) {
      const i = row + x;
      const gx = (data[i + 1] as number) - (data[i - 1] as number);
      const gy = (data[i + w] as number) - (data[i - w] as number);
      out[i] = (gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy);
    }
  }
  return out;
}

const BLACK_LEVEL = 4;

export function frameFeatures(frame: GreyFrame, gradients: Float32Array): FrameFeatures {
  const { data } = frame;
  const n = data.length;
  const histogram = new Uint32Array(256);
  let sum = 0;
  let sumSq = 0;
  let black = 0;
  for (let i = 0; i < n; i += 1) {
    const v = data[i] as number;
    histogram[v] = (histogram[v] as number) + 1;
    sum += v;
    sumSq += v * v;
    if (v <= BLACK_LEVEL) black += 1;
  }
  const meanLuma = sum / n;
  const sdLuma = Math.sqrt(Math.max(0, sumSq / n - meanLuma * meanLuma));
  let entropy = 0;
  for (let v = 0; v < 256; v += 1) {
    const c = histogram[v] as number;
    if (c > 0) {
      const p = c / n;
      entropy -= p * Math.log2(p);
    }
  }
  let g = 0;
  for (let i = 0; i < gradients.length; i += 1) g += gradients[i] as number;
  const inner = Math.max(1, (frame.width - 2) * (frame.height - 2));
  const gradient = g / inner;
  return { meanLuma, sdLuma, entropy, gradient, sharpness: gradient / Math.max(sdLuma, 1), blackFraction: black / n };
}
