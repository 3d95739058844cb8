// Denoising autoencoders (lecture notes, "Denoising autoencoders"): corrupt
// the input on purpose and train the network to recover the CLEAN input.
// Since input and target now differ, it cannot just copy.
//
// Two ways to corrupt, both layers that are only active during training
// (fit); predict() sees the input as it is:
//   - `gaussianDenoiser`: add Gaussian noise to every pixel,
//   - `dropoutDenoiser`:  set half of the pixels to 0 (P(x~ = 0) = q in the notes).
//
// What to look at: the noise/dropout layers have 0 params and do not change
// the shape. Train on MNIST, then open Latent space: each digit as noisy
// input -> output <- clean target (the noise drawn as in training), and the
// 32-D codings. A few epochs over all the digits already give clean digits.
import * as tf from '@tensorflow/tfjs';

const IMAGE_SIZE = 28;
const PIXELS = IMAGE_SIZE * IMAGE_SIZE;
const NOISE_STDDEV = 0.3; // pixels are 0..1
const DROP_RATE = 0.5;
const CODE_SIZE = 32;

// ---- Gaussian noise on 784-pixel vectors (Sequential API) --------------------
export const gaussianDenoiser = tf.sequential({ name: 'gaussian_denoiser' });
gaussianDenoiser.add(tf.layers.gaussianNoise({ stddev: NOISE_STDDEV, inputShape: [PIXELS] }));
gaussianDenoiser.add(tf.layers.dense({ units: 128, activation: 'relu' }));
gaussianDenoiser.add(tf.layers.dense({ units: CODE_SIZE, activation: 'relu', name: 'codings' }));
gaussianDenoiser.add(tf.layers.dense({ units: 128, activation: 'relu' }));
gaussianDenoiser.add(tf.layers.dense({ units: PIXELS, activation: 'sigmoid' }));

gaussianDenoiser.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });

// ---- Dropout on 28x28 images (functional API) --------------------------------
const image = tf.input({ shape: [IMAGE_SIZE, IMAGE_SIZE, 1] });
const flat = tf.layers.flatten().apply(image);
const corrupted = tf.layers.dropout({ rate: DROP_RATE }).apply(flat);
const code = tf.layers.dense({ units: CODE_SIZE, activation: 'relu', name: 'dropout_codings' }).apply(corrupted);
const pixels = tf.layers.dense({ units: PIXELS, activation: 'sigmoid' }).apply(code);
const restored = tf.layers.reshape({ targetShape: [IMAGE_SIZE, IMAGE_SIZE, 1] }).apply(pixels) as tf.SymbolicTensor;

export const dropoutDenoiser = tf.model({ inputs: image, outputs: restored, name: 'dropout_denoiser' });
dropoutDenoiser.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });

/** Train on clean images xs [n, 784]: the noise is added inside the model. Not run on import. */
export async function train(xs: tf.Tensor): Promise<tf.History> {
  return gaussianDenoiser.fit(xs, xs, { epochs: 5, batchSize: 128 });
}

/** Train the dropout variant on clean images xs [n, 28, 28, 1]. */
export async function trainDropout(xs: tf.Tensor): Promise<tf.History> {
  return dropoutDenoiser.fit(xs, xs, { epochs: 5, batchSize: 128 });
}
