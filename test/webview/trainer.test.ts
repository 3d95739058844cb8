/**
 * The panel's training step (webview/training/trainer.ts) against tfjs-layers' own, in Node on
 * the WASM backend: a batch cut into slices whose gradients are averaged gives the loss,
 * metrics and weights of `model.trainOnBatch` on the whole batch; pause, resume and stop.
 */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { DatasetArrays, TrainConfig } from '../../src/shared/messages';
import { Trainer } from '../../webview/training/trainer';
import type { BatchReport } from '../../webview/training/trainReports';
import { registerWasmTrainingKernels } from '../../webview/training/wasmKernels';

function dataset(n: number): DatasetArrays {
  const xs = new Float32Array(n * 8 * 8);
  for (let i = 0; i < xs.length; i++) xs[i] = ((i * 7919) % 101) / 101;
  const ys = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) ys[i * 3 + (i % 3)] = 1;
  return { id: 't', description: 't', xs, xsShape: [n, 8, 8, 1], ys, ysShape: [n, 3], sampleKind: 'image' };
}

function convnet(): tf.Sequential {
  const m = tf.sequential();
  m.add(
    tf.layers.conv2d({
      filters: 4,
      kernelSize: 3,
      activation: 'relu',
      inputShape: [8, 8, 1],
      kernelRegularizer: tf.regularizers.l2({ l2: 0.01 }),
    }),
  );
  m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 3, activation: 'softmax' }));
  return m;
}

const config = (overrides: Partial<TrainConfig> = {}): TrainConfig => ({
  epochs: 1,
  batchSize: 24,
  loss: 'categorical_crossentropy',
  optimizer: 'sgd',
  learningRate: 0.5,
  metrics: ['acc'],
  sources: {},
  ...overrides,
});

