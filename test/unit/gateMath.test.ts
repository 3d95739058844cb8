/**
 * The gate view's recomputation (webview/probes/gateMath.ts) against the real tfjs-layers
 * LSTM and GRU in Node: recomputed hidden states must equal the layer's own output at every
 * timestep, over random layers (unit counts, activations, bias or not, returnSequences,
 * goBackwards, Bidirectional).
 */
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { layerHiddenSequence, recomputeGates, rnnWeightsOf, type GateTrace } from '../../webview/probes/gateMath';

const TOLERANCE = 1e-4;

interface Case {
  kind: 'lstm' | 'gru';
  units: number;
  useBias: boolean;
  returnSequences: boolean;
  goBackwards?: boolean;
  activation?: string;
  recurrentActivation?: string;
}

function makeLayer(c: Case, seed: number): tf.layers.Layer {
  const args = {
    units: c.units,
    useBias: c.useBias,
    returnSequences: c.returnSequences,
    goBackwards: c.goBackwards ?? false,
    // Random (not zero) biases so the bias layout is really exercised.
    biasInitializer: tf.initializers.randomNormal({ stddev: 0.5, seed }),
    kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }),
    ...(c.activation ? { activation: c.activation as 'tanh' } : {}),
    ...(c.recurrentActivation ? { recurrentActivation: c.recurrentActivation as 'sigmoid' } : {}),
  };
  return c.kind === 'lstm' ? tf.layers.lstm(args) : tf.layers.gru(args);
}

/** Largest recomputation error seen over all cases (printed at the end). */
let worst = 0;

/** max |a − b| read back synchronously (test only). */
function maxDiff(a: tf.Tensor, b: tf.Tensor): number {
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0] as number);
  worst = Math.max(worst, d);
  return d;
}

function hiddenOf(trace: GateTrace): tf.Tensor {
  return trace.hidden;
}

const cases: Case[] = [];
for (const kind of ['lstm', 'gru'] as const) {
  for (const units of [1, 3, 8, 17]) {
    for (const useBias of [true, false]) {
      for (const returnSequences of [true, false]) cases.push({ kind, units, useBias, returnSequences });
    }
  }
  cases.push({ kind, units: 5, useBias: true, returnSequences: true, goBackwards: true });
  cases.push({ kind, units: 4, useBias: true, returnSequences: true, activation: 'relu', recurrentActivation: 'sigmoid' });
  cases.push({
    kind,
    units: 6,
    useBias: true,
    returnSequences: false,
    activation: 'softsign',
    recurrentActivation: 'hardSigmoid',
  });
}

