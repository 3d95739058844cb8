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
 * statistics depend on the batch) are never sliced (slicePlanner.ts sizes the slices,
 * trainingLoss.ts computes the loss). A module's own `trainStep` runs once per batch instead.
 * What a run reports is trainReports.ts.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays, TrainConfig } from '../../src/shared/messages';
import { disposeBatch, makeBatch, sampleCount, shuffledIndices } from './dataset';
import { installFusedRnn } from './fusedRnn/fusedRnn';
import { shouldStopEarly, splitSamples, usedSamples } from './heldOut';
import type { TrainStep } from './modelLoader';
import { addPeerResults, shareOut, workersFor } from './parallel/peerGroup';
import type { GradientPeers, PeerResult } from './parallel/peerGroup';
import { ShareChoice } from './parallel/shareChoice';
import { nextTask } from './scheduling';
import { SlicePlanner } from './slicePlanner';
import { disposeAccumulated, sliceGradients, trainableVariables } from './sliceGradients';
import type { Accumulated } from './sliceGradients';
import { hasBatchNormalization } from './trainingLoss';
import type { EpochReport, EpochTiming, TrainerHooks, TrainerLike, TrainOutcome } from './trainReports';
import { createOptimizer, metricLabel, normalizeLoss, normalizeMetric } from './trainSettings';
import { scoreHeldOut, VALIDATION_CHUNK } from './validation';

export interface TrainerOptions {
  model: tf.LayersModel;
  dataset: DatasetArrays;
  config: TrainConfig;
  trainStep: TrainStep | null;
  hooks?: TrainerHooks;
  /**
   * Target duration of one slice of work, ms. Default 75: the goal is no frame over 100 ms, and
   * every slice costs tfjs's per-op overhead again, so slices are kept as large as that allows.
   */
  frameBudgetMs?: number;
  /** Shuffle seed (epoch e uses seed + e). */
  seed?: number;
  /** Upper bound on the samples of one slice (default: none beyond the batch). */
  maxSliceSamples?: number;
  /** Awaited before each batch changes the weights (the views read the model in steps). */
  waitForViews?: () => Promise<void>;
  /**
   * Data-parallel training: workers that compute shares of each batch's gradients (parallel/).
   * Used by the standard step on models whose batches may be sliced (no batch normalization).
   */
  peers?: GradientPeers | null;
  /** Share every batch with the peers (default: only while it is faster, see parallel/shareChoice.ts). */
  alwaysShare?: boolean;
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
  /** How the standard step's batches are cut into slices. */
  private readonly slices: SlicePlanner;
  /** Moving average of the update + read-back time, ms. */
  private updateMs = 5;
  private timing: EpochTiming = newTiming();
  private stopRequested = false;
  private pauseRequested = false;
  /** Time spent paused in the current epoch, ms (not counted in its speed). */
  private pausedMs = 0;
  private resumeWaiter: (() => void) | null = null;
  private running: Promise<TrainOutcome> | null = null;
  private readonly waitViews: (() => Promise<void>) | null;
  /** The gradient peers while they work (null: none, not this model, or one failed). */
  private peers: GradientPeers | null;
  /** Whether sharing pays for this model (null: always share). */
  private readonly sharing: ShareChoice | null;
  /** What the hooks were last told: batches shared or not. */
  private toldShared = true;

  constructor(options: TrainerOptions) {
    this.model = options.model;
    this.dataset = options.dataset;
    this.config = options.config;
    this.trainStep = options.trainStep;
    this.hooks = options.hooks ?? {};
    this.budgetMs = options.frameBudgetMs ?? 75;
    this.seed = options.seed ?? 1;
    this.waitViews = options.waitForViews ?? null;
    this.optimizer = createOptimizer(this.config.optimizer, this.config.learningRate);
    try {
      if (this.trainStep === null) {
        this.model.compile({
          optimizer: this.optimizer,
          loss: normalizeLoss(this.config.loss),
          metrics: this.config.metrics.map(normalizeMetric),
        });
        // Recurrent layers run fused (fusedRnn/): tfjs's results in one call per layer instead of ops per time step.
        installFusedRnn(this.model);
      }
    } catch (error) {
      this.optimizer.dispose();
      throw error;
    }
    this.metricNames = this.trainStep === null ? this.model.metricsNames.slice(1).map(metricLabel) : [];
    const sliceable = this.trainStep === null && !hasBatchNormalization(this.model);
    this.peers = sliceable ? (options.peers ?? null) : null;
    this.sharing = options.alwaysShare === true ? null : new ShareChoice();
    this.slices = new SlicePlanner(sliceable, this.budgetMs, Math.max(1, options.maxSliceSamples ?? Number.POSITIVE_INFINITY));
  }

  get paused(): boolean {
    return this.pauseRequested;
  }

