/**
 * Histograms and sparsity for the weights & activations view. The tensor side subsamples big
 * tensors on the device (a strided slice) so one readback stays small; sparsity is computed on
 * the device over the whole tensor.
 */
import type * as tfjs from '@tensorflow/tfjs';

type TF = typeof tfjs;

/** |a| below this counts as "off" for sparsity. */
export const SPARSITY_EPSILON = 1e-3;

export interface Histogram {
  lo: number;
  hi: number;
  counts: Float64Array;
  /** Values the histogram was made of (after subsampling), and the tensor's full size. */
  used: number;
  total: number;
}

/** A flat, strided subsample of at most `max` values (tensor; call inside tidy). */
export function subsample(tf: TF, t: tfjs.Tensor, max: number): tfjs.Tensor1D {
  const flat = tf.reshape(t, [-1]) as tfjs.Tensor1D;
  if (flat.size <= max) return flat;
  const stride = Math.ceil(flat.size / max);
  return tf.stridedSlice(flat, [0], [flat.size], [stride]) as tfjs.Tensor1D;
}

/** Fraction of entries with |a| < ε, as a [1] tensor (call inside tidy). */
export function sparsityOf(tf: TF, t: tfjs.Tensor, epsilon = SPARSITY_EPSILON): tfjs.Tensor {
  return tf.reshape(tf.mean(tf.cast(tf.less(tf.abs(t), epsilon), 'float32')), [1]);
}

/** Histogram of `values` into `bins` equal bins over their range. */
export function histogram(values: ArrayLike<number>, bins: number, total = values.length): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!(hi >= lo)) {
    lo = 0;
    hi = 0;
  }
  if (hi === lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const counts = new Float64Array(bins);
  const scale = bins / (hi - lo);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.max(0, Math.floor((v - lo) * scale)))]!++;
  }
  return { lo, hi, counts, used: values.length, total };
}

/** Mean and standard deviation. */
export function moments(values: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  let ss = 0;
  const n = Math.max(1, values.length);
  for (let i = 0; i < values.length; i++) {
    s += values[i]!;
    ss += values[i]! * values[i]!;
  }
  const mean = s / n;
  return { mean, std: Math.sqrt(Math.max(0, ss / n - mean * mean)) };
}
