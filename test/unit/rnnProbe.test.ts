/**
 * The gate view's stepped recomputation (webview/probes/rnnProbe.ts `traceRnn`) in Node against
 * real tfjs: run a few timesteps per step (each part from the state the last one ended in), it
 * gives the same gates as one run over the whole sequence, its checks against the layer's own
 * recurrence and the model's output stay within 1e-4 (LSTM, GRU, a layer that reads back to
 * front, Bidirectional), it takes one step per part, and it frees everything when the read ends.
 */
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { ActivationProbe } from '../../webview/probes/activationModel';
import { recomputeGates, rnnWeightsOf, traceSeries } from '../../webview/probes/gateMath';
import { rnnDirections, traceRnn, type DirectionTrace } from '../../webview/probes/rnnProbe';
import { countingRead } from './support/countingRead';

const STEPS = 11;

function model(): tf.LayersModel {
  const init = (seed: number): Record<string, unknown> => ({
    biasInitializer: tf.initializers.randomNormal({ stddev: 0.5, seed }),
    kernelInitializer: tf.initializers.glorotNormal({ seed: seed + 1 }),
  });
  const m = tf.sequential();
  m.add(tf.layers.lstm({ units: 6, returnSequences: true, inputShape: [STEPS, 3], ...init(1) }));
  m.add(tf.layers.gru({ units: 4, returnSequences: true, goBackwards: true, ...init(3) }));
  m.add(
    tf.layers.bidirectional({
      layer: tf.layers.lstm({ units: 3, returnSequences: true, ...init(5) }) as unknown as tf.RNN,
      mergeMode: 'concat',
    }),
  );
  m.add(tf.layers.lstm({ units: 5, ...init(7) }));
  return m;
}

/** The values `traceRnn` adds to the read for one direction, computed in one go. */
function expectedValues(tf_: typeof tf, layer: tf.layers.Layer, x: tf.Tensor, units: number): number[] {
  const w = rnnWeightsOf(layer as unknown as Parameters<typeof rnnWeightsOf>[0])!;
  return tf_.tidy(() => {
    const out: number[] = [];
    for (const s of traceSeries(recomputeGates(tf_, w, x))) {
      let t = tf_.squeeze(s.tensor, [0]);
      if (w.goBackwards) t = tf_.reverse(t, 0);
      out.push(...(tf_.slice(tf_.transpose(t, [1, 0]), [0, 0], [units, STEPS]).dataSync() as Float32Array));
    }
    return out;
  });
}

describe('rnnProbe: gates recomputed in parts of a sequence', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  for (const chunk of [3, 8, STEPS, 64]) {
    it(`${chunk} timesteps per step: the same gates as one run, checks within 1e-4, one step per part`, async () => {
      const m = model();
      const probe = ActivationProbe.for(tf, m);
      const x = tf.randomNormal([2, STEPS, 3], 0, 1, 'float32', 9);
      const before = tf.memory().numTensors;
      const { read, shares } = countingRead(tf);
      const values = await probe.evaluateIn(read, () => x.clone());
      const evaluateSteps = shares();
      const entries = probe.layers.filter((l) => rnnDirections(l.layer).length > 0);
      assert.strictEqual(entries.length, 4);
      const traces: DirectionTrace[][] = [];
      // Expected values (computed in one go) while the read still holds each layer's input.
      const expected: number[] = [];
      for (const entry of entries) {
        traces.push(await traceRnn(tf, read, entry, values, chunk));
        const input = tf.slice(values.input(entry)!, 0, 1);
        for (const { layer } of rnnDirections(entry.layer)) {
          const units = rnnWeightsOf(layer as unknown as Parameters<typeof rnnWeightsOf>[0])!.units;
          const series = expectedValues(tf, layer, input, units);
          expected.push(...series, NaN); // NaN: where this direction's error scalars go
        }
        input.dispose();
      }
      const data = await read.read();
      assert.strictEqual(tf.memory().numTensors, before, 'the read frees what it made');

      const directions = traces.flat();
      assert.deepStrictEqual(
        directions.map((d) => `${d.kind}${d.label ? ` ${d.label}` : ''}`),
        ['lstm', 'gru', 'lstm forward', 'lstm backward', 'lstm'],
      );
      // Per direction: one input projection, then ⌈steps / chunk⌉ parts of each recurrence.
      const parts = Math.ceil(STEPS / chunk);
      assert.strictEqual(shares() - evaluateSteps, directions.length * (1 + 2 * parts));
      let offset = 0;
      let e = 0;
      let worstGate = 0;
      for (const d of directions) {
        const size = d.units * d.steps * d.series.length;
        for (let i = 0; i < size; i++) worstGate = Math.max(worstGate, Math.abs(data[offset + i]! - expected[e + i]!));
        offset += size;
        e += size + 1;
        assert.ok(d.checks.length >= 2, `${d.kind}: checked against the layer and the model output`);
        for (const check of d.checks) {
          const err = data[offset++]!;
          assert.ok(err < 1e-4, `${d.kind} ${d.label ?? ''} ${check}: ${err}`);
        }
      }
      assert.strictEqual(offset, data.length);
      assert.ok(worstGate < 1e-5, `parts vs one run: ${worstGate}`);
      x.dispose();
      m.dispose();
    });
  }
});
