/**
 * The page's client of the model worker (the worker runs webview/modelWorkerMain.ts), one per
 * panel init: it starts the worker and the backend there, has the worker build each fresh model
 * and makes the page's copy of it, and hands out a TrainerProxy for each run.
 *
 * The page's copy is made from the worker's model in the layers format (`tf.loadLayersModel`
 * from memory): tfjs then skips the initialisers, which is where building a model costs (an
 * LSTM's orthogonal recurrent kernels would hold the page's thread, a frozen panel). A model
 * tfjs cannot serialize or the page's tfjs cannot read back (a custom layer class is
 * registered only where its module ran) is imported on the page too and given the worker's
 * weights by position.
 *
 * `start` resolves null where no worker runs (no Worker, the script or the backend does not
 * load there): the page then loads and trains the model itself.
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays, ModelTarget, TrainConfig } from '../../src/shared/messages';
import type { GanLosses } from '../probes/ganLosses';
import { sendDataset } from './datasetTransfer';
import { loadModel, ModelLoadError } from './modelLoader';
import { hasBatchNormalization } from './trainingLoss';
import { withoutOrthogonalInit } from './withoutOrthogonalInit';
import type { LoadedModel } from './modelLoader';
import type { TrainerHooks } from './trainReports';
import type { LoadedReply, PageToWorker, WorkerToPage } from './workerProtocol';
import { setWeightsInOrder, TrainerProxy } from './trainerProxy';

const WASM_FILES = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm'];
/** Backends that compute on the CPU: more workers use more cores. GPU backends share one GPU. */
const PARALLEL_BACKENDS = new Set(['wasm', 'cpu']);

async function fetchOk(url: string): Promise<Response> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response;
}

/** The page's copy of a model the worker built, and what the UI says about it. */
export interface WorkerModel extends LoadedModel {
  /** The module exports a trainStep (the worker runs it). */
  customStep: boolean;
  /** How the page's copy was made. */
  copiedBy: 'layers format' | 'module import';
}

type Reply = Extract<WorkerToPage, { type: 'started' | 'loaded' | 'ready' | 'error' }>;

export class ModelWorkerClient {
  private readonly replies: Array<(message: Reply) => void> = [];
  private readonly weightWaiters = new Map<number, (values: Float32Array[]) => void>();
  private readonly lossWaiters = new Map<number, (losses: GanLosses | null) => void>();
  private nextId = 1;
  private current: TrainerProxy | null = null;
  private terminated = false;
  /** The dataset the worker holds (sent with an earlier `train`). */
  private sentDataset: DatasetArrays | null = null;
  /** The gradient peers as they start (data-parallel training). */
  private peersStarting: Promise<ModelWorkerClient[]> | null = null;
  /** The peers that have built the last model loaded (none for a module's own trainStep). */
  private peersLoaded: Promise<ModelWorkerClient[]> = Promise.resolve([]);

  private constructor(private readonly worker: Worker) {
    worker.onmessage = (event: MessageEvent<WorkerToPage>) => this.onMessage(event.data);
    worker.onerror = (event) => {
      const message = `the model worker failed: ${event.message}`;
      this.current?.handle({ type: 'error', message, stage: 'train' });
      this.replies.shift()?.({ type: 'error', message, stage: 'train' });
    };
  }

  /**
   * Starts the worker and the backend in it; null where that is not possible here. With
   * `workers` > 1 on a CPU backend (WASM, CPU), as many workers in all start as gradient peers in
   * the background (data-parallel training); each one that fails to start is left out.
   */
  static async start(wasmBase: string, backend: string, workers = 1): Promise<ModelWorkerClient | null> {
    let script: Blob;
    let wasm: Array<readonly [string, ArrayBuffer]>;
    try {
      if (typeof Worker === 'undefined') return null;
      const wasmFolder = new URL(wasmBase.endsWith('/') ? wasmBase : `${wasmBase}/`, location.href);
      [script, wasm] = await Promise.all([
        // As a Blob: decoding the large script to a string would hold the page's thread.
        fetchOk(new URL('../modelWorker.js', wasmFolder).href).then((r) => r.blob()),
        backend === 'wasm'
          ? Promise.all(
              WASM_FILES.map(
                async (name) => [name, await (await fetchOk(new URL(name, wasmFolder).href)).arrayBuffer()] as const,
              ),
            )
          : Promise.resolve([] as Array<readonly [string, ArrayBuffer]>),
      ]);
    } catch {
      return null;
    }
    const peerCount = PARALLEL_BACKENDS.has(backend) ? Math.max(0, Math.floor(workers) - 1) : 0;
    // Each peer gets its own copy of the binaries before the training worker's are moved to it.
    const peerWasm = Array.from({ length: peerCount }, () => wasm.map(([name, bytes]) => [name, bytes.slice(0)] as const));
    const client = await ModelWorkerClient.spawn(script, wasm, backend);
    if (client !== null && peerCount > 0) {
      client.peersStarting = Promise.all(peerWasm.map((binaries) => ModelWorkerClient.spawn(script, binaries, backend))).then(
        (started) => started.filter((peer): peer is ModelWorkerClient => peer !== null),
      );
    }
    return client;
  }

