/**
 * The panel's model lifecycle (webview/app/modelSession.ts) in Node, where no Worker exists, so
 * the page path runs: a fresh model per run, the trainer it makes, stop, and release freeing
 * every tensor the module made, only after the views let go.
 */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays, ModelTarget, TrainConfig } from '../../src/shared/messages';
import { ModelSession } from '../../webview/app/modelSession';

const target: ModelTarget = { name: 'model', line: 1, kind: 'sequential', layers: [], file: 'model.ts' };

function dataset(n: number): DatasetArrays {
  const xs = new Float32Array(n * 4);
  for (let i = 0; i < xs.length; i++) xs[i] = ((i * 31) % 17) / 17;
  const ys = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) ys[i * 2 + (i % 2)] = 1;
  return { id: 't', description: 't', xs, xsShape: [n, 4], ys, ysShape: [n, 2], sampleKind: 'vector' };
}

const config = (overrides: Partial<TrainConfig> = {}): TrainConfig => ({
  epochs: 1,
  batchSize: 8,
  loss: 'categoricalCrossentropy',
  optimizer: 'adam',
  learningRate: 0.01,
  metrics: [],
  sources: {},
  ...overrides,
});

/** A module that makes two models (the one trained and a helper), as a user's file may. */
function importer(): { calls: () => number; importer: (url: string) => Promise<Record<string, unknown>> } {
  let calls = 0;
  return {
    calls: () => calls,
    importer: async () => {
      calls++;
      const helper = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [4] })] });
      const model = tf.sequential({
        layers: [
          tf.layers.dense({ units: 6, activation: 'relu', inputShape: [4] }),
          tf.layers.dense({ units: 2, activation: 'softmax' }),
        ],
      });
      globalThis.__modelLensTrack?.(1, model);
      globalThis.__modelLensTrack?.(9, helper);
      return { model };
    },
  };
}

const noHooks = { onBatch: () => {}, onEpoch: () => {}, onPauseChange: () => {} };

describe('ModelSession', function () {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('loads on the page where no worker starts, trains once, and needs a fresh model for the next run', async () => {
    const module = importer();
    const session = new ModelSession({ importer: module.importer });
    await session.start('/wasm/', 'cpu', () => false); // Node has no Worker: the page does the work
    const before = tf.memory().numTensors;
    const model = await session.load('bundle.js', target);
    assert.equal(session.source, 'page');
    assert.equal(session.baseline, before);
    assert.equal(session.needsLoad, false);
    assert.equal(session.trained, false);
    const first = model.getWeights()[0]!.dataSync().slice();

    const trainer = await session.train(dataset(32), config(), noHooks);
    assert.equal(session.onWorker, false);
    assert.equal(session.trainer, trainer);
    assert.equal(await trainer.run(), 'done');
    session.finish(trainer);
    assert.equal(session.trainer, null);
    assert.equal(session.trained, true);
    assert.equal(session.needsLoad, true);
    assert.notDeepEqual(model.getWeights()[0]!.dataSync(), first, 'training changed the weights');
    // The optimizer is freed; the model (6×4+6 + 2×6+2 = 4 tensors) and the helper (2) stay.
    assert.equal(tf.memory().numTensors, before + 6);

    let modelAliveWhileViewsFinish = false;
    const released = await session.release(async () => {
      modelAliveWhileViewsFinish = !model.getWeights()[0]!.isDisposed;
    });
    assert.equal(released, true);
    assert.equal(modelAliveWhileViewsFinish, true, 'models are disposed only after the views are idle');
    assert.equal(session.model, null);
    assert.equal(session.source, null);
    assert.equal(tf.memory().numTensors, before, 'every model the module made is disposed');
    assert.equal(await session.release(async () => {}), false);
    assert.equal(module.calls(), 1);
    session.dispose();
  });

  it('stops a run mid-epoch: the optimizer is freed, the model kept for the views and Save', async () => {
    const session = new ModelSession({ importer: importer().importer, worker: false });
    const before = tf.memory().numTensors;
    await session.load('bundle.js', target);
    let batches = 0;
    const trainer = await session.train(dataset(4096), config({ epochs: 5, batchSize: 4 }), {
      ...noHooks,
      onBatch: () => void batches++,
    });
    const run = trainer.run();
    while (batches < 3) await new Promise((resolve) => setTimeout(resolve, 1));
    await session.stop();
    assert.equal(await run, 'stopped');
    assert.equal(session.trainer, null);
    assert.equal(session.trained, true);
    assert.notEqual(session.model, null);
    assert.equal(tf.memory().numTensors, before + 6);
    await session.release(async () => {});
    assert.equal(tf.memory().numTensors, before);
  });

  it('refuses to train before a load', async () => {
    const session = new ModelSession({ worker: false });
    await assert.rejects(session.train(dataset(8), config(), noHooks), /No model is loaded/);
  });
});
