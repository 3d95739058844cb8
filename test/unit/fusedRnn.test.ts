/**
 * The fused recurrent layers (webview/training/fusedRnn/) against tfjs-layers' own LSTM, GRU and
 * SimpleRNN in Node: the output and the gradients with respect to the input, the kernel, the
 * recurrent kernel and the bias must equal the layer's own to 1e-5, for every supported option
 * (returnSequences, goBackwards, useBias, the activations the kernels compute).
 */
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { fusedCall, type FusedKind } from '../../webview/training/fusedRnn/fusedRnn';
import { checkCase, makeRnnLayer, STEPS, FEATURES, type RnnCase } from './support/fusedRnnCases';

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

  it('a long sequence and more units than steps (the bench forecaster layer size)', () => {
    checkCase({ kind: 'LSTM', units: 32, returnSequences: false, goBackwards: false, useBias: true }, 501);
  });

  it('leaves no tensors behind', () => {
    const layer = makeRnnLayer({ kind: 'LSTM', units: 3, returnSequences: true, goBackwards: false, useBias: true }, 7);
    const x = tf.randomNormal([2, STEPS, FEATURES]);
    const before = tf.memory().numTensors;
    const { grads, value } = tf.variableGrads(() => tf.sum(fusedCall('LSTM', layer as never, x, {})!));
    tf.dispose([value, ...Object.values(grads)]);
    assert.strictEqual(tf.memory().numTensors, before);
    x.dispose();
    layer.dispose();
  });
});
