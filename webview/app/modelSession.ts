/**
 * The model side of a panel: the model worker (one per init), the model (a fresh one per run)
 * and the trainer of the current run. The panel's controller (startPanel.ts) decides when; this
 * keeps the order in which they are made and freed:
 *
 *   start    a new worker with the chosen backend (or none: the page loads and trains)
 *   load     a fresh model: built by the worker and copied to the page, or imported here
 *   train    a trainer for the loaded model (on the worker where there is one); a model is
 *            trained once, the next run loads a fresh one
 *   stop     the trainer stops and frees the optimizer; the model stays for the views and Save
 *   release  stops, waits for the views to let go, disposes every model the module made
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays, MemoryInfo, ModelTarget, TrainConfig, WebviewToHost } from '../../src/shared/messages';
import { GanLossRecorder, measureGanLosses, type GanLossLog } from '../probes/ganLosses';
import { readsSettled } from '../probes/packedRead';
import { exportModel } from '../training/exportModel';
import { disposeModels, loadModel } from '../training/modelLoader';
import type { LoadedModel } from '../training/modelLoader';
import { ModelWorkerClient } from '../training/modelWorkerClient';
import type { WorkerModel } from '../training/modelWorkerClient';
import { Trainer } from '../training/trainer';
import type { TrainerHooks, TrainerLike } from '../training/trainReports';
import { TrainerProxy } from '../training/trainerProxy';

export interface ModelSessionOptions {
  /** Imports the model bundle on the page (default: dynamic `import()`). */
  importer?: (url: string) => Promise<Record<string, unknown>>;
  /** Target duration of one slice of training work on the page, ms. */
  frameBudgetMs?: number;
  /** Build and train on a worker thread (default true). */
  worker?: boolean;
}

/** How the page got its model: copied from the worker's in the layers format, by importing the module here too, or on the page alone (no worker). */
export type ModelSource = WorkerModel['copiedBy'] | 'page';

export class ModelSession {
  private worker: ModelWorkerClient | null = null;
  private loaded: LoadedModel | WorkerModel | null = null;
  private used = false;
  private current: TrainerLike | null = null;
  private baselineTensors = 0;
  /** The data of the last run (a GAN's losses are measured on its real samples). */
  private trainData: DatasetArrays | null = null;
  /** A GAN's losses measured along the last run (a custom step's run; null for others). */
  private ganLog: GanLossRecorder | null = null;

  constructor(private readonly options: ModelSessionOptions) {}

  /** The model being trained or last trained; null before a load and after a release. */
  get model(): tf.LayersModel | null {
    return this.loaded?.model ?? null;
  }

  /** The module exports a trainStep (it replaces the loss settings). */
  get customStep(): boolean {
    const loaded = this.loaded;
    if (loaded === null) return false;
    return 'customStep' in loaded ? loaded.customStep : loaded.trainStep !== null;
  }

  /** Whether the loaded model has been trained (then Save has something to save). */
  get trained(): boolean {
    return this.loaded !== null && this.used;
  }

  get trainer(): TrainerLike | null {
    return this.current;
  }

  get onWorker(): boolean {
    return this.current instanceof TrainerProxy;
  }

  /** How many workers share the current run's batches (0: it trains on the page). */
  get workers(): number {
    return this.current instanceof TrainerProxy ? this.current.workers : 0;
  }

  get source(): ModelSource | null {
    if (this.loaded === null) return null;
    return 'copiedBy' in this.loaded ? this.loaded.copiedBy : 'page';
  }

  /** tf.memory().numTensors before the last load (tests: leak checks). */
  get baseline(): number {
    return this.baselineTensors;
  }

  /**
   * A new worker for `backend` (the old one ends), with up to `workers` in all sharing batches;
   * where none starts, the page does the work.
   */
  async start(wasmBase: string, backend: string, closing: () => boolean, workers = 1): Promise<void> {
    this.worker?.dispose();
    this.worker = null;
    if (this.options.worker === false) return;
    const started = await ModelWorkerClient.start(wasmBase, backend, workers);
    if (closing()) started?.dispose();
    else this.worker = started;
  }

  /** Loads a fresh model (every run starts from new weights). */
  async load(bundleUrl: string, target: ModelTarget): Promise<tf.LayersModel> {
    this.baselineTensors = tf.memory().numTensors;
    this.loaded =
      this.worker !== null
        ? await this.worker.load(bundleUrl, target)
        : await loadModel(bundleUrl, target, this.options.importer);
    this.used = false;
    return this.loaded.model;
  }

  /** Whether the next run needs a fresh model (none loaded, or the loaded one was trained). */
  get needsLoad(): boolean {
    return this.loaded === null || this.used;
  }