describe('gateMath: recomputed RNN gates match tfjs-layers', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  after(() => {
    console.log(`\n    gateMath: largest |recomputed h − tfjs h| over all cases: ${worst.toExponential(2)}`);
  });

  cases.forEach((c, n) => {
    const label =
      `${c.kind.toUpperCase()} units=${c.units} bias=${c.useBias} returnSequences=${c.returnSequences}` +
      (c.goBackwards ? ' goBackwards' : '') +
      (c.activation ? ` ${c.activation}/${c.recurrentActivation}` : '');
    it(label, () => {
      const before = tf.memory().numTensors;
      const layer = makeLayer(c, 100 + n);
      const steps = 3 + (n % 9);
      const features = 1 + (n % 6);
      const x = tf.randomNormal([2, steps, features], 0, 1, 'float32', 7 + n);
      const own = layer.apply(x) as tf.Tensor; // builds the layer
      const w = rnnWeightsOf(layer as unknown as Parameters<typeof rnnWeightsOf>[0]);
      assert.ok(w, 'weights read');
      assert.strictEqual(w.kind, c.kind);
      assert.strictEqual(w.bias === null, !c.useBias);
      tf.tidy(() => {
        const trace = recomputeGates(tf, w, x);
        const h = hiddenOf(trace);
        assert.deepStrictEqual(h.shape, [2, steps, c.units]);
        // Against the layer's own output: every step, or the last step when that is all it returns.
        const ownSteps = c.returnSequences ? own : tf.expandDims(own, 1);
        const mine = c.returnSequences ? h : tf.slice(h, [0, steps - 1, 0], [2, 1, c.units]);
        assert.ok(maxDiff(mine, ownSteps) < TOLERANCE, `layer output: ${maxDiff(mine, ownSteps)}`);
        // Every timestep, whatever returnSequences says.
        const all = layerHiddenSequence(layer as unknown as Parameters<typeof layerHiddenSequence>[0], x);
        assert.deepStrictEqual(all.shape, [2, steps, c.units]);
        assert.ok(maxDiff(h, all) < TOLERANCE, `every step: ${maxDiff(h, all)}`);
        // Gates of the right kind are in range for sigmoid-like recurrent activations.
        const gates = trace.kind === 'lstm' ? [trace.input, trace.forget, trace.output] : [trace.update, trace.reset];
        for (const g of gates) {
          assert.ok((tf.min(g).dataSync()[0] as number) >= 0 && (tf.max(g).dataSync()[0] as number) <= 1);
        }
      });
      // The switch used for every-step output is restored.
      assert.strictEqual((layer as unknown as { returnSequences: boolean }).returnSequences, c.returnSequences);
      tf.dispose([x, own]);
      layer.dispose();
      assert.strictEqual(tf.memory().numTensors, before, 'no tensors leaked');
    });
  });

  it('every-step output from the switch equals a returnSequences twin with the same weights', () => {
    for (const kind of ['lstm', 'gru'] as const) {
      const layer = makeLayer({ kind, units: 4, useBias: true, returnSequences: false }, 3);
      const twin = makeLayer({ kind, units: 4, useBias: true, returnSequences: true }, 4);
      const x = tf.randomNormal([1, 6, 3], 0, 1, 'float32', 11);
      tf.tidy(() => {
        layer.apply(x);
        twin.apply(x);
        twin.setWeights(layer.getWeights());
        const a = layerHiddenSequence(layer as unknown as Parameters<typeof layerHiddenSequence>[0], x);
        const b = twin.apply(x) as tf.Tensor;
        assert.ok(maxDiff(a, b) < 1e-6);
      });
      x.dispose();
      layer.dispose();
      twin.dispose();
    }
  });

  it('LSTM cell state matches the returned state c', () => {
    const layer = tf.layers.lstm({ units: 5, returnState: true, biasInitializer: tf.initializers.randomNormal({ seed: 9 }) });
    const x = tf.randomNormal([3, 8, 2], 0, 1, 'float32', 5);
    tf.tidy(() => {
      const [, hLast, cLast] = layer.apply(x) as tf.Tensor[];
      const trace = recomputeGates(tf, rnnWeightsOf(layer as unknown as Parameters<typeof rnnWeightsOf>[0])!, x);
      assert.ok(trace.kind === 'lstm');
      const cMine = tf.squeeze(tf.slice(trace.cell, [0, 7, 0], [3, 1, 5]), [1]);
      const hMine = tf.squeeze(tf.slice(trace.hidden, [0, 7, 0], [3, 1, 5]), [1]);
      assert.ok(maxDiff(cMine, cLast!) < TOLERANCE);
      assert.ok(maxDiff(hMine, hLast!) < TOLERANCE);
    });
    x.dispose();
    layer.dispose();
  });

  for (const kind of ['lstm', 'gru'] as const) {
    it(`Bidirectional ${kind.toUpperCase()}: forward and backward halves match the concat output`, () => {
      const inner =
        kind === 'lstm'
          ? tf.layers.lstm({ units: 3, returnSequences: true })
          : tf.layers.gru({ units: 3, returnSequences: true });
      const bi = tf.layers.bidirectional({ layer: inner as unknown as tf.RNN, mergeMode: 'concat' });
      const x = tf.randomNormal([1, 7, 4], 0, 1, 'float32', 21);
      tf.tidy(() => {
        const own = bi.apply(x) as tf.Tensor; // [1, 7, 6]
        const { forwardLayer, backwardLayer } = bi as unknown as {
          forwardLayer: Parameters<typeof rnnWeightsOf>[0];
          backwardLayer: Parameters<typeof rnnWeightsOf>[0];
        };
        const fw = recomputeGates(tf, rnnWeightsOf(forwardLayer)!, x).hidden;
        const bwW = rnnWeightsOf(backwardLayer)!;
        assert.ok(bwW.goBackwards);
        // The backward layer emits steps back to front; Bidirectional re-reverses them.
        const bw = tf.reverse(recomputeGates(tf, bwW, x).hidden, 1);
        assert.ok(maxDiff(fw, tf.slice(own, [0, 0, 0], [1, 7, 3])) < TOLERANCE);
        assert.ok(maxDiff(bw, tf.slice(own, [0, 0, 3], [1, 7, 3])) < TOLERANCE);
      });
      x.dispose();
      bi.dispose();
    });
  }
});
