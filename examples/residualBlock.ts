// Skip connections / residual learning (lecture notes, "Purpose of skip
// connections"). The signal feeding into a block is added to the block's
// output, so the block only has to learn h(x) - x (the "residual").
//
// Built with the functional API (tf.input / layer.apply / tf.model), because
// a Sequential model cannot express the second path.
//
// What to look at:
//  - the Add layers: both inputs must have the same shape. The first block
//    keeps 16 channels, so x is added as it is (identity shortcut). The second
//    block goes to 32 channels, so the shortcut gets a 1x1 convolution
//    ("projection") first. Compare with broken/residualWithoutProjection.ts.
//  - train on MNIST, then Activations: each block's output = input + residual.
import * as tf from '@tensorflow/tfjs';

const NUM_CLASSES = 10;

/** Two 3x3 convolutions plus a shortcut; the shortcut is projected when the channel count changes. */
export function residualBlock(x: tf.SymbolicTensor, filters: number): tf.SymbolicTensor {
  const channelsIn = x.shape[x.shape.length - 1];
  // the shortcut: x itself, or a 1x1 conv that gives it `filters` channels
  const shortcut = channelsIn === filters
    ? x
    : (tf.layers.conv2d({ filters, kernelSize: 1 }).apply(x) as tf.SymbolicTensor);

  let y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(y) as tf.SymbolicTensor;

  const sum = tf.layers.add().apply([shortcut, y]) as tf.SymbolicTensor; // h(x) = x + F(x)
  return tf.layers.activation({ activation: 'relu' }).apply(sum) as tf.SymbolicTensor;
}

export function buildResidualNet(): tf.LayersModel {
  const image = tf.input({ shape: [28, 28, 1] });
  let x = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(image) as tf.SymbolicTensor;

  x = residualBlock(x, 16); // 16 -> 16 channels: identity shortcut
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor; // 28x28 -> 14x14
  x = residualBlock(x, 32); // 16 -> 32 channels: projection shortcut

  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const probs = tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;

  const resnet = tf.model({ inputs: image, outputs: probs, name: 'mini_resnet' });
  resnet.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  return resnet;
}

export const resnet = buildResidualNet();

/** Train `resnet`: xs [n, 28, 28, 1], ys one-hot [n, 10]. Not run on import. */
export async function train(xs: tf.Tensor, ys: tf.Tensor): Promise<tf.History> {
  return resnet.fit(xs, ys, { epochs: 1, batchSize: 64, validationSplit: 0.1 });
}
