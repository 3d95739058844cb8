/**
 * tfjs's LSTM recurrence over a whole sequence in plain JS, forward and backward, given the input
 * projection xw = x · kernel + bias ([batch, time, 4·units], gates in tfjs's order i, f, c, o)
 * and the recurrent kernel ([units, 4·units]). Per step, as LSTMCell.call:
 *   z = xw_t + h · recurrentKernel;  i, f, o = recurrentActivation(z_i, z_f, z_o);  g = activation(z_c)
 *   (h times the recurrent dropout mask in that product, where there is one)
 *   c = f · c_prev + i · g;  h = o · activation(c)
 * from zero states. The forward keeps what the backward needs (pre-activations, activations,
 * states; in float64, so the loops never convert); the backward returns dL/dxw, in xw's layout,
 * and the transposed previous hidden states, whose product with it is dL/dRecurrentKernel.
 */
import { activateRange, derivative } from './activations';
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

export interface LstmActivations {
  activation: ActCode;
  recurrentActivation: ActCode;
}

export interface LstmTape {
  shape: SequenceShape;
  acts: LstmActivations;
  /** The recurrent kernel, [units, 4·units]. */
  kernel: Float64Array;
  /** Pre-activations and activations of the gates, [steps, batch, 4·units] (processing order). */
  pre: Float64Array;
  post: Float64Array;
  /** Cell states, activation(c) and hidden states, [steps, batch, units]. */
  cell: Float64Array;
  cellAct: Float64Array;
  hidden: Float64Array;
}

export function lstmForward(
  xw: Float32Array,
  recurrentKernel: Float32Array,
  shape: SequenceShape,
  acts: LstmActivations,
  products: ProductFactory,
): { output: Float32Array; tape: LstmTape } {
  const { batch: B, steps: T, units: U } = shape;
  const G = 4 * U;
  const { activation: act, recurrentActivation: rec } = acts;
  const W = Float64Array.from(recurrentKernel);
  const pre = takeBuffer(T * B * G);
  const post = takeBuffer(T * B * G);
  const cell = takeBuffer(T * B * U);
  const cellAct = takeBuffer(T * B * U);
  const hidden = takeBuffer(T * B * U);
  const seen = new Float64Array(B * U);
  const recurrent = products(W, U, G);
  try {
    for (let s = 0; s < T; s++) {
      const t = timeOf(shape, s);
      for (let b = 0; b < B; b++) pre.set(xw.subarray((b * T + t) * G, (b * T + t + 1) * G), (s * B + b) * G);
      if (s > 0) recurrent.multiply(previousSeen(shape, hidden, s, seen), B, pre.subarray(s * B * G, (s + 1) * B * G), true);
      for (let b = 0; b < B; b++) {
        const z = (s * B + b) * G;
        const here = (s * B + b) * U;
        const before = here - B * U;
        activateRange(rec, pre, post, z, z + 2 * U);
        activateRange(act, pre, post, z + 2 * U, z + 3 * U);
        activateRange(rec, pre, post, z + 3 * U, z + G);
        for (let j = 0; j < U; j++) {
          cell[here + j] = (s > 0 ? post[z + U + j]! * cell[before + j]! : 0) + post[z + j]! * post[z + 2 * U + j]!;
        }
        activateRange(act, cell, cellAct, here, here + U);
        for (let j = 0; j < U; j++) hidden[here + j] = post[z + 3 * U + j]! * cellAct[here + j]!;
        if (isMasked(shape, s, b)) {
          carryState(cell, shape, s, b);
          carryState(hidden, shape, s, b);
        }
      }
    }
  } finally {
    recurrent.dispose();
  }
  return { output: gatherOutput(shape, hidden), tape: { shape, acts, kernel: W, pre, post, cell, cellAct, hidden } };
}

/**
 * dL/dxw ([batch, time, 4·units]) and P ([units, batch·time]: dL/dRecurrentKernel = P · dL/dxw)
 * from dL/doutput, and dL/dc of the last step where the final cell state is an output too. A
 * tape serves one backward pass: its buffers go back to the pool.
 */
export function lstmBackward(
  tape: LstmTape,
  dy: Float32Array,
  products: ProductFactory,
  dcLast?: Float32Array,
): { dxw: Float32Array; previousHidden: Float32Array } {
  const { shape, acts, pre, post, cell, cellAct } = tape;
  const { batch: B, steps: T, units: U } = shape;
  const G = 4 * U;
  const { activation: act, recurrentActivation: rec } = acts;
  const dxw = new Float32Array(B * T * G);
  const dhNext = new Float64Array(B * U);
  const dcNext = new Float64Array(B * U);
  if (dcLast !== undefined) dcNext.set(dcLast);
  const dz = new Float64Array(B * G);
  // A masked row's dL/dh, passed on to the step before unchanged (as is its dL/dc, in dcNext).
  const carried = new Float64Array(B * U);
  // dL/dh_prev = dz · recurrentKernelᵀ.
  const recurrentT = products(transpose(tape.kernel, U, G), G, U);
  try {
    for (let s = T - 1; s >= 0; s--) {
      const t = timeOf(shape, s);
      for (let b = 0; b < B; b++) {
        const z = (s * B + b) * G;
        const d = b * G;
        const here = (s * B + b) * U;
        const before = here - B * U;
        const row = b * U;
        const upstream = outputGradientOffset(shape, s, b);
        if (isMasked(shape, s, b)) {
          for (let j = 0; j < U; j++)
            carried[row + j] = (s < T - 1 ? dhNext[row + j]! : 0) + (upstream >= 0 ? dy[upstream + j]! : 0);
          dz.fill(0, d, d + G);
          continue;
        }
        for (let j = 0; j < U; j++) {
          const dh = (s < T - 1 ? dhNext[row + j]! : 0) + (upstream >= 0 ? dy[upstream + j]! : 0);
          const i = post[z + j]!;
          const f = post[z + U + j]!;
          const g = post[z + 2 * U + j]!;
          const o = post[z + 3 * U + j]!;
          const a = cellAct[here + j]!;
          const dc = dcNext[row + j]! + dh * o * derivative(act, cell[here + j]!, a);
          const cPrev = s > 0 ? cell[before + j]! : 0;
          dz[d + j] = dc * g * derivative(rec, pre[z + j]!, i);
          dz[d + U + j] = dc * cPrev * derivative(rec, pre[z + U + j]!, f);
          dz[d + 2 * U + j] = dc * i * derivative(act, pre[z + 2 * U + j]!, g);
          dz[d + 3 * U + j] = dh * a * derivative(rec, pre[z + 3 * U + j]!, o);
          dcNext[row + j] = dc * f;
        }
        dxw.set(dz.subarray(d, d + G), (b * T + t) * G);
      }
      if (s > 0) {
        recurrentT.multiply(dz, B, dhNext, false);
        throughRecurrentMask(shape, s, dhNext);
        restoreCarried(shape, s, dhNext, carried);
      }
    }
  } finally {
    recurrentT.dispose();
  }
  const previousHidden = previousHiddenTransposed(shape, tape.hidden);
  releaseBuffers(pre, post, cell, cellAct, tape.hidden);
  return { dxw, previousHidden };
}
