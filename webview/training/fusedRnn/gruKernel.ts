/**
 * tfjs's GRU recurrence (resetAfter false, the only one tfjs has) over a whole sequence in plain
 * JS, forward and backward, given xw = x · kernel + bias ([batch, time, 3·units], parts z, r, h
 * in tfjs's order) and the recurrent kernel [units, 3·units] = [rk1 (z, r) | rk2 (h)]. Per step,
 * as GRUCell.call:
 *   z = recurrentActivation(xw_z + h · rk1_z);  r = recurrentActivation(xw_r + h · rk1_r)
 *   hh = activation(xw_h + (r · h) · rk2);  h' = z · h + (1 − z) · hh
 * from a zero state, h being the previous state times the recurrent dropout mask where there is
 * one (in all three places, as GRUCell.call replaces it). The backward returns dL/dxw and the two transposed matrices whose products
 * with its parts are dL/drk1 (previous hidden states) and dL/drk2 (r · previous hidden states).
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
  takeBuffer,
  throughRecurrentMask,
  timeOf,
} from './sequence';
import type { SequenceShape } from './sequence';
import { columns, transpose } from './products';
import type { ProductFactory } from './products';

export interface GruTape {
  shape: SequenceShape;
  acts: { activation: ActCode; recurrentActivation: ActCode };
  kernel: Float64Array;
  /** Pre-activations and activations (z, r, hh), [steps, batch, 3·units]. */
  pre: Float64Array;
  post: Float64Array;
  /** The reset gate alone and the hidden states, [steps, batch, units]. */
  reset: Float64Array;
  hidden: Float64Array;
}

export function gruForward(
  xw: Float32Array,
  recurrentKernel: Float32Array,
  shape: SequenceShape,
  acts: { activation: ActCode; recurrentActivation: ActCode },
  products: ProductFactory,
): { output: Float32Array; tape: GruTape } {
  const { batch: B, steps: T, units: U } = shape;
  const G = 3 * U;
  const { activation: act, recurrentActivation: rec } = acts;
  const W = Float64Array.from(recurrentKernel);
  const pre = takeBuffer(T * B * G);
  const post = takeBuffer(T * B * G);
  const reset = takeBuffer(T * B * U);
  const hidden = takeBuffer(T * B * U);
  const inner = new Float64Array(B * 2 * U);
  const rh = new Float64Array(B * U);
  const recH = new Float64Array(B * U);
  const seen = new Float64Array(B * U);
  const gates = products(columns(W, U, G, 0, 2 * U), U, 2 * U);
  const candidate = products(columns(W, U, G, 2 * U, G), U, U);
  try {
    for (let s = 0; s < T; s++) {
      const t = timeOf(shape, s);
      const previous = s > 0 ? previousSeen(shape, hidden, s, seen) : seen;
      if (s > 0) gates.multiply(previous, B, inner, false);
      for (let b = 0; b < B; b++) {
        const z = (s * B + b) * G;
        const x = (b * T + t) * G;
        const here = (s * B + b) * U;
        for (let j = 0; j < U; j++) {
          const pz = xw[x + j]! + (s > 0 ? inner[b * 2 * U + j]! : 0);
          const pr = xw[x + U + j]! + (s > 0 ? inner[b * 2 * U + U + j]! : 0);
          const zg = activate(rec, pz);
          const r = activate(rec, pr);
          pre[z + j] = pz;
          pre[z + U + j] = pr;
          post[z + j] = zg;
          post[z + U + j] = r;
          reset[here + j] = r;
          rh[b * U + j] = s > 0 ? r * previous[b * U + j]! : 0;
        }
      }
      if (s > 0) candidate.multiply(rh, B, recH, false);
      for (let b = 0; b < B; b++) {
        const z = (s * B + b) * G;
        const x = (b * T + t) * G;
        const here = (s * B + b) * U;
        for (let j = 0; j < U; j++) {
          const p = xw[x + 2 * U + j]! + (s > 0 ? recH[b * U + j]! : 0);
          pre[z + 2 * U + j] = p;
          const hh = activate(act, p);
          post[z + 2 * U + j] = hh;
          const zg = post[z + j]!;
          hidden[here + j] = (s > 0 ? zg * previous[b * U + j]! : 0) + (1 - zg) * hh;
        }
        if (isMasked(shape, s, b)) carryState(hidden, shape, s, b);
      }
    }
  } finally {
    gates.dispose();
    candidate.dispose();
  }
  return { output: gatherOutput(shape, hidden), tape: { shape, acts, kernel: W, pre, post, reset, hidden } };
}

