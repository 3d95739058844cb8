/**
 * The fused recurrent layers in training (webview/training/fusedRnn/ through the panel's Trainer)
 * and where they step aside: a Trainer's batch on a stacked LSTM/GRU/SimpleRNN model updates the
 * weights as tfjs-layers' own `trainOnBatch` does without them; every call the kernels do not
 * cover runs tfjs's own code and gives its exact result.
 */
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays, TrainConfig } from '../../src/shared/messages';
import {
  fusedCall,
  fusedKindOf,
  hasFusedCall,
  installFusedRnn,
  uninstallFusedRnn,
} from '../../webview/training/fusedRnn/fusedRnn';
import { Trainer } from '../../webview/training/trainer';
import { FEATURES, makeRnnLayer, STEPS } from './support/fusedRnnCases';

function stacked(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: 6, returnSequences: true, inputShape: [STEPS, FEATURES] }));
  model.add(tf.layers.dropout({ rate: 0 }));
  model.add(tf.layers.gru({ units: 5, returnSequences: true, goBackwards: true }));
  model.add(tf.layers.bidirectional({ layer: tf.layers.simpleRNN({ units: 4 }) as never, mergeMode: 'concat' }));
  model.add(tf.layers.dense({ units: 2 }));
  return model;
}

function sequences(n: number): DatasetArrays {
  const xs = new Float32Array(n * STEPS * FEATURES);
  for (let i = 0; i < xs.length; i++) xs[i] = Math.sin(i * 0.37) + ((i * 7919) % 13) / 26;
  const ys = new Float32Array(n * 2);
  for (let i = 0; i < ys.length; i++) ys[i] = Math.cos(i * 0.71);
  return { id: 's', description: 's', xs, xsShape: [n, STEPS, FEATURES], ys, ysShape: [n, 2], sampleKind: 'sequence' };
}

const config: TrainConfig = {
  // One batch per epoch; plain SGD, whose update is the gradient itself (Adam's first steps hide its size).
  epochs: 3,
  batchSize: 16,
  loss: 'meanSquaredError',
  optimizer: 'sgd',
  learningRate: 0.5,
  metrics: [],
  sources: {},
};

function maxAbsDiff(a: tf.Tensor | tf.Tensor[], b: tf.Tensor | tf.Tensor[]): number {
  const as = Array.isArray(a) ? a : [a];
  const bs = Array.isArray(b) ? b : [b];
  assert.strictEqual(as.length, bs.length);
  return Math.max(...as.map((t, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(t, bs[i]!))).dataSync()[0]!)));
}

