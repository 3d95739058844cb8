/**
 * Autoencoder probes for the latent-space view: is it an autoencoder, where is the bottleneck,
 * the codes of many samples (in chunks, each its own tidy + readback so training can run in
 * between), reconstructions, and for a linear autoencoder the plane its decoder spans.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { DatasetArrays } from '../../src/shared/messages';
import { ActivationProbe, type ProbedLayer } from './activationModel';
import { Pacer, stepObserver } from './packedRead';
import { batchTensor, product } from './sampleInput';

type TF = typeof tfjs;

function sameShape(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

const LATENT_WORDS = new Set(['code', 'codes', 'coding', 'codings', 'latent', 'z', 'bottleneck', 'encoded', 'encoding']);

/** Name tokens: `latentDense_2` → latent, dense, 2. */
function tokens(name: string): string[] {
  return name
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((t) => t.length > 0);
}

export function looksLatent(name: string): boolean {
  return tokens(name).some((t) => LATENT_WORDS.has(t));
}

/** A nested model (a layer with layers of its own) named like an encoder. */
function isEncoderModel(l: { name: string }): boolean {
  return Array.isArray((l as { layers?: unknown }).layers) && /encoder/i.test(l.name) && !/decoder/i.test(l.name);
}

/**
 * An autoencoder: the output is shaped like the input, or the user named a layer like a code
 * (`code`, `latent`, `z_mean`, `bottleneck`…) or nested an `encoder` model.
 */
export function isAutoencoder(model: tfjs.LayersModel): boolean {
  const input = model.inputs?.[0];
  const output = model.outputs?.[0];
  if (!input || !output) return false;
  if (sameShape(input.shape.slice(1), output.shape.slice(1))) return true;
  return model.layers.some((l) => looksLatent(l.name) || isEncoderModel(l));
}

/** Layers that could be the code: everything but the final output (and InputLayers). */
export function bottleneckCandidates(probe: ActivationProbe, model: tfjs.LayersModel): ProbedLayer[] {
  const finalIds = new Set(model.outputs.map((o) => o.id));
  return probe.layers.filter((l) => !finalIds.has(l.outputId) && l.shape.every((d) => d > 0));
}

/** Named code layer, else a nested encoder's output, else the narrowest layer (first on ties). */
export function guessBottleneck(probe: ActivationProbe, model: tfjs.LayersModel): ProbedLayer | null {
  const candidates = bottleneckCandidates(probe, model);
  const named = candidates.find((l) => looksLatent(l.name));
  if (named) return named;
  const encoder = candidates.find((l) => l.isModel && isEncoderModel(l.layer));
  if (encoder) return encoder;
  let best: ProbedLayer | null = null;
  for (const l of candidates) if (!best || product(l.shape) < product(best.shape)) best = l;
  return best;
}

const encoders = new WeakMap<object, Map<string, tfjs.LayersModel>>();

/** A model from the input to `entry` (top-level layers only; cached, never disposed: it shares the user's layers). */
function encoderFor(tf: TF, model: tfjs.LayersModel, entry: ProbedLayer): tfjs.LayersModel | null {
  if (entry.depth > 0) return null;
  let byPath = encoders.get(model);
  if (!byPath) encoders.set(model, (byPath = new Map()));
  let enc = byPath.get(entry.path);
  if (!enc) {
    enc = tf.model({ inputs: model.inputs, outputs: entry.output });
    byPath.set(entry.path, enc);
  }
  return enc;
}

/** Milliseconds one chunk of samples should take to encode (the pacer yields between chunks). */
const CHUNK_MS = 15;

/**
 * The codes of `indices` at `entry`, flattened: [indices.length × dim]. Encoded in chunks sized
 * from the last chunk's time (first `chunk` samples, then about CHUNK_MS' worth: 256 MNIST
 * vectors through a 784-128-32 encoder took 10-100 ms here, depending on the machine's load).
 */
