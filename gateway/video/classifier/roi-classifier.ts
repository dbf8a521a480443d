import { readFile } from 'node:fs/promises';
import { loadTensorflow, type LoadedTensorflow } from '../../ml/tensorflow.ts';
import type { RoiLabel } from '../video-events.ts';
import { INPUT_HEIGHT, INPUT_WIDTH, ROI_LABELS, roiInput } from './roi-input.ts';

const MODEL_DIR = new URL('./model/', import.meta.url);

export interface RoiClassifier {
  backend: string;
  /** Labels an ROI of the analysis frame (row-major pixels); synchronous, about a millisecond. */
  classify(pixels: Float32Array, width: number, height: number): { label: RoiLabel; confidence: number };
}

/** Loads the committed weights (`npm run train:vision` writes them) with `tf.io.fromMemory`. */
export async function loadRoiClassifier(loaded?: LoadedTensorflow): Promise<RoiClassifier> {
  const { tf, backend } = loaded ?? (await loadTensorflow());
  const artifacts = JSON.parse(await readFile(new URL('model.json', MODEL_DIR), 'utf8')) as { modelTopology: object; weightSpecs: Parameters<typeof tf.io.fromMemory>[1] };
  const weights = await readFile(new URL('weights.bin', MODEL_DIR));
  const weightData = weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength);
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts.modelTopology, artifacts.weightSpecs, weightData));
  return {
    backend,
    classify(pixels, width, height) {
      const probabilities = tf.tidy(() => {
        const input = tf.tensor4d(roiInput(pixels, width, height), [1, INPUT_HEIGHT, INPUT_WIDTH, 1]);
        return (model.predict(input) as import('@tensorflow/tfjs').Tensor).dataSync();
      });
      let best = 0;
      for (let i = 1; i < probabilities.length; i += 1) if ((probabilities[i] as number) > (probabilities[best] as number)) best = i;
      return { label: ROI_LABELS[best] as RoiLabel, confidence: Math.round((probabilities[best] as number) * 1_000) / 1_000 };
    },
  };
}
