import { readFile } from 'node:fs/promises';
import type { LayersModel, io } from '@tensorflow/tfjs';
import { loadTensorflow, type LoadedTensorflow } from '../../ml/tensorflow.ts';
import { AUDIO_CLASSES, type AudioClass } from './audio-classes.ts';
import { INPUT_SHAPE, INPUT_SIZE, modelInput } from './model-input.ts';

export interface Classification {
  label: AudioClass;
  confidence: number;
  /** One probability per AUDIO_CLASSES entry. */
  probabilities: Float32Array;
}

export interface AudioClassifier {
  readonly backend: string;
  /** Classifies log-mel windows in one batch; synchronous (cpu and wasm backends read back at once). */
  classify(windows: readonly Float32Array[]): Classification[];
}

const MODEL_DIR = new URL('../model/', import.meta.url);
export const MODEL_JSON = new URL('audio-classifier.json', MODEL_DIR);
export const MODEL_WEIGHTS = new URL('audio-classifier.weights.bin', MODEL_DIR);

/** The model file as `tf.io.withSaveHandler` wrote it (train-audio.ts), with our metadata. */
export interface SavedModelFile {
  modelTopology: io.ModelArtifacts['modelTopology'];
  weightSpecs: io.WeightsManifestEntry[];
  classes: string[];
}

export function classifierFrom(loaded: LoadedTensorflow, model: LayersModel): AudioClassifier {
  const { tf } = loaded;
  return {
    backend: loaded.backend,
    classify(windows) {
      if (windows.length === 0) return [];
      const batch = new Float32Array(windows.length * INPUT_SIZE);
      windows.forEach((w, i) => modelInput(w, batch, i * INPUT_SIZE));
      const probabilities = tf.tidy(() => (model.predict(tf.tensor3d(batch, [windows.length, ...INPUT_SHAPE])) as ReturnType<typeof tf.tensor>).dataSync() as Float32Array);
      const n = AUDIO_CLASSES.length;
      return windows.map((_, i) => {
        const p = probabilities.slice(i * n, (i + 1) * n);
        let best = 0;
        for (let k = 1; k < n; k += 1) if ((p[k] as number) > (p[best] as number)) best = k;
        return { label: AUDIO_CLASSES[best] as AudioClass, confidence: p[best] as number, probabilities: p };
      });
    },
  };
}

/** Loads the committed model (gateway/audio/model/) on the shared TensorFlow.js backend. */
export async function loadAudioClassifier(files = { json: MODEL_JSON, weights: MODEL_WEIGHTS }): Promise<AudioClassifier> {
  const loaded = await loadTensorflow();
  const saved = JSON.parse(await readFile(files.json, 'utf8')) as SavedModelFile;
  if (saved.classes.join() !== AUDIO_CLASSES.join()) throw new Error(`audio model classes ${saved.classes.join()} are not ${AUDIO_CLASSES.join()}`);
  const weights = await readFile(files.weights);
  const model = await loaded.tf.loadLayersModel(
    loaded.tf.io.fromMemory({ modelTopology: saved.modelTopology, weightSpecs: saved.weightSpecs, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }),
  );
  return classifierFrom(loaded, model);
}
