/**
 * The denoising autoencoders of the views test page: examples/denoisingAutoencoder.ts's
 * Gaussian-noise model on 784-pixel vectors and its dropout model on 28×28×1 images (dropout
 * after a Flatten), an autoencoder whose dropout sits on a hidden layer (no input corruption),
 * and a plain one on data with input noise (the panel's `inputNoise`, which training adds).
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays } from '../../../../src/shared/messages';
import type { SetupOptions } from '../harnessApi';
import type { Built } from './models.mjs';

type Images = (options: SetupOptions, n: number, seed: number) => { xs: Float32Array; labels: Int32Array };

function gaussian(): tf.LayersModel {
  const m = tf.sequential({ name: 'gaussian_denoiser' });
  m.add(tf.layers.gaussianNoise({ stddev: 0.3, inputShape: [784] }));
  m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 32, activation: 'relu', name: 'codings' }));
  m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 784, activation: 'sigmoid' }));
  return m;
}

function dropout(): tf.LayersModel {
  const image = tf.input({ shape: [28, 28, 1] });
  const flat = tf.layers.flatten().apply(image);
  const corrupted = tf.layers.dropout({ rate: 0.5 }).apply(flat);
  const code = tf.layers.dense({ units: 32, activation: 'relu', name: 'dropout_codings' }).apply(corrupted);
  const pixels = tf.layers.dense({ units: 784, activation: 'sigmoid' }).apply(code);
  const restored = tf.layers.reshape({ targetShape: [28, 28, 1] }).apply(pixels) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: restored, name: 'dropout_denoiser' });
}

/** A plain dense autoencoder, with dropout on its hidden layer when `dropout`. */
function plain(dropout: boolean): tf.LayersModel {
  return tf.sequential({
    name: dropout ? 'hidden_dropout_ae' : 'plain_ae',
    layers: [
      tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
      ...(dropout ? [tf.layers.dropout({ rate: 0.2, name: 'hidden_dropout' })] : []),
      tf.layers.dense({ units: 32, activation: 'relu', name: 'codings' }),
      tf.layers.dense({ units: 784, activation: 'sigmoid' }),
    ],
  });
}

export function denoisingModel(options: SetupOptions, images: Images): Built {
  const { xs, labels } = images(options, options.samples ?? 300, 13);
  const count = labels.length;
  const kind = options.corruption ?? 'gaussian';
  const model = kind === 'gaussian' ? gaussian() : kind === 'dropout' ? dropout() : plain(kind === 'hidden');
  const shape = kind === 'dropout' ? [28, 28, 1] : [784];
  const dataset: DatasetArrays = {
    id: 'mnist-vectors-autoencoder',
    description: `MNIST digits, ${count} × 784, targets = inputs`,
    xs,
    xsShape: [count, ...shape],
    labels,
    sampleKind: kind === 'dropout' ? 'image' : 'vector',
    ...(kind === 'data' ? { inputNoise: 0.2 } : {}),
  };
  return { model, dataset, ys: tf.tensor(xs, [count, ...shape]), loss: 'binaryCrossentropy' };
}
