/**
 * The corruption a denoising autoencoder applies to its input while it trains: GaussianNoise,
 * GaussianDropout, Dropout, AlphaDropout and SpatialDropout1D layers before the code, active
 * only in training. When they act on the input itself (only reshaping layers in between), the
 * noisy input is recomputed here as tfjs-layers computes it in training (noise.ts, core.ts and
 * tfjs-core's dropout), from a generator seeded per sample so it holds still between refreshes.
 * Fed to the model, where these layers are the identity outside training, it gives the output
 * training would give for that corruption. The panel's data may add input noise of its own
 * (a dataset's `inputNoise`): that comes first.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { DatasetArrays } from '../../src/shared/messages';
import type { ActivationProbe, ProbedLayer } from './activationModel';
import { feedShape, product, sampleValues } from './sampleInput';

type TF = typeof tfjs;

/** One corruption layer, as it acts on a sample. */
export interface CorruptionStep {
  path: string;
  className: string;
  rate: number;
  stddev: number;
  /** The sample's shape at the layer (no batch dimension). */
  shape: number[];
  /** The per-sample shape of its random draws, broadcast over `shape` (1: shared along that axis). */
  drawShape: number[];
}

export interface CorruptionPlan {
  /** The layers to apply to the input, in order (empty when `reason` is set). */
  steps: CorruptionStep[];
  /** Why the corruption cannot be shown on the input, or null. */
  reason: string | null;
}

const CORRUPTING = new Set(['GaussianNoise', 'GaussianDropout', 'Dropout', 'AlphaDropout', 'SpatialDropout1D']);
/** Layers that keep the values and their row-major order: the corruption after them still acts on input pixels. */
const KEEPS_VALUES = new Set(['Flatten', 'Reshape', ...CORRUPTING]);

interface NodeLike {
  inputTensors: tfjs.SymbolicTensor[];
}

function configNumber(layer: tfjs.layers.Layer, key: string): number {
  const v = layer.getConfig()[key];
  return typeof v === 'number' ? v : 0;
}

/** Whether the layer changes anything in training (tfjs skips a rate outside (0, 1)). */
function corrupts(l: ProbedLayer): boolean {
  if (l.className === 'GaussianNoise') return configNumber(l.layer, 'stddev') > 0;
  const rate = configNumber(l.layer, 'rate');
  return rate > 0 && rate < 1;
}

/** True when only reshaping (or other corruption) layers lie between the model's input and `layer`. */
function actsOnInput(layer: tfjs.layers.Layer): boolean {
  let current: tfjs.layers.Layer = layer;
  for (let hops = 0; hops < 1000; hops++) {
    const node = (current as unknown as { inboundNodes?: NodeLike[] }).inboundNodes?.[0];
    const inputs = node?.inputTensors ?? [];
    if (inputs.length !== 1) return false;
    const source = inputs[0]!.sourceLayer as tfjs.layers.Layer | undefined;
    if (!source) return false;
    const kind = source.getClassName();
    if (kind === 'InputLayer') return true;
    if (!KEEPS_VALUES.has(kind)) return false;
    current = source;
  }
  return false;
}

function stepOf(l: ProbedLayer): CorruptionStep {
  // These layers keep their input's shape.
  const shape = l.shape;
  let drawShape = shape;
  const noiseShape = l.layer.getConfig()['noiseShape'];
  if (l.className === 'SpatialDropout1D' && shape.length === 2) drawShape = [1, shape[1]!];
  else if (Array.isArray(noiseShape) && noiseShape.length === shape.length + 1) {
    // tfjs's noiseShape includes the batch axis; a null entry takes the input's size.
    drawShape = noiseShape.slice(1).map((d, i) => (typeof d === 'number' ? d : shape[i]!));
  }
  return {
    path: l.path,
    className: l.className,
    rate: configNumber(l.layer, 'rate'),
    stddev: configNumber(l.layer, 'stddev'),
    shape,
    drawShape,
  };
}

/**
 * The corruption before the code `code` (inside it, for a nested encoder): null when there is
 * none, else its steps, or the reason it cannot be drawn on the input.
 */