describe('Trainer (sliced batches vs model.trainOnBatch)', function () {
  this.timeout(60_000);

  before(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
  });

  it('gives trainOnBatch’s loss, accuracy and weights, sliced into tasks of one sample', async () => {
    const data = dataset(24);
    const a = convnet();
    const b = convnet();
    b.setWeights(a.getWeights());
    const reports: BatchReport[] = [];
    // Slices of one sample: 24 slices, one update.
    const trainer = new Trainer({
      model: a,
      dataset: data,
      config: config(),
      trainStep: null,
      maxSliceSamples: 1,
      hooks: { onBatch: (r) => reports.push(r) },
    });
    assert.deepEqual(trainer.metricNames, ['accuracy']);
    assert.equal(await trainer.run(), 'done');
    trainer.dispose();
    assert.equal(reports.length, 1);
    assert.equal(reports[0]!.microBatch, 1);

    b.compile({ optimizer: tf.train.sgd(0.5), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const order = Array.from({ length: 24 }, (_, i) => i); // one batch: the order does not matter
    const xs = tf.tensor(data.xs, data.xsShape).gather(order);
    const ys = tf.tensor(data.ys!, data.ysShape!).gather(order);
    const [loss, accuracy] = (await b.trainOnBatch(xs, ys)) as number[];
    assert.ok(Math.abs(reports[0]!.loss - loss!) < 1e-5, `loss ${reports[0]!.loss} vs ${loss}`);
    assert.ok(Math.abs(reports[0]!.metrics['accuracy']! - accuracy!) < 1e-6);
    const wa = a.getWeights().map((w) => w.dataSync());
    const wb = b.getWeights().map((w) => w.dataSync());
    wa.forEach((w, i) =>
      w.forEach((v, j) => assert.ok(Math.abs(v - wb[i]![j]!) < 1e-5, `weight ${i}[${j}]: ${v} vs ${wb[i]![j]}`)),
    );
    tf.dispose([xs, ys]);
    a.dispose();
    b.dispose();
  });

  it('leaves no tensor behind, pauses between batches, and stops mid-epoch', async () => {
    const before = tf.memory().numTensors;
    const model = convnet();
    const seen: number[] = [];
    let stopping: Promise<void> | null = null;
    const trainer: Trainer = new Trainer({
      model,
      dataset: dataset(96),
      config: config({ batchSize: 8, epochs: 2, optimizer: 'adam', learningRate: 0.01 }),
      trainStep: null,
      hooks: {
        onBatch: (r) => {
          seen.push(r.step);
          if (r.step === 3) trainer.pause();
          if (r.step === 6) stopping = trainer.stop();
        },
      },
    });
    const run = trainer.run();
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(seen, [1, 2, 3], 'paused after the third batch');
    assert.ok(trainer.paused);
    trainer.resume();
    assert.equal(await run, 'stopped');
    await stopping;
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6], 'stopped after the sixth of 24 batches');
    trainer.dispose();
    model.dispose();
    assert.equal(tf.memory().numTensors, before, 'model and optimizer released');
  });

  it('calls a module’s trainStep per batch with the batch and the optimizer, and reads its Scalar loss', async () => {
    const before = tf.memory().numTensors;
    const model = convnet();
    const shapes: number[][] = [];
    const losses: number[] = [];
    const trainer = new Trainer({
      model,
      dataset: dataset(16),
      config: config({ batchSize: 8, epochs: 2 }),
      trainStep: (m, batch, optimizer) => {
        shapes.push(batch.xs.shape, batch.ys.shape);
        return optimizer.minimize(
          () => tf.mean(tf.metrics.categoricalCrossentropy(batch.ys, m.apply(batch.xs) as tf.Tensor)) as tf.Scalar,
          true,
        )!;
      },
      hooks: { onBatch: (r) => losses.push(r.loss) },
    });
    assert.deepEqual(trainer.metricNames, [], 'no compiled metrics with a custom step');
    await trainer.run();
    trainer.dispose();
    assert.equal(losses.length, 4);
    assert.ok(
      losses.every((l) => Number.isFinite(l) && l > 0),
      `losses ${losses.join(', ')}`,
    );
    assert.deepEqual(shapes.slice(0, 2), [
      [8, 8, 8, 1],
      [8, 3],
    ]);
    model.dispose();
    assert.equal(tf.memory().numTensors, before, 'the batches and the returned losses are disposed');
  });

  it('gives each output of a two-headed model its own columns of ys, as trainOnBatch does', async () => {
    const build = (): tf.LayersModel => {
      const x = tf.input({ shape: [3] });
      const hidden = tf.layers.dense({ units: 4, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
      const value = tf.layers.dense({ units: 2 }).apply(hidden) as tf.SymbolicTensor;
      const flag = tf.layers.dense({ units: 1, activation: 'sigmoid' }).apply(hidden) as tf.SymbolicTensor;
      return tf.model({ inputs: x, outputs: [value, flag] });
    };
    const a = build();
    const b = build();
    b.setWeights(a.getWeights());
    const n = 12;
    const xs = Float32Array.from({ length: n * 3 }, (_, i) => ((i * 37) % 11) / 11 - 0.5);
    // Per row: the first output's 2 values, then the second output's 1.
    const ys = Float32Array.from({ length: n * 3 }, (_, i) => (i % 3 === 2 ? i % 2 : ((i * 13) % 7) / 7));
    const reports: BatchReport[] = [];
    const trainer = new Trainer({
      model: a,
      dataset: { id: 'heads', description: 'heads', xs, xsShape: [n, 3], ys, ysShape: [n, 3], sampleKind: 'vector' },
      config: config({ loss: 'meanSquaredError', optimizer: 'sgd', learningRate: 0.1, metrics: [], batchSize: n }),
      trainStep: null,
      maxSliceSamples: 5,
      hooks: { onBatch: (r) => reports.push(r) },
    });
    assert.equal(await trainer.run(), 'done');
    trainer.dispose();

    b.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const x = tf.tensor(xs, [n, 3]);
    const y = tf.tensor(ys, [n, 3]);
    const [first, second] = tf.split(y, [2, 1], 1);
    const [loss] = (await b.trainOnBatch(x, [first!, second!])) as number[];
    assert.equal(reports.length, 1);
    assert.ok(Math.abs(reports[0]!.loss - loss!) < 1e-5, `loss ${reports[0]!.loss} vs ${loss}`);
    const wa = a.getWeights().map((w) => w.dataSync());
    const wb = b.getWeights().map((w) => w.dataSync());
    wa.forEach((w, i) =>
      w.forEach((v, j) => assert.ok(Math.abs(v - wb[i]![j]!) < 1e-5, `weight ${i}[${j}]: ${v} vs ${wb[i]![j]}`)),
    );
    tf.dispose([x, y, first!, second!]);
    a.dispose();
    b.dispose();
  });

  it('feeds a model with two inputs the dataset’s columns in order (skip-gram pairs)', async () => {
    const target = tf.input({ shape: [1] });
    const context = tf.input({ shape: [1] });
    const embed = (name: string): tf.SymbolicTensor =>
      tf.layers
        .flatten()
        .apply(
          tf.layers.embedding({ inputDim: 10, outputDim: 4, name }).apply(name === 't' ? target : context),
        ) as tf.SymbolicTensor;
    const similarity = tf.layers.dot({ axes: 1 }).apply([embed('t'), embed('c')]) as tf.SymbolicTensor;
    const model = tf.model({
      inputs: [target, context],
      outputs: tf.layers.activation({ activation: 'sigmoid' }).apply(similarity) as tf.SymbolicTensor,
    });
    const n = 64;
    const xs = new Float32Array(n * 2);
    const ys = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      xs[2 * i] = i % 10;
      xs[2 * i + 1] = (i * 3) % 10;
      ys[i] = i % 2;
    }
    const losses: number[] = [];
    const trainer = new Trainer({
      model,
      dataset: { id: 'pairs', description: 'pairs', xs, xsShape: [n, 2], ys, ysShape: [n, 1], sampleKind: 'tokens' },
      config: config({ loss: 'binaryCrossentropy', optimizer: 'adam', learningRate: 0.05, batchSize: 16, epochs: 5 }),
      trainStep: null,
      hooks: { onEpoch: (e) => losses.push(e.loss) },
    });
    await trainer.run();
    trainer.dispose();
    assert.equal(losses.length, 5);
    assert.ok(losses[4]! < losses[0]!, `epoch losses ${losses.map((l) => l.toFixed(3)).join(', ')}`);
    model.dispose();
  });
});
