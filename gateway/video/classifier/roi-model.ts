import type { LoadedTensorflow } from '../../ml/tensorflow.ts';
import { INPUT_HEIGHT, INPUT_WIDTH, ROI_LABELS } from './roi-input.ts';

type Tf = LoadedTensorflow['tf'];

/**
 * A small CNN (about 20 k weights): two strided convolutions (cheaper to train on the cpu
 * backend than convolution plus pooling), one hidden dense layer, four labels.
 */
export function buildRoiModel(tf: Tf) {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [INPUT_HEIGHT, INPUT_WIDTH, 1], filters: 8, kernelSize: 5, strides: 2, activation: 'relu', padding: 'same' }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 3, strides: 2, activation: 'relu', padding: 'same' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dropout({ rate: 0.25 }));
  model.add(tf.layers.dense({ units: 24, activation: 'relu' }));
  model.add(tf.layers.dense({ units: ROI_LABELS.length, activation: 'softmax' }));
  model.compile({ optimizer: tf.train.adam(0.003), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return model;
}
