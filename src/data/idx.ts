/**
 * MNIST-style IDX files (`train-images-idx3-ubyte`, `train-labels-idx1-ubyte`...): a big-endian
 * header (two zero bytes, a type byte, the number of dimensions, then each dimension as a
 * uint32) followed by the data. Parsing, its errors (bad magic, truncated data) and turning an
 * images + labels pair into a dataset for a model. Pure: no `vscode`, no Node APIs
 * (gzip-compressed files are inflated by the caller).
 */
import type { DatasetArrays, DatasetPayload } from '../shared/messages';
import { describeShape, oneHot, product, toPayload } from './payload';

export type IdxType = 'ubyte' | 'byte' | 'short' | 'int' | 'float' | 'double';

const TYPES: Record<number, { type: IdxType; bytes: number }> = {
  0x08: { type: 'ubyte', bytes: 1 },
  0x09: { type: 'byte', bytes: 1 },
  0x0b: { type: 'short', bytes: 2 },
  0x0c: { type: 'int', bytes: 4 },
  0x0d: { type: 'float', bytes: 4 },
  0x0e: { type: 'double', bytes: 8 },
};

export interface IdxArray {
  file: string;
  type: IdxType;
  /** All dimensions, the sample count first: `[60000, 28, 28]`. */
  dims: number[];
  /** The values as float32 (ubyte as 0–255; scaling is the dataset's business). */
  data: Float32Array;
}

function hex(bytes: Uint8Array, count: number): string {
  return Array.from(bytes.subarray(0, count), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** True for gzip data (`1f 8b`), which must be inflated before parseIdx. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses an IDX file. Errors:
 * - `f: not an IDX file: it starts with 50 4b 03 04; IDX files start with 00 00, a type byte (08 ubyte, …) and the number of dimensions.`
 * - `f: truncated: the header describes 60000×28×28 ubyte values (47,040,000 bytes) but only 1,000 bytes follow it.`
 */
export function parseIdx(bytes: Uint8Array, file: string, maxSamples = Number.POSITIVE_INFINITY): IdxArray {
  if (isGzip(bytes)) throw new Error(`${file}: the file is gzip-compressed; decompress it first.`);
  const typeByte = bytes[2] ?? -1;
  const rank = bytes[3] ?? 0;
  const kind = TYPES[typeByte];
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0 || !kind || rank < 1) {
    throw new Error(
      `${file}: not an IDX file: it starts with ${hex(bytes, 4) || '(nothing)'}; IDX files start with 00 00, a type byte (08 ubyte, 09 byte, 0b short, 0c int, 0d float, 0e double) and the number of dimensions.`,
    );
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new Error(`${file}: truncated: the header announces ${rank} dimensions but the file ends after ${bytes.length} bytes.`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const total = product(dims);
  const needed = total * kind.bytes;
  const available = bytes.length - headerBytes;
  if (available < needed) {
    throw new Error(
      `${file}: truncated: the header describes ${dims.join('×')} ${kind.type} values (${needed.toLocaleString('en-US')} bytes) but only ${available.toLocaleString('en-US')} bytes follow it.`,
    );
  }
  const samples = Math.min(dims[0] ?? 0, maxSamples);
  const perSample = product(dims.slice(1));
  const count = samples * perSample;
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const at = headerBytes + i * kind.bytes;
    switch (kind.type) {
      case 'ubyte':
        data[i] = view.getUint8(at);
        break;
      case 'byte':
        data[i] = view.getInt8(at);
        break;
      case 'short':
        data[i] = view.getInt16(at, false);
        break;
      case 'int':
        data[i] = view.getInt32(at, false);
        break;
      case 'float':
        data[i] = view.getFloat32(at, false);
        break;
      case 'double':
        data[i] = view.getFloat64(at, false);
        break;
    }
  }
  return { file, type: kind.type, dims: [samples, ...dims.slice(1)], data };
}

export interface IdxTargetSpec {
  /** Per-sample input shape, e.g. [28, 28, 1]. */
  inputShape: number[];
  /** Per-sample output shape, or null for an autoencoder (targets = inputs). */
  outputShape: number[] | null;
  softmaxClasses?: number;
}

/**
 * Images (any IDX array whose per-sample size matches the model input; ubyte scaled to 0–1) and
 * optional labels (an IDX vector of class ids, one-hot for a softmax) as a dataset.
 */
export function idxDataset(images: IdxArray, labels: IdxArray | undefined, spec: IdxTargetSpec): DatasetPayload {
  const n = images.dims[0] ?? 0;
  const found = images.dims.slice(1);
  const perSample = product(spec.inputShape);
  if (product(found) !== perSample) {
    throw new Error(
      `${images.file}: the model expects samples of shape [${spec.inputShape.join(', ')}] (${perSample} values), but the file holds ${n.toLocaleString('en-US')} samples of ${found.join('×') || 'one value'} (${product(found)} values).`,
    );
  }
  const xs = images.type === 'ubyte' ? images.data.map((v) => v / 255) : images.data;
  const parts: DatasetArrays = {
    id: `idx:${images.file}`,
    description: `${images.file}, ${describeShape([n, ...spec.inputShape])}`,
    xs,
    xsShape: [n, ...spec.inputShape],
    sampleKind: spec.inputShape.length >= 2 ? 'image' : 'vector',
  };
  if (labels) {
    const m = labels.dims[0] ?? 0;
    if (labels.dims.length !== 1) {
      throw new Error(`${labels.file}: labels must be a vector (1 dimension), found ${labels.dims.join('×')}.`);
    }
    if (m < n) {
      throw new Error(
        `${labels.file}: ${m.toLocaleString('en-US')} labels for ${n.toLocaleString('en-US')} images in ${images.file}.`,
      );
    }
    const ids = Int32Array.from(labels.data.subarray(0, n));
    parts.labels = ids;
    if (spec.outputShape !== null) {
      if (spec.softmaxClasses !== undefined) {
        const classes = spec.softmaxClasses;
        const bad = ids.findIndex((id) => id < 0 || id >= classes);
        if (bad >= 0) {
          throw new Error(
            `${labels.file}: label ${ids[bad]} at index ${bad}, but the model's softmax has ${classes} classes (0–${classes - 1}).`,
          );
        }
        parts.ys = oneHot(ids, classes);
        parts.ysShape = [n, classes];
      } else if (product(spec.outputShape) === 1) {
        parts.ys = Float32Array.from(ids);
        parts.ysShape = [n, ...spec.outputShape];
      } else {
        throw new Error(`${labels.file}: one label per image cannot train an output of shape [${spec.outputShape.join(', ')}].`);
      }
      parts.description += `, labels from ${labels.file}`;
    }
  } else if (spec.outputShape !== null) {
    if (product(spec.outputShape) !== perSample) {
      throw new Error(
        `${images.file}: no labels file was given, and the model's output [${spec.outputShape.join(', ')}] is not the image shape [${spec.inputShape.join(', ')}]; pick the matching labels file too.`,
      );
    }
    // Same size, different shape (e.g. [784] in, [28, 28] out): the targets are the images.
    parts.ys = xs;
    parts.ysShape = [n, ...spec.outputShape];
  }
  return toPayload(parts);
}
