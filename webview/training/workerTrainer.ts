/**
 * Training on a worker (webview/trainWorker.ts), seen from the page as a Trainer: the same
 * run / pause / resume / stop / dispose and hooks. The page keeps its own copy of the model
 * for the views and for Save; `syncWeights()` copies the worker's weights into it (before a
 * views pass, and at the end of a run or a stop). `create` resolves null when no worker can be
 * started here, and the page then trains on its own thread.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays, MemoryInfo, ModelTarget, TrainConfig } from '../../src/protocol/messages';
import type { TrainerHooks, TrainerLike, TrainOutcome } from './trainer';
import type { PageToWorker, WorkerToPage } from './workerProtocol';

export interface WorkerTrainerOptions {
  /** URL of the folder with the WASM binaries (dist/webview/wasm/; the worker script is beside it). */
  wasmBase: string;
  backend: string;
  bundleUrl: string;
  target: ModelTarget;
  /** The page's copy of the model: the worker starts from its weights, syncs write into it. */
  model: tf.LayersModel;
  dataset: DatasetArrays;
  config: TrainConfig;
  hooks: TrainerHooks;
  /** Awaited before the worker's weights are written into the page's model (views read it in steps). */
  waitForViews?: () => Promise<void>;
}

const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

export class WorkerTrainer implements TrainerLike {
  readonly metricNames: string[];
  private outcome: Promise<TrainOutcome> | null = null;
  private finish: ((outcome: TrainOutcome) => void) | null = null;
  private fail: ((error: Error) => void) | null = null;
  private readonly weightWaiters = new Map<number, (values: Float32Array[]) => void>();
  private nextId = 1;
  private lastMemory: MemoryInfo | null = null;
  private pauseRequested = false;
  private terminated = false;

  private constructor(
    private readonly worker: Worker,
    private readonly options: WorkerTrainerOptions,
    metricNames: string[],
  ) {
    this.metricNames = metricNames;
    worker.onmessage = (event: MessageEvent<WorkerToPage>) => this.onMessage(event.data);
    worker.onerror = (event) => this.fail?.(new Error(`the training worker failed: ${event.message}`));
  }

  /**
   * Starts the worker and its copy of the model. Null when this page cannot run the worker
   * (no Worker, the script or the backend does not load there); errors in the user's model
   * (it throws while loading) are thrown as they would be on the page.
   */
  static async create(options: WorkerTrainerOptions): Promise<WorkerTrainer | null> {
    let worker: Worker;
    let init: PageToWorker;
    try {
      if (typeof Worker === 'undefined') return null;
      const wasmFolder = new URL(options.wasmBase.endsWith('/') ? options.wasmBase : `${options.wasmBase}/`, location.href);
      const [script, bundleCode, wasm] = await Promise.all([
        fetchOk(new URL('../trainWorker.js', wasmFolder).href).then((r) => r.text()),
        fetchOk(options.bundleUrl).then((r) => r.text()),
        options.backend === 'wasm'
          ? Promise.all(WASM_FILES.map(async (name) => [name, await (await fetchOk(new URL(name, wasmFolder).href)).arrayBuffer()] as const))
          : Promise.resolve([] as Array<readonly [string, ArrayBuffer]>),
      ]);
      const scriptUrl = URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
      try {
        worker = new Worker(scriptUrl);
      } finally {
        URL.revokeObjectURL(scriptUrl);
      }
      init = {
        type: 'init',
        backend: options.backend,
        wasm: Object.fromEntries(wasm),
        bundleCode,
        target: options.target,
        weights: options.model.getWeights().map((w) => ({ values: new Float32Array(w.dataSync()), shape: [...w.shape] })),
        dataset: options.dataset,
        config: options.config,
      };
    } catch {
      return null;
    }
    const ready = await new Promise<{ metricNames: string[] } | { error: string; backend: boolean } | null>((resolve) => {
      worker.onmessage = (event: MessageEvent<WorkerToPage>) => {
        const m = event.data;
        if (m.type === 'ready') resolve({ metricNames: m.metricNames });
        else if (m.type === 'error') resolve({ error: m.message, backend: m.stage === 'backend' });
      };
      worker.onerror = () => resolve(null);
      worker.postMessage(init);
    });
    if (ready === null || 'error' in ready) {
      worker.terminate();
      // A backend that does not start in a worker: train on the page. The model's own errors
      // (a compile with an unknown loss…) would fail there too: report them.
      if (ready === null || ready.backend) return null;
      throw new Error(ready.error);
    }
    return new WorkerTrainer(worker, options, ready.metricNames);
  }

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

  /** Ends the worker, which frees all of its tensors. */
  dispose(): void {
    if (this.terminated) return;
    this.terminated = true;
    this.worker.terminate();
    for (const waiter of this.weightWaiters.values()) waiter([]);
    this.weightWaiters.clear();
  }

  /** Copies the worker's current weights into the page's model. */
  async syncWeights(): Promise<void> {
    if (this.terminated) return;
    const id = this.nextId++;
    const values = await new Promise<Float32Array[]>((resolve) => {
      this.weightWaiters.set(id, resolve);
      this.post({ type: 'weights', id });
    });
    await this.options.waitForViews?.();
    if (this.terminated) return;
    const model = this.options.model;
    const current = model.getWeights();
    if (values.length !== current.length) return;
    const tensors = values.map((v, i) => tf.tensor(v, current[i]!.shape));
    try {
      model.setWeights(tensors);
    } finally {
      tf.dispose(tensors);
    }
  }

  private post(message: PageToWorker): void {
    if (!this.terminated) this.worker.postMessage(message);
  }

  private onMessage(message: WorkerToPage): void {
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
      case 'weights':
        this.weightWaiters.get(message.id)?.(message.values);
        this.weightWaiters.delete(message.id);
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
      case 'ready':
        break;
    }
  }
}
