// BROKEN: a conv stack that shrinks to nothing.
//
// Every block is a 3x3 'valid' convolution (loses 2 pixels) and a 2x2 max
// pooling (halves what is left). On a 28x28 digit:
//   block 1: 28 -> 26 -> 13
//   block 2: 13 -> 11 -> 5
//   block 3:  5 ->  3 -> 1
//   block 4:  1 -> -1 ... a 3x3 filter does not fit in a 1x1 map.
// tfjs throws at the 4th model.add ("Negative dimension size caused by adding
// layer conv2d..."); Model Lens flags that line before anything runs, and its
// lenses show where the map got to 1x1.
//
// Fixes: N_BLOCKS = 3, or padding: 'same' on the convolutions (then only the
// poolings shrink the map: 28 -> 14 -> 7 -> 3 -> 1).
import * as tf from '@tensorflow/tfjs';

const N_BLOCKS = 4;

export const tooDeep = tf.sequential();
tooDeep.add(tf.layers.inputLayer({ inputShape: [28, 28, 1] }));
for (let i = 0; i < N_BLOCKS; i++) {
  const filters = 32 * 2 ** i; // 32, 64, 128, 256: more maps as they get smaller
  tooDeep.add(tf.layers.conv2d({ filters, kernelSize: 3, activation: 'relu' }));
  tooDeep.add(tf.layers.maxPooling2d({ poolSize: 2 }));
}
tooDeep.add(tf.layers.flatten());
tooDeep.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
