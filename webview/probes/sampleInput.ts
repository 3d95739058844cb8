/**
 * Turns dataset rows (flat float32, as the panel holds them) into input tensors shaped for the
 * model, and a user-drawn 28×28 digit into a one-sample batch.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { DatasetArrays } from '../../src/shared/messages';

type TF = typeof tfjs;

export function product(shape: readonly number[]): number {
  return shape.reduce((p, d) => p * d, 1);
}

/** Values per sample. */
export function sampleSize(ds: DatasetArrays): number {
  return product(ds.xsShape.slice(1));
}

export function sampleCount(ds: DatasetArrays): number {
  return ds.xsShape[0] ?? 0;
}

/** One sample's values (a view into the dataset, not a copy). */
export function sampleValues(ds: DatasetArrays, index: number): Float32Array {
  const size = sampleSize(ds);
  const i = Math.max(0, Math.min(sampleCount(ds) - 1, index));
  return ds.xs.subarray(i * size, (i + 1) * size);
}

/** The per-sample shape to feed: the model's input shape when the sizes agree, else the dataset's. */
export function feedShape(ds: DatasetArrays, modelInputShape: readonly number[]): number[] {
  const own = ds.xsShape.slice(1);
  if (modelInputShape.every((d) => d > 0) && product(modelInputShape) === product(own)) return [...modelInputShape];
  return own;
}

/** Whether a drawn 28×28 digit can stand in for a sample of this dataset/model. */
export function acceptsDrawing(ds: DatasetArrays, modelInputShape: readonly number[]): boolean {
  return (
    ds.sampleKind === 'image' &&
    sampleSize(ds) === 784 &&
    (modelInputShape.length === 0 || product(modelInputShape.map((d) => Math.abs(d))) === 784)
  );
}

/** A one-sample batch: the dataset row `index`, or `drawn` when given and compatible. */
export function sampleTensor(
  tf: TF,
  ds: DatasetArrays,
  index: number,
  modelInputShape: readonly number[],
  drawn?: Float32Array | null,
): tfjs.Tensor {
  const shape = feedShape(ds, modelInputShape);
  const values = drawn && drawn.length === sampleSize(ds) ? drawn : sampleValues(ds, index);
  return tf.tensor(values, [1, ...shape], 'float32');
}

/** `count` consecutive samples from `start` (wrapping), or the explicit `indices`. */
export function batchTensor(
  tf: TF,
  ds: DatasetArrays,
  indices: readonly number[],
  modelInputShape: readonly number[],
): tfjs.Tensor {
  const size = sampleSize(ds);
  const out = new Float32Array(indices.length * size);
  indices.forEach((idx, k) => out.set(sampleValues(ds, idx), k * size));
  return tf.tensor(out, [indices.length, ...feedShape(ds, modelInputShape)], 'float32');
}

/** Evenly spread sample indices: at most `max` of the dataset's rows, deterministic. */
export function spreadIndices(total: number, max: number): number[] {
  if (total <= max) return Array.from({ length: total }, (_, i) => i);
  const step = total / max;
  return Array.from({ length: max }, (_, i) => Math.floor(i * step));
}

/**
 * Height, width, channels of an image sample, or null: [N,H,W,C], [N,H,W] or a square [N,H·W]
 * for image datasets; for flat vectors, the size the dataset states (an `H×W` or `H×W×C` in
 * its description that matches the sample size, or MNIST's 784 = 28×28×1).
 */
export function imageDims(ds: DatasetArrays): [number, number, number] | null {
  const s = ds.xsShape;
  if (ds.sampleKind === 'vector') return s.length === 2 ? statedImageDims(ds, s[1] ?? 0) : null;
  if (ds.sampleKind !== 'image') return null;
  if (s.length >= 4) return [s[1]!, s[2]!, s[3]!];
  if (s.length === 3) return [s[1]!, s[2]!, 1];
  const side = Math.round(Math.sqrt(s[1] ?? 0));
  return side > 1 && side * side === s[1] ? [side, side, 1] : null;
}

/** The image size a vector dataset states for its `size` values per sample, if any. */
function statedImageDims(ds: DatasetArrays, size: number): [number, number, number] | null {
  // Dimensions written without spaces ("28×28×1"), so "10,000 × 784" (count × size) is no match.
  for (const m of ds.description.matchAll(/(?<![\d,])(\d+)[×x](\d+)(?:[×x](\d+))?(?![\d,])/g)) {
    const h = Number(m[1]);
    const w = Number(m[2]);
    const c = m[3] === undefined ? 1 : Number(m[3]);
    if (h > 1 && w > 1 && (c === 1 || c === 3) && h * w * c === size) return [h, w, c];
  }
  if (size === 784 && /^mnist/i.test(ds.id)) return [28, 28, 1];
  return null;
}
