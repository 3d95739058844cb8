/**
 * The model worker's entry (built to dist/webview/modelWorker.js; the page talks to it through
 * training/modelWorkerClient.ts): builds and trains the user's model off the page's thread, so
 * the panel never waits for a batch (an LSTM's batch can be long), nor for the user's module to
 * build the model (an LSTM's orthogonal initialisers are slow), and training never waits for
 * the page's drawing. It imports the bundle for each fresh model and sends the page
 * the model in the layers format (the page's copy then skips the initialisers), runs the
 * panel's Trainer (whole batches: no frame to keep here), reports batches and epochs, and sends
 * its weights when the page asks (views, Save, the end of a run). One worker serves a panel
 * from its init to its close.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays, ModelTarget, TrainConfig } from '../src/shared/messages';
import { measureGanLosses } from './probes/ganLosses';
import { trySetBackend } from './training/backend';
import { exportModel } from './training/exportModel';
import { disposeModels, loadModel } from './training/modelLoader';
import type { LoadedModel } from './training/modelLoader';
import { DatasetReceiver } from './training/datasetTransfer';
import { GradientPeer, servePeer } from './training/parallel/gradientPeer';
import type { PortLike } from './training/parallel/gradientPeer';
import { PortPeers } from './training/parallel/peerGroup';
import { Trainer } from './training/trainer';
import { withoutOrthogonalInit } from './training/withoutOrthogonalInit';
import type { LoadedReply, PageToWorker, WorkerToPage } from './training/workerProtocol';

const scope = self as unknown as {
  postMessage(message: WorkerToPage, transfer?: Transferable[]): void;
  onmessage: ((event: MessageEvent<PageToWorker>) => void) | null;
};

let loaded: LoadedModel | null = null;
let trainer: Trainer | null = null;
/** The training worker's gradient peers for the current run (data-parallel training). */
let peers: PortPeers | null = null;
/** This worker as a gradient peer: what answers the training worker. */
let served: GradientPeer | null = null;
/** The data of the last run (a GAN's losses are measured on its real samples). */
let trainingData: DatasetArrays | null = null;
/** The training data (the page sends each dataset once, in parts; kept for later runs). */
const data = new DatasetReceiver();

const post = (message: WorkerToPage, transfer: Transferable[] = []): void => scope.postMessage(message, transfer);
const memory = (): { numTensors: number; numBytes: number } => {
  const { numTensors, numBytes } = tf.memory();
  return { numTensors, numBytes };
};
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
/** No train slice here needs to end for a frame: a batch runs whole (as in model.fit) unless it would take seconds. */
const WORKER_SLICE_MS = 2000;

/** The page's backend, started here from the binaries the page sent; false when it does not start in a worker. */
async function startBackend(backend: string, wasm: Record<string, ArrayBuffer>): Promise<boolean> {
  const urls: Record<string, string> = {};
  for (const [name, bytes] of Object.entries(wasm))
    urls[name] = URL.createObjectURL(new Blob([bytes], { type: 'application/wasm' }));
  // tfjs's setWasmPaths wants a path for each of its binaries; the threaded one is never asked
  // for (backend.ts), so the page does not send it.
  const simd = urls['tfjs-backend-wasm-simd.wasm'];
  if (simd !== undefined) urls['tfjs-backend-wasm-threaded-simd.wasm'] = simd;
  return trySetBackend(backend, urls);
}

/** Imports the bundle anew (a fresh model) and sends the page what it needs for its copy. */
async function load(id: number, bundleCode: string, target: ModelTarget, peer: boolean): Promise<void> {
  dropModel();
  const bundleUrl = URL.createObjectURL(new Blob([bundleCode], { type: 'text/javascript' }));
  try {
    // A peer's weights come with every request: its initial values are never used.
    loaded = peer ? await withoutOrthogonalInit(tf, () => loadModel(bundleUrl, target)) : await loadModel(bundleUrl, target);
  } finally {
    URL.revokeObjectURL(bundleUrl);
  }
  if (peer) {
    const customStep = loaded.trainStep !== null;
    post({ type: 'loaded', id, modelJson: null, weightData: null, values: [], customStep, origin: loaded.origin });
    return;
  }
  let artifacts: { modelJson: string; weightData: ArrayBuffer } | null = null;
  try {
    artifacts = await exportModel(loaded.model);
  } catch {
    // The page then imports the module itself and takes these weights by position.
  }
  const values = loaded.model.getWeights().map((w) => new Float32Array(w.dataSync()));
  const reply: LoadedReply = {
    type: 'loaded',
    id,
    modelJson: artifacts?.modelJson ?? null,
    weightData: artifacts?.weightData ?? null,
    values,
    customStep: loaded.trainStep !== null,
    origin: loaded.origin,
  };
  post(reply, [...(artifacts ? [artifacts.weightData] : []), ...values.map((v) => v.buffer as ArrayBuffer)]);
}

