// A small GAN for MNIST (lecture notes, "GAN"): two networks that train
// against each other.
//   generator:     random noise (100 numbers) -> a fake 28x28 image
//   discriminator: an image -> probability that it is real
// Each training step (the notes: "training of discriminator is done first,
// training of generator is done after"):
//   1. discriminator: binary cross-entropy with real images labelled 1 and
//      the generator's fakes labelled 0; only the discriminator's weights move.
//   2. generator: make fresh fakes and train the generator so that the
//      discriminator says 1 ("real") for them; only the generator's weights
//      move. "We don't use any real image to train the generator."
// model.fit cannot alternate two models like this, so this file exports its
// own training step in plain tfjs.
//
// THE MODEL TO TRAIN IS THE GENERATOR: trainStep(generator, batch, optimizer).
//   - batch: the real images are whichever of batch.xs / batch.ys holds 784
//     values per sample (MNIST as xs; or ys, when the panel pairs the
//     generator's noise input with images), values 0..1. The noise is drawn
//     inside the step; the other tensor is not used.
//   - optimizer (from the panel) trains the generator; the discriminator has
//     its own Adam(0.0005, beta1 = 0.5), created once, on the first step: a
//     discriminator that learns about as fast as the generator, so neither
//     runs away from the other.
//   - returns discriminator loss + generator loss. Neither goes to zero: at
//     the balance point the discriminator says 1/2 for everything and each
//     loss is ln 2, so the sum hovers around 1.39.
//
// What to look at: the generator's lenses go UP in size (Dense -> Reshape ->
// Conv2DTranspose doubles width and height), the discriminator's go down.
// Train `generator` on MNIST, then Samples: its images for 32 fixed noise
// vectors, and both losses on one chart. Blobs for the first epochs, strokes
// after about four, rough but digit-like by the end of the panel's default 10
// epochs (there is no fit() call here to set them): a few minutes on a laptop's
// CPU. Stop when you have seen enough.
import * as tf from '@tensorflow/tfjs';

const LATENT_DIM = 100; // size of the noise vector
const IMAGE_SHAPE = [28, 28, 1];
const IMAGE_PIXELS = 28 * 28;

// ---- generator: noise -> 7x7x32 -> 14x14x16 -> 28x28x1 ---------------------------
export const generator = tf.sequential({ name: 'generator' });
generator.add(tf.layers.dense({ units: 7 * 7 * 32, inputShape: [LATENT_DIM] }));
generator.add(tf.layers.leakyReLU({ alpha: 0.2 }));
generator.add(tf.layers.reshape({ targetShape: [7, 7, 32] }));
// a transposed convolution with stride 2 doubles width and height
generator.add(tf.layers.conv2dTranspose({ filters: 16, kernelSize: 4, strides: 2, padding: 'same' })); // 7 -> 14
generator.add(tf.layers.leakyReLU({ alpha: 0.2 }));
// sigmoid: pixels in 0..1, like the MNIST images the panel gives
generator.add(tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'sigmoid' })); // 14 -> 28

// ---- discriminator: image -> P(real) ------------------------------------------
export const discriminator = tf.sequential({ name: 'discriminator' });
discriminator.add(tf.layers.conv2d({ inputShape: IMAGE_SHAPE, filters: 16, kernelSize: 3, strides: 2, padding: 'same' })); // 28 -> 14
discriminator.add(tf.layers.leakyReLU({ alpha: 0.2 }));
discriminator.add(tf.layers.dropout({ rate: 0.3 }));
discriminator.add(tf.layers.conv2d({ filters: 32, kernelSize: 3, strides: 2, padding: 'same' })); // 14 -> 7
discriminator.add(tf.layers.leakyReLU({ alpha: 0.2 }));
discriminator.add(tf.layers.flatten());
discriminator.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));

// the discriminator's optimizer, created on the first training step
let discriminatorOptimizer: tf.Optimizer | null = null;

/** The trainable tf.Variables of a model (what an optimizer updates). */
function variablesOf(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** Mean binary cross-entropy between probabilities and a constant label (1 = real, 0 = fake). */
function bceWithLabel(probabilities: tf.Tensor, label: number): tf.Scalar {
  return tf.metrics.binaryCrossentropy(tf.fill(probabilities.shape, label), probabilities).mean() as tf.Scalar;
}

/** One GAN step: first the discriminator, then the generator. Returns dLoss + gLoss. */
export function trainStep(model: tf.LayersModel, batch: { xs: tf.Tensor; ys: tf.Tensor }, optimizer: tf.Optimizer): tf.Scalar {
  tf.util.assert(model === generator, () => `trainStep trains the GAN through its generator: pick "generator", not "${model.name}"`);
  discriminatorOptimizer ??= tf.train.adam(0.0005, 0.5);
  const dOptimizer = discriminatorOptimizer;
  const realSource = batch.xs.size === batch.xs.shape[0] * IMAGE_PIXELS ? batch.xs : batch.ys;
  const batchSize = realSource.shape[0];

  return tf.tidy(() => {
    const real = realSource.reshape([batchSize, ...IMAGE_SHAPE]);

    // 1. the discriminator learns real -> 1, fake -> 0
    const dLoss = dOptimizer.minimize(
      () => {
        const noise = tf.randomNormal([batchSize, LATENT_DIM]);
        const fake = model.apply(noise, { training: true }) as tf.Tensor;
        const realLoss = bceWithLabel(discriminator.apply(real, { training: true }) as tf.Tensor, 1);
        const fakeLoss = bceWithLabel(discriminator.apply(fake, { training: true }) as tf.Tensor, 0);
        return realLoss.add(fakeLoss).div(2) as tf.Scalar;
      },
      true,
      variablesOf(discriminator),
    ) as tf.Scalar;

    // 2. the generator learns to make the discriminator say 1 ("real")
    const gLoss = optimizer.minimize(
      () => {
        const noise = tf.randomNormal([batchSize, LATENT_DIM]);
        const fake = model.apply(noise, { training: true }) as tf.Tensor;
        return bceWithLabel(discriminator.apply(fake, { training: true }) as tf.Tensor, 1);
      },
      true,
      variablesOf(model),
    ) as tf.Scalar;

    return dLoss.add(gLoss) as tf.Scalar;
  });
}

/** Make n new images from random noise (after training). */
export function generate(n: number): tf.Tensor {
  return tf.tidy(() => generator.predict(tf.randomNormal([n, LATENT_DIM])) as tf.Tensor);
}
