/**
 * The page's proxy for a Trainer that runs on the model worker (webview/modelWorkerMain.ts): the
 * same run / pause / resume / stop / dispose and hooks. The page keeps its own copy of the model
 * for the views and for Save; `syncWeights()` copies the worker's weights into it (before a
 * views pass, before a save, and at the end of a run or a stop). Made by ModelWorkerClient.train.
 */
import * as tf from '@tensorflow/tfjs';
import type { MemoryInfo } from '../../src/shared/messages';
import type { TrainerHooks, TrainerLike, TrainOutcome } from './trainReports';
import type { PageToWorker, WorkerToPage } from './workerProtocol';

export interface TrainerProxyOptions {
  /** The page's copy of the model: syncs write the worker's weights into it. */
  model: tf.LayersModel;
  hooks: TrainerHooks;
  /** Awaited before the worker's weights are written into the page's model (views read it in steps). */
  waitForViews?: () => Promise<void>;
}

/** What a TrainerProxy needs of the worker: to post, and to ask for the weights. */
export interface WorkerLink {
  post(message: PageToWorker): void;
  weights(): Promise<Float32Array[]>;
}

export class TrainerProxy implements TrainerLike {
  private outcome: Promise<TrainOutcome> | null = null;
  private finish: ((outcome: TrainOutcome) => void) | null = null;
  private fail: ((error: Error) => void) | null = null;
  private lastMemory: MemoryInfo | null = null;
  private pauseRequested = false;
  private disposed = false;

  constructor(
    private readonly link: WorkerLink,
    private readonly options: TrainerProxyOptions,
    readonly metricNames: string[],
    /** How many workers share each batch (data-parallel training; 1: the training worker alone). */
    public workers = 1,
  ) {}

  get paused(): boolean {
    return this.pauseRequested;
  }

  /** The worker's tensors as of its last report (null before the first). */
  memory(): MemoryInfo | null {
    return this.lastMemory;
  }

  run(): Promise<TrainOutcome> {
    this.outcome ??= new Promise<TrainOutcome>((resolve, reject) => {
      this.finish = resolve;
      this.fail = reject;
      this.post({ type: 'run' });
    });
    return this.outcome;
  }

  pause(): void {
    this.pauseRequested = true;
    this.post({ type: 'pause' });
  }

  resume(): void {
    this.pauseRequested = false;
    this.post({ type: 'resume' });
  }

  /** Stops after the current batch; resolves once the page's model has the weights reached. */
  async stop(): Promise<void> {
    this.pauseRequested = false;
    this.post({ type: 'stop' });
    if (this.outcome !== null) await this.outcome.catch(() => undefined);
  }

  /** Stops listening (the worker drops its optimizer when its run ends; its model stays for the next load). */
  dispose(): void {
    this.disposed = true;
  }

  /** Copies the worker's current weights into the page's model. */
  async syncWeights(): Promise<void> {
    if (this.disposed) return;
    const values = await this.link.weights();
    await this.options.waitForViews?.();
    if (this.disposed) return;
    setWeightsInOrder(this.options.model, values);
  }

  /** A message of the running training (ModelWorkerClient forwards them). */
  handle(message: WorkerToPage): void {
    if (this.disposed) return;
    const hooks = this.options.hooks;
    switch (message.type) {
      case 'batch':
        this.lastMemory = message.memory;
        hooks.onBatch?.(message.report);
        break;
      case 'epoch':
        this.lastMemory = message.memory;
        hooks.onEpoch?.(message.report);
        break;
      case 'pause':
        hooks.onPauseChange?.(message.paused);
        break;
      case 'workers':
        this.workers = message.workers;
        hooks.onWorkersChange?.(message.workers, message.reason);
        break;
      case 'finished':
        this.lastMemory = message.memory;
        // The page's model gets the weights the run reached before the run counts as over.
        void this.syncWeights()
          .catch(() => undefined)
          .then(() => this.finish?.(message.outcome));
        break;
      case 'error':
        this.fail?.(new Error(message.message));
        break;
      default:
        break;
    }
  }

  private post(message: PageToWorker): void {
    if (!this.disposed) this.link.post(message);
  }
}

/** Writes `values` (in `getWeights()` order) into `model`; nothing when they do not fit it. */
export function setWeightsInOrder(model: tf.LayersModel, values: readonly Float32Array[]): boolean {
  const current = model.getWeights();
  if (values.length !== current.length || values.some((v, i) => v.length !== current[i]!.size)) return false;
  const tensors = values.map((v, i) => tf.tensor(v, current[i]!.shape));
  try {
    model.setWeights(tensors);
  } finally {
    tf.dispose(tensors);
  }
  return true;
}