  /** How many workers share a batch (1 + the peers; 1 without data-parallel training). */
  get workers(): number {
    return 1 + (this.peers?.count ?? 0);
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

  /** Releases the optimizer's state (the model and the peers belong to the caller). */
  dispose(): void {
    this.optimizer.dispose();
  }

  private async loop(): Promise<TrainOutcome> {
    // A module's own trainStep has its own objective: there is no compiled loss to validate.
    const fraction = this.trainStep === null ? this.config.validationSplit : 0;
    const split = splitSamples(usedSamples(sampleCount(this.dataset), this.config.samples), fraction);
    const validation = split.validation;
    const n = split.train.length;
    const { epochs, batchSize } = this.config;
    const batches = Math.ceil(n / batchSize);
    const validationLosses: number[] = [];
    let step = 0;
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      this.timing = newTiming();
      this.pausedMs = 0;
      const order = shuffledIndices(n, this.seed + epoch).map((i) => split.train[i]!);
      this.sharing?.retrial();
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
      const report: EpochReport = {
        epoch,
        epochs,
        loss: lossSum / seen,
        metrics: this.named(metricSums.map((s) => s / seen)),
        trainSamples: seen,
        seconds,
        samplesPerSecond: seen / Math.max(seconds, 1e-9),
        timing: { ...this.timing },
      };
      if (validation.length > 0) {
        // A forward pass costs about a third of a training step: chunks of twice a training slice fit the budget.
        const chunk = Math.min(VALIDATION_CHUNK, 2 * this.slices.sliceSize(VALIDATION_CHUNK));
        const between = async (): Promise<boolean> => {
          await this.yieldTask();
          return this.checkpoint();
        };
        const scores = await scoreHeldOut(this.model, this.dataset, validation, between, chunk);
        if (scores === null) return 'stopped';
        report.validation = { loss: scores.loss, metrics: this.named(scores.metrics), samples: validation.length };
        validationLosses.push(scores.loss);
        report.stoppedEarly = epoch < epochs && shouldStopEarly(validationLosses, this.config.earlyStoppingPatience);
      }
      this.hooks.onEpoch?.(report);
      if (report.stoppedEarly) return 'done';
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

  private async standardStep(indices: Int32Array): Promise<{ loss: number; metrics: number[]; microBatch: number } | null> {
    const size = indices.length;
    const variables = trainableVariables(this.model);
    const share = this.peers !== null && (this.sharing?.next() ?? true);
    const workers = share ? workersFor(size, this.peers!.count) : 1;
    const shares = workers > 1 ? shareOut(indices, workers) : [indices];
    const stepBegan = performance.now();
    const remote = workers > 1 ? this.askPeers(shares.slice(1), size) : null;
    let computed = await this.accumulate(shares[0]!, size, variables, null);
    if (remote !== null && computed !== null) {
      const results = await remote;
      if (typeof results === 'string') {
        // A peer failed: this worker computes the rest of the batch, and trains alone from now on.
        this.peers = null;
        this.hooks.onWorkersChange?.(1, results);
        for (const share of shares.slice(1))
          if (computed !== null) computed = await this.accumulate(share, size, variables, computed);
      } else {
        const merged = addPeerResults(computed.acc, results, variables);
        disposeAccumulated(computed.acc);
        computed = { ...computed, acc: merged };
      }
    }
    if (computed === null) return null;
    // Timed without the update (the same either way); not when a peer failed during the batch.
    if (this.peers !== null) this.chooseSharing(workers > 1, (performance.now() - stepBegan) / size);
    const { acc: done, largest, lastMs } = computed;
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

  /** Times a batch (shared or alone) while trials last, and tells the hooks when the choice changes. */
  private chooseSharing(shared: boolean, msPerSample: number): void {
    const decision = this.sharing?.record(shared, msPerSample) ?? null;
    if (decision === null || decision.share === this.toldShared) return;
    this.toldShared = decision.share;
    const each = `${decision.sharedMs.toFixed(3)} vs ${decision.aloneMs.toFixed(3)} ms a sample`;
    this.hooks.onWorkersChange?.(
      decision.share ? this.workers : 1,
      decision.share ? '' : `sharing each batch was slower for this model: ${each}`,
    );
  }

  /** The peers' shares of a batch of `size`, with the weights as they are now; a failure's message instead of results. */
  private askPeers(shares: Int32Array[], size: number): Promise<PeerResult[] | string> {
    // dataSync gives a copy (WASM) or the backend's values, never changed in place (CPU); the
    // ports clone them when the request is posted.
    const weights = this.model.weights.map((w) => w.read().dataSync() as Float32Array);
    const asked = shares.map((share) => ({ indices: share, weight: share.length / size }));
    return this.peers!.compute(asked, weights).catch((error: unknown) =>
      error instanceof Error ? error.message : String(error),
    );
  }

  /**
   * The gradients of `indices` (part of a batch of `size`) added to `acc`, in slices that each
   * fit the frame budget; null when stopped between slices (everything accumulated is freed).
   */
  private async accumulate(
    indices: Int32Array,
    size: number,
    variables: tf.Variable[],
    from: { acc: Accumulated; largest: number; lastMs: number } | null,
  ): Promise<{ acc: Accumulated; largest: number; lastMs: number } | null> {
    let acc = from?.acc ?? null;
    let largest = from?.largest ?? 0;
    let lastMs = from?.lastMs ?? 0;
    for (let start = 0; start < indices.length;) {
      if (start > 0 || acc !== null) {
        await this.yieldTask();
        if (this.stopRequested) {
          disposeAccumulated(acc);
          return null;
        }
      }
      const part = indices.subarray(start, start + this.slices.sliceSize(indices.length - start));
      const began = performance.now();
      const previous: Accumulated | null = acc;
      acc = sliceGradients(this.model, this.dataset, part, part.length / size, variables, previous);
      disposeAccumulated(previous);
      lastMs = performance.now() - began;
      this.timing.computeMs += lastMs;
      this.timing.slices++;
      this.timing.maxSliceMs = Math.max(this.timing.maxSliceMs, lastMs);
      this.slices.learn(part.length, lastMs);
      largest = Math.max(largest, part.length);
      start += part.length;
    }
    return acc === null ? null : { acc, largest, lastMs };
  }
}

function newTiming(): EpochTiming {
  return { computeMs: 0, updateMs: 0, yieldMs: 0, slices: 0, maxSliceMs: 0 };
}
