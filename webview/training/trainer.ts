/**
 * The training loop: epochs of shuffled batches, pause/resume/stop between batches, one yield
 * to the browser after every piece of work.
 *
 * The standard step is tfjs-layers' own (`LayersModel.makeTrainFunction`): the compiled
 * model's loss functions on every output, their mean, plus the layers' regularization losses,
 * with the compiled metrics; the model is compiled with the panel's loss, optimizer and metrics.
 * To keep each task under the frame budget, a batch whose step would take longer is computed
 * as micro-batches whose gradients are averaged (weighted by size) and applied once: the same
 * update as the whole batch, sliced across tasks. Models with batch normalization (whose
 * statistics depend on the batch) are never sliced. A module's own `trainStep` runs once per
 * batch instead.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays, TrainConfig } from '../../src/shared/messages';
import { disposeBatch, makeBatch, sampleCount, shuffledIndices } from './dataset';
import type { BatchTensors } from './dataset';
import type { TrainStep } from './modelLoader';
import { nextTask } from './scheduling';
import { createOptimizer, metricLabel, normalizeLoss, normalizeMetric } from './trainSettings';

export interface BatchReport {
  /** 1-based. */
  epoch: number;
  epochs: number;
  /** 1-based index of the batch within the epoch. */
  batch: number;
  batches: number;
  /** Batches completed since training started. */
  step: number;
  loss: number;
  metrics: Record<string, number>;
  samples: number;
  /** Samples per slice of this batch (the batch size when it was not sliced). */
  microBatch: number;
  /** Mean loss over the epoch's samples so far (what the epoch will report, so far). */
  epochLoss: number;
  /** Samples per second over the epoch so far (time paused left out). */
  epochSamplesPerSecond: number;
}

export interface EpochReport {
  epoch: number;
  epochs: number;
  /** Mean over the epoch's samples, as `model.fit` reports it. */
  loss: number;
  metrics: Record<string, number>;
  seconds: number;
  samplesPerSecond: number;
  /** Where the epoch's time went, ms: computing slices, applying updates + reading the loss, waiting for the browser between tasks. */
  timing: EpochTiming;
}

export interface EpochTiming {
  computeMs: number;
  updateMs: number;
  yieldMs: number;
  slices: number;
  /** Longest single slice. */
  maxSliceMs: number;
}

export interface TrainerHooks {
  onBatch?(report: BatchReport): void;
  onEpoch?(report: EpochReport): void;
  onPauseChange?(paused: boolean): void;
}

export interface TrainerOptions {
  model: tf.LayersModel;
  dataset: DatasetArrays;
  config: TrainConfig;
  trainStep: TrainStep | null;
  hooks?: TrainerHooks;
  /**
   * Target duration of one slice of work, ms. Default 75: the goal is no frame over 100 ms, and
   * every slice costs tfjs's per-op overhead again (at 40 ms the seed convnet's batches of 32 ran
   * as two slices and trained at 0.70–0.74 of model.fit; at 75 ms, whole, at 0.83–0.94).
   */
  frameBudgetMs?: number;
  /** Shuffle seed (epoch e uses seed + e). */
  seed?: number;
  /** Upper bound on the samples of one slice (default: none beyond the batch). */
  maxSliceSamples?: number;
  /** Awaited before each batch changes the weights (the views read the model in steps). */
  waitForViews?: () => Promise<void>;
}

export type TrainOutcome = 'done' | 'stopped';

/** What the panel drives: a Trainer on the page, or a WorkerTrainer (training on a worker). */
export interface TrainerLike {
  readonly metricNames: string[];
  readonly paused: boolean;
  run(): Promise<TrainOutcome>;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
  dispose(): void;
}

/** Slices are cut to stay under the budget, and never planned beyond this (a frame's limit). */
const HARD_LIMIT_MS = 95;

interface Accumulated {
  grads: tf.NamedTensorMap;
  loss: tf.Scalar;
  metrics: tf.Scalar[];
}

