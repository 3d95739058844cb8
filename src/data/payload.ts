/**
 * Typed arrays → the protocol's DatasetPayload, and the small helpers every data source shares
 * (shape sizes and descriptions, one-hot rows). Pure: no `vscode`, no DOM, no Node APIs.
 */
import type { DatasetArrays, DatasetPayload } from '../shared/messages';

export function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * b, 1);
}

/** `2,048 × 28×28×1`. */
export function describeShape(shape: readonly number[]): string {
  const [n, ...rest] = shape;
  return `${(n ?? 0).toLocaleString('en-US')} × ${rest.length > 0 ? rest.join('×') : '1'}`;
}

function ownBuffer(array: Float32Array | Int32Array): ArrayBuffer {
  const buffer = array.buffer as ArrayBuffer;
  return array.byteOffset === 0 && array.byteLength === buffer.byteLength
    ? buffer
    : buffer.slice(array.byteOffset, array.byteOffset + array.byteLength);
}

/** Typed arrays → the protocol's ArrayBuffers (labels as int32), checking sizes against shapes. */
export function toPayload(parts: DatasetArrays): DatasetPayload {
  if (parts.xs.length !== product(parts.xsShape)) {
    throw new Error(`internal: xs has ${parts.xs.length} values for shape [${parts.xsShape.join(', ')}]`);
  }
  const payload: DatasetPayload = {
    id: parts.id,
    description: parts.description,
    xs: ownBuffer(parts.xs),
    xsShape: parts.xsShape,
    sampleKind: parts.sampleKind,
  };
  if (parts.ys && parts.ysShape) {
    if (parts.ys.length !== product(parts.ysShape)) {
      throw new Error(`internal: ys has ${parts.ys.length} values for shape [${parts.ysShape.join(', ')}]`);
    }
    payload.ys = ownBuffer(parts.ys);
    payload.ysShape = parts.ysShape;
  }
  if (parts.labels) payload.labels = ownBuffer(parts.labels);
  if (parts.inputNoise !== undefined) payload.inputNoise = parts.inputNoise;
  return payload;
}

/** One-hot rows for integer classes in [0, classes). */
export function oneHot(labels: ArrayLike<number>, classes: number): Float32Array {
  const out = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) out[i * classes + (labels[i] ?? 0)] = 1;
  return out;
}
