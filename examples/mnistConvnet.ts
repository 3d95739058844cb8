// MNIST convnet from the lecture notes (seed 000): Keras `models.Sequential()`
// rewritten in TensorFlow.js, plain script style.
import * as tf from '@tensorflow/tfjs';

const model = tf.sequential();
model.add(tf.layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [28, 28, 1] }));
model.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
model.add(tf.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
model.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
model.add(tf.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
model.add(tf.layers.flatten());
model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));

model.summary();

export { model };

/**
 * Train: xs [n, 28, 28, 1] digits in 0..1, ys [n, 10] one-hot labels, after a `model.compile`
 * (the training panel compiles it with the loss its softmax output implies). Not run on import.
 */
export async function train(xs: tf.Tensor, ys: tf.Tensor): Promise<tf.History> {
  return model.fit(xs, ys, { epochs: 4, batchSize: 32, validationSplit: 0.1 });
}
