// `npm run train:vision`: renders labelled ROIs with firmware-sim, trains the ROI
// classifier, saves its weights in gateway/video/classifier/model/, and prints the accuracy and
// confusion matrix on a held-out rendered set (another seed). Progress on stderr.
import { mkdir, writeFile } from 'node:fs/promises';
import { loadTensorflow } from '../../gateway/ml/tensorflow.ts';
import { renderRoiSamples, type RoiSample } from './render-roi-samples.ts';
import { buildRoiModel } from '../../gateway/video/classifier/roi-model.ts';
import { INPUT_HEIGHT, INPUT_WIDTH, ROI_LABELS } from '../../gateway/video/classifier/roi-input.ts';

const TRAIN_PER_LABEL = Number(process.env.TRAIN_PER_LABEL ?? 150);
const TEST_PER_LABEL = Number(process.env.TEST_PER_LABEL ?? 50);
const EPOCHS = Number(process.env.TRAIN_EPOCHS ?? 15);

function bar(label: string, done: number, total: number): void {
  const width = 30;
  const filled = Math.round((done / total) * width);
  process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
  if (done === total) process.stderr.write('\n');
}

const started = Date.now();
const { tf, backend: loadedBackend } = await loadTensorflow();
// The wasm backend has no gradient kernels for convolutions (Conv2DBackpropFilter): train
// on cpu (unless tfjs-node is there), classify on whatever loaded.
if (loadedBackend === 'wasm') await tf.setBackend('cpu');
const backend = tf.getBackend();
process.stderr.write(`TensorFlow.js backend for training: ${backend}\n`);
const train = await renderRoiSamples(TRAIN_PER_LABEL, 1, (d, t) => bar('rendering training set', d, t));
const test = await renderRoiSamples(TEST_PER_LABEL, 2, (d, t) => bar('rendering held-out set', d, t));

const tensors = (samples: RoiSample[]) => {
  const x = new Float32Array(samples.length * INPUT_WIDTH * INPUT_HEIGHT);
  samples.forEach((s, i) => x.set(s.input, i * INPUT_WIDTH * INPUT_HEIGHT));
  const y = samples.map((s) => ROI_LABELS.indexOf(s.label));
  return { xs: tf.tensor4d(x, [samples.length, INPUT_HEIGHT, INPUT_WIDTH, 1]), ys: tf.oneHot(tf.tensor1d(y, 'int32'), ROI_LABELS.length), y };
};
const trainT = tensors(train);
const testT = tensors(test);

const model = buildRoiModel(tf);
await model.fit(trainT.xs, trainT.ys, {
  epochs: EPOCHS,
  batchSize: 32,
  shuffle: true,
  verbose: 0,
  callbacks: {
    onEpochEnd: (epoch, logs) => {
      bar('training', epoch + 1, EPOCHS);
      if (epoch + 1 === EPOCHS) process.stderr.write(`loss ${logs?.loss?.toFixed(3)} accuracy ${logs?.acc?.toFixed(3)}\n`);
    },
  },
});

const predicted = Array.from((model.predict(testT.xs) as import('@tensorflow/tfjs').Tensor).argMax(-1).dataSync());
const confusion = ROI_LABELS.map(() => ROI_LABELS.map(() => 0));
predicted.forEach((p, i) => {
  const row = confusion[testT.y[i] as number] as number[];
  row[p] = (row[p] as number) + 1;
});
const correct = predicted.filter((p, i) => p === testT.y[i]).length;

const dir = new URL('../../gateway/video/classifier/model/', import.meta.url);
await mkdir(dir, { recursive: true });
await model.save(
  tf.io.withSaveHandler(async (artifacts) => {
    const weights = artifacts.weightData instanceof ArrayBuffer ? new Uint8Array(artifacts.weightData) : new Uint8Array(await new Blob(artifacts.weightData as ArrayBuffer[]).arrayBuffer());
    await writeFile(new URL('model.json', dir), `${JSON.stringify({ modelTopology: artifacts.modelTopology, weightSpecs: artifacts.weightSpecs, labels: ROI_LABELS })}\n`);
    await writeFile(new URL('weights.bin', dir), weights);
    process.stderr.write(`saved ${weights.length} bytes of weights to gateway/video/classifier/model/\n`);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }),
);

const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`held-out accuracy: ${correct}/${test.length} = ${((100 * correct) / test.length).toFixed(1)} % (backend ${backend}, ${((Date.now() - started) / 1000).toFixed(0)} s)`);
console.log(`confusion (rows: truth, columns: predicted)\n${pad('', 22)}${ROI_LABELS.map((l) => pad(l, 22)).join('')}`);
ROI_LABELS.forEach((l, i) => console.log(`${pad(l, 22)}${(confusion[i] as number[]).map((n) => pad(n, 22)).join('')}`));
console.log(JSON.stringify({ accuracy: correct / test.length, test: test.length, train: train.length, epochs: EPOCHS, confusion, labels: ROI_LABELS }));