/** The backward pass over a tape (which it gives back to the pool: a tape serves one pass). */
export function gruBackward(
  tape: GruTape,
  dy: Float32Array,
  products: ProductFactory,
): { dxw: Float32Array; previousHidden: Float32Array; resetHidden: Float32Array } {
  const { shape, acts, kernel: W, pre, post, hidden } = tape;
  const { batch: B, steps: T, units: U } = shape;
  const G = 3 * U;
  const { activation: act, recurrentActivation: rec } = acts;
  const dxw = new Float32Array(B * T * G);
  const dhNext = new Float64Array(B * U);
  const dh = new Float64Array(B * U);
  const dzr = new Float64Array(B * 2 * U);
  const dzh = new Float64Array(B * U);
  const drh = new Float64Array(B * U);
  const seen = new Float64Array(B * U);
  // Transposed: dL/d(r · h_prev) = dz_h · rk2ᵀ, dL/dh_prev gets dz_(z,r) · rk1ᵀ.
  const gatesT = products(transpose(columns(W, U, G, 0, 2 * U), U, 2 * U), 2 * U, U);
  const candidateT = products(transpose(columns(W, U, G, 2 * U, G), U, U), U, U);
  try {
    for (let s = T - 1; s >= 0; s--) {
      const t = timeOf(shape, s);
      const previous = s > 0 ? previousSeen(shape, hidden, s, seen) : seen;
      for (let b = 0; b < B; b++) {
        const z = (s * B + b) * G;
        const row = b * U;
        const upstream = outputGradientOffset(shape, s, b);
        // A masked row passes its dL/dh on unchanged (below); its gates get no gradient.
        const masked = isMasked(shape, s, b);
        for (let j = 0; j < U; j++) {
          const g = (s < T - 1 ? dhNext[row + j]! : 0) + (upstream >= 0 ? dy[upstream + j]! : 0);
          dh[row + j] = g;
          if (masked) {
            dzr[2 * row + j] = 0;
            dzr[2 * row + U + j] = 0;
            dzh[row + j] = 0;
            continue;
          }
          const zg = post[z + j]!;
          const hh = post[z + 2 * U + j]!;
          const hPrev = s > 0 ? previous[row + j]! : 0;
          dzr[2 * row + j] = g * (hPrev - hh) * derivative(rec, pre[z + j]!, zg);
          dzh[row + j] = g * (1 - zg) * derivative(act, pre[z + 2 * U + j]!, hh);
        }
      }
      if (s > 0) candidateT.multiply(dzh, B, drh, false);
      for (let b = 0; b < B; b++) {
        const z = (s * B + b) * G;
        const row = b * U;
        if (isMasked(shape, s, b)) {
          dhNext.set(dh.subarray(row, row + U), row);
          continue;
        }
        for (let j = 0; j < U; j++) {
          const r = post[z + U + j]!;
          const hPrev = s > 0 ? previous[row + j]! : 0;
          const sum = s > 0 ? drh[row + j]! : 0;
          dzr[2 * row + U + j] = sum * hPrev * derivative(rec, pre[z + U + j]!, r);
          dhNext[row + j] = dh[row + j]! * post[z + j]! + sum * r;
        }
        const x = (b * T + t) * G;
        dxw.set(dzr.subarray(2 * row, 2 * row + 2 * U), x);
        dxw.set(dzh.subarray(row, row + U), x + 2 * U);
      }
      if (s > 0) {
        gatesT.multiply(dzr, B, dhNext, true);
        throughRecurrentMask(shape, s, dhNext);
      }
    }
  } finally {
    gatesT.dispose();
    candidateT.dispose();
  }
  const previousHidden = previousHiddenTransposed(shape, hidden);
  const resetHidden = previousHiddenTransposed(shape, hidden, tape.reset);
  releaseBuffers(pre, post, tape.reset, hidden);
  return { dxw, previousHidden, resetHidden };
}
