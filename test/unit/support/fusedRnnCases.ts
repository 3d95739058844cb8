/**
 * What the fused recurrent layers' tests share: a built LSTM/GRU/SimpleRNN layer of a case, and
 * the check that the fused call's output and gradients (input, kernel, recurrent kernel, bias)
 * equal tfjs-layers' own call to 1e-5 on the current backend.
 */
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { fusedCall, fusedKindOf, type FusedKind } from '../../../webview/training/fusedRnn/fusedRnn';

export const TOLERANCE = 1e-5;
export const BATCH = 3;
export const STEPS = 7;
export const FEATURES = 4;

export interface RnnCase {
  kind: FusedKind;
  units: number;
  returnSequences: boolean;
  goBackwards: boolean;
  useBias: boolean;
  activation?: string;
  recurrentActivation?: string;
  /** Call with a mask: row 0 whole, row 1 padded at the end, row 2 masked at the start and in the middle. */
  masked?: boolean;
  /** Also return the final states ([output, h] or [output, h, c]), each with its own upstream gradient. */
  returnState?: boolean;
  /** Dropout rates (the call is then a training call, its masks drawn by `dropoutDraws`). */
  dropout?: number;
  recurrentDropout?: number;
}

/**
 * The cells' dropout masks in these tests: drawn by tfjs's `dropoutFunc` hook from a seed that
 * is the draw's number since `dropoutDraws.reset()`, so tfjs's call and the fused one, drawing
 * in the same order, get the same masks.
 */
export const dropoutDraws = {
  count: 0,
  reset(): void {
    this.count = 0;
  },
  draw(ones: tf.Tensor, rate: number): tf.Tensor {
    const seed = 5000 + dropoutDraws.count++;
    return tf.tidy(() =>
      tf.mul(tf.cast(tf.greaterEqual(tf.randomUniform(ones.shape, 0, 1, 'float32', seed), rate), 'float32'), 1 / (1 - rate)),
    );
  },
};

/** The masked cases' mask, [BATCH, STEPS] (0: masked), as Masking or an embedding's maskZero gives it. */
export function caseMask(): tf.Tensor {
  const rows = [
    [1, 1, 1, 1, 1, 1, 1],
    [1, 1, 1, 1, 0, 0, 0],
    [0, 0, 1, 1, 0, 1, 1],
  ];
  return tf.tensor2d(rows, [BATCH, STEPS], 'bool');
}

export type RnnLayer = tf.layers.Layer & {
  cell: { kernel: { read(): tf.Tensor }; recurrentKernel: { read(): tf.Tensor }; bias: { read(): tf.Tensor } | null };
};

/** A built layer of `c` with random (seeded, non-zero) weights. */
export function makeRnnLayer(c: RnnCase, seed: number): RnnLayer {
  const args: Record<string, unknown> = {
    units: c.units,
    returnSequences: c.returnSequences,
    goBackwards: c.goBackwards,
    useBias: c.useBias,
    kernelInitializer: tf.initializers.randomNormal({ stddev: 0.4, seed }),
    recurrentInitializer: tf.initializers.randomNormal({ stddev: 0.4, seed: seed + 1 }),
    biasInitializer: tf.initializers.randomNormal({ stddev: 0.5, seed: seed + 2 }),
  };
  if (c.activation) args['activation'] = c.activation;
  if (c.returnState) args['returnState'] = true;
  if (c.dropout !== undefined || c.recurrentDropout !== undefined) {
    args['dropout'] = c.dropout ?? 0;
    args['recurrentDropout'] = c.recurrentDropout ?? 0;
    args['dropoutFunc'] = dropoutDraws.draw;
  }
  if (c.recurrentActivation) args['recurrentActivation'] = c.recurrentActivation;
  const factory = c.kind === 'LSTM' ? tf.layers.lstm : c.kind === 'GRU' ? tf.layers.gru : tf.layers.simpleRNN;
  const layer = factory(args as never) as unknown as RnnLayer;
  tf.tidy(() => {
    layer.apply(tf.zeros([1, STEPS, FEATURES]));
  });
  return layer;
}

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  assert.deepStrictEqual(a.shape, b.shape);
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

