/**
 * The one protocol between the extension host and the training panel (webview).
 * Pure types + tiny helpers: imports neither `vscode` nor the DOM, so both sides compile it.
 * Large payloads (datasets, weights) travel as ArrayBuffers.
 */

/** A layer as the static analysis sees it (for focusing and labelling views). */
export interface LayerInfo {
  name: string;
  type: string;
  line: number;
  outputShape: (number | null)[] | (number | null)[][] | null;
  params: number | null;
  /**
   * A model used as a layer: its own layers, as the analysis lists them (which is tfjs's
   * `model.layers` order), so the panel can name them as the lenses do.
   */
  layers?: LayerInfo[];
}

/** Which model of the user's file to train, and how to get it from the bundle. */
export interface ModelTarget {
  /** Model name from the analysis (variable or function name). */
  name: string;
  /** 1-based line of the `tf.sequential(` / `tf.model(` call that creates it. */
  line: number;
  kind: 'sequential' | 'functional';
  layers: LayerInfo[];
  /** The file's path relative to the workspace, for messages. */
  file: string;
  /**
   * A builder the file never calls, with the arguments the lenses show it for (a call in
   * another file, or values the user stated): the panel calls it so to build the model.
   */
  builderCall?: { function: string; args: unknown[] };
}

/** A dense dataset, row-major float32. `ys` is absent for autoencoders (targets are `xs`). */
export interface DatasetPayload {
  /** Stable id, e.g. `mnist-images`, `sines`, `csv:data/iris.csv`. */
  id: string;
  /** One line for the UI: "MNIST digits, 2,048 × 28×28×1, labels 0–9". */
  description: string;
  xs: ArrayBuffer;
  /** Shape including the sample dimension, e.g. [2048, 28, 28, 1]. */
  xsShape: number[];
  ys?: ArrayBuffer;
  ysShape?: number[];
  /** Integer class per sample (for colouring latent plots), when known. */
  labels?: ArrayBuffer;
  /** Inputs get this much Gaussian noise and targets stay clean (denoising autoencoders). */
  inputNoise?: number;
  /** What the samples are, so views can draw them: images (H×W×C) or sequences. */
  sampleKind: 'image' | 'vector' | 'sequence' | 'tokens';
}

/**
 * A dataset with its buffers as typed arrays: what the host builds a DatasetPayload from and
 * what the panel decodes one into (for training and for the views).
 */
export interface DatasetArrays {
  id: string;
  description: string;
  xs: Float32Array;
  /** Including the sample dimension. */
  xsShape: number[];
  ys?: Float32Array;
  ysShape?: number[];
  labels?: Int32Array;
  inputNoise?: number;
  sampleKind: DatasetPayload['sampleKind'];
}

export type BackendPreference = 'auto' | 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  /** A tfjs loss identifier, e.g. `categoricalCrossentropy`, `meanSquaredError`. */
  loss: string;
  /** A tfjs optimizer identifier, e.g. `adam`, `sgd`, `rmsprop`. */
  optimizer: string;
  learningRate: number;
  metrics: string[];
  /** Share of the samples held out for validation (0 or absent: none), as `fit`'s `validationSplit`. */
  validationSplit?: number;
  /** How many of the dataset's samples to use (absent: all of them). */
  samples?: number;
  /** Stop once the validation loss has not improved for this many epochs (0 or absent: never). */
  earlyStoppingPatience?: number;
  /** Where each value came from, shown in the panel ("loss: from model.compile, line 12"). */
  sources: Partial<Record<TrainConfigField, string>>;
}

export type TrainConfigField =
  | 'epochs'
  | 'batchSize'
  | 'loss'
  | 'optimizer'
  | 'learningRate'
  | 'metrics'
  | 'validationSplit'
  | 'samples'
  | 'earlyStoppingPatience';

/** An epoch's loss and metrics on the held-out samples. */
export interface ValidationResult {
  loss: number;
  metrics: Record<string, number>;
  samples: number;
}

/** Host → webview. */
export type HostToWebview =
  /** Everything needed to start: which model, the bundle to import, the backend wanted. */
  | {
      type: 'init';
      target: ModelTarget;
      /** Webview URI of the ES module bundled from the user's file; it self-registers its models. */
      bundleUrl: string;
      /** Base URI of the tfjs WASM binaries. */
      wasmBase: string;
      backend: BackendPreference;
      /**
       * How many workers may share each batch on a CPU backend (data-parallel training): 0 or
       * absent, one per core the browser reports; 1, the training worker alone.
       */
      workers?: number;
      config: TrainConfig;
    }
  /** The training data chosen in the quick pick. */
  | { type: 'dataset'; dataset: DatasetPayload }
  /** Start (or restart) training with this configuration. */
  | { type: 'train'; config: TrainConfig }
  /** Pause, resume or stop the training loop. */
  | { type: 'control'; action: 'pause' | 'resume' | 'stop' }
  /** Focus a layer in the inspection views (a layer CodeLens was clicked). */
  | { type: 'focusLayer'; layerName: string; line: number }
  /** Ask the webview for the trained model's artifacts (answered by `savedModel`). */
  | { type: 'exportModel'; requestId: number };

export interface MemoryInfo {
  numTensors: number;
  numBytes: number;
}

/** Webview → host. */
export type WebviewToHost =
  /** The page has loaded and listens for messages. */
  | { type: 'ready' }
  /** The backend in use and why (e.g. "WebGL renderer is SwiftShader (software): using WASM"). */
  | { type: 'backend'; name: string; reason: string }
  /** Per-batch progress, throttled; drives the VS Code progress notification. `epoch` and `batch` are 1-based. */
  | {
      type: 'progress';
      epoch: number;
      epochs: number;
      batch: number;
      batches: number;
      loss: number;
      metrics: Record<string, number>;
      memory: MemoryInfo;
    }
  /** An epoch ended (`epoch` is 1-based). */
  | {
      type: 'epochEnd';
      epoch: number;
      loss: number;
      metrics: Record<string, number>;
      memory: MemoryInfo;
      /** The same on the held-out samples, when some are held out. */
      validation?: ValidationResult;
    }
  /** Training state changed. */
  | { type: 'state'; state: 'loading' | 'ready' | 'training' | 'paused' | 'done' | 'stopped' | 'error'; message?: string }
  /** A user-facing error (no stack traces). */
  | { type: 'error'; message: string }
  /** The trained model in tfjs layers format (answer to `exportModel`). */
  | { type: 'savedModel'; requestId: number; modelJson: string; weightData: ArrayBuffer }
  /** `exportModel` could not be answered (nothing trained yet, or tfjs failed); `message` says why. */
  | { type: 'exportFailed'; requestId: number; message: string }
  /** The panel's Save button: run Save Trained Model for this panel's model. */
  | { type: 'saveModel' }
  /** Change of training settings made in the panel, for the host to remember. */
  | { type: 'configChanged'; config: TrainConfig };

/** The panel's side of the channel: the webview gets one injected (a stub in tests). */
export interface Transport<In, Out> {
  post(message: Out): void;
  onMessage(listener: (message: In) => void): () => void;
}

export function isHostToWebview(m: unknown): m is HostToWebview {
  return typeof m === 'object' && m !== null && typeof (m as { type?: unknown }).type === 'string';
}
