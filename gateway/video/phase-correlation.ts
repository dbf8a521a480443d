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
 * does not. Works on an N × N window (Hann-tapered centre of the frame, zero-padded).
 */
export function createPhaseCorrelator(size = 128) {
  const fft = new FFT(size);
  const n = size;
  const rowIn = fft.createComplexArray() as number[];
  const rowOut = fft.createComplexArray() as number[];
  const work = new Float64Array(n * n * 2);
  const hann = (i: number, len: number) => 0.5 - 0.5 * Math.cos((2 * Math.PI * (i + 0.5)) / len);

  function transform2d(buffer: Float64Array, inverse: boolean): void {
    const run = (input: number[], output: number[]) => (inverse ? fft.inverseTransform(output, input) : fft.transform(output, input));
    for (let y = 0; y < n; y += 1) {
      const base = y * n * 2;
      for (let i = 0; i < n * 2; i += 1) rowIn[i] = buffer[base + i] as number;
      run(rowIn, rowOut);
      for (let i = 0; i < n * 2; i += 1) buffer[base + i] = rowOut[i] as number;
    }
    for (let x = 0; x < n; x += 1) {
      for (let y = 0; y < n; y += 1) {
        const s = (y * n + x) * 2;
        rowIn[y * 2] = buffer[s] as number;
        rowIn[y * 2 + 1] = buffer[s + 1] as number;
      }
      run(rowIn, rowOut);
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
      const w = Math.min(n, frame.width);
      const h = Math.min(n, frame.height);
      const x0 = Math.floor((frame.width - w) / 2);
      const y0 = Math.floor((frame.height - h) / 2);
      let mean = 0;
      for (let y = 0; y < h; y += 1) for (let x = 0; x < w; x += 1) mean += frame.data[(y0 + y) * frame.width + x0 + x] as number;
      mean /= w * h;
      const out = new Float64Array(n * n * 2);
      for (let y = 0; y < h; y += 1) {
        const wy = hann(y, h);
        for (let x = 0; x < w; x += 1) {
          const v = (frame.data[(y0 + y) * frame.width + x0 + x] as number) - mean;
          out[(y * n + x) * 2] = v * wy * hann(x, w);
        }
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
        const mag = Math.hypot(re, im);
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
      return { dx: px >= n / 2 ? px - n : px, dy: py >= n / 2 ? py - n : py, peak: Math.max(0, best) };
    },
  };
}

export type PhaseCorrelator = ReturnType<typeof createPhaseCorrelator>;