/** Output and gradients (input, kernel, recurrent kernel, bias) of `run`, with a fixed random upstream gradient. */
function outputAndGradients(
  layer: RnnLayer,
  x: tf.Variable,
  run: () => tf.Tensor | tf.Tensor[],
  upstream: tf.Tensor[],
): { output: tf.Tensor[]; grads: Record<string, tf.Tensor> } {
  const cell = layer.cell;
  const weights = [cell.kernel.read(), cell.recurrentKernel.read(), ...(cell.bias ? [cell.bias.read()] : [])];
  const variables = [x, ...(weights as tf.Variable[])];
  const names = ['input', 'kernel', 'recurrentKernel', 'bias'];
  let output: tf.Tensor[] = [];
  const { grads } = tf.variableGrads(() => {
    const ys = [run()].flat();
    assert.strictEqual(ys.length, upstream.length, 'outputs');
    output = ys.map((y) => tf.keep(y.clone()));
    return tf.addN(ys.map((y, i) => tf.sum(tf.mul(y, upstream[i]!)))) as tf.Scalar;
  }, variables);
  const named: Record<string, tf.Tensor> = {};
  variables.forEach((v, i) => (named[names[i]!] = grads[v.name]!));
  return { output, grads: named };
}

/** Asserts the fused call equals tfjs's own for case `c`. Returns the largest difference seen. */
export function checkCase(c: RnnCase, seed: number): number {
  const layer = makeRnnLayer(c, seed);
  const kind = fusedKindOf(layer);
  assert.strictEqual(kind, c.kind);
  const x = tf.variable(tf.randomNormal([BATCH, STEPS, FEATURES], 0, 1, 'float32', seed + 3));
  const states = c.returnState ? (c.kind === 'LSTM' ? 2 : 1) : 0;
  const upstream = [
    tf.randomNormal(c.returnSequences ? [BATCH, STEPS, c.units] : [BATCH, c.units], 0, 1, 'float32', seed + 4),
    ...Array.from({ length: states }, (_, i) => tf.randomNormal([BATCH, c.units], 0, 1, 'float32', seed + 5 + i)),
  ];
  const own = layer.call.bind(layer) as (x: tf.Tensor, kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];
  const mask = c.masked === true ? caseMask() : null;
  const training = c.dropout !== undefined || c.recurrentDropout !== undefined;
  const kwargs = { ...(mask === null ? {} : { mask }), ...(training ? { training: true } : {}) };
  dropoutDraws.reset();
  const reference = outputAndGradients(layer, x, () => own(x, kwargs), upstream);
  dropoutDraws.reset();
  const fused = outputAndGradients(
    layer,
    x,
    () => {
      const y = fusedCall(c.kind, layer as never, x, kwargs);
      assert.ok(y !== null, `the fused call should support ${JSON.stringify(c)}`);
      return y;
    },
    upstream,
  );
  let worst = 0;
  reference.output.forEach((y, i) => {
    const diff = maxAbsDiff(y, fused.output[i]!);
    assert.ok(diff <= TOLERANCE, `${JSON.stringify(c)}: output ${i} differs by ${diff}`);
    worst = Math.max(worst, diff);
  });
  for (const [name, grad] of Object.entries(reference.grads)) {
    const diff = maxAbsDiff(grad, fused.grads[name]!);
    // A gradient that is zero everywhere would make the comparison empty.
    assert.ok(tf.tidy(() => tf.max(tf.abs(grad)).dataSync()[0]!) > 0, `${name} gradient is all zeros`);
    assert.ok(diff <= TOLERANCE, `${JSON.stringify(c)}: d/d${name} differs by ${diff}`);
    worst = Math.max(worst, diff);
  }
  mask?.dispose();
  tf.dispose([
    x,
    ...upstream,
    ...reference.output,
    ...fused.output,
    ...Object.values(reference.grads),
    ...Object.values(fused.grads),
  ]);
  layer.dispose();
  return worst;
}