  /** A trainer for the loaded model: on the worker where there is one, else on the page. */
  async train(dataset: DatasetArrays, config: TrainConfig, hooks: TrainerHooks): Promise<TrainerLike> {
    const loaded = this.loaded;
    if (loaded === null) throw new Error('No model is loaded.');
    await this.stop();
    hooks = this.recordGanLosses(hooks);
    const trainer =
      this.worker !== null
        ? await this.worker.train({ model: loaded.model, dataset, config, hooks, waitForViews: readsSettled })
        : new Trainer({
            model: loaded.model,
            dataset,
            config,
            trainStep: loaded.trainStep,
            waitForViews: readsSettled,
            ...(this.options.frameBudgetMs !== undefined ? { frameBudgetMs: this.options.frameBudgetMs } : {}),
            hooks,
          });
    this.current = trainer;
    this.used = true;
    this.trainData = dataset;
    return trainer;
  }

  /** Forgets a trainer whose run ended (done, or failed) and frees its optimizer. */
  finish(trainer: TrainerLike): void {
    if (this.current === trainer) this.current = null;
    trainer.dispose();
  }

  /** Stops the current run (it halts at its next slice) and frees the optimizer. */
  async stop(): Promise<void> {
    const trainer = this.current;
    if (trainer === null) return;
    this.current = null;
    await trainer.stop();
    trainer.dispose();
  }

  /** Before a views pass or a save: the page's model gets the worker's current weights. */
  async syncWeights(): Promise<void> {
    if (this.current instanceof TrainerProxy) await this.current.syncWeights();
  }

  /** The answer to `exportModel`: the model as trained so far (during training, after done or stop). */
  async exportAnswer(requestId: number): Promise<WebviewToHost> {
    const model = this.model;
    if (model === null || !this.trained) {
      return { type: 'exportFailed', requestId, message: 'nothing is trained yet: press Train first, then save.' };
    }
    try {
      await this.syncWeights();
      const { modelJson, weightData } = await exportModel(model);
      return { type: 'savedModel', requestId, modelJson, weightData };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { type: 'exportFailed', requestId, message: `tfjs could not serialize the model: ${reason}` };
    }
  }

  /**
   * A GAN's two losses, measured where the module's discriminator is: on the worker, or here when
   * the page trains (on the run's data, or `dataset` before the first run); null for a model that
   * is no GAN's generator, and on the worker before its first run (it has no data yet).
   */
  async ganLosses(dataset: DatasetArrays | null): Promise<GanLossLog | null> {
    const logged = this.ganLog === null ? null : await this.ganLog.log();
    if (logged !== null) return logged;
    const losses = await this.measureGan(dataset);
    return losses === null ? null : { ...losses, history: [] };
  }

  /** One measurement of a GAN's losses (see ganLosses). */
  private measureGan(dataset: DatasetArrays | null): ReturnType<typeof measureGanLosses> {
    if (this.worker !== null) return this.worker.ganLosses();
    const loaded = this.loaded;
    const data = this.trainData ?? dataset;
    if (loaded === null || data === null) return Promise.resolve(null);
    return measureGanLosses(tf, loaded.model, loaded.models, data);
  }

  /**
   * A run of a module's own trainStep (a GAN's is one) measures the GAN's losses from its batch
   * and epoch reports (GanLossRecorder): a point every epoch whatever the views do.
   */
  private recordGanLosses(hooks: TrainerHooks): TrainerHooks {
    this.ganLog = null;
    if (!this.customStep) return hooks;
    const log = new GanLossRecorder(() => this.measureGan(null));
    this.ganLog = log;
    let batches = 0;
    return {
      ...hooks,
      onBatch: (report) => {
        hooks.onBatch?.(report);
        batches = report.batches;
        log.batch(report.epoch, report.batch);
      },
      onEpoch: (report) => {
        hooks.onEpoch?.(report);
        log.epochEnd(report.epoch, batches);
      },
    };
  }

  /** Stops training and, once `viewsIdle` resolves, disposes every model the module made. Whether there was one. */
  async release(viewsIdle: () => Promise<void>): Promise<boolean> {
    await this.stop();
    await viewsIdle();
    if (this.loaded === null) return false;
    disposeModels(this.loaded.models);
    this.loaded = null;
    return true;
  }

  /** The page's tensors, plus the training worker's while one runs. */
  memory(): MemoryInfo {
    const { numTensors, numBytes } = tf.memory();
    const worker = this.current instanceof TrainerProxy ? this.current.memory() : null;
    return worker === null
      ? { numTensors, numBytes }
      : { numTensors: numTensors + worker.numTensors, numBytes: numBytes + worker.numBytes };
  }

  /** Ends the worker (which frees its tensors). Call after `release`. */
  dispose(): void {
    this.worker?.dispose();
    this.worker = null;
  }
}