  /** A worker of `script` with `backend` started in it; null where it does not start. */
  private static async spawn(
    script: Blob,
    wasm: ReadonlyArray<readonly [string, ArrayBuffer]>,
    backend: string,
  ): Promise<ModelWorkerClient | null> {
    let worker: Worker;
    try {
      const scriptUrl = URL.createObjectURL(script);
      try {
        worker = new Worker(scriptUrl);
      } finally {
        URL.revokeObjectURL(scriptUrl);
      }
    } catch {
      return null;
    }
    const client = new ModelWorkerClient(worker);
    // The binaries are the worker's alone: moved, not copied.
    const reply = await client.request(
      { type: 'start', backend, wasm: Object.fromEntries(wasm) },
      wasm.map(([, bytes]) => bytes),
    );
    if (reply.type !== 'started') {
      client.dispose();
      return null;
    }
    return client;
  }

  /**
   * A fresh model: the worker imports the bundle and builds it, the page makes its copy. The
   * user's errors (the module throws, the model is not found) are thrown as ModelLoadError.
   */
  async load(bundleUrl: string, target: ModelTarget): Promise<WorkerModel> {
    this.current?.dispose();
    this.current = null;
    const bundleCode = await (await fetchOk(bundleUrl)).text();
    const reply = await this.request({ type: 'load', id: this.nextId++, bundleCode, target });
    if (reply.type === 'error') throw reply.stage === 'load' ? new ModelLoadError(reply.message) : new Error(reply.message);
    if (reply.type !== 'loaded') throw new Error(`the model worker answered ${reply.type} to load`);
    // The peers build the same model in the background; a module's own trainStep runs on this worker alone.
    const starting = this.peersStarting;
    this.peersLoaded =
      starting === null || reply.customStep
        ? Promise.resolve([])
        : starting.then(async (peers) => {
            const built = await Promise.all(
              peers.map(async (peer) => ((await peer.loadAsPeer(bundleCode, target)) ? peer : null)),
            );
            return built.filter((peer): peer is ModelWorkerClient => peer !== null);
          });
    const copy = await copyFromLayersFormat(reply);
    if (copy !== null)
      return {
        model: copy,
        trainStep: null,
        models: [copy],
        origin: reply.origin,
        customStep: reply.customStep,
        copiedBy: 'layers format',
      };
    // The page's tfjs cannot rebuild it from the layers format: run the module here too.
    // Its initial weights are replaced by the worker's at once: no QR decompositions here.
    const own = await withoutOrthogonalInit(tf, () => loadModel(bundleUrl, target));
    if (!setWeightsInOrder(own.model, reply.values)) throw new Error('the model built on the page does not match the worker’s');
    return { ...own, customStep: reply.customStep, copiedBy: 'module import' };
  }

  /** A trainer for the model last loaded (trained on the worker, weights synced into `model`). */
  async train(options: {
    model: tf.LayersModel;
    dataset: DatasetArrays;
    config: TrainConfig;
    hooks: TrainerHooks;
    waitForViews?: () => Promise<void>;
  }): Promise<TrainerProxy> {
    this.current?.dispose();
    this.current = null;
    if (!(await this.sendDataset(options.dataset))) throw new Error('the model worker was closed');
    // Batch normalization's statistics depend on the whole batch: such models train on this worker alone.
    const ports = hasBatchNormalization(options.model) ? [] : await this.servePeers(options.dataset, options.config);
    const reply = await this.request({ type: 'train', config: options.config, peers: ports }, ports);
    if (reply.type === 'error') {
      this.sentDataset = null; // the next run sends the data again
      throw new Error(reply.message);
    }
    if (reply.type !== 'ready') throw new Error(`the model worker answered ${reply.type} to train`);
    const link = { post: (m: PageToWorker) => this.post(m), weights: () => this.weights() };
    this.current = new TrainerProxy(link, options, reply.metricNames, reply.workers);
    return this.current;
  }

  /** A peer's model: the bundle imported there (no artifacts come back); false where it fails. */
  private async loadAsPeer(bundleCode: string, target: ModelTarget): Promise<boolean> {
    const reply = await this.request({ type: 'load', id: this.nextId++, bundleCode, target, peer: true });
    return reply.type === 'loaded';
  }

