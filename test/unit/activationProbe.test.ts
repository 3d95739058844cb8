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

/** 20 timesteps: each recurrent layer runs in parts of RNN_PART_STEPS (8, 8, 4) plus a step for its output. */
function longRecurrent(): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.lstm({ units: 8, returnSequences: true, inputShape: [20, 3] }));
  model.add(tf.layers.gru({ units: 5, returnSequences: true }));
  model.add(tf.layers.simpleRNN({ units: 4 }));
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

const cases: Array<{ name: string; make: () => tf.LayersModel; input: () => tf.Tensor; steps: 'per layer' | 'one' | number }> = [
  // 1 (input) + 3 recurrent layers × (3 parts + 1) + 1 (dense)
  {
    name: 'LSTM, GRU and SimpleRNN over 20 timesteps (recurrences in parts)',
    make: longRecurrent,
    input: () => tf.randomNormal([2, 20, 3], 0, 1, 'float32', 5),
    steps: 14,
  },
  {
    name: 'stacked LSTM with dropout (a chain)',
    make: stackedLstm,
    input: () => tf.randomNormal([2, 6, 3], 0, 1, 'float32', 3),
    steps: 'per layer',
  },
  { name: 'residual block (a branch)', make: residual, input: () => tf.randomNormal([3, 4], 0, 1, 'float32', 4), steps: 'one' },
  {
    name: 'Embedding with maskZero (a mask)',
    make: maskedLstm,
    input: () =>
      tf.tensor2d([
        [1, 2, 0, 0, 0],
        [3, 4, 5, 6, 0],
      ]),
    steps: 'one',
  },
];

describe('activation probe: evaluated in steps', () => {
  for (const c of cases) {
    it(`${c.name}: the same values as in one go, ${c.steps === 'per layer' ? 'one step per layer' : c.steps === 'one' ? 'in one step' : `in ${c.steps} steps`}`, async () => {
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
        // (A recurrence in parts adds float32 round-off: the parts' sums are taken in another order.)
        assert.ok(diff <= (typeof c.steps === 'number' ? 1e-5 : 1e-6), `${l.path}: max |stepped − whole| ${diff}`);
      });
      const nonInput = model.layers.filter((l) => l.getClassName() !== 'InputLayer').length;
      assert.equal(shares(), c.steps === 'per layer' ? 1 + nonInput : c.steps === 'one' ? 1 : c.steps);
      tf.dispose(expected);
      read.dispose();
      assert.equal(tf.memory().numTensors, before, 'the read frees what its steps made');
      model.dispose();
    });
  }
});
