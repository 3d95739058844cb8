/**
 * Synthetic training data for the example models, as DatasetPayloads: noisy sines (forecasting
 * "next N steps", or classifying sequences by frequency) for RNN/LSTM/GRU/Conv1D models, a 3-D
 * point cloud near a plane for the linear-autoencoder-vs-PCA demo, and random data shaped like
 * any model (a smoke test). The built-in text corpus is textDatasets.ts. Deterministic: the same
 * options and seed give the same bytes. Pure: no `vscode`, no DOM, no Node APIs.
 */
import type { DatasetArrays, DatasetPayload } from '../shared/messages';
import { describeShape, oneHot, product, toPayload } from './payload';
import { gaussian, seededRandom } from '../shared/random';

// ---- noisy sines -------------------------------------------------------------------------

export interface ForecastOptions {
  count: number;
  /** Input window length. */
  timesteps: number;
  /** Channels per time step; each is a sine of its own frequency, phase and amplitude. */
  features: number;
  /**
   * Target shape per sample: `[k]` = the next step of every channel when k equals `features`,
   * else the next k steps of channel 0; `[t, f]` = the next t steps of the first f channels.
   */
  ysShape: number[];
  seed?: number;
  noise?: number;
}

/** A channel's value at step t: a sine with a slow drift, plus noise added by the caller. */
interface Wave {
  amplitude: number;
  frequency: number;
  phase: number;
}

function randomWave(random: () => number, minPeriod = 8, maxPeriod = 40): Wave {
  const period = minPeriod + random() * (maxPeriod - minPeriod);
  return { amplitude: 0.5 + random() * 0.5, frequency: (2 * Math.PI) / period, phase: random() * 2 * Math.PI };
}

function waveAt(wave: Wave, t: number): number {
  return wave.amplitude * Math.sin(wave.frequency * t + wave.phase);
}

/** Checks a forecasting target shape against the input; returns how many steps/channels it needs. */
export function forecastTarget(ysShape: readonly number[], features: number): { steps: number; channels: number } | string {
  if (ysShape.length === 1) {
    const k = ysShape[0] ?? 0;
    if (k < 1) return `a target of ${k} values cannot be forecast`;
    return k === features ? { steps: 1, channels: features } : { steps: k, channels: 1 };
  }
  if (ysShape.length === 2) {
    const [steps = 0, channels = 0] = ysShape;
    if (steps < 1 || channels < 1) return `a target of [${ysShape.join(', ')}] cannot be forecast`;
    if (channels > features) return `the output has ${channels} channels but the input only ${features}`;
    return { steps, channels };
  }
  return `a target of rank ${ysShape.length} cannot be forecast from sines`;
}

/**
 * "Next N steps" forecasting windows over noisy sines: xs `[n, timesteps, features]`,
 * ys `[n, ...ysShape]` (see ForecastOptions.ysShape).
 */
export function generateForecast(options: ForecastOptions): DatasetPayload {
  const { count, timesteps, features, ysShape } = options;
  const target = forecastTarget(ysShape, features);
  if (typeof target === 'string') throw new Error(`Noisy sines: ${target}.`);
  const random = seededRandom(options.seed ?? 1);
  const normal = gaussian(random);
  const noise = options.noise ?? 0.05;
  const xs = new Float32Array(count * timesteps * features);
  const ys = new Float32Array(count * product(ysShape));
  const perTarget = product(ysShape);
  for (let i = 0; i < count; i++) {
    const waves = Array.from({ length: features }, () => randomWave(random));
    const start = Math.floor(random() * 100);
    for (let t = 0; t < timesteps; t++) {
      for (let f = 0; f < features; f++) {
        xs[(i * timesteps + t) * features + f] = waveAt(waves[f] as Wave, start + t) + noise * normal();
      }
    }
    // The targets are the clean continuation: the model learns the signal, not the noise.
    let k = 0;
    for (let s = 0; s < target.steps; s++) {
      for (let c = 0; c < target.channels; c++) {
        ys[i * perTarget + k++] = waveAt(waves[c] as Wave, start + timesteps + s);
      }
    }
  }
  const what = target.steps === 1 ? 'the next step' : `the next ${target.steps} steps`;
  return toPayload({
    id: 'sines-forecast',
    description: `Noisy sines, ${describeShape([count, timesteps, features])}: forecast ${what}`,
    xs,
    xsShape: [count, timesteps, features],
    ys,
    ysShape: [count, ...ysShape],
    sampleKind: 'sequence',
  });
}

export interface SineClassOptions {
  count: number;
  timesteps: number;
  features: number;
  /** Number of frequency bands; 1 means a sigmoid output (slow = 0, fast = 1). */
  classes: number;
  seed?: number;
  noise?: number;
}