  /**
   * The peers that have the loaded model, each given the dataset and one end of a channel to
   * answer the training worker on; the other ends, for the training worker. A peer that cannot
   * serve is left out of this run.
   */
  private async servePeers(dataset: DatasetArrays, config: TrainConfig): Promise<MessagePort[]> {
    const peers = await this.peersLoaded;
    const ports = await Promise.all(
      peers.map(async (peer) => {
        const channel = new MessageChannel();
        if (await peer.serve(dataset, config, channel.port2)) return channel.port1;
        channel.port1.close();
        return null;
      }),
    );
    return ports.filter((port): port is MessagePort => port !== null);
  }

  /** This worker as a gradient peer on `dataset`, answering on `port`; false where it cannot. */
  private async serve(dataset: DatasetArrays, config: TrainConfig, port: MessagePort): Promise<boolean> {
    if (!(await this.sendDataset(dataset))) return false;
    const reply = await this.request({ type: 'serve', config, port }, [port]);
    if (reply.type === 'ready') return true;
    this.sentDataset = null;
    return false;
  }

  /** Each dataset crosses once, in parts; the worker keeps the last one. False when the worker was closed. */
  private async sendDataset(dataset: DatasetArrays): Promise<boolean> {
    if (dataset === this.sentDataset) return true;
    this.sentDataset = null;
    const seq = this.nextId++;
    const sent = await sendDataset((m, transfer) => this.post(m, transfer), dataset, { seq, cancelled: () => this.terminated });
    if (sent) this.sentDataset = dataset;
    return sent;
  }

  /** Ends the worker and its peers, which frees all of their tensors. */
  dispose(): void {
    if (this.terminated) return;
    this.terminated = true;
    void this.peersStarting?.then((peers) => peers.forEach((peer) => peer.dispose()));
    this.current?.dispose();
    this.current = null;
    this.worker.terminate();
    for (const waiter of this.weightWaiters.values()) waiter([]);
    this.weightWaiters.clear();
    for (const waiter of this.lossWaiters.values()) waiter(null);
    this.lossWaiters.clear();
    for (const reply of this.replies.splice(0)) reply({ type: 'error', message: 'the model worker was closed', stage: 'train' });
  }

  private weights(): Promise<Float32Array[]> {
    if (this.terminated) return Promise.resolve([]);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.weightWaiters.set(id, resolve);
      this.post({ type: 'weights', id });
    });
  }

  /** A GAN's two losses, measured on the worker (where the module's discriminator is); null for other models. */
  ganLosses(): Promise<GanLosses | null> {
    if (this.terminated) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.lossWaiters.set(id, resolve);
      this.post({ type: 'ganLosses', id });
    });
  }

  /** Posts a request answered by started / loaded / ready / error (one at a time, in order). */
  private request(message: PageToWorker, transfer: Transferable[] = []): Promise<Reply> {
    if (this.terminated) return Promise.resolve({ type: 'error', message: 'the model worker was closed', stage: 'train' });
    return new Promise((resolve) => {
      this.replies.push(resolve);
      this.post(message, transfer);
    });
  }

  private post(message: PageToWorker, transfer: Transferable[] = []): void {
    if (!this.terminated) this.worker.postMessage(message, transfer);
  }

  private onMessage(message: WorkerToPage): void {
    switch (message.type) {
      case 'started':
      case 'loaded':
      case 'ready':
        this.replies.shift()?.(message);
        break;
      case 'error':
        // An error answers the pending request, else it belongs to the run.
        if (this.replies.length > 0) this.replies.shift()!(message);
        else this.current?.handle(message);
        break;
      case 'weights':
        this.weightWaiters.get(message.id)?.(message.values);
        this.weightWaiters.delete(message.id);
        break;
      case 'ganLosses':
        this.lossWaiters.get(message.id)?.(message.losses);
        this.lossWaiters.delete(message.id);
        break;
      default:
        this.current?.handle(message);
    }
  }
}

/** The page's copy from the layers format (tfjs skips the initialisers); null where it cannot be read back. */
async function copyFromLayersFormat(reply: LoadedReply): Promise<tf.LayersModel | null> {
  if (reply.modelJson === null || reply.weightData === null) return null;
  try {
    const json = JSON.parse(reply.modelJson) as tf.io.ModelJSON;
    return await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: json.modelTopology,
        weightSpecs: json.weightsManifest.flatMap((group) => group.weights),
        weightData: reply.weightData,
      }),
    );
  } catch {
    return null;
  }
}
