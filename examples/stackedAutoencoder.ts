// Stacked (deep) autoencoder (lecture notes, "Stacked / deep autoencoder"):
// several hidden layers, each smaller than the one before, and a decoder
// that is the mirror image of the encoder. More layers let it learn more
// complex codings (no explicit regularization term).
//
// The encoder sizes are a list, so you can try other shapes: change
// HIDDEN_SIZES and watch every lens update (the decoder follows by itself).
//
// What to look at: the lenses (784 -> 256 -> 64 -> 16 -> 64 -> 256 -> 784).
// Train on MNIST, then Latent space shows the 16-D codings; Activations shows
// how each layer squeezes the digit.
import * as tf from '@tensorflow/tfjs';

const INPUT_SIZE = 784;
const HIDDEN_SIZES = [256, 64]; // encoder layers before the codings
const CODE_SIZE = 16;

export const stackedAutoencoder = tf.sequential({ name: 'stacked_autoencoder' });

// encoder: 784 -> 256 -> 64 -> 16
stackedAutoencoder.add(tf.layers.dense({ units: HIDDEN_SIZES[0], activation: 'selu', inputShape: [INPUT_SIZE] }));
for (const units of HIDDEN_SIZES.slice(1)) {
  stackedAutoencoder.add(tf.layers.dense({ units, activation: 'selu' }));
}
stackedAutoencoder.add(tf.layers.dense({ units: CODE_SIZE, activation: 'selu', name: 'codings' }));

// decoder: the mirror image, 16 -> 64 -> 256 -> 784
for (const units of [...HIDDEN_SIZES].reverse()) {
  stackedAutoencoder.add(tf.layers.dense({ units, activation: 'selu' }));
}
stackedAutoencoder.add(tf.layers.dense({ units: INPUT_SIZE, activation: 'sigmoid' }));

stackedAutoencoder.compile({ optimizer: tf.train.adam(0.001), loss: 'binaryCrossentropy' });

/** Train on images xs [n, 784] in 0..1 (targets = inputs). Not run on import. */
export async function train(xs: tf.Tensor): Promise<tf.History> {
  return stackedAutoencoder.fit(xs, xs, { epochs: 5, batchSize: 128 });
}
