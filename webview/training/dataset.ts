/**
 * The dataset as the panel holds it (flat float32 rows) and the batches cut from it. Batches
 * are built in JS from the sample indices and uploaded as fresh tensors, so nothing of the
 * dataset lives on the backend between batches.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays, DatasetPayload } from '../../src/shared/messages';

const product = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Checks the payload's shapes and wraps its buffers (no copies). */
export function toTrainingData(payload: DatasetPayload): DatasetArrays {
  const xs = new Float32Array(payload.xs);
  const samples = payload.xsShape[0] ?? 0;
  if (payload.xsShape.length < 2 || samples < 1 || product(payload.xsShape) !== xs.length) {
    throw new Error(
      `Dataset ${payload.id}: xs holds ${xs.length} values, which does not match its shape [${payload.xsShape.join(', ')}]`,
    );
  }
  const dataset: DatasetArrays = {
    id: payload.id,
    description: payload.description,
    xs,
    xsShape: [...payload.xsShape],
    sampleKind: payload.sampleKind,
  };
  if (payload.ys !== undefined) {
    const ys = new Float32Array(payload.ys);
    const ysShape = payload.ysShape ?? [samples, ys.length / samples];
    if (ysShape[0] !== samples || product(ysShape) !== ys.length) {
      throw new Error(`Dataset ${payload.id}: ys does not match its shape [${ysShape.join(', ')}] for ${samples} samples`);
    }
    dataset.ys = ys;
    dataset.ysShape = [...ysShape];
  }
  if (payload.labels !== undefined) dataset.labels = new Int32Array(payload.labels);
  if (payload.inputNoise !== undefined && payload.inputNoise > 0) dataset.inputNoise = payload.inputNoise;
  return dataset;
}

export function sampleCount(dataset: DatasetArrays): number {
  return dataset.xsShape[0] ?? 0;
}

/** A permutation of 0…n-1 from a seeded PRNG (mulberry32): reproducible epochs. */
export function shuffledIndices(n: number, seed: number): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  let a = seed >>> 0;
  const random = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = order[i]!;
    order[i] = order[j]!;
    order[j] = tmp;
  }
  return order;
}

function gatherRows(values: Float32Array, shape: readonly number[], indices: ArrayLike<number>): tf.Tensor {
  const row = product(shape.slice(1));
  const out = new Float32Array(indices.length * row);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i]! * row;
    out.set(values.subarray(from, from + row), i * row);
  }
  return tf.tensor(out, [indices.length, ...shape.slice(1)], 'float32');
}

export interface BatchTensors {
  /** Model inputs (with the dataset's input noise added). */
  xs: tf.Tensor;
  /** Targets: `ys`, or the clean inputs for datasets without targets (autoencoders). */
  ys: tf.Tensor;
}

/** The batch of the given samples. The caller disposes both tensors (or runs this in a tidy). */
export function makeBatch(dataset: DatasetArrays, indices: ArrayLike<number>): BatchTensors {
  const clean = gatherRows(dataset.xs, dataset.xsShape, indices);
  const ys = dataset.ys !== undefined && dataset.ysShape !== undefined ? gatherRows(dataset.ys, dataset.ysShape, indices) : clean;
  const noise = dataset.inputNoise ?? 0;
  if (noise <= 0) return { xs: clean, ys };
  const xs = tf.tidy(() => tf.add(clean, tf.randomNormal(clean.shape, 0, noise)));
  // `clean` stays alive as the targets when there are no ys; otherwise it is no longer needed.
  if (ys !== clean) clean.dispose();
  return { xs, ys };
}

export function disposeBatch(batch: BatchTensors): void {
  batch.xs.dispose();
  if (batch.ys !== batch.xs) batch.ys.dispose();
}
