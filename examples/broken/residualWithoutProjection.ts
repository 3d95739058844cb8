// BROKEN: a residual block whose shortcut is not projected. The block changes
// the number of channels (32 -> 64), so the identity shortcut cannot be added.
import * as tf from '@tensorflow/tfjs';

export function residualBlock(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  let y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(y) as tf.SymbolicTensor;
  return tf.layers.add().apply([x, y]) as tf.SymbolicTensor;
}

export function buildNet() {
  const image = tf.input({ shape: [32, 32, 3] });
  let x = tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same' }).apply(image) as tf.SymbolicTensor;
  x = residualBlock(x, 32);
  x = residualBlock(x, 64);
  const out = tf.layers.dense({ units: 10 }).apply(tf.layers.flatten().apply(x)) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: out });
}
