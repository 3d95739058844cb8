/**
 * Messages between the panel page and its training worker (webview/trainWorker.ts). The page
 * fetches everything the worker needs (the model bundle's code, the WASM binaries) and hands
 * it over, so the worker loads nothing from the network.
 */
import type { DatasetArrays, MemoryInfo, ModelTarget, TrainConfig } from '../../src/protocol/messages';
import type { BatchReport, EpochReport, TrainOutcome } from './trainer';

export interface WorkerInit {
  type: 'init';
  /** The backend the page chose (`webgl`, `wasm`, `cpu`). */
  backend: string;
  /** WASM binaries by file name (`tfjs-backend-wasm-simd.wasm`…), for the WASM backend. */
  wasm: Record<string, ArrayBuffer>;
  /** The user's model bundle (an ES module) and which model in it. */
  bundleCode: string;
  target: ModelTarget;
  /** The page's copy of the model's initial weights: both copies start identical. */
  weights: Array<{ values: Float32Array; shape: number[] }>;
  dataset: DatasetArrays;
  config: TrainConfig;
}

export type PageToWorker =
  | WorkerInit
  | { type: 'run' }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'weights'; id: number };

export type WorkerToPage =
  | { type: 'ready'; metricNames: string[] }
  | { type: 'batch'; report: BatchReport; memory: MemoryInfo }
  | { type: 'epoch'; report: EpochReport; memory: MemoryInfo }
  | { type: 'pause'; paused: boolean }
  | { type: 'finished'; outcome: TrainOutcome; memory: MemoryInfo }
  | { type: 'weights'; id: number; values: Float32Array[] }
  /** `backend`: the page's backend does not start in a worker (the page then trains itself). */
  | { type: 'error'; message: string; stage: 'backend' | 'init' | 'train' };
