import FFT from 'fft.js';
import type { GreyFrame } from './grey-frame.ts';

/** The frame's spectrum as phase correlation needs it (interleaved complex, N × N). */
export type Spectrum = Float64Array;

export interface Alignment {
  /** Translation of the current frame against the reference, analysis pixels. */
  dx: number;
  dy: number;
  /** Height of the correlation peak: 1 for the same picture, near 0 for unrelated ones. */
  peak: number;
}

/**
 * Phase correlation (Kuglin and Hines, 1975): the inverse transform of the normalised
 * cross-power spectrum of two frames peaks at their relative shift. Normalising away the
 * magnitude makes it indifferent to gain (lamps, dusk) and weights every frequency
 * alike, so a shifted or turned camera moves or flattens the peak while a changed light
 * does not. Works on the frame binned `bin` × `bin` (less noise, a quarter of the work at
 * 2), its centre Hann-tapered into an N × N window; shifts come back in frame pixels.
 */
export function createPhaseCorrelator(size = 64, bin = 2) {
  const fft = new FFT(size);
  const n = size;
  const rowIn = new Float64Array(n * 2);
  const rowOut = new Float64Array(n * 2);
  const work = new Float64Array(n * n * 2);
  const windows = new Map<number, Float64Array>();
  const hann = (len: number): Float64Array => {
    let w = windows.get(len);
    if (!w) {
      w = Float64Array.from({ length: len }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / len));
      windows.set(len, w);
    }
    return w;
  };

  function transform2d(buffer: Float64Array, inverse: boolean): void {
    for (let y = 0; y < n; y += 1) {
      const row = buffer.subarray(y * n * 2, (y + 1) * n * 2);
      rowIn.set(row);
      if (inverse) fft.inverseTransform(rowOut, rowIn);
      else fft.transform(rowOut, rowIn);
      row.set(rowOut);
    }
    for (let x = 0; x < n; x += 1) {
      for (let y = 0; y < n; y += 1) {
        const s = (y * n + x) * 2;
        rowIn[y * 2] = buffer[s] as number;
        rowIn[y * 2 + 1] = buffer[s + 1] as number;
      }
      if (inverse) fft.inverseTransform(rowOut, rowIn);
      else fft.transform(rowOut, rowIn);
      for (let y = 0; y < n; y += 1) {
        const s = (y * n + x) * 2;
        buffer[s] = rowOut[y * 2] as number;
        buffer[s + 1] = rowOut[y * 2 + 1] as number;
      }
    }
  }

  return {
    size,
    spectrum(frame: GreyFrame): Spectrum {
      const bw = Math.floor(frame.width / bin);
      const bh = Math.floor(frame.height / bin);
      const w = Math.min(n, bw);
      const h = Math.min(n, bh);
      const x0 = Math.floor((bw - w) / 2);
      const y0 = Math.floor((bh - h) / 2);
      const binned = new Float64Array(w * h);
      let mean = 0;
      for (let y = 0; y < h; y += 1) {
        for (let x = 0; x < w; x += 1) {
          let v = 0;
          for (let dy = 0; dy < bin; dy += 1) {
            const row = ((y0 + y) * bin + dy) * frame.width + (x0 + x) * bin;
            for (let dx = 0; dx < bin; dx += 1) v += frame.data[row + dx] as number;
          }
          binned[y * w + x] = v;
          mean += v;
        }
      }
      mean /= w * h;
      const wx = hann(w);
      const wy = hann(h);
      const out = new Float64Array(n * n * 2);
      for (let y = 0; y < h; y += 1) {
        const ky = wy[y] as number;
        for (let x = 0; x < w; x += 1) out[(y * n + x) * 2] = ((binned[y * w + x] as number) - mean) * ky * (wx[x] as number);
      }
      transform2d(out, false);
      return out;
    },
    align(reference: Spectrum, current: Spectrum): Alignment {
      for (let i = 0; i < n * n * 2; i += 2) {
        const ar = reference[i] as number;
        const ai = reference[i + 1] as number;
        const br = current[i] as number;
        const bi = current[i + 1] as number;
        // current × conj(reference): the peak lands at the current frame's shift.
        const re = br * ar + bi * ai;
        const im = bi * ar - br * ai;
        const mag = Math.sqrt(re * re + im * im);
        work[i] = mag > 1e-9 ? re / mag : 0;
        work[i + 1] = mag > 1e-9 ? im / mag : 0;
      }
      transform2d(work, true);
      let best = -Infinity;
      let at = 0;
      for (let i = 0; i < n * n; i += 1) {
        const v = work[i * 2] as number;
        if (v > best) {
          best = v;
          at = i;
        }
      }
      const px = at % n;
      const py = Math.floor(at / n);
      return { dx: (px >= n / 2 ? px - n : px) * bin, dy: (py >= n / 2 ? py - n : py) * bin, peak: Math.max(0, best) };
    },
  };
}

export type PhaseCorrelator = ReturnType<typeof createPhaseCorrelator>;
