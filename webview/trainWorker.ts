/**
 * The training worker: trains the user's model off the page's thread, so the panel never
 * waits for a batch (an LSTM's batch can take a second) and training never waits for the
 * page's drawing. It loads its own copy of the model from the bundle, starts from the page's
 * weights, runs the panel's Trainer (whole batches: no frame to keep here), reports batches
 * and epochs, and sends its weights when the page asks (views, Save, the end of a run).
 */
import * as tf from '@tensorflow/tfjs';
import { trySetBackend } from './training/backend';
import { disposeModels, loadModel } from './training/modelLoader';
import type { LoadedModel } from './training/modelLoader';
import { Trainer } from './training/trainer';
import type { PageToWorker, WorkerInit, WorkerToPage } from './training/workerProtocol';

const scope = self as unknown as {
  postMessage(message: WorkerToPage, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<PageToWorker>) => void) | null;
};

let loaded: LoadedModel | null = null;
let trainer: Trainer | null = null;

const post = (message: WorkerToPage, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);
const memory = (): { numTensors: number; numBytes: number } => {
  const { numTensors, numBytes } = tf.memory();
  return { numTensors, numBytes };
};
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
/** No train slice here needs to end for a frame: a batch runs whole (as in model.fit) unless it would take seconds. */
const WORKER_SLICE_MS = 2000;

/** The page's backend, started here; false when it does not start in a worker. */
async function startBackend(init: WorkerInit): Promise<boolean> {
  const urls: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(init.wasm)) urls[name] = URL.createObjectURL(new Blob([bytes], { type: 'application/wasm' }));
  // Without cross-origin isolation tfjs never asks for the threaded binary; map it anyway.
  if (urls['tfjs-backend-wasm-simd.wasm'] !== undefined) urls['tfjs-backend-wasm-threaded-simd.wasm'] ??= urls['tfjs-backend-wasm-simd.wasm'];
  return trySetBackend(init.backend, urls);
}

async function start(init: WorkerInit): Promise<void> {
  const bundleUrl = URL.createObjectURL(new Blob([init.bundleCode], { type: 'text/javascript' }));
  try {
    loaded = await loadModel(bundleUrl, init.target);
  } finally {
    URL.revokeObjectURL(bundleUrl);
  }
  const weights = init.weights.map((w) => tf.tensor(w.values, w.shape));
  try {
    loaded.model.setWeights(weights);
  } finally {
    tf.dispose(weights);
  }
  trainer = new Trainer({
    model: loaded.model,
    dataset: init.dataset,
    config: init.config,
    trainStep: loaded.trainStep,
    frameBudgetMs: WORKER_SLICE_MS,
    hooks: {
      onBatch: (report) => post({ type: 'batch', report, memory: memory() }),
      onEpoch: (report) => post({ type: 'epoch', report, memory: memory() }),
      onPauseChange: (paused) => post({ type: 'pause', paused }),
    },
  });
  post({ type: 'ready', metricNames: trainer.metricNames });
}

function sendWeights(id: number): void {
  // Copies (a backend may hand out its own storage), moved to the page without another copy.
  const values = loaded === null ? [] : loaded.model.getWeights().map((w) => new Float32Array(w.dataSync()));
  post({ type: 'weights', id, values }, values.map((v) => v.buffer));
}

scope.onmessage = (event: MessageEvent<PageToWorker>): void => {
  const message = event.data;
  switch (message.type) {
    case 'init':
      startBackend(message).then(
        (started) => {
          if (!started) post({ type: 'error', message: `the ${message.backend} backend does not start in a worker`, stage: 'backend' });
          else start(message).catch((error: unknown) => post({ type: 'error', message: messageOf(error), stage: 'init' }));
        },
        (error: unknown) => post({ type: 'error', message: messageOf(error), stage: 'backend' }),
      );
      break;
    case 'run':
      trainer?.run().then(
        (outcome) => {
          trainer?.dispose();
          post({ type: 'finished', outcome, memory: memory() });
        },
        (error: unknown) => post({ type: 'error', message: messageOf(error), stage: 'train' }),
      );
      break;
    case 'pause':
      trainer?.pause();
      break;
    case 'resume':
      trainer?.resume();
      break;
    case 'stop':
      void trainer?.stop();
      break;
    case 'weights':
      sendWeights(message.id);
      break;
  }
};

// The page terminates the worker when it is done with it, which frees everything here.
addEventListener('unload', () => {
  if (loaded !== null) disposeModels(loaded.models);
});
