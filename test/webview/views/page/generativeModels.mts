/**
 * The generative models of the views test page: the VAE of examples/variationalAutoencoder.ts
 * (encoder → z_mean, 2-D, → a nested decoder; trained here as a plain autoencoder through
 * z_mean, which is what the panel's copy decodes with) and the GAN generator of examples/gan.ts
 * (noise 100 → 28×28×1), trained towards digits so its weights move between two refreshes,
 * with a small discriminator beside it (for the two losses).
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays } from '../../../../src/shared/messages';
import type { SetupOptions } from '../harnessApi';
import type { Built } from './models.mjs';

type Images = (options: SetupOptions, n: number, seed: number) => { xs: Float32Array; labels: Int32Array };

export function vaeModel(options: SetupOptions, images: Images): Built {
  const { xs, labels } = images(options, options.samples ?? 300, 11);
  const count = labels.length;
  const image = tf.input({ shape: [784], name: 'image' });
  const hidden = tf.layers.dense({ units: 64, activation: 'relu', name: 'encoder_hidden' }).apply(image) as tf.SymbolicTensor;
  const zMean = tf.layers.dense({ units: 2, name: 'z_mean' }).apply(hidden) as tf.SymbolicTensor;
  const decoder = tf.sequential({ name: 'decoder' });
  decoder.add(tf.layers.dense({ units: 64, activation: 'relu', inputShape: [2] }));
  decoder.add(tf.layers.dense({ units: 784, activation: 'sigmoid' }));
  const model = tf.model({ inputs: image, outputs: decoder.apply(zMean) as tf.SymbolicTensor, name: 'vae' });
  const dataset: DatasetArrays = options.hostMnist
    ? {
        id: 'mnist-vectors-autoencoder',
        description: `MNIST digits, ${count} × 784`,
        xs,
        xsShape: [count, 784],
        labels,
        sampleKind: 'vector',
      }
    : { id: 'vae-images', description: `${count} images, flat`, xs, xsShape: [count, 784], labels, sampleKind: 'image' };
  return { model, dataset, ys: tf.tensor2d(xs, [count, 784]), loss: 'binaryCrossentropy' };
}

export function ganGenerator(options: SetupOptions, images: Images): Built {
  const { xs: digits, labels } = images(options, options.samples ?? 64, 12);
  const count = labels.length;
  const generator = tf.sequential({ name: 'generator' });
  generator.add(tf.layers.dense({ units: 7 * 7 * 32, inputShape: [100] }));
  generator.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  generator.add(tf.layers.reshape({ targetShape: [7, 7, 32] }));
  generator.add(tf.layers.conv2dTranspose({ filters: 16, kernelSize: 4, strides: 2, padding: 'same' }));
  generator.add(tf.layers.batchNormalization());
  generator.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  generator.add(tf.layers.conv2dTranspose({ filters: 1, kernelSize: 4, strides: 2, padding: 'same', activation: 'sigmoid' }));
  const discriminator = tf.sequential({ name: 'discriminator' });
  discriminator.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, strides: 2, padding: 'same' }));
  discriminator.add(tf.layers.leakyReLU({ alpha: 0.2 }));
  discriminator.add(tf.layers.dropout({ rate: 0.3 }));
  discriminator.add(tf.layers.flatten());
  discriminator.add(tf.layers.dense({ units: 1, activation: 'sigmoid' }));
  const noise = tf.tidy(() => tf.randomNormal([count, 100], 0, 1, 'float32', 5).dataSync() as Float32Array);
  const dataset: DatasetArrays = {
    id: 'mnist-generator',
    description: `Gaussian noise 100 → MNIST digits 28×28×1, ${count} samples`,
    xs: noise,
    xsShape: [count, 100],
    ys: digits,
    ysShape: [count, 28, 28, 1],
    labels,
    sampleKind: 'vector',
  };
  const dOptimizer = tf.train.adam(0.0002, 0.5);
  const gOptimizer = tf.train.adam(0.001, 0.5);
  const bce = (p: tf.Tensor, label: number): tf.Scalar =>
    tf.metrics.binaryCrossentropy(tf.fill(p.shape, label), p).mean() as tf.Scalar;
  // examples/gan.ts's trainStep: the discriminator first (real → 1, fake → 0), then the generator (fake → 1).
  const step = (real: tf.Tensor): void =>
    tf.tidy(() => {
      const n = real.shape[0]!;
      const images = real.reshape([n, 28, 28, 1]);
      const weights = (m: tf.LayersModel): tf.Variable[] => m.trainableWeights.map((w) => w.read() as tf.Variable);
      dOptimizer.minimize(
        () => {
          const fake = generator.apply(tf.randomNormal([n, 100]), { training: true }) as tf.Tensor;
          const realLoss = bce(discriminator.apply(images, { training: true }) as tf.Tensor, 1);
          return realLoss.add(bce(discriminator.apply(fake, { training: true }) as tf.Tensor, 0)).div(2) as tf.Scalar;
        },
        false,
        weights(discriminator),
      );
      gOptimizer.minimize(
        () =>
          bce(
            discriminator.apply(generator.apply(tf.randomNormal([n, 100]), { training: true }), { training: true }) as tf.Tensor,
            1,
          ),
        false,
        weights(generator),
      );
    });
  return {
    model: generator,
    dataset,
    ys: tf.tensor4d(digits, [count, 28, 28, 1]),
    loss: 'meanSquaredError',
    companions: [discriminator],
    adversarial: { step, dispose: () => [dOptimizer, gOptimizer].forEach((o) => o.dispose()) },
  };
}
