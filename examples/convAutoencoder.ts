// Convolutional autoencoder (lecture notes, "Convolutional autoencoders",
// "upsample2D()"): the encoder is a small convnet (Conv2D + MaxPooling2D),
// the decoder is its mirror image, with UpSampling2D undoing each pooling.
//
//   encoder: 28x28x1 -> 28x28x16 -> 14x14x16 -> 14x14x8 -> 7x7x8   (the code: 392 numbers)
//   decoder: 7x7x8   -> 7x7x8    -> 14x14x8  -> 14x14x16 -> 28x28x16 -> 28x28x1
//
// padding 'same' everywhere, so only pooling and upsampling change the size.
// UpSampling2D repeats every row and column (2x2 -> 4x4) and has no weights.
//
// What to look at: the lenses going down and back up; train on MNIST, then
// Filters (the 3x3 kernels of the first layer), Activations (the feature maps
// at every stage), and Latent space (the 7x7x8 code).
import * as tf from '@tensorflow/tfjs';

const image = tf.input({ shape: [28, 28, 1] });

// ---- encoder --------------------------------------------------------------
let x = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(image) as tf.SymbolicTensor;
x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x) as tf.SymbolicTensor; // 28 -> 14
x = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(x) as tf.SymbolicTensor;
const encoded = tf.layers.maxPooling2d({ poolSize: 2, name: 'encoded' }).apply(x) as tf.SymbolicTensor; // 14 -> 7

// ---- decoder (mirror image) -------------------------------------------------
let y = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(encoded) as tf.SymbolicTensor;
y = tf.layers.upSampling2d({ size: [2, 2] }).apply(y) as tf.SymbolicTensor; // 7 -> 14
y = tf.layers.conv2d({ filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }).apply(y) as tf.SymbolicTensor;
y = tf.layers.upSampling2d({ size: [2, 2] }).apply(y) as tf.SymbolicTensor; // 14 -> 28
const decoded = tf.layers.conv2d({ filters: 1, kernelSize: 3, padding: 'same', activation: 'sigmoid' }).apply(y) as tf.SymbolicTensor;

export const convAutoencoder = tf.model({ inputs: image, outputs: decoded, name: 'conv_autoencoder' });
convAutoencoder.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });

/** Train on images xs [n, 28, 28, 1] in 0..1 (targets = inputs). Not run on import. */
export async function train(xs: tf.Tensor): Promise<tf.History> {
  return convAutoencoder.fit(xs, xs, { epochs: 3, batchSize: 128 });
}