export class Trainer implements TrainerLike {
  readonly optimizer: tf.Optimizer;
  readonly metricNames: string[];
  private readonly model: tf.LayersModel;
  private readonly dataset: DatasetArrays;
  private readonly config: TrainConfig;
  private readonly trainStep: TrainStep | null;
  private readonly hooks: TrainerHooks;
  private readonly budgetMs: number;
  private readonly seed: number;
  private readonly sliceable: boolean;
  private readonly maxSlice: number;
  /** Recent slices: samples and ms (for the slice cost model). */
  private observed: Array<{ n: number; ms: number }> = [];
  /** Moving average of the update + read-back time, ms. */
  private updateMs = 5;
  private slicesSeen = 0;
  private timing: EpochTiming = newTiming();
  private stopRequested = false;
  private pauseRequested = false;
  /** Time spent paused in the current epoch, ms (not counted in its speed). */
  private pausedMs = 0;
  private resumeWaiter: (() => void) | null = null;
  private running: Promise<TrainOutcome> | null = null;
  private readonly waitViews: (() => Promise<void>) | null;

  constructor(options: TrainerOptions) {
    this.model = options.model;
    this.dataset = options.dataset;
    this.config = options.config;
    this.trainStep = options.trainStep;
    this.hooks = options.hooks ?? {};
    this.budgetMs = options.frameBudgetMs ?? 75;
    this.seed = options.seed ?? 1;
    this.waitViews = options.waitForViews ?? null;
    this.maxSlice = Math.max(1, options.maxSliceSamples ?? Number.POSITIVE_INFINITY);
    this.optimizer = createOptimizer(this.config.optimizer, this.config.learningRate);
    try {
      if (this.trainStep === null) {
        this.model.compile({
          optimizer: this.optimizer,
          loss: normalizeLoss(this.config.loss),
          metrics: this.config.metrics.map(normalizeMetric),
        });
      }
    } catch (error) {
      this.optimizer.dispose();
      throw error;
    }
    this.metricNames = this.trainStep === null ? this.model.metricsNames.slice(1).map(metricLabel) : [];
    this.sliceable = this.trainStep === null && !hasBatchNormalization(this.model);
  }

  get paused(): boolean {
    return this.pauseRequested;
  }

  /** Trains all epochs; resolves 'stopped' when stop() interrupted it. Call once. */
  run(): Promise<TrainOutcome> {
    this.running ??= this.loop();
    return this.running;
  }

  pause(): void {
    if (!this.stopRequested) this.pauseRequested = true;
  }

  resume(): void {
    this.pauseRequested = false;
    this.resumeWaiter?.();
  }

  /** Stops at the next slice boundary; resolves when the loop has let go of every tensor. */
  async stop(): Promise<void> {
    this.stopRequested = true;
    this.pauseRequested = false;
    this.resumeWaiter?.();
    if (this.running) await this.running;
  }

  /** Releases the optimizer's state (the model belongs to the caller). */
  dispose(): void {
    this.optimizer.dispose();
  }

