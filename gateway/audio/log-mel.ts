import FFT from 'fft.js';
import { MODEL_RATE } from './pcm-chunk.ts';

/** 25 ms analysis window, 10 ms hop, 64 mel bands: the usual front end of small audio CNNs. */
export const WINDOW_SAMPLES = 400;
export const HOP_SAMPLES = 160;
const FFT_SIZE = 512;
export const MEL_BANDS = 64;
const MEL_MIN_HZ = 60;
const MEL_MAX_HZ = MODEL_RATE / 2;
/** Power floor before the log: about −100 dB below a full-scale sine in a band. */
const POWER_FLOOR = 1e-10;

// HTK mel scale (Young et al., The HTK Book, section 5.4).
const hzToMel = (hz: number) => 2595 * Math.log10(1 + hz / 700);
const melToHz = (mel: number) => 700 * (10 ** (mel / 2595) - 1);

interface Band {
  first: number;
  weights: Float32Array;
}

/** Triangular filters, each with the FFT bins it covers (sparse: most weights are zero). */
function melFilterbank(): Band[] {
  const lo = hzToMel(MEL_MIN_HZ);
  const hi = hzToMel(MEL_MAX_HZ);
  const edges = Array.from({ length: MEL_BANDS + 2 }, (_, i) => melToHz(lo + ((hi - lo) * i) / (MEL_BANDS + 1)));
  const binHz = MODEL_RATE / FFT_SIZE;
  return Array.from({ length: MEL_BANDS }, (_, b) => {
    const [left, centre, right] = [edges[b] as number, edges[b + 1] as number, edges[b + 2] as number];
    const first = Math.max(0, Math.floor(left / binHz));
    const last = Math.min(FFT_SIZE / 2, Math.ceil(right / binHz));
    const weights = new Float32Array(last - first + 1);
    for (let k = first; k <= last; k += 1) {
      const hz = k * binHz;
      const w = hz <= centre ? (hz - left) / (centre - left) : (right - hz) / (right - centre);
      weights[k - first] = Math.max(0, w);
    }
    // Narrow low bands can fall between bins; give them the nearest bin rather than nothing.
    if (weights.every((w) => w === 0)) weights[Math.min(weights.length - 1, Math.round(centre / binHz) - first)] = 1;
    return { first, weights };
  });
}

/**
 * Log-mel frames with fft.js (a maintained radix-4 FFT): Hann-windowed 25 ms frames,
 * zero-padded to 512 points, power spectrum, 64 triangular mel bands, natural log.
 * One instance per stream: it owns its scratch buffers.
 */
export class LogMel {
  private readonly fft = new FFT(FFT_SIZE);
  private readonly input = new Float64Array(FFT_SIZE);
  private readonly spectrum: number[] = this.fft.createComplexArray() as number[];
  private readonly power = new Float64Array(FFT_SIZE / 2 + 1);
  private static readonly hann = Float64Array.from({ length: WINDOW_SAMPLES }, (_, i) => 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / WINDOW_SAMPLES));
  private static readonly bands = melFilterbank();

  /** Writes the frame starting at `samples[from]` into `out[at .. at+64)`. */
  frame(samples: Float32Array, from: number, out: Float32Array, at: number): void {
    const hann = LogMel.hann;
    for (let i = 0; i < WINDOW_SAMPLES; i += 1) this.input[i] = (samples[from + i] as number) * (hann[i] as number);
    this.fft.realTransform(this.spectrum, this.input);
    const s = this.spectrum;
    for (let k = 0; k <= FFT_SIZE / 2; k += 1) {
      const re = s[2 * k] as number;
      const im = s[2 * k + 1] as number;
      this.power[k] = re * re + im * im;
    }
    const bands = LogMel.bands;
    for (let b = 0; b < MEL_BANDS; b += 1) {
      const { first, weights } = bands[b] as Band;
      let sum = 0;
      for (let j = 0; j < weights.length; j += 1) sum += (weights[j] as number) * (this.power[first + j] as number);
      out[at + b] = Math.log(sum > POWER_FLOOR ? sum : POWER_FLOOR);
    }
  }
}
