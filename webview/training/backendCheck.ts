/**
 * The one-batch check that confirms an automatic WebGPU choice before training commits to it:
 * the model's outputs on one batch, and the gradients of their mean square with respect to every
 * trainable weight (so every layer's forward and backward kernels run), computed on WebGPU and on
 * the backend that would have been chosen without it, must agree; and WebGPU must be at least as
 * fast there: a short trial times a batch's forward and backward pass on both. If either fails,
 * training uses that backend, and the reason says why.
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendChoice } from './backend';
import { BACKEND_LABELS, trySetBackend } from './backend';
import type { WasmPaths } from './backend';
import type { DatasetArrays } from '../../src/shared/messages';
import { disposeBatch, makeBatch, sampleCount } from './dataset';
import { modelInputs } from './trainingLoss';
import { createOptimizer } from './trainSettings';

/** Largest difference allowed, relative to the largest magnitude of the reference tensor. */
export const CHECK_TOLERANCE = 1e-3;

export interface CheckOutcome {
  agree: boolean;
  /** The largest relative difference over the outputs and gradients. */
  worst: number;
  /** Which tensor differed most ("output 0", "gradient of dense_1/kernel"). */
  where: string;
}

/** Outputs and gradients of `model` on `xs`, on the active backend, read back. */
async function measure(model: tf.LayersModel, xs: tf.Tensor | tf.Tensor[]): Promise<{ name: string; values: Float32Array }[]> {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const names: string[] = [];
  const tensors = tf.tidy(() => {
    let outputs: tf.Tensor[] = [];
    const { grads } = tf.variableGrads(() => {
      const predicted = model.apply(xs, { training: false }) as tf.Tensor | tf.Tensor[];
      outputs = (Array.isArray(predicted) ? predicted : [predicted]).map((o) => tf.keep(o));
      return tf.addN(outputs.map((o) => tf.mean(tf.square(o)))) as tf.Scalar;
    }, variables);
    const kept: tf.Tensor[] = [];
    outputs.forEach((o, i) => {
      names.push(`output ${i}`);
      kept.push(o);
    });
    model.trainableWeights.forEach((w, i) => {
      const g = grads[variables[i]!.name];
      if (g === undefined) return;
      names.push(`gradient of ${w.originalName}`);
      kept.push(g);
    });
    return kept;
  });
  try {
    const values = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
    return values.map((v, i) => ({ name: names[i]!, values: v }));
  } finally {
    tf.dispose(tensors);
  }
}

/** Compares two measurements tensor by tensor (relative to the reference's largest magnitude). */
export function compareMeasurements(
  checked: readonly { name: string; values: ArrayLike<number> }[],
  reference: readonly { name: string; values: ArrayLike<number> }[],
): CheckOutcome {
  let worst = 0;
  let where = '';
  if (checked.length !== reference.length) return { agree: false, worst: Infinity, where: 'the number of gradients' };
  reference.forEach((ref, i) => {
    const got = checked[i]!;
    let scale = 0;
    for (let j = 0; j < ref.values.length; j++) scale = Math.max(scale, Math.abs(ref.values[j]!));
    let diff = got.values.length === ref.values.length ? 0 : Infinity;
    for (let j = 0; j < ref.values.length && diff !== Infinity; j++) {
      const d = Math.abs(got.values[j]! - ref.values[j]!);
      diff = Number.isNaN(d) ? Infinity : Math.max(diff, d);
    }
    const relative = diff / Math.max(scale, 1e-6);
    if (relative > worst || where === '') {
      worst = relative;
      where = ref.name;
    }
  });
  return { agree: worst <= CHECK_TOLERANCE, worst, where };
}

/** Writes `values` into the model's variables, as tensors of the active backend. */
function restoreWeights(variables: readonly tf.Variable[], values: readonly tf.TypedArray[]): void {
  variables.forEach((v, i) => {
    const t = tf.tensor(values[i]!, v.shape, v.dtype);
    v.assign(t);
    t.dispose();
  });
}

/** The trial's timed passes on each backend: at least TRIAL_PASSES, more while under TRIAL_MS. */
const TRIAL_PASSES = 2;
const TRIAL_MAX_PASSES = 5;
const TRIAL_MS = 1000;

/**
 * The lower median time of a training step over `xs` on the active backend, ms: forward and
 * backward pass, the run's optimizer applying the gradients (tfjs's Adam is a dozen small ops
 * per weight, which on a GPU can cost more than the gradients), the loss read back (as the panel
 * reads each batch's). One untimed step first compiles what is left to compile. It moves the
 * weights: the caller writes them back.
 */
async function stepMs(model: tf.LayersModel, xs: tf.Tensor | tf.Tensor[], optimizer: TrialOptimizer): Promise<number> {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = createOptimizer(optimizer.name, optimizer.learningRate);
  // One step, its loss read back (which waits for it).
  const once = async (): Promise<void> => {
    const loss = tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => squareMean(model, xs), variables);
      step.applyGradients(grads);
      return value;
    });
    await loss.data();
    loss.dispose();
  };
  const times: number[] = [];
  try {
    // One step untimed first: it compiles what `measure` did not run (the optimizer's update).
    await once();
    const started = performance.now();
    while (times.length < TRIAL_PASSES || (times.length < TRIAL_MAX_PASSES && performance.now() - started < TRIAL_MS)) {
      const t0 = performance.now();
      await once();
      times.push(performance.now() - t0);
    }
  } finally {
    step.dispose();
  }
  // The lower median: a pass the machine slowed counts least.
  times.sort((a, b) => a - b);
  return times[Math.floor((times.length - 1) / 2)]!;
}

