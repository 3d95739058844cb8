/**
 * The extension's bundler (what the training command calls): bundles on a worker thread
 * (bundleWorkerMain.ts, built to dist/bundleWorker.js), so esbuild's start-up and builds never
 * block the extension host. The model tracking is inserted here (it needs TypeScript); the
 * thread runs only esbuild. One worker, started on the first Train
 * and kept (esbuild stays initialised); it does not keep the process alive. When the worker
 * file is missing or the thread cannot start or dies, bundling runs in this thread instead.
 * No `vscode` import.
 */
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { BundleError, buildBundle } from './buildBundle';
import type { BundleOptions, BundleResult } from './buildBundle';
import { trackEntry } from './bundleModelFile';
import { loadEsbuild } from './esbuildWasm';
import type { TrackingResult } from './trackModels';

export interface BundleRequest {
  id: number;
  /** Where esbuild.wasm is (esbuildWasmDirs). */
  dirs: string[];
  options: BundleOptions;
  tracking: TrackingResult;
}

export type BundleReply = { id: number; result: BundleResult } | { id: number; error: string; userError: boolean };

export class BundleWorkerClient {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<
    number,
    { options: BundleOptions; tracking: TrackingResult; resolve: (r: BundleResult) => void; reject: (e: Error) => void }
  >();
  /** Set once the worker could not be used: bundle in this thread from then on. */
  private inProcess = false;

  constructor(
    /** dist/bundleWorker.js. */
    private readonly workerFile: string,
    private readonly esbuildDirs: string[],
  ) {}

  /** Whether the last bundle was (or the next will be) made on the worker thread. */
  get onWorker(): boolean {
    return !this.inProcess;
  }

  async bundle(options: BundleOptions): Promise<BundleResult> {
    const tracking = trackEntry(options);
    const worker = this.inProcess ? null : this.start();
    if (worker === null) return this.bundleHere(options, tracking);
    const id = this.nextId++;
    const { entryText: _text, ...rest } = options;
    const request: BundleRequest = { id, dirs: this.esbuildDirs, options: rest, tracking };
    return new Promise<BundleResult>((resolve, reject) => {
      this.pending.set(id, { options, tracking, resolve, reject });
      worker.ref(); // an unanswered request keeps the process up
      worker.postMessage(request);
    });
  }

  /** The same build in this thread, from the tracking already made. */
  private async bundleHere(options: BundleOptions, tracking: TrackingResult): Promise<BundleResult> {
    return buildBundle(await loadEsbuild(this.esbuildDirs), options, tracking);
  }

  dispose(): void {
    const worker = this.worker;
    this.worker = null;
    this.failAll(new BundleError('Model Lens stopped bundling (the extension is shutting down).'));
    void worker?.terminate();
  }

  private start(): Worker | null {
    if (this.worker !== null) return this.worker;
    if (!existsSync(this.workerFile)) {
      this.inProcess = true;
      return null;
    }
    let worker: Worker;
    try {
      worker = new Worker(this.workerFile);
    } catch {
      this.inProcess = true;
      return null;
    }
    worker.unref();
    worker.on('message', (reply: BundleReply) => {
      const waiter = this.pending.get(reply.id);
      if (waiter === undefined) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if ('result' in reply) waiter.resolve(reply.result);
      else waiter.reject(reply.userError ? new BundleError(reply.error) : new Error(reply.error));
    });
    // A thread that fails or exits hands its requests to this thread, and the later ones too.
    const lost = (): void => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.inProcess = true;
      const waiting = [...this.pending.values()];
      this.pending.clear();
      for (const waiter of waiting) this.bundleHere(waiter.options, waiter.tracking).then(waiter.resolve, waiter.reject);
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    this.worker = worker;
    return worker;
  }

  private failAll(error: Error): void {
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
  }
}
