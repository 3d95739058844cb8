/**
 * What the test page exposes as `window.modelLensTest`, typed for both sides (DOM-free): the
 * mocha tests drive the real panel app through it, with a stub host in the page.
 */
import type {
  BackendPreference,
  HostToWebview,
  MemoryInfo,
  ModelTarget,
  TrainConfig,
  WebviewToHost,
} from '../../../src/shared/messages';

export interface StartOptions {
  /** URL of the model bundle (built by the harness with the host's bundler). */
  bundleUrl: string;
  target: ModelTarget;
  backend: BackendPreference;
  config: TrainConfig;
  /** URL of the dataset (datasetWire encoding); sent after init like the host does. */
  datasetUrl: string;
  /** Send `train` once the dataset is sent. */
  autoTrain: boolean;
  /** `real`: the views of webview/views/viewRegistry; `none`: no inspection views; `probe`: one recording view. */
  views: 'real' | 'none' | 'probe';
  /** PanelOptions passed through. */
  progressIntervalMs?: number;
  frameBudgetMs?: number;
  viewRefreshMs?: number;
  /** PanelOptions.worker: false makes the page train itself (the fallback where no worker starts). */
  worker?: boolean;
  /** The init message's workers setting (absent: one per core, as the host sends by default). */
  workers?: number;
}

/** A message as recorded by the stub host (ArrayBuffers replaced by their byte length). */
export type RecordedMessage =
  | Exclude<WebviewToHost, { type: 'savedModel' }>
  | { type: 'savedModel'; requestId: number; modelJson: string; weightBytes: number };

export interface EpochReportLike {
  epoch: number;
  loss: number;
  metrics: Record<string, number>;
  trainSamples: number;
  validation?: { loss: number; metrics: Record<string, number>; samples: number };
  stoppedEarly?: boolean;
  seconds: number;
  samplesPerSecond: number;
  timing: { computeMs: number; updateMs: number; yieldMs: number; slices: number; maxSliceMs: number };
}

/** What the `probe` view saw. */
export interface ProbeViewLog {
  mounted: number;
  refreshes: Array<{
    epoch: number;
    batch: number;
    at: number;
    focusedLayer: string | null;
    focusedIndex: number;
    layers: number;
  }>;
  /** Most refreshes running at once (must be 1). */
  maxConcurrent: number;
  focused: string[];
  disposed: boolean;
}

export interface PageEnvironment {
  userAgent: string;
  webglRenderer: string;
}

export interface TestApi {
  start(options: StartOptions): Promise<void>;
  /** The gates view's largest |h recomputed − h layer| each time it drew (`real` views). */
  gateErrors(): Array<{ epoch: number; batch: number; error: number }>;
  send(message: HostToWebview): void;
  messages(): RecordedMessage[];
  memory(): MemoryInfo;
  baselineTensors(): number;
  /** Whether a model worker starts with `backend` and the WASM folder `wasmBase` (default: the real one). */
  modelWorkerStarts(backend: string, wasmBase?: string): Promise<boolean>;
  /** The `train` messages the page posted to model workers since `start`: whether a dataset was sent before each. */
  workerTrainPosts(): Array<'dataset' | 'kept'>;
  /** How the page got its model (PanelHandle.modelSource). */
  modelSource(): 'layers format' | 'module import' | 'page' | null;
  /** Weight tensors of the panel's model (0 without one). */
  modelWeightTensors(): number;
  /** The panel's model's layers: tfjs's names and the names the views show. */
  layerNames(): { runtime: string[]; shown: string[] };
  dispose(): Promise<void>;
  /** Dispatches `pagehide` on the window (what closing the webview does). */
  pageHide(): void;
  /** Long tasks (ms) since the last reset, from a PerformanceObserver. */
  longTasks(): number[];
  /** Long animation frames (ms, > 50) since the last reset (Chromium's long-animation-frame entries). */
  longFrames(): number[];
  resetLongTasks(): void;
  /** The loss of the current model on the whole dataset, computed by tfjs here (no panel code). */
  referenceLoss(): Promise<number>;
  /** Content Security Policy violations seen by the page. */
  cspViolations(): string[];
  viewRefreshCount(): number;
  probeView(): ProbeViewLog;
  /** The panel's epoch reports (loss, speed, where the time went). */
  epochReports(): EpochReportLike[];
  environment(): PageEnvironment;
  /** What probeWebGpu finds in this browser. */
  webGpu(): Promise<{ available: boolean; adapter: string; software: boolean }>;
  /**
   * The one-batch check of WebGPU against the CPU backend on the panel's model and dataset (`sabotage`: with
   * a wrong Relu kernel on WebGPU): the backend it keeps, why, and the backend active after.
   */
  checkWebGpu(sabotage: boolean): Promise<{ name: string; reason: string; active: string }>;
}

export interface TestWindow {
  modelLensTest: TestApi;
}
