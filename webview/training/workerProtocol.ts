/**
 * Messages between the panel page and its model worker (webview/modelWorkerMain.ts). The page
 * fetches everything the worker needs (the model bundle's code, the WASM binaries) and hands
 * it over, so the worker loads nothing from the network.
 *
 *   page → start   the backend (once per worker)          → started | error (stage backend)
 *   page → load    import the bundle, build a fresh model  → loaded  | error (stage load)
 *   page → dataset, dataPart…  the training data, in parts (datasetTransfer.ts), when it is new
 *   page → train   a trainer for the loaded model and the last dataset → ready | error (stage train)
 *   page → run, pause, resume, stop                         → batch…, epoch…, pause, finished | error (stage train)
 *   page → weights                                          → weights (the model's current values)
 *   page → ganLosses    a GAN's two losses, measured (the module's discriminator lives here) → ganLosses
 *
 * Data-parallel training (parallel/): the page starts more workers of the same script as gradient
 * peers. A peer gets `start`, `load` with `peer` set (no reply but `loaded` without the model's
 * artifacts), the dataset, and `serve` with its end of a MessageChannel (→ ready); the training
 * worker gets the other ends with `train` and talks to its peers directly.
 */
import type { MemoryInfo, ModelTarget, TrainConfig } from '../../src/shared/messages';
import type { GanLosses } from '../probes/ganLosses';
import type { DataPart, DatasetHeader } from './datasetTransfer';
import type { BatchReport, EpochReport, TrainOutcome } from './trainReports';

export type PageToWorker =
  | {
      type: 'start';
      /** The page's backend (`webgl`, `wasm`, `cpu`). */
      backend: string;
      /** WASM binaries by file name (`tfjs-backend-wasm-simd.wasm`…), for the WASM backend. */
      wasm: Record<string, ArrayBuffer>;
    }
  /** `peer`: a gradient peer's model (weights come with each request: none are sent back). */
  | { type: 'load'; id: number; bundleCode: string; target: ModelTarget; peer?: boolean }
  | DatasetHeader
  | DataPart
  /** Trains on the last dataset whose parts have all arrived (the page sends each dataset once). */
  | { type: 'train'; config: TrainConfig; peers?: MessagePort[] }
  /** A gradient peer: answer the training worker's requests on `port` for the loaded model and the last dataset. */
  | { type: 'serve'; config: TrainConfig; port: MessagePort }
  | { type: 'run' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'weights'; id: number }
  | { type: 'ganLosses'; id: number };

/** A freshly built model, for the page to make its copy of. */
export interface LoadedReply {
  type: 'loaded';
  id: number;
  /** The model in the tfjs layers format (null where tfjs cannot serialize it). */
  modelJson: string | null;
  weightData: ArrayBuffer | null;
  /** The same weights in `model.getWeights()` order. */
  values: Float32Array[];
  /** The module exports a trainStep (run by the worker). */
  customStep: boolean;
  origin: string;
}

export type WorkerToPage =
  | { type: 'started' }
  | LoadedReply
  /** `workers`: how many workers share each batch (1: this one alone). */
  | { type: 'ready'; metricNames: string[]; workers: number }
  /** Fewer workers share the batches from now on (a gradient peer failed: `reason`). */
  | { type: 'workers'; workers: number; reason: string }
  | { type: 'batch'; report: BatchReport; memory: MemoryInfo }
  | { type: 'epoch'; report: EpochReport; memory: MemoryInfo }
  | { type: 'pause'; paused: boolean }
  | { type: 'finished'; outcome: TrainOutcome; memory: MemoryInfo }
  | { type: 'weights'; id: number; values: Float32Array[] }
  /** null: the model is no GAN's generator, or no training data has come yet. */
  | { type: 'ganLosses'; id: number; losses: GanLosses | null }
  /** `backend`: the page's backend does not start in a worker (the page then does everything itself). */
  | { type: 'error'; message: string; stage: 'backend' | 'load' | 'train' };
