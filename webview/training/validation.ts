/**
 * The loss and metrics of the compiled model on held-out samples, in inference mode (dropout
 * off), as `model.fit` computes its `val_` values: chunks of samples, each one task, their
 * means weighted by size.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays } from '../../src/shared/messages';
import { makeBatch } from './dataset';
import { totalLoss } from './trainingLoss';

/** Samples per chunk: large enough that tfjs's per-op overhead does not count. */
export const VALIDATION_CHUNK = 256;

export interface HeldOutScores {
  loss: number;
  /** In the order of the compiled model's metrics. */
  metrics: number[];
}

/**
 * The mean loss and metrics of `model` over the samples `indices`; `between` runs between chunks
 * (a yield) and may answer false to give up (then null).
 */
export async function scoreHeldOut(
  model: tf.LayersModel,
  dataset: DatasetArrays,
  indices: Int32Array,
  between: () => Promise<boolean>,
  chunk = VALIDATION_CHUNK,
): Promise<HeldOutScores | null> {
  let lossSum = 0;
  let metricSums: number[] = [];
  for (let start = 0; start < indices.length; start += chunk) {
    if (start > 0 && !(await between())) return null;
    const part = indices.subarray(start, start + chunk);
    const kept: tf.Tensor[] = [];
    let scores: tf.Tensor[];
    try {
      scores = tf.tidy(() => {
        const batch = makeBatch(dataset, part);
        const loss = totalLoss(model, batch, kept, false);
        return [loss, ...kept.map((m) => m.clone())];
      });
    } finally {
      tf.dispose(kept);
    }
    const values = await Promise.all(scores.map((t) => t.data()));
    tf.dispose(scores);
    const [loss, ...metrics] = values.map((v) => v[0] ?? Number.NaN);
    lossSum += (loss ?? Number.NaN) * part.length;
    if (metricSums.length === 0) metricSums = metrics.map(() => 0);
    metrics.forEach((m, i) => (metricSums[i]! += m * part.length));
  }
  const n = Math.max(1, indices.length);
  return { loss: lossSum / n, metrics: metricSums.map((s) => s / n) };
}