export async function encodeSamples(
  tf: TF,
  model: tfjs.LayersModel,
  entry: ProbedLayer,
  ds: DatasetArrays,
  indices: readonly number[],
  chunk = 64,
): Promise<{ values: Float32Array; dim: number }> {
  const probe = ActivationProbe.for(tf, model);
  const encoder = encoderFor(tf, model, entry);
  const dim = product(entry.shape);
  const values = new Float32Array(indices.length * dim);
  // A read-back on the CPU backends resolves at once: without the pacer every chunk would run in one task.
  const pacer = new Pacer();
  let size = Math.max(1, chunk);
  let start = 0;
  /** ms per sample of the last chunk (0: none yet). */
  let rate = 0;
  while (start < indices.length) {
    // A chunk starts in the current slice only if it is expected to fit (bench: three chunks
    // in one task came to 104 ms, the longest 56).
    await pacer.pace(size * rate);
    const part = indices.slice(start, start + size);
    const began = performance.now();
    const codes = tf.tidy(() => {
      const x = batchTensor(tf, ds, part, probe.inputShape);
      // predictOnBatch: predict() slices the chunk into batches of 32 and concatenates them, which
      // was half of a 52 ms chunk (dense AE, 10,000 MNIST vectors).
      const z = encoder ? (encoder.predictOnBatch(x) as tfjs.Tensor) : probe.evaluate(x).output(entry);
      if (!z) throw new Error(`no output for ${entry.path}`);
      return tf.reshape(z, [part.length, dim]);
    });
    // The page's own time (on WebGL the read-back below waits for the GPU, not the page).
    const ms = performance.now() - began;
    stepObserver.observe?.(ms);
    try {
      values.set((await codes.data()) as Float32Array, start * dim);
    } finally {
      codes.dispose();
    }
    start += part.length;
    rate = ms / part.length;
    // Next: CHUNK_MS' worth at this chunk's rate, at most doubling or halving, 16-1024 samples.
    const target = Math.round((part.length * CHUNK_MS) / Math.max(ms, 0.5));
    const bounded = Math.min(2 * part.length, Math.max(Math.floor(part.length / 2), target));
    size = Math.min(1024, Math.max(16, bounded));
  }
  return { values, dim };
}

/** Inputs and the model's reconstructions of `indices`, both flat [n × size]. */
export async function reconstructSamples(
  tf: TF,
  model: tfjs.LayersModel,
  ds: DatasetArrays,
  indices: readonly number[],
): Promise<{ inputs: Float32Array; outputs: Float32Array; size: number }> {
  const probe = ActivationProbe.for(tf, model);
  const size = product(ds.xsShape.slice(1));
  const out = tf.tidy(() => {
    const x = batchTensor(tf, ds, indices, probe.inputShape);
    const y = model.predictOnBatch(x);
    const first = Array.isArray(y) ? y[0]! : y;
    return tf.reshape(first, [indices.length, -1]);
  });
  try {
    const outputs = (await out.data()) as Float32Array;
    const inputs = new Float32Array(indices.length * size);
    indices.forEach((idx, k) => inputs.set(ds.xs.subarray(idx * size, (idx + 1) * size), k * size));
    return { inputs, outputs, size: outputs.length / Math.max(indices.length, 1) };
  } finally {
    out.dispose();
  }
}

const PASS_THROUGH = new Set(['Dropout', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'ActivityRegularization']);

function isLinearDense(l: ProbedLayer): boolean {
  if (l.className !== 'Dense') return false;
  const a = l.layer.getConfig()['activation'];
  return a === undefined || a === null || a === 'linear';
}

/**
 * For a linear autoencoder (only Dense layers without activation) on 3-D data with a 2-D code,
 * the Dense layers after the code: their kernels multiplied give the decoder's linear map.
 */
export function linearDecoder(probe: ActivationProbe, entry: ProbedLayer): ProbedLayer[] | null {
  const layers = probe.layers.filter((l) => !l.isModel);
  if (probe.inputShape.length !== 1 || probe.inputShape[0] !== 3 || product(entry.shape) !== 2) return null;
  if (!layers.every((l) => isLinearDense(l) || PASS_THROUGH.has(l.className))) return null;
  const all = probe.layers;
  let i = all.indexOf(entry) + 1;
  if (entry.isModel) while (i < all.length && all[i]!.depth > entry.depth) i++;
  const decoder = all.slice(i).filter((l) => !l.isModel && l.className === 'Dense');
  return decoder.length > 0 ? decoder : null;
}

/** The two 3-vectors spanning the decoder's image (rows of the composed [2, 3] kernel), and its bias. */
export async function decoderSpan(tf: TF, decoder: ProbedLayer[]): Promise<{ rows: Float64Array[]; offset: Float64Array }> {
  const packed = tf.tidy(() => {
    let w: tfjs.Tensor2D | null = null;
    let b: tfjs.Tensor | null = null;
    for (const l of decoder) {
      const [k, bias] = l.layer.getWeights() as [tfjs.Tensor2D, tfjs.Tensor | undefined];
      w = w ? (tf.matMul(w, k) as tfjs.Tensor2D) : k;
      // x·K1 + b1 then ·K2 + b2 = x·K1K2 + (b1·K2 + b2)
      b = b ? tf.squeeze(tf.matMul(tf.expandDims(b, 0) as tfjs.Tensor2D, k), [0]) : null;
      if (bias) b = b ? tf.add(b, bias) : bias;
    }
    const cols = w!.shape[1];
    return tf.concat([tf.reshape(w!, [-1]), b ? tf.reshape(b, [-1]) : tf.zeros([cols])]);
  });
  try {
    const d = await packed.data();
    const rows = [Float64Array.from(d.subarray(0, 3)), Float64Array.from(d.subarray(3, 6))];
    return { rows, offset: Float64Array.from(d.subarray(6, 9)) };
  } finally {
    packed.dispose();
  }
}