  private async loop(): Promise<TrainOutcome> {
    const n = sampleCount(this.dataset);
    const { epochs, batchSize } = this.config;
    const batches = Math.ceil(n / batchSize);
    let step = 0;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      this.timing = newTiming();
      this.pausedMs = 0;
      const order = shuffledIndices(n, this.seed + epoch);
      let seen = 0;
      let lossSum = 0;
      const metricSums = new Array<number>(this.metricNames.length).fill(0);
      for (let b = 0; b < batches; b++) {
        if (!(await this.checkpoint())) return 'stopped';
        await this.waitForViews();
        if (this.stopRequested) return 'stopped';
        const indices = order.subarray(b * batchSize, Math.min(n, (b + 1) * batchSize));
        const result = this.trainStep ? await this.customStep(this.trainStep, indices) : await this.standardStep(indices);
        if (result === null) return 'stopped';
        seen += indices.length;
        lossSum += result.loss * indices.length;
        result.metrics.forEach((m, i) => (metricSums[i]! += m * indices.length));
        step++;
        this.hooks.onBatch?.({
          epoch,
          epochs,
          batch: b + 1,
          batches,
          step,
          loss: result.loss,
          metrics: this.named(result.metrics),
          samples: indices.length,
          microBatch: result.microBatch,
          epochLoss: lossSum / seen,
          epochSamplesPerSecond: seen / Math.max((performance.now() - started - this.pausedMs) / 1000, 1e-9),
        });
        await this.yieldTask();
      }
      const seconds = (performance.now() - started - this.pausedMs) / 1000;
      this.hooks.onEpoch?.({
        epoch,
        epochs,
        loss: lossSum / seen,
        metrics: this.named(metricSums.map((s) => s / seen)),
        seconds,
        samplesPerSecond: seen / Math.max(seconds, 1e-9),
        timing: { ...this.timing },
      });
    }
    return 'done';
  }

  private named(values: readonly number[]): Record<string, number> {
    const out: Record<string, number> = {};
    this.metricNames.forEach((name, i) => (out[name] = values[i] ?? Number.NaN));
    return out;
  }

  private async waitForViews(): Promise<void> {
    if (this.waitViews === null) return;
    const began = performance.now();
    await this.waitViews();
    this.timing.yieldMs += performance.now() - began;
  }

  private async yieldTask(): Promise<void> {
    const began = performance.now();
    await nextTask();
    this.timing.yieldMs += performance.now() - began;
  }

  /** Waits while paused; false when training should stop. */
  private async checkpoint(): Promise<boolean> {
    if (this.pauseRequested && !this.stopRequested) {
      const began = performance.now();
      this.hooks.onPauseChange?.(true);
      while (this.pauseRequested && !this.stopRequested) {
        await new Promise<void>((resolve) => (this.resumeWaiter = resolve));
        this.resumeWaiter = null;
      }
      this.pausedMs += performance.now() - began;
      if (!this.stopRequested) this.hooks.onPauseChange?.(false);
    }
    return !this.stopRequested;
  }

  private async customStep(
    trainStep: TrainStep,
    indices: Int32Array,
  ): Promise<{ loss: number; metrics: number[]; microBatch: number } | null> {
    const batch = makeBatch(this.dataset, indices);
    try {
      let value: unknown = trainStep(this.model, batch, this.optimizer);
      if (value instanceof Promise) value = await value;
      let loss: number;
      if (value instanceof tf.Tensor) {
        loss = (await value.data())[0] ?? Number.NaN;
        value.dispose();
      } else {
        loss = Number(value);
      }
      return this.stopRequested ? null : { loss, metrics: [], microBatch: indices.length };
    } finally {
      disposeBatch(batch);
    }
  }

  /**
   * How many samples go into each slice of a batch of `size` (cut as evenly as possible).
   * The cost of a slice is modelled as a + b·n (a fixed per-slice cost: the op count of the
   * graph, an RNN's time steps; b per sample), fitted to the recent slices. The slice length is
   * the n that fits the budget; when even the fixed cost exceeds the hard limit (a long RNN),
   * slicing cannot help and the whole batch runs at once (as fast as `model.fit`).
   */
  private sliceSize(size: number): number {
    if (!this.sliceable) return size;
    const cost = this.cost();
    let target: number;
    if (cost === null)
      target = this.observed.length + 1; // 1 (warm-up), 1, 2: two sizes to fit a line
    else if (cost.a + cost.b > HARD_LIMIT_MS) target = size;
    else if (cost.a + cost.b > this.budgetMs) target = Math.floor((HARD_LIMIT_MS - cost.a) / cost.b);
    else target = Math.floor((this.budgetMs - cost.a) / cost.b);
    const limit = Math.max(1, Math.min(size, target, this.maxSlice));
    // Even slices; rounding the count (32 at a target of 15: two of 16, not three of 11) keeps
    // slices large, which the kernels run more efficiently, unless that breaks the hard limit.
    let slices = Math.max(1, Math.round(size / limit));
    const predicted = cost === null ? 0 : cost.a + cost.b * Math.ceil(size / slices);
    if (Math.ceil(size / slices) > this.maxSlice || predicted > HARD_LIMIT_MS) slices = Math.ceil(size / limit);
    return Math.ceil(size / slices);
  }

  /** Least-squares fit of ms = a + b·n over the recent slices (null until two sizes were seen). */
  private cost(): { a: number; b: number } | null {
    const points = this.observed;
    if (points.length < 2) return null;
    const meanN = points.reduce((s, p) => s + p.n, 0) / points.length;
    const meanT = points.reduce((s, p) => s + p.ms, 0) / points.length;
    let sNN = 0;
    let sNT = 0;
    for (const p of points) {
      sNN += (p.n - meanN) ** 2;
      sNT += (p.n - meanN) * (p.ms - meanT);
    }
    if (sNN < 1e-9) return { a: 0, b: Math.max(meanT / meanN, 1e-3) };
    const b = Math.max(sNT / sNN, 1e-3);
    const a = Math.min(Math.max(meanT - b * meanN, 0), Math.min(...points.map((p) => p.ms)));
    return { a, b };
  }

  /**
   * Records a slice's duration. The very first slice is skipped (warm-up: kernel set-up, JIT);
   * spikes (another process, a GC) count as at most 3× the model's prediction, so one slow
   * slice does not shrink the next ones.
   */
  private learnCost(samples: number, ms: number): void {
    if (!this.sliceable) return;
    if (this.slicesSeen++ === 0) return;
    const cost = this.cost();
    const capped = cost === null ? ms : Math.min(ms, 3 * (cost.a + cost.b * samples));
    this.observed.push({ n: samples, ms: capped });
    if (this.observed.length > 24) this.observed.shift();
  }

  private async standardStep(indices: Int32Array): Promise<{ loss: number; metrics: number[]; microBatch: number } | null> {
    const size = indices.length;
    const variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    let acc: Accumulated | null = null;
    let largest = 0;
    let lastMs = 0;
    for (let start = 0; start < size;) {
      if (start > 0) {
        await this.yieldTask();
        if (this.stopRequested) {
          disposeAccumulated(acc);
          return null;
        }
      }
      const part = indices.subarray(start, start + this.sliceSize(size - start));
      const began = performance.now();
      const previous: Accumulated | null = acc;
      acc = this.slice(part, part.length / size, variables, previous);
      disposeAccumulated(previous);
      lastMs = performance.now() - began;
      this.timing.computeMs += lastMs;
      this.timing.slices++;
      this.timing.maxSliceMs = Math.max(this.timing.maxSliceMs, lastMs);
      this.learnCost(part.length, lastMs);
      largest = Math.max(largest, part.length);
      start += part.length;
    }
    if (acc === null) return { loss: Number.NaN, metrics: [], microBatch: 0 };
    const done: Accumulated = acc;
    // The update and the read-back join the last slice's task when both fit in the budget.
    if (largest < size && lastMs + this.updateMs > this.budgetMs) await this.yieldTask();
    // A views pass may have begun between the slices: the weights change once it is over.
    await this.waitForViews();
    const began = performance.now();
    this.optimizer.applyGradients(done.grads);
    tf.dispose(done.grads);
    const values = await Promise.all([done.loss, ...done.metrics].map((t) => t.data()));
    tf.dispose([done.loss, ...done.metrics]);
    const updateMs = performance.now() - began;
    this.updateMs = Math.min(0.7 * this.updateMs + 0.3 * updateMs, 2 * this.budgetMs);
    this.timing.updateMs += updateMs;
    const [loss, ...metrics] = values.map((v) => v[0] ?? Number.NaN);
    return { loss: loss ?? Number.NaN, metrics, microBatch: largest };
  }

  /**
   * Loss, metrics and gradients of one slice, weighted by its share of the batch (the loss is
   * scaled before differentiating, so the gradients come out scaled), added to `acc`.
   */
  private slice(indices: Int32Array, weight: number, variables: tf.Variable[], acc: Accumulated | null): Accumulated {
    const kept: tf.Tensor[] = [];
    try {
      return tf.tidy(() => {
        const batch = makeBatch(this.dataset, indices);
        const { value, grads } = tf.variableGrads(() => {
          const loss = this.totalLoss(batch, kept);
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

  /** tfjs-layers' total loss (LayersModel.makeTrainFunction), metrics kept into `kept`. */
  private totalLoss(batch: BatchTensors, kept: tf.Tensor[]): tf.Scalar {
    const model = this.model;
    const predicted = model.apply(modelInputs(model, batch.xs), { training: true }) as tf.Tensor | tf.Tensor[];
    const outputs = Array.isArray(predicted) ? predicted : [predicted];
    const perOutput: tf.Scalar[] = [];
    let total: tf.Tensor | null = null;
    // A Sequential compiles the functional model it wraps: the loss functions live there.
    // (`Sequential.model` is private in the typings, public at run time.)
    const inner = model instanceof tf.Sequential ? (model as unknown as { model: tf.LayersModel }).model : model;
    const lossFunctions = inner.lossFunctions;
    const targets = modelTargets(model, batch.ys);
    for (let i = 0; i < lossFunctions.length; i++) {
      const loss = lossFunctions[i]!(targets[i]!, outputs[i]!);
      perOutput.push(tf.mean(loss));
      total = total === null ? loss : tf.add(total, loss);
    }
    model.metricsTensors.forEach(([metricFn, outputIndex], i) => {
      const value =
        outputs.length > 1 && i < outputs.length
          ? perOutput[i]!
          : tf.mean(metricFn(targets[outputIndex]!, outputs[outputIndex]!));
      kept.push(tf.keep(value));
    });
    let result = tf.mean(total ?? tf.scalar(0)) as tf.Scalar;
    for (const penalty of model.calculateLosses()) result = tf.add(result, penalty);
    return result;
  }
}

function newTiming(): EpochTiming {
  return { computeMs: 0, updateMs: 0, yieldMs: 0, slices: 0, maxSliceMs: 0 };
}

function disposeAccumulated(acc: Accumulated | null): void {
  if (acc === null) return;
  tf.dispose(acc.grads);
  tf.dispose([acc.loss, ...acc.metrics]);
}

/**
 * The model's inputs from the dataset's xs: xs itself for one input; for several, its columns in
 * order (xs [n, Σ sizes]: the first size values of a row feed the first input, and so on: the
 * skip-gram pairs' target and context), each reshaped to its input's shape.
 */
export function modelInputs(model: tf.LayersModel, xs: tf.Tensor): tf.Tensor | tf.Tensor[] {
  return model.inputs.length <= 1 ? xs : splitColumns(xs, model.inputs, 'inputs', "the dataset's inputs");
}

/** The targets of each output from the dataset's ys: ys itself for one output, else its columns in order. */
export function modelTargets(model: tf.LayersModel, ys: tf.Tensor): tf.Tensor[] {
  return model.outputs.length <= 1 ? [ys] : splitColumns(ys, model.outputs, 'outputs', "the dataset's targets");
}

/** Rows of `values` cut into one tensor per symbolic tensor of `parts`, by their sizes, in order. */
function splitColumns(values: tf.Tensor, parts: readonly tf.SymbolicTensor[], what: string, whose: string): tf.Tensor[] {
  const n = values.shape[0] ?? 0;
  const shapes = parts.map((part) => part.shape.slice(1).map((d) => d ?? 1));
  const sizes = shapes.map((shape) => shape.reduce((a, b) => a * b, 1));
  const flat = tf.reshape(values, [n, -1]);
  const total = sizes.reduce((a, b) => a + b, 0);
  if (flat.shape[1] !== total) {
    throw new Error(
      `The model has ${parts.length} ${what} (${sizes.join(' + ')} values per sample), but ${whose} have ${flat.shape[1]} values per sample.`,
    );
  }
  return tf.split(flat, sizes, 1).map((part, i) => tf.reshape(part, [n, ...shapes[i]!]));
}

/** Whether any layer, nested models included, is a BatchNormalization. */
export function hasBatchNormalization(model: tf.LayersModel): boolean {
  return model.layers.some((layer) =>
    layer instanceof tf.LayersModel ? hasBatchNormalization(layer) : layer.getClassName() === 'BatchNormalization',
  );
}
