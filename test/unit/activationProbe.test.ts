/**
 * The views' probe (webview/probes/activationModel.ts) in Node against real tfjs: evaluated in
 * steps (one layer per step for a plain chain, so the page can draw in between) it gives the
 * same values as in one go, falls back to one step where a layer needs more than the previous
 * output (a mask, a branch), and frees everything when the read ends.
 */
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { ActivationProbe } from '../../webview/probes/activationModel';
import { countingRead } from './support/countingRead';

function stackedLstm(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: 8, returnSequences: true, inputShape: [6, 3] }));
  model.add(tf.layers.dropout({ rate: 0.5 }));
  model.add(tf.layers.lstm({ units: 5 }));
  model.add(tf.layers.dense({ units: 2 }));
  return model;
}

function residual(): tf.LayersModel {
  const input = tf.input({ shape: [4] });
  const a = tf.layers.dense({ units: 4, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([input, a]) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: 3 }).apply(sum) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

function maskedLstm(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.embedding({ inputDim: 10, outputDim: 4, maskZero: true, inputLength: 5 }));
  model.add(tf.layers.lstm({ units: 3 }));
  return model;
}

const cases: Array<{ name: string; make: () => tf.LayersModel; input: () => tf.Tensor; steps: 'per layer' | 'one' }> = [
  { name: 'stacked LSTM with dropout (a chain)', make: stackedLstm, input: () => tf.randomNormal([2, 6, 3], 0, 1, 'float32', 3), steps: 'per layer' },
  { name: 'residual block (a branch)', make: residual, input: () => tf.randomNormal([3, 4], 0, 1, 'float32', 4), steps: 'one' },
  { name: 'Embedding with maskZero (a mask)', make: maskedLstm, input: () => tf.tensor2d([[1, 2, 0, 0, 0], [3, 4, 5, 6, 0]]), steps: 'one' },
];

describe('activation probe: evaluated in steps', () => {
  for (const c of cases) {
    it(`${c.name}: the same values as in one go, ${c.steps === 'per layer' ? 'one step per layer' : 'in one step'}`, async () => {
      const model = c.make();
      const probe = ActivationProbe.for(tf, model);
      const before = tf.memory().numTensors;
      const { read, shares } = countingRead(tf);
      const stepped = await probe.evaluateIn(read, c.input);
      const expected = tf.tidy(() => {
        const whole = probe.evaluate(c.input());
        return probe.layers.map((l) => whole.output(l)!.clone());
      });
      probe.layers.forEach((l, i) => {
        const got = stepped.output(l);
        assert.ok(got, `no value for ${l.path}`);
        const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(got, expected[i]!))).dataSync()[0]!);
        assert.ok(diff <= 1e-6, `${l.path}: max |stepped − whole| ${diff}`);
      });
      const nonInput = model.layers.filter((l) => l.getClassName() !== 'InputLayer').length;
      assert.equal(shares(), c.steps === 'per layer' ? 1 + nonInput : 1);
      tf.dispose(expected);
      read.dispose();
      assert.equal(tf.memory().numTensors, before, 'the read frees what its steps made');
      model.dispose();
    });
  }
});