describe('fused recurrent layers in training', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it("a Trainer's batches equal trainOnBatch without the fused layers", async () => {
    const data = sequences(16);
    const a = stacked();
    const b = stacked();
    b.setWeights(a.getWeights());
    const trainer = new Trainer({ model: a, dataset: data, config, trainStep: null });
    // The Trainer gave the fused call to the LSTM, the GRU and both directions of the Bidirectional SimpleRNN.
    const bidirectional = a.layers[3] as unknown as { forwardLayer: unknown; backwardLayer: unknown };
    assert.ok([a.layers[0], a.layers[2], bidirectional.forwardLayer, bidirectional.backwardLayer].every(hasFusedCall));
    assert.strictEqual(installFusedRnn(a), 4);
    assert.strictEqual(await trainer.run(), 'done');
    trainer.dispose();

    b.compile({ optimizer: tf.train.sgd(0.5), loss: 'meanSquaredError' });
    assert.ok(b.layers.every((l) => !hasFusedCall(l)));
    const xs = tf.tensor(data.xs, data.xsShape);
    const ys = tf.tensor(data.ys!, data.ysShape!);
    for (let epoch = 0; epoch < config.epochs; epoch++) await b.trainOnBatch(xs, ys);
    const before = b.getWeights();
    const changed = maxAbsDiff(before, stacked().getWeights());
    assert.ok(changed > 1e-3, 'the step should change the weights');
    const diff = maxAbsDiff(a.getWeights(), b.getWeights());
    assert.ok(diff < 1e-5, `weights differ by ${diff}`);
    // And the trained models' predictions agree.
    assert.ok(maxAbsDiff(a.predict(xs) as tf.Tensor, b.predict(xs) as tf.Tensor) < 1e-5);
    tf.dispose([xs, ys]);
    a.dispose();
    b.dispose();
  });

  it('uninstalling gives the layers tfjs’s own call back', () => {
    const model = stacked();
    const own = model.layers[0]!.call;
    installFusedRnn(model);
    assert.notStrictEqual(model.layers[0]!.call, own);
    uninstallFusedRnn(model);
    assert.strictEqual(model.layers[0]!.call, own);
    assert.ok(!hasFusedCall(model.layers[0]));
    model.dispose();
  });

  describe('falls back to tfjs for what it does not cover', () => {
    const x = (): tf.Tensor => tf.randomNormal([2, STEPS, FEATURES], 0, 1, 'float32', 3);
    const cases: Array<{ name: string; layer: () => tf.layers.Layer; kwargs?: () => Record<string, unknown> }> = [
      { name: 'an activation the kernels lack', layer: () => tf.layers.simpleRNN({ units: 3, activation: 'elu' }) },
      {
        name: 'a recurrent activation the kernels lack',
        layer: () => tf.layers.lstm({ units: 3, recurrentActivation: 'softplus' }),
      },
      {
        name: 'an initial state',
        layer: () => tf.layers.gru({ units: 3 }),
        kwargs: () => ({ initialState: [tf.ones([2, 3])] }),
      },
    ];
    for (const c of cases) {
      it(c.name, () => {
        const layer = c.layer();
        const input = x();
        tf.tidy(() => {
          layer.apply(input);
        });
        const kind = fusedKindOf(layer);
        assert.ok(kind !== null);
        const kwargs = c.kwargs?.() ?? {};
        // Dropout draws random masks: with training off, tfjs's own call is deterministic.
        assert.strictEqual(fusedCall(kind, layer as never, input, kwargs), null);
        const own = layer.call(input, kwargs);
        const model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [STEPS, FEATURES] })] });
        (model as unknown as { layers: tf.layers.Layer[] }).layers.push(layer);
        installFusedRnn(model);
        assert.ok(hasFusedCall(layer));
        const fused = layer.call(input, kwargs);
        assert.strictEqual(maxAbsDiff(own, fused), 0);
        tf.dispose([input, own, fused, ...Object.values(kwargs).flat()] as tf.Tensor[]);
      });
    }

    it('a stateful layer', () => {
      const layer = tf.layers.simpleRNN({ units: 3, stateful: true, batchInputShape: [2, STEPS, FEATURES] });
      const input = x();
      tf.tidy(() => {
        layer.apply(input);
      });
      assert.strictEqual(fusedCall('SimpleRNN', layer as never, input, {}), null);
      input.dispose();
    });

    it('a subclass, and layers that are not recurrent', () => {
      const layer = makeRnnLayer({ kind: 'LSTM', units: 2, returnSequences: false, goBackwards: false, useBias: true }, 5);
      const subclass = Object.create(layer) as object;
      assert.strictEqual(fusedKindOf(layer), 'LSTM');
      assert.strictEqual(fusedKindOf(subclass), null);
      assert.strictEqual(fusedKindOf(tf.layers.dense({ units: 2 })), null);
      assert.strictEqual(fusedKindOf(tf.layers.convLstm2d({ filters: 2, kernelSize: 3 })), null);
    });

    it('a backend other than the CPU and WASM ones (WebGL: the values would be read back from the GPU)', async () => {
      const layer = makeRnnLayer({ kind: 'GRU', units: 2, returnSequences: false, goBackwards: false, useBias: true }, 6);
      const input = x();
      const supported = fusedCall('GRU', layer as never, input, {});
      assert.ok(supported !== null);
      // A backend by another name (the CPU one's factory: nothing runs on it, the call steps aside first).
      tf.registerBackend('elsewhere', tf.findBackendFactory('cpu')!);
      try {
        assert.ok(await tf.setBackend('elsewhere'));
        assert.strictEqual(fusedCall('GRU', layer as never, input, {}), null);
      } finally {
        await tf.setBackend('cpu');
        tf.removeBackend('elsewhere');
      }
      tf.dispose([input, supported]);
    });
  });
});