function prepareTraining(dataset: DatasetArrays, config: TrainConfig, ports: MessagePort[]): void {
  if (loaded === null) throw new Error('no model is loaded');
  trainer?.dispose();
  dropPeers();
  trainingData = dataset;
  peers = ports.length > 0 ? new PortPeers(ports as unknown as PortLike[]) : null;
  trainer = new Trainer({
    model: loaded.model,
    dataset,
    config,
    trainStep: loaded.trainStep,
    frameBudgetMs: WORKER_SLICE_MS,
    hooks: {
      onBatch: (report) => post({ type: 'batch', report, memory: memory() }),
      onEpoch: (report) => post({ type: 'epoch', report, memory: memory() }),
      onPauseChange: (paused) => post({ type: 'pause', paused }),
      onWorkersChange: (workers, reason) => post({ type: 'workers', workers, reason }),
    },
    peers,
  });
  post({ type: 'ready', metricNames: trainer.metricNames, workers: trainer.workers });
}

/** This worker as a gradient peer of the loaded model on `dataset`, answering on `port`. */
function serve(dataset: DatasetArrays, config: TrainConfig, port: MessagePort): void {
  if (loaded === null) throw new Error('no model is loaded');
  served?.dispose();
  served = new GradientPeer(loaded.model, dataset, config);
  servePeer(port as unknown as PortLike, served);
  post({ type: 'ready', metricNames: [], workers: 1 });
}

function dropPeers(): void {
  peers?.dispose();
  peers = null;
}

function dropModel(): void {
  trainer?.dispose();
  trainer = null;
  dropPeers();
  served?.dispose();
  served = null;
  if (loaded !== null) disposeModels(loaded.models);
  loaded = null;
}

function sendWeights(id: number): void {
  // Copies (a backend may hand out its own storage), moved to the page without another copy.
  const values = loaded === null ? [] : loaded.model.getWeights().map((w) => new Float32Array(w.dataSync()));
  post(
    { type: 'weights', id, values },
    values.map((v) => v.buffer),
  );
}

scope.onmessage = (event: MessageEvent<PageToWorker>): void => {
  const message = event.data;
  switch (message.type) {
    case 'start':
      startBackend(message.backend, message.wasm).then(
        (started) =>
          post(
            started
              ? { type: 'started' }
              : { type: 'error', message: `the ${message.backend} backend does not start in a worker`, stage: 'backend' },
          ),
        (error: unknown) => post({ type: 'error', message: messageOf(error), stage: 'backend' }),
      );
      break;
    case 'load':
      load(message.id, message.bundleCode, message.target, message.peer === true).catch((error: unknown) =>
        post({ type: 'error', message: messageOf(error), stage: 'load' }),
      );
      break;
    case 'dataset':
      data.begin(message);
      break;
    case 'dataPart':
      data.part(message);
      break;
    case 'train':
      try {
        prepareTraining(data.take(), message.config, message.peers ?? []);
      } catch (error) {
        post({ type: 'error', message: messageOf(error), stage: 'train' });
      }
      break;
    case 'serve':
      try {
        serve(data.take(), message.config, message.port);
      } catch (error) {
        message.port.close();
        post({ type: 'error', message: messageOf(error), stage: 'train' });
      }
      break;
    case 'run': {
      const running = trainer;
      running?.run().then(
        (outcome) => {
          // The optimizer goes; the model stays (the page may still ask for its weights).
          running.dispose();
          if (trainer === running) {
            trainer = null;
            dropPeers();
          }
          post({ type: 'finished', outcome, memory: memory() });
        },
        (error: unknown) => post({ type: 'error', message: messageOf(error), stage: 'train' }),
      );
      break;
    }
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
    case 'ganLosses': {
      const { id } = message;
      const measured =
        loaded === null || trainingData === null ? null : measureGanLosses(tf, loaded.model, loaded.models, trainingData);
      Promise.resolve(measured).then(
        (losses) => post({ type: 'ganLosses', id, losses }),
        () => post({ type: 'ganLosses', id, losses: null }),
      );
      break;
    }
  }
};

// The page terminates the worker when the panel closes, which frees everything here.
