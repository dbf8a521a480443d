import { MEL_BANDS } from '../log-mel.ts';
import { WINDOW_FRAMES } from '../feature-stream.ts';

/** Time steps the network sees: the window's 10 ms frames averaged in pairs. */
const STEPS = WINDOW_FRAMES / 2;
/** Each step carries its own and its two neighbours' bands: the first layer is a 3-step convolution. */
const CONTEXT = 3;
export const INPUT_SHAPE = [STEPS, CONTEXT * MEL_BANDS] as const;
export const INPUT_SIZE = INPUT_SHAPE[0] * INPUT_SHAPE[1];
const SCALE = 1 / 4;

/**
 * A window's log-mel patch as the network sees it. Minus its own mean, so the
 * microphone's gain and distance do not decide the class (loudness is judged on its
 * own, in dBFS), and scaled to about unit spread. Pairs of frames are averaged (20 ms
 * steps) and each step is laid out with its neighbours, so the network's first dense
 * layer, applied per step, is a temporal convolution of kernel 3 over the 64 bands:
 * TensorFlow.js trains that as a matrix product, many times faster than its conv kernels.
 */
export function modelInput(logMel: Float32Array, out: Float32Array = new Float32Array(INPUT_SIZE), at = 0): Float32Array {
  let mean = 0;
  for (let i = 0; i < logMel.length; i += 1) mean += logMel[i] as number;
  mean /= logMel.length;
  const steps = new Float32Array(STEPS * MEL_BANDS);
  for (let s = 0; s < STEPS; s += 1) {
    for (let b = 0; b < MEL_BANDS; b += 1) {
      const a = logMel[2 * s * MEL_BANDS + b] as number;
      const c = logMel[(2 * s + 1) * MEL_BANDS + b] as number;
      steps[s * MEL_BANDS + b] = ((a + c) / 2 - mean) * SCALE;
    }
  }
  for (let s = 0; s < STEPS; s += 1) {
    for (let k = 0; k < CONTEXT; k += 1) {
      const from = Math.min(STEPS - 1, Math.max(0, s + k - 1)) * MEL_BANDS;
      out.set(steps.subarray(from, from + MEL_BANDS), at + s * CONTEXT * MEL_BANDS + k * MEL_BANDS);
    }
  }
  return out;
}
