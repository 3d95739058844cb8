/**
 * A builder with no default sizes: this file never calls it, so Model Lens shows the model for
 * its call in train.ts ("for project/train.ts:…"); with several calls, the lens switches.
 */
import * as tf from '@tensorflow/tfjs';

export function buildAutoencoder(inputSize: number, latentSize: number): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 128, activation: 'relu', inputShape: [inputSize] }));
  model.add(tf.layers.dense({ units: latentSize, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dense({ units: inputSize, activation: 'sigmoid' }));
  return model;
}