/** The trial's loss: the mean square of the model's outputs (its own loss needs its targets). */
function squareMean(model: tf.LayersModel, xs: tf.Tensor | tf.Tensor[]): tf.Scalar {
  const predicted = model.apply(xs, { training: false }) as tf.Tensor | tf.Tensor[];
  return tf.addN((Array.isArray(predicted) ? predicted : [predicted]).map((o) => tf.mean(tf.square(o)))) as tf.Scalar;
}

/** The optimizer the trial's steps apply: the run's. */
export interface TrialOptimizer {
  name: string;
  learningRate: number;
}

const ms = (t: number): string => (t < 10 ? t.toFixed(1) : t.toFixed(0));

export interface ConfirmOptions {
  /**
   * Also time a training step of the batch on both backends and keep the faster one
   * (default true): on a real GPU, tfjs's WebGPU can train a small model several times slower
   * than WASM (the GPU bench measured it).
   */
  trial?: boolean;
  /** The run's optimizer, which the trial's steps apply (default Adam at 0.001, the panel's). */
  optimizer?: TrialOptimizer;
  /** Hears the comparison's outcome and the trial's times, agreeing or not (the GPU bench prints them). */
  report?: (outcome: CheckOutcome, times: { choiceMs?: number; fallbackMs?: number }) => void;
}

/**
 * Runs the check when `choice` is an automatic WebGPU choice: returns `choice` without its
 * fallback when WebGPU agrees and (with the trial) is at least as fast, else the fallback (now
 * the active backend) with the reason. The weights and the batch are written afresh on each
 * backend (not moved by tfjs between them).
 */
export async function confirmBackend(
  choice: BackendChoice,
  model: tf.LayersModel,
  dataset: DatasetArrays,
  batchSize: number,
  wasmPaths: WasmPaths,
  options: ConfirmOptions = {},
): Promise<BackendChoice> {
  const fallback = choice.fallback;
  if (fallback === undefined) return choice;
  const trial = options.trial ?? true;
  const optimizer = options.optimizer ?? { name: 'adam', learningRate: 0.001 };
  const n = Math.max(1, Math.min(batchSize, sampleCount(dataset)));
  const indices = Array.from({ length: n }, (_, i) => i);
  const run = async (): Promise<{ values: { name: string; values: Float32Array }[]; ms?: number }> => {
    const batch = makeBatch(dataset, indices);
    const xs = modelInputs(model, batch.xs);
    try {
      const values = await measure(model, xs);
      return trial ? { values, ms: await stepMs(model, xs, optimizer) } : { values };
    } finally {
      if (Array.isArray(xs)) tf.dispose(xs);
      disposeBatch(batch);
    }
  };
  const label = BACKEND_LABELS[fallback.name] ?? fallback.name;
  const chosenLabel = BACKEND_LABELS[choice.name] ?? choice.name;
  const variables = model.weights.map((w) => w.read() as tf.Variable);
  let outcome: CheckOutcome;
  let saved: tf.TypedArray[] | null = null;
  try {
    saved = await Promise.all(variables.map((v) => v.data()));
    const checked = await run();
    if (!(await trySetBackend(fallback.name, wasmPaths))) {
      // Nothing to compare with: the choice stays, with the weights its trial moved put back.
      if (trial) restoreWeights(variables, saved);
      return { name: choice.name, reason: choice.reason };
    }
    restoreWeights(variables, saved);
    const reference = await run();
    outcome = compareMeasurements(checked.values, reference.values);
    options.report?.(outcome, { choiceMs: checked.ms, fallbackMs: reference.ms });
    if (outcome.agree && checked.ms !== undefined && reference.ms !== undefined && checked.ms > reference.ms) {
      // Correct but slower: the fallback stays active, with the weights as they were.
      restoreWeights(variables, saved);
      return {
        name: fallback.name,
        reason:
          `${choice.reason} agreed with ${label} in a one-batch check but took ${ms(checked.ms)} ms a batch ` +
          `against ${label}'s ${ms(reference.ms)} ms: using ${label}`,
      };
    }
    if (outcome.agree && (await trySetBackend(choice.name, wasmPaths))) {
      restoreWeights(variables, saved);
      const times =
        checked.ms !== undefined && reference.ms !== undefined
          ? ` (${ms(checked.ms)} ms a batch; ${label}: ${ms(reference.ms)} ms)`
          : '';
      return { name: choice.name, reason: `${choice.reason}${times}` };
    }
    if (outcome.agree) {
      // It agreed, but could not be made the backend again: the fallback stays.
      outcome = { agree: false, worst: Infinity, where: 'it could not be started again after the check' };
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    outcome = { agree: false, worst: Infinity, where: `an error (${message})` };
    options.report?.(outcome, {});
  }
  if (tf.getBackend() !== fallback.name) await trySetBackend(fallback.name, wasmPaths);
  // The trial's steps moved the weights: they go back as they were, on the fallback.
  if (saved !== null && trial) restoreWeights(variables, saved);
  const differed = Number.isFinite(outcome.worst)
    ? `${chosenLabel}'s ${outcome.where} differed from ${label}'s by ${outcome.worst.toExponential(1)} (relative) in a one-batch check`
    : `${chosenLabel} failed a one-batch check (${outcome.where})`;
  return { name: fallback.name, reason: `${differed}: using ${label}` };
}
