/**
 * tfjs's SimpleRNN recurrence over a whole sequence in plain JS, forward and backward, given
 * xw = x · kernel + bias ([batch, time, units]) and the recurrent kernel [units, units]. Per step,
 * as SimpleRNNCell.call: h' = activation(xw_t + h · recurrentKernel), from a zero state (h times
 * the recurrent dropout mask in that product, where there is one).
 */
import { activate, derivative } from './activations';
import type { ActCode } from './activations';
import {
  carryState,
  gatherOutput,
  isMasked,
  outputGradientOffset,
  previousHiddenTransposed,
  previousSeen,
  releaseBuffers,
  restoreCarried,
  takeBuffer,
  throughRecurrentMask,
  timeOf,
} from './sequence';
import type { SequenceShape } from './sequence';
import { transpose } from './products';
import type { ProductFactory } from './products';

export interface SimpleRnnTape {
  shape: SequenceShape;
  activation: ActCode;
  kernel: Float64Array;
  /** Pre-activations and hidden states, [steps, batch, units]. */
  pre: Float64Array;
  hidden: Float64Array;
}

export function simpleForward(
  xw: Float32Array,
  recurrentKernel: Float32Array,
  shape: SequenceShape,
  activation: ActCode,
  products: ProductFactory,
): { output: Float32Array; tape: SimpleRnnTape } {
  const { batch: B, steps: T, units: U } = shape;
  const W = Float64Array.from(recurrentKernel);
  const pre = takeBuffer(T * B * U);
  const hidden = takeBuffer(T * B * U);
  const seen = new Float64Array(B * U);
  const recurrent = products(W, U, U);
  try {
    for (let s = 0; s < T; s++) {
      const t = timeOf(shape, s);
      for (let b = 0; b < B; b++) pre.set(xw.subarray((b * T + t) * U, (b * T + t + 1) * U), (s * B + b) * U);
      const here = pre.subarray(s * B * U, (s + 1) * B * U);
      if (s > 0) recurrent.multiply(previousSeen(shape, hidden, s, seen), B, here, true);
      for (let k = s * B * U; k < (s + 1) * B * U; k++) hidden[k] = activate(activation, pre[k]!);
      for (let b = 0; b < B; b++) if (isMasked(shape, s, b)) carryState(hidden, shape, s, b);
    }
  } finally {
    recurrent.dispose();
  }
  return { output: gatherOutput(shape, hidden), tape: { shape, activation, kernel: W, pre, hidden } };
}

/** dL/dxw and the transposed previous hidden states (the tape goes back to the pool: it serves one pass). */
export function simpleBackward(
  tape: SimpleRnnTape,
  dy: Float32Array,
  products: ProductFactory,
): { dxw: Float32Array; previousHidden: Float32Array } {
  const { shape, activation, kernel: W, pre, hidden } = tape;
  const { batch: B, steps: T, units: U } = shape;
  const dxw = new Float32Array(B * T * U);
  const dhNext = new Float64Array(B * U);
  const da = new Float64Array(B * U);
  // A masked row's dL/dh, passed on to the step before unchanged.
  const carried = new Float64Array(B * U);
  const recurrentT = products(transpose(W, U, U), U, U);
  try {
    for (let s = T - 1; s >= 0; s--) {
      const t = timeOf(shape, s);
      for (let b = 0; b < B; b++) {
        const here = (s * B + b) * U;
        const row = b * U;
        const upstream = outputGradientOffset(shape, s, b);
        const masked = isMasked(shape, s, b);
        for (let k = 0; k < U; k++) {
          const dh = (s < T - 1 ? dhNext[row + k]! : 0) + (upstream >= 0 ? dy[upstream + k]! : 0);
          if (masked) carried[row + k] = dh;
          da[row + k] = masked ? 0 : dh * derivative(activation, pre[here + k]!, hidden[here + k]!);
        }
        if (!masked) dxw.set(da.subarray(row, row + U), (b * T + t) * U);
      }
      if (s > 0) {
        recurrentT.multiply(da, B, dhNext, false);
        throughRecurrentMask(shape, s, dhNext);
        restoreCarried(shape, s, dhNext, carried);
      }
    }
  } finally {
    recurrentT.dispose();
  }
  const previousHidden = previousHiddenTransposed(shape, hidden);
  releaseBuffers(pre, hidden);
  return { dxw, previousHidden };
}