/** Noisy sines labelled by frequency band: xs `[n, timesteps, features]`, ys one-hot (or [n, 1]). */
export function generateSineClasses(options: SineClassOptions): DatasetPayload {
  const { count, timesteps, features } = options;
  const binary = options.classes <= 1;
  const bands = binary ? 2 : options.classes;
  const random = seededRandom(options.seed ?? 2);
  const normal = gaussian(random);
  const noise = options.noise ?? 0.1;
  const xs = new Float32Array(count * timesteps * features);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const band = i % bands;
    labels[i] = band;
    // Periods from 40 (band 0) down to 4 steps: each band a distinct speed.
    const maxPeriod = 40 / Math.pow(40 / 4, band / bands);
    const minPeriod = 40 / Math.pow(40 / 4, (band + 1) / bands);
    const waves = Array.from({ length: features }, () => randomWave(random, minPeriod, maxPeriod));
    for (let t = 0; t < timesteps; t++) {
      for (let f = 0; f < features; f++) {
        xs[(i * timesteps + t) * features + f] = waveAt(waves[f] as Wave, t) + noise * normal();
      }
    }
  }
  const ys = binary ? Float32Array.from(labels) : oneHot(labels, bands);
  return toPayload({
    id: 'sines-classes',
    description: `Noisy sines, ${describeShape([count, timesteps, features])}: ${bands} frequency bands`,
    xs,
    xsShape: [count, timesteps, features],
    ys,
    ysShape: binary ? [count, 1] : [count, bands],
    labels,
    sampleKind: 'sequence',
  });
}

// ---- point cloud ---------------------------------------------------------------------------

export interface PointCloudOptions {
  count: number;
  /** Dimensions of each point (3 for the linear-autoencoder demo). */
  dims: number;
  seed?: number;
  /** Distance of the points from the plane (standard deviation). */
  noise?: number;
}

/**
 * Points near a 2-D plane through the origin of a `dims`-D space, the data of the
 * "linear autoencoder = PCA" demo: xs `[n, dims]`, no ys (targets are the inputs).
 */
export function generatePointCloud(options: PointCloudOptions): DatasetPayload {
  const { count, dims } = options;
  const random = seededRandom(options.seed ?? 3);
  const normal = gaussian(random);
  const noise = options.noise ?? 0.1;
  // Two fixed directions spanning the plane, and the coordinates along them.
  const u = Array.from({ length: dims }, () => normal());
  const v = Array.from({ length: dims }, () => normal());
  const xs = new Float32Array(count * dims);
  for (let i = 0; i < count; i++) {
    const a = 2 * random() - 1;
    const b = 0.5 * (2 * random() - 1);
    for (let d = 0; d < dims; d++) {
      xs[i * dims + d] = a * (u[d] ?? 0) + b * (v[d] ?? 0) + noise * normal();
    }
  }
  return toPayload({
    id: 'point-cloud',
    description: `Point cloud near a plane, ${describeShape([count, dims])} (linear autoencoder ≈ PCA)`,
    xs,
    xsShape: [count, dims],
    sampleKind: 'vector',
  });
}

// ---- random data shaped like the model ---------------------------------------------------------

export type RandomTarget =
  { kind: 'none' } | { kind: 'onehot'; classes: number } | { kind: 'binary' } | { kind: 'real'; shape: number[] };

export interface RandomOptions {
  count: number;
  /** Per-sample input shape. */
  xsShape: number[];
  target: RandomTarget;
  /** Integer inputs in [0, vocabSize) instead of Gaussian floats (models starting with an Embedding). */
  vocabularySize?: number;
  /** With `vocabularySize`: only these column ranges [start, end) of a row are ids (an Embedding beside numeric inputs). */
  tokenColumns?: ReadonlyArray<readonly [number, number]>;
  seed?: number;
}

/** Random data that fits any single-input model: a smoke test that the model trains at all. */
export function generateRandom(options: RandomOptions): DatasetPayload {
  const { count, xsShape, target } = options;
  const random = seededRandom(options.seed ?? 4);
  const normal = gaussian(random);
  const xs = new Float32Array(count * product(xsShape));
  const vocab = options.vocabularySize;
  const row = product(xsShape);
  const ranges = options.tokenColumns;
  const isId = (column: number): boolean =>
    vocab !== undefined && (ranges === undefined || ranges.some(([start, end]) => column >= start && column < end));
  const idColumn = Array.from({ length: row }, (_, c) => isId(c));
  for (let i = 0; i < xs.length; i++) xs[i] = idColumn[i % row] ? Math.floor(random() * vocab!) : normal();
  const allIds = idColumn.every((x) => x);
  const parts: DatasetArrays = {
    id: 'random',
    description: `Random data, ${describeShape([count, ...xsShape])} (a smoke test: nothing to learn)`,
    xs,
    xsShape: [count, ...xsShape],
    sampleKind: vocab && allIds ? 'tokens' : xsShape.length >= 2 ? 'sequence' : 'vector',
  };
  if (target.kind === 'onehot') {
    const labels = Int32Array.from({ length: count }, () => Math.floor(random() * target.classes));
    parts.ys = oneHot(labels, target.classes);
    parts.ysShape = [count, target.classes];
    parts.labels = labels;
  } else if (target.kind === 'binary') {
    const labels = Int32Array.from({ length: count }, () => (random() < 0.5 ? 0 : 1));
    parts.ys = Float32Array.from(labels);
    parts.ysShape = [count, 1];
    parts.labels = labels;
  } else if (target.kind === 'real') {
    parts.ys = Float32Array.from({ length: count * product(target.shape) }, () => normal());
    parts.ysShape = [count, ...target.shape];
  }
  return toPayload(parts);
}
