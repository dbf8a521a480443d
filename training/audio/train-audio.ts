/**
 * `npm run train:audio`: trains the audio classifier on sound the simulator synthesises
 * (firmware-sim/audio) and writes gateway/audio/model/. Held-out examples come from other
 * seeds; their accuracy and confusion matrix are printed and saved with the model.
 * Runs on TensorFlow.js's cpu backend: the wasm backend has no convolution gradients.
 * Options: --per-class N (default 200), --epochs N (default 10), --seed N (default 1).
 */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { loadTensorflow } from '../../gateway/ml/tensorflow.ts';
import { AUDIO_CLASSES } from '../../gateway/audio/classifier/audio-classes.ts';
import { MODEL_JSON, MODEL_WEIGHTS, classifierFrom, type SavedModelFile } from '../../gateway/audio/classifier/audio-classifier.ts';
import { INPUT_SHAPE, INPUT_SIZE, modelInput } from '../../gateway/audio/classifier/model-input.ts';
import { confusionMarkdown, evaluate } from './evaluation.ts';
import { progressBar } from './progress-bar.ts';
import { synthesiseSet, type Example } from './training-set.ts';

const { values } = parseArgs({ options: { 'per-class': { type: 'string', default: '200' }, epochs: { type: 'string', default: '10' }, seed: { type: 'string', default: '1' } } });
const perClass = Number(values['per-class']);
const epochs = Number(values.epochs);
const seed = Number(values.seed);
if (![perClass, epochs, seed].every((n) => Number.isInteger(n) && n > 0)) throw new Error('--per-class, --epochs and --seed must be positive integers');

const loaded = await loadTensorflow();
const { tf } = loaded;
await tf.setBackend('cpu');
const started = Date.now();
const cpuStarted = process.cpuUsage();

const train = synthesiseSet(perClass, seed, (d, t) => d % 30 === 0 && progressBar('synthesising training set', d, t));
const heldOut = synthesiseSet(Math.max(20, Math.round(perClass / 4)), seed + 7_919, (d, t) => d % 30 === 0 && progressBar('synthesising held-out set', d, t));

function tensors(set: readonly Example[]) {
  const x = new Float32Array(set.length * INPUT_SIZE);
  set.forEach((e, i) => modelInput(e.logMel, x, i * INPUT_SIZE));
  return { x: tf.tensor3d(x, [set.length, ...INPUT_SHAPE]), y: tf.oneHot(tf.tensor1d(set.map((e) => e.classIndex), 'int32'), AUDIO_CLASSES.length) };
}

// Small on purpose (about 0.3 M multiply-adds per second of sound): a 1-D CNN over time
// with the 64 mel bands as channels. Dense layers applied per time step are the
// convolutions (model-input.ts lays out each step with its neighbours).
const model = tf.sequential();
model.add(tf.layers.dense({ inputShape: [...INPUT_SHAPE], units: 32, activation: 'relu' }));
model.add(tf.layers.maxPooling1d({ poolSize: 2 }));
model.add(tf.layers.dense({ units: 32, activation: 'relu' }));
model.add(tf.layers.globalAveragePooling1d({}));
model.add(tf.layers.dropout({ rate: 0.2 }));
model.add(tf.layers.dense({ units: AUDIO_CLASSES.length, activation: 'softmax' }));
model.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });

const { x, y } = tensors(train);
const batchSize = 32;
const batches = Math.ceil(train.length / batchSize);
let currentEpoch = 0;
await model.fit(x, y, {
  epochs,
  batchSize,
  shuffle: true,
  callbacks: {
    onBatchEnd: async (batch, logs) => progressBar(`epoch ${String(currentEpoch + 1).padStart(2)}/${epochs}`, batch + 1, batches, `loss ${(logs?.loss ?? 0).toFixed(3)} acc ${(logs?.acc ?? 0).toFixed(3)}`),
    onEpochBegin: async (epoch) => {
      currentEpoch = epoch;
    },
  },
});

const classifier = classifierFrom(loaded, model);
const predicted = classifier.classify(heldOut.map((e) => e.logMel)).map((c) => AUDIO_CLASSES.indexOf(c.label));
const evaluation = evaluate(heldOut.map((e) => e.classIndex), predicted);

await model.save(
  tf.io.withSaveHandler(async (artifacts) => {
    const file: SavedModelFile & Record<string, unknown> = {
      modelTopology: artifacts.modelTopology,
      weightSpecs: artifacts.weightSpecs ?? [],
      classes: [...AUDIO_CLASSES],
      training: { perClass, heldOutPerClass: heldOut.length / AUDIO_CLASSES.length, epochs, seed, accuracy: evaluation.accuracy, confusion: evaluation.confusion },
    };
    await writeFile(MODEL_JSON, `${JSON.stringify(file)}\n`);
    const data = artifacts.weightData;
    await writeFile(MODEL_WEIGHTS, new Uint8Array(Array.isArray(data) ? await new Blob(data).arrayBuffer() : (data as ArrayBuffer)));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }),
);

const cpu = process.cpuUsage(cpuStarted);
process.stderr.write(`trained in ${((Date.now() - started) / 1000).toFixed(0)} s (${((cpu.user + cpu.system) / 1e6).toFixed(0)} s of CPU) on the cpu backend\n`);
process.stdout.write(`held-out accuracy ${(evaluation.accuracy * 100).toFixed(1)} % on ${heldOut.length} windows\n\n${confusionMarkdown(evaluation)}\n`);
