/**
 * The fused recurrent layers (webview/training/fusedRnn/) against tfjs-layers' own LSTM, GRU and
 * SimpleRNN in Node: the output and the gradients with respect to the input, the kernel, the
 * recurrent kernel and the bias must equal the layer's own to 1e-5, for every supported option
 * (returnSequences, goBackwards, useBias, a mask, dropout and recurrent dropout, the activations
 * the kernels compute).
 */
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { fusedCall, installFusedRnn, type FusedKind } from '../../webview/training/fusedRnn/fusedRnn';
import { BATCH, caseMask, checkCase, dropoutDraws, makeRnnLayer, STEPS, FEATURES, type RnnCase } from './support/fusedRnnCases';

describe('fused recurrent layers equal tfjs-layers', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  const kinds: FusedKind[] = ['LSTM', 'GRU', 'SimpleRNN'];
  let seed = 10;
  for (const kind of kinds) {
    for (const returnSequences of [true, false]) {
      for (const goBackwards of [false, true]) {
        for (const useBias of [true, false]) {
          const c: RnnCase = { kind, units: 5, returnSequences, goBackwards, useBias };
          const s = (seed += 10);
          it(`${kind} returnSequences ${returnSequences}, goBackwards ${goBackwards}, useBias ${useBias}`, () => {
            checkCase(c, s);
          });
        }
      }
    }
  }

  const activations: Array<Omit<RnnCase, 'units' | 'returnSequences' | 'goBackwards' | 'useBias'>> = [
    { kind: 'LSTM', activation: 'relu', recurrentActivation: 'sigmoid' },
    { kind: 'LSTM', activation: 'linear', recurrentActivation: 'hardSigmoid' },
    { kind: 'LSTM', activation: 'tanh', recurrentActivation: 'tanh' },
    { kind: 'GRU', activation: 'relu', recurrentActivation: 'sigmoid' },
    { kind: 'GRU', activation: 'sigmoid', recurrentActivation: 'tanh' },
    { kind: 'GRU', activation: 'linear', recurrentActivation: 'sigmoid' },
    { kind: 'SimpleRNN', activation: 'relu' },
    { kind: 'SimpleRNN', activation: 'sigmoid' },
    { kind: 'SimpleRNN', activation: 'hardSigmoid' },
    { kind: 'SimpleRNN', activation: 'linear' },
  ];
  for (const a of activations) {
    const s = (seed += 10);
    it(`${a.kind} activation ${a.activation}, recurrentActivation ${a.recurrentActivation ?? '(none)'}`, () => {
      checkCase({ ...a, units: 6, returnSequences: true, goBackwards: false, useBias: true }, s);
      checkCase({ ...a, units: 4, returnSequences: false, goBackwards: true, useBias: true }, s + 5);
    });
  }

  for (const kind of kinds) {
    for (const [returnSequences, goBackwards] of [
      [true, false],
      [false, false],
      [true, true],
      [false, true],
    ] as const) {
      const s = (seed += 10);
      it(`${kind} with a mask (padded, leading and inner masked steps), returnSequences ${returnSequences}, goBackwards ${goBackwards}`, () => {
        checkCase({ kind, units: 5, returnSequences, goBackwards, useBias: true, masked: true }, s);
      });
    }
  }

  for (const kind of ['LSTM', 'GRU', 'SimpleRNN'] as const) {
    for (const [dropout, recurrentDropout, masked, goBackwards] of [
      [0.3, 0, false, false],
      [0, 0.4, false, true],
      [0.25, 0.5, true, false],
    ] as const) {
      const s = (seed += 10);
      it(`${kind} dropout ${dropout}, recurrentDropout ${recurrentDropout}${masked ? ', with a mask' : ''}, goBackwards ${goBackwards} (training call)`, () => {
        checkCase({ kind, units: 5, returnSequences: true, goBackwards, useBias: true, masked, dropout, recurrentDropout }, s);
        checkCase(
          { kind, units: 6, returnSequences: false, goBackwards, useBias: false, masked, dropout, recurrentDropout },
          s + 5,
        );
      });
    }
  }

  for (const kind of ['LSTM', 'GRU', 'SimpleRNN'] as const) {
    for (const [returnSequences, goBackwards, masked] of [
      [false, false, false],
      [true, true, false],
      [true, false, true],
      [false, true, true],
    ] as const) {
      const s = (seed += 10);
      it(`${kind} returnState (final states, each with its own gradient), returnSequences ${returnSequences}, goBackwards ${goBackwards}${masked ? ', with a mask' : ''}`, () => {
        checkCase({ kind, units: 5, returnSequences, goBackwards, useBias: true, masked, returnState: true }, s);
      });
    }
  }

  it('draws no dropout masks outside training, and a rate of 1 drops nothing (as tfjs)', () => {
    checkCase(
      { kind: 'LSTM', units: 4, returnSequences: true, goBackwards: false, useBias: true, dropout: 1, recurrentDropout: 1 },
      611,
    );
    const layer = makeRnnLayer(
      { kind: 'GRU', units: 4, returnSequences: true, goBackwards: false, useBias: true, dropout: 0.5, recurrentDropout: 0.5 },
      613,
    );
    const x = tf.randomNormal([BATCH, STEPS, FEATURES], 0, 1, 'float32', 614);
    dropoutDraws.reset();
    const own = (layer.call.bind(layer) as (x: tf.Tensor, kwargs: object) => tf.Tensor)(x, {});
    const fused = fusedCall('GRU', layer as never, x, {}) as tf.Tensor;
    assert.strictEqual(dropoutDraws.count, 0, 'no mask drawn');
    assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(own, fused))).dataSync()[0]!) <= 1e-5);
    tf.dispose([x, own, fused]);
    layer.dispose();
  });

  it('takes the mask a Masking layer gives in a model, as tfjs does', async () => {
    // Masking → LSTM(returnSequences) → GRU: the mask reaches both layers through apply().
    const input = tf.input({ shape: [STEPS, FEATURES] });
    const masked = tf.layers.masking({ maskValue: 0 }).apply(input) as tf.SymbolicTensor;
    const lstm = tf.layers.lstm({ units: 4, returnSequences: true }).apply(masked) as tf.SymbolicTensor;
    const gru = tf.layers.gru({ units: 3 }).apply(lstm) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: gru });
    const values = tf.tidy(() =>
      tf.mul(tf.randomNormal([BATCH, STEPS, FEATURES], 0, 1, 'float32', 77), tf.expandDims(caseMask().cast('float32'), 2)),
    );
    const own = tf.tidy(() => model.predict(values) as tf.Tensor);
    assert.strictEqual(installFusedRnn(model), 2);
    const profile = await tf.profile(() => model.predict(values) as tf.Tensor);
    const fused = profile.result as tf.Tensor;
    // Fused, each layer's input projection is one product over every step (its recurrence runs
    // in the kernels); tfjs's own call makes products at every step.
    const products = profile.kernels.filter((k) => k.name === 'BatchMatMul' || k.name === '_FusedMatMul').length;
    assert.strictEqual(products, 2, 'both layers ran fused');
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(own, fused))).dataSync()[0]!);
    assert.ok(diff <= 1e-5, `masked model output differs by ${diff}`);
    tf.dispose([values, own, fused]);
    model.dispose();
  });

  it('a long sequence and more units than steps (the bench forecaster layer size)', () => {
    checkCase({ kind: 'LSTM', units: 32, returnSequences: false, goBackwards: false, useBias: true }, 501);
  });

  it('leaves no tensors behind', () => {
    const layer = makeRnnLayer({ kind: 'LSTM', units: 3, returnSequences: true, goBackwards: false, useBias: true }, 7);
    const x = tf.randomNormal([2, STEPS, FEATURES]);
    const before = tf.memory().numTensors;
    const { grads, value } = tf.variableGrads(() => tf.sum(fusedCall('LSTM', layer as never, x, {}) as tf.Tensor));
    tf.dispose([value, ...Object.values(grads)]);
    assert.strictEqual(tf.memory().numTensors, before);
    x.dispose();
    layer.dispose();
  });
});
