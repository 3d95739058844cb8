/**
 * The gradients of one slice of a batch under the standard training step: tfjs-layers' total loss
 * (trainingLoss.ts) scaled by the slice's share of the batch before differentiating, so that the
 * gradients of a batch's slices add up to the whole batch's. Shared by the Trainer (its own
 * slices) and the gradient peers of data-parallel training (parallel/gradientPeer.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays } from '../../src/shared/messages';
import { makeBatch } from './dataset';
import { totalLoss } from './trainingLoss';

/** Gradients by variable name, the loss and the compiled metrics, each weighted by its slice's share. */
export interface Accumulated {
  grads: tf.NamedTensorMap;
  loss: tf.Scalar;
  metrics: tf.Scalar[];
}

/**
 * Loss, metrics and gradients of the samples `indices`, weighted by `weight` (their share of the
 * batch), added to `acc` (which stays the caller's to dispose).
 */
export function sliceGradients(
  model: tf.LayersModel,
  dataset: DatasetArrays,
  indices: ArrayLike<number>,
  weight: number,
  variables: tf.Variable[],
  acc: Accumulated | null,
): Accumulated {
  const kept: tf.Tensor[] = [];
  try {
    return tf.tidy(() => {
      const batch = makeBatch(dataset, indices);
      const { value, grads } = tf.variableGrads(() => {
        const loss = totalLoss(model, batch, kept);
        return weight === 1 ? loss : (tf.mul(loss, weight) as tf.Scalar);
      }, variables);
      const add = <T extends tf.Tensor>(previous: T | undefined, t: T): T => (previous ? (tf.add(previous, t) as T) : t);
      const summed: tf.NamedTensorMap = {};
      for (const [name, grad] of Object.entries(grads)) summed[name] = add(acc?.grads[name], grad);
      return {
        grads: summed,
        loss: add(acc?.loss, value),
        // Always a new tensor: the kept originals are disposed below.
        metrics: kept.map((m, i): tf.Scalar => add(acc?.metrics[i], tf.mul(m, weight) as tf.Scalar)),
      };
    });
  } finally {
    tf.dispose(kept);
  }
}

export function disposeAccumulated(acc: Accumulated | null): void {
  if (acc === null) return;
  tf.dispose(acc.grads);
  tf.dispose([acc.loss, ...acc.metrics]);
}

/** The model's trainable variables, in `trainableWeights` order (the same in every copy of the model). */
export function trainableVariables(model: tf.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}