export function inputCorruption(probe: ActivationProbe, code: ProbedLayer): CorruptionPlan | null {
  const layers = probe.layers;
  let end = layers.indexOf(code);
  if (end < 0) return null;
  if (code.isModel) {
    end++;
    while (end < layers.length && layers[end]!.depth > code.depth) end++;
  }
  const found = layers.slice(0, end).filter((l) => CORRUPTING.has(l.className) && corrupts(l));
  if (found.length === 0) return null;
  const steps: CorruptionStep[] = [];
  const size = product(probe.inputShape);
  for (const l of found) {
    const where = `${l.className} (${l.path})`;
    if (l.depth > 0 || !actsOnInput(l.layer)) {
      return { steps: [], reason: `${where} corrupts a hidden layer, not the input: its noise is not drawn here` };
    }
    const step = stepOf(l);
    const broadcastable =
      step.drawShape.length === step.shape.length && step.drawShape.every((d, i) => d === 1 || d === step.shape[i]);
    if (product(step.shape) !== size || !broadcastable) {
      return { steps: [], reason: `${where}: its noise shape is not known here` };
    }
    steps.push(step);
  }
  return { steps, reason: null };
}

/**
 * The noise the panel's own data pipeline adds to the inputs of a denoising autoencoder (the
 * dataset's `inputNoise`: Gaussian, targets clean), as a first step; none when it adds none.
 */
export function datasetNoise(ds: DatasetArrays): CorruptionStep[] {
  const stddev = ds.inputNoise ?? 0;
  if (!(stddev > 0)) return [];
  const shape = [product(ds.xsShape.slice(1))];
  return [{ path: 'the panel’s data', className: 'GaussianNoise', rate: 0, stddev, shape, drawShape: shape }];
}

/** Deterministic uniform [0, 1) numbers from a 32-bit seed (mulberry32). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function normal(u: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - u())) * Math.cos(2 * Math.PI * u());
}

/** For each element of `shape` (row-major), its index among the draws of `drawShape` (broadcast). */
function drawIndex(shape: readonly number[], drawShape: readonly number[]): Int32Array {
  const n = product(shape);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let rest = i;
    let index = 0;
    let stride = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const coord = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
      if (drawShape[d] !== 1) index += coord * stride;
      stride *= drawShape[d]!;
    }
    out[i] = index;
  }
  return out;
}

const ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;

/** One sample corrupted by `steps`, as training corrupts it; the same `seed` gives the same noise. */
export function corruptSample(values: Float32Array, steps: readonly CorruptionStep[], seed: number): Float32Array {
  const out = Float32Array.from(values);
  steps.forEach((step, s) => {
    const u = uniform(Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(s + 1, 0x85ebca6b));
    const draws = new Float64Array(product(step.drawShape));
    const gaussian = step.className === 'GaussianNoise' || step.className === 'GaussianDropout';
    for (let k = 0; k < draws.length; k++) draws[k] = gaussian ? normal(u) : u();
    const at = drawIndex(step.shape, step.drawShape);
    const keep = 1 - step.rate;
    const alphaP = -ALPHA * SELU_SCALE;
    const a = (keep * (1 + step.rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * step.rate;
    for (let i = 0; i < out.length; i++) {
      const r = draws[at[i]!]!;
      const v = out[i]!;
      switch (step.className) {
        case 'GaussianNoise':
          out[i] = v + step.stddev * r;
          break;
        case 'GaussianDropout':
          out[i] = v * (1 + Math.sqrt(step.rate / keep) * r);
          break;
        case 'AlphaDropout': {
          const kept = r >= step.rate ? 1 : 0;
          out[i] = a * (v * kept + (kept - 1) * alphaP) + b;
          break;
        }
        default:
          // Dropout, SpatialDropout1D: floor(u + keep) / keep, as tfjs-core's dropout.
          out[i] = (v * Math.floor(r + keep)) / keep;
      }
    }
  });
  return out;
}

/** Noisy inputs (seeded by sample index), the model's outputs for them and the clean targets, each flat [n × size]. */
export async function denoiseSamples(
  tf: TF,
  model: tfjs.LayersModel,
  probe: ActivationProbe,
  ds: DatasetArrays,
  indices: readonly number[],
  steps: readonly CorruptionStep[],
): Promise<{ noisy: Float32Array; outputs: Float32Array; targets: Float32Array; size: number }> {
  const size = product(ds.xsShape.slice(1));
  const noisy = new Float32Array(indices.length * size);
  const targets = new Float32Array(indices.length * size);
  indices.forEach((idx, k) => {
    const clean = sampleValues(ds, idx);
    targets.set(clean, k * size);
    noisy.set(corruptSample(clean, steps, idx), k * size);
  });
  const out = tf.tidy(() => {
    const x = tf.tensor(noisy, [indices.length, ...feedShape(ds, probe.inputShape)], 'float32');
    const y = model.predictOnBatch(x);
    const first = Array.isArray(y) ? y[0]! : y;
    return tf.reshape(first, [indices.length, -1]);
  });
  try {
    const outputs = (await out.data()) as Float32Array;
    return { noisy, outputs, targets, size };
  } finally {
    out.dispose();
  }
}
