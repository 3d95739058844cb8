/**
 * The API the views test page exposes as `window.harness` (see page/harness.mts), shared by the
 * page and the mocha tests that drive it through Playwright. Types only.
 */

export type ModelKind =
  | 'convnet'
  | 'convZoo'
  | 'conv1dLstm'
  | 'lstm'
  | 'gru'
  | 'bilstm'
  | 'denseAe'
  | 'nestedAe'
  | 'linearAe'
  | 'vae'
  | 'gan'
  | 'denoisingAe';

export interface SetupOptions {
  kind: ModelKind;
  /** Samples in the dataset (defaults per kind). */
  samples?: number;
  /** Real digits (784 values each, 0..1) with their labels, instead of random images. */
  digits?: { xs: number[]; labels: number[] };
  theme?: 'dark' | 'light' | 'hc-dark' | 'hc-light';
  /** Describe the dataset as the host does for flat MNIST: sampleKind 'vector', id `mnist-vectors…`. */
  hostMnist?: boolean;
  /**
   * denseAe: a sparse autoencoder as the example writes one (tfjs cannot run activity
   * regularizers, so its own training step adds the L1 term): the code layer is `l1_codings`.
   */
  sparse?: boolean;
  /**
   * denoisingAe: Gaussian noise on the 784 pixels, dropout after flattening 28×28×1 images (both
   * as examples/denoisingAutoencoder.ts), dropout on a hidden layer (no input corruption), or
   * none in the model but Gaussian input noise from the data (the panel's `inputNoise`).
   */
  corruption?: 'gaussian' | 'dropout' | 'hidden' | 'data';
}

export interface SetupInfo {
  model: string;
  layers: string[];
  params: number;
  samples: number;
  views: { id: string; title: string; applies: boolean }[];
  numTensors: number;
}

export interface CanvasStat {
  role: string | null;
  width: number;
  height: number;
  /** Standard deviation of the RGBA bytes: 0 for a blank (single-colour) canvas. */
  std: number;
  /** Fraction of pixels that are not fully transparent. */
  coverage: number;
}

export interface RefreshTiming {
  /** Milliseconds per view id (views that do not apply are absent). */
  ms: Record<string, number>;
  numTensorsBefore: number;
  numTensorsAfter: number;
}

export interface Harness {
  setBackend(name: 'cpu' | 'wasm' | 'webgl'): Promise<string>;
  setup(options: SetupOptions): Promise<SetupInfo>;
  /** model.fit on the dataset; returns the last loss. */
  train(epochs: number, batchSize: number, learningRate?: number): Promise<number>;
  /** GAN kind: `steps` of its adversarial training step (examples/gan.ts's) on real batches; counts as one epoch. */
  trainAdversarial(steps: number, batchSize: number): Promise<void>;
  /** Refreshes every applicable view `times` times (epoch = start, start+1, …), all visible. */
  refresh(times: number, startEpoch?: number): Promise<RefreshTiming>;
  /** Refreshes every applicable view once without changing what is shown; returns renderCounts(). */
  refreshAsIs(epoch: number): Promise<Record<string, number>>;
  /** How many times each view has drawn. */
  renderCounts(): Record<string, number>;
  /** Shows one view (as the panel's active tab) or all of them stacked. */
  show(viewId: string | 'all'): void;
  canvasStats(selector: string): CanvasStat[];
  /**
   * The images of the first canvas matching `selector`, drawn as a grid (its data-rows,
   * data-cols and data-gap attributes): a hash of each image's pixels, row by row.
   */
  gridTiles(selector: string): string[];
  attrs(selector: string, name: string): (string | null)[];
  texts(selector: string): string[];
  focusLayer(name: string): string[];
  numTensors(): number;
  /**
   * The panel's training curves (webview/ui/trainingCurves.ts) for one run of `epochs` epochs of
   * `batches` batches, each batch's loss and `metric` given in order, drawn on the page: the
   * labels each chart's y axis shows (its canvas's data-y-ticks) and a screenshot selector.
   */
  curveTicks(
    metric: string,
    batches: number,
    epochs: number,
    values: { loss: number[]; metric: number[] },
  ): Promise<{ loss: string[]; metric: string[] }>;
  /** Clicks "Run UMAP" in the latent view and waits until it settles. */
  runUmap(timeoutMs: number): Promise<{ points: number; status: string }>;
}
