/**
 * What a training run reports (per batch, per epoch, with where the epoch's time went) and the
 * interface the panel drives a run through: a Trainer on the page (trainer.ts), or a
 * TrainerProxy for one on the model worker (trainerProxy.ts).
 */
import type { ValidationResult } from '../../src/shared/messages';

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
  /** The samples trained on in the epoch. */
  trainSamples: number;
  /** Loss and metrics on the held-out samples (absent when none are held out or a trainStep trains). */
  validation?: ValidationResult;
  /** Early stopping ended the run after this epoch. */
  stoppedEarly?: boolean;
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
  /** The number of workers sharing each batch changed (a gradient worker failed: `reason`). */
  onWorkersChange?(workers: number, reason: string): void;
}

export type TrainOutcome = 'done' | 'stopped';

/** What the panel drives: a Trainer on the page, or a TrainerProxy (training on a worker). */
export interface TrainerLike {
  readonly metricNames: string[];
  readonly paused: boolean;
  run(): Promise<TrainOutcome>;
  pause(): void;
  resume(): void;
  stop(): Promise<void>;
  dispose(): void;
}
