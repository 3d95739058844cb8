/**
 * The small models and datasets the views test page builds in the browser: the MNIST convnet
 * (examples/mnistConvnet.ts) on a few 28×28 images, the other conv kinds (depthwise, separable,
 * transposed, 1-D), stacked LSTM / GRU / bidirectional sequence models, a dense autoencoder
 * 784-128-32-128-784, one made of nested encoder/decoder models, a linear autoencoder 3→2→3,
 * the VAE and GAN generator of generativeModels.mts, and the denoising autoencoders of denoisingModels.mts.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays } from '../../../../src/shared/messages';
import type { ModelKind, SetupOptions } from '../harnessApi';
import { denoisingModel } from './denoisingModels.mjs';
import { ganGenerator, vaeModel } from './generativeModels.mjs';

export interface Built {
  model: tf.LayersModel;
  dataset: DatasetArrays;
  /** Training targets (xs for autoencoders). */
  ys: tf.Tensor;
  loss: string;
  /** Other models the module made (a GAN's discriminator), disposed with the model. */
  companions?: tf.LayersModel[];
  /** A GAN's own training step on a batch of real images (examples/gan.ts's), and what it holds. */
  adversarial?: { step(real: tf.Tensor): void; dispose(): void };
}

/** Deterministic uniform [0, 1) numbers. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

export function images(options: SetupOptions, n: number, seed: number): { xs: Float32Array; labels: Int32Array } {
  if (options.digits) {
    const count = Math.min(n, options.digits.labels.length);
    return {
      xs: Float32Array.from(options.digits.xs.slice(0, count * 784)),
      labels: Int32Array.from(options.digits.labels.slice(0, count)),
    };
  }
  const r = rng(seed);
  const xs = new Float32Array(n * 784);
  for (let i = 0; i < xs.length; i++) xs[i] = r();
  return { xs, labels: Int32Array.from({ length: n }, () => Math.floor(r() * 10)) };
}

function mnistConvnet(): tf.Sequential {
  // Exactly the convnet of examples/mnistConvnet.ts.
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ filters: 32, kernelSize: [3, 3], activation: 'relu', inputShape: [28, 28, 1] }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: [2, 2] }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: [3, 3], activation: 'relu' }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 64, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

function sequences(
  n: number,
  steps: number,
  features: number,
  seed: number,
): { xs: Float32Array; ys: Float32Array; labels: Int32Array } {
  const r = rng(seed);
  const xs = new Float32Array(n * steps * features);
  const ys = new Float32Array(n);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const freq = 0.2 + r() * 0.8;
    const phase = r() * Math.PI * 2;
    for (let t = 0; t < steps; t++) {
      for (let f = 0; f < features; f++)
        xs[(i * steps + t) * features + f] = Math.sin(freq * t * (f + 1) + phase) + 0.1 * gaussian(r);
    }
    ys[i] = freq;
    labels[i] = Math.min(3, Math.floor((freq - 0.2) / 0.2));
  }
  return { xs, ys, labels };
}

function sequenceModel(kind: 'lstm' | 'gru' | 'bilstm', steps: number, features: number): tf.Sequential {
  const m = tf.sequential();
  if (kind === 'lstm') {
    m.add(tf.layers.lstm({ units: 8, returnSequences: true, inputShape: [steps, features], name: 'lstm_encoder' }));
    m.add(tf.layers.lstm({ units: 6, name: 'lstm_summary' }));
  } else if (kind === 'gru') {
    m.add(tf.layers.gru({ units: 8, returnSequences: true, inputShape: [steps, features], name: 'gru_1' }));
    m.add(tf.layers.gru({ units: 5, goBackwards: true, name: 'gru_backwards' }));
  } else {
    m.add(
      tf.layers.bidirectional({
        layer: tf.layers.lstm({ units: 6, returnSequences: true }) as tf.RNN,
        inputShape: [steps, features],
        name: 'bi_lstm',
      }),
    );
    m.add(tf.layers.gru({ units: 4, name: 'gru_top' }));
  }
  m.add(tf.layers.dense({ units: 1, name: 'regression' }));
  return m;
}

export function buildModel(options: SetupOptions): Built {
  const kind: ModelKind = options.kind;
  switch (kind) {
    case 'convnet': {
      const n = options.samples ?? 16;
      const { xs, labels } = images(options, n, 1);
      const count = labels.length;
      const dataset: DatasetArrays = {
        id: 'random-images',
        description: `${count} images 28×28×1`,
        xs,
        xsShape: [count, 28, 28, 1],
        labels,
        sampleKind: 'image',
      };
      return { model: mnistConvnet(), dataset, ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 10), loss: 'categoricalCrossentropy' };
    }
    case 'convZoo': {
      const n = options.samples ?? 24;
      const r = rng(4);
      const xs = Float32Array.from({ length: n * 14 * 14 * 3 }, () => r());
      const labels = Int32Array.from({ length: n }, () => Math.floor(r() * 3));
      const model = tf.sequential({
        layers: [
          tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, inputShape: [14, 14, 3], name: 'depthwise' }),
          tf.layers.separableConv2d({ filters: 8, kernelSize: 3, activation: 'relu', name: 'separable' }),
          tf.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, name: 'transposed' }),
          tf.layers.globalAveragePooling2d({}),
          tf.layers.dense({ units: 3, activation: 'softmax' }),
        ],
      });
      const dataset: DatasetArrays = {
        id: 'rgb',
        description: `${n} RGB images 14×14`,
        xs,
        xsShape: [n, 14, 14, 3],
        labels,
        sampleKind: 'image',
      };
      return { model, dataset, ys: tf.oneHot(tf.tensor1d(labels, 'int32'), 3), loss: 'categoricalCrossentropy' };
    }
    case 'conv1dLstm': {
      const n = options.samples ?? 32;
      const { xs, ys, labels } = sequences(n, 24, 3, 5);
      const model = tf.sequential({
        layers: [
          tf.layers.conv1d({ filters: 6, kernelSize: 5, activation: 'relu', inputShape: [24, 3], name: 'conv1d_front' }),
          tf.layers.lstm({ units: 5, name: 'lstm_after_conv' }),
          tf.layers.dense({ units: 1 }),
        ],
      });
      const dataset: DatasetArrays = {
        id: 'sines-conv1d',
        description: `${n} sine sequences`,
        xs,
        xsShape: [n, 24, 3],
        ys,
        ysShape: [n, 1],
        labels,
        sampleKind: 'sequence',
      };
      return { model, dataset, ys: tf.tensor2d(ys, [n, 1]), loss: 'meanSquaredError' };
    }
    case 'nestedAe': {
      const n = options.samples ?? 300;
      const { xs, labels } = images(options, n, 6);
      const count = labels.length;
      const encoder = tf.sequential({
        name: 'encoder',
        layers: [
          tf.layers.dense({ units: 64, activation: 'relu', inputShape: [784] }),
          tf.layers.dense({ units: 8, name: 'latent' }),
        ],
      });
      const decoder = tf.sequential({
        name: 'decoder',
        layers: [
          tf.layers.dense({ units: 64, activation: 'relu', inputShape: [8] }),
          tf.layers.dense({ units: 784, activation: 'sigmoid' }),
        ],
      });
      const input = tf.input({ shape: [784] });
      const output = decoder.apply(encoder.apply(input)) as tf.SymbolicTensor;
      const model = tf.model({ inputs: input, outputs: output, name: 'nested_autoencoder' });
      const dataset: DatasetArrays = {
        id: 'nested-ae',
        description: `${count} images, flat`,
        xs,
        xsShape: [count, 784],
        labels,
        sampleKind: 'image',
      };
      return { model, dataset, ys: tf.tensor2d(xs, [count, 784]), loss: 'meanSquaredError' };
    }
    case 'lstm':
    case 'gru':
    case 'bilstm': {
      const [steps, features] = kind === 'lstm' ? [20, 3] : kind === 'gru' ? [16, 2] : [12, 4];
      const n = options.samples ?? 48;
      const { xs, ys, labels } = sequences(n, steps, features, kind.length);
      const dataset: DatasetArrays = {
        id: `sines-${kind}`,
        description: `${n} sine sequences`,
        xs,
        xsShape: [n, steps, features],
        ys,
        ysShape: [n, 1],
        labels,
        sampleKind: 'sequence',
      };
      return { model: sequenceModel(kind, steps, features), dataset, ys: tf.tensor2d(ys, [n, 1]), loss: 'meanSquaredError' };
    }
    case 'denseAe': {
      const n = options.samples ?? 600;
      const { xs, labels } = images(options, n, 2);
      const count = labels.length;
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
          tf.layers.dense({ units: 32, activation: 'relu', ...(options.sparse ? { name: 'l1_codings' } : {}) }),
          tf.layers.dense({ units: 128, activation: 'relu' }),
          tf.layers.dense({ units: 784, activation: 'sigmoid' }),
        ],
      });
      const dataset: DatasetArrays = options.hostMnist
        ? {
            id: 'mnist-vectors-autoencoder',
            description: `MNIST digits, ${count} × 784, targets = inputs`,
            xs,
            xsShape: [count, 784],
            labels,
            sampleKind: 'vector',
          }
        : { id: 'ae-images', description: `${count} images, flat`, xs, xsShape: [count, 784], labels, sampleKind: 'image' };
      return { model, dataset, ys: tf.tensor2d(xs, [count, 784]), loss: 'meanSquaredError' };
    }
    case 'vae':
      return vaeModel(options, images);
    case 'gan':
      return ganGenerator(options, images);
    case 'denoisingAe':
      return denoisingModel(options, images);
    case 'linearAe': {
      const n = options.samples ?? 500;
      const r = rng(3);
      // A tilted plane with a little noise off it: PCA's plane is the tilted one.
      const u = [0.8, 0.36, -0.48];
      const v = [-0.36, 0.93, 0.0];
      const normal = [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
      const xs = new Float32Array(n * 3);
      const labels = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        const a = gaussian(r) * 2;
        const b = gaussian(r) * 1;
        const c = gaussian(r) * 0.15;
        for (let k = 0; k < 3; k++) xs[i * 3 + k] = 0.5 + a * u[k]! + b * v[k]! + c * normal[k]!;
        labels[i] = (a > 0 ? 1 : 0) + (b > 0 ? 2 : 0);
      }
      const model = tf.sequential({
        layers: [tf.layers.dense({ units: 2, inputShape: [3], name: 'codings' }), tf.layers.dense({ units: 3, name: 'outputs' })],
      });
      const dataset: DatasetArrays = {
        id: 'plane-3d',
        description: `${n} points near a plane in 3-D`,
        xs,
        xsShape: [n, 3],
        labels,
        sampleKind: 'vector',
      };
      return { model, dataset, ys: tf.tensor2d(xs, [n, 3]), loss: 'meanSquaredError' };
    }
  }
}
