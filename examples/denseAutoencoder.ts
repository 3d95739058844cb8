// A dense autoencoder for MNIST, 784-128-32-128-784 (lecture notes: the
// Keras snippet `input_size = 784, hidden_size = 128, code_size = 32`).
//
// An autoencoder is two models in a row:
//   encoder: image (784 pixels) -> codings (32 numbers), the bottleneck
//   decoder: codings (32)       -> reconstruction (784 pixels)
// and it is trained to output its own input: fit(xs, xs).
//
// What to look at:
//  - the lenses: 784 -> 32 is a 24.5x compression; the decoder mirrors the
//    encoder (same sizes in reverse), so both have about the same params.
//  - train `autoencoder` on MNIST digits, then open Latent space: the 32-D
//    codings of many digits (projected to 2-D), coloured by digit, and the
//    reconstructions next to the originals. In the PCA projection digits of
//    a class gather (0s and 1s on opposite sides, the others overlapping);
//    Run UMAP to see them pulled apart into clusters.
import * as tf from '@tensorflow/tfjs';

const INPUT_SIZE = 28 * 28; // 784 pixels
const HIDDEN_SIZE = 128;
const CODE_SIZE = 32;

export const encoder = tf.sequential({ name: 'encoder' });
encoder.add(tf.layers.dense({ units: HIDDEN_SIZE, activation: 'relu', inputShape: [INPUT_SIZE] }));
encoder.add(tf.layers.dense({ units: CODE_SIZE, activation: 'relu', name: 'codings' }));

export const decoder = tf.sequential({ name: 'decoder' });
decoder.add(tf.layers.dense({ units: HIDDEN_SIZE, activation: 'relu', inputShape: [CODE_SIZE] }));
// sigmoid: pixels are between 0 and 1
decoder.add(tf.layers.dense({ units: INPUT_SIZE, activation: 'sigmoid' }));

// the two halves stacked: a model can be used as a layer of another model
export const autoencoder = tf.sequential({ name: 'autoencoder' });
autoencoder.add(encoder);
autoencoder.add(decoder);

autoencoder.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });

/** Train on images xs [n, 784] in 0..1; the targets are the inputs. Not run on import. */
export async function train(xs: tf.Tensor): Promise<tf.History> {
  return autoencoder.fit(xs, xs, { epochs: 7, batchSize: 256, shuffle: true });
}

/** After training: the codings of some images, `encoder.predict` (shape [n, 32]). */
export function encode(xs: tf.Tensor): tf.Tensor {
  return encoder.predict(xs) as tf.Tensor;
}
