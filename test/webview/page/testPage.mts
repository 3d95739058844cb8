/**
 * The webview test page: the real panel app (startPanel) with a stub host in the page. The
 * stub records every message and answers as the extension host does: `init` after `ready`,
 * then the dataset (fetched from the harness), then `train` when asked. Loaded by the harness
 * into panelHtml()'s page, so the panel's CSP applies.
 */
import type { Tensor } from '@tensorflow/tfjs';
import type { HostToWebview, Transport, WebviewToHost } from '../../../src/shared/messages';
import { startPanel } from '../../../webview/app/startPanel';
import type { PanelHandle } from '../../../webview/app/panelApi';
import { layerLabel } from '../../../webview/probes/layerNames';
import { probeWebGl, probeWebGpu } from '../../../webview/training/backend';
import { confirmBackend } from '../../../webview/training/backendCheck';
import { toTrainingData } from '../../../webview/training/dataset';
import { ModelWorkerClient } from '../../../webview/training/modelWorkerClient';
import { decodeDataset } from '../support/datasetWire';
import { GatesView } from '../../../webview/views/gatesView';
import { createViews } from '../../../webview/views/viewRegistry';
import type { InspectionView, ProbeContext } from '../../../webview/views/viewTypes';
import type { ProbeViewLog, RecordedMessage, StartOptions, TestApi, TestWindow } from '../support/pageApi';
import { applyTheme } from './themes.mjs';
import type { ThemeKind } from './themes.mjs';

class StubHost implements Transport<HostToWebview, WebviewToHost> {
  readonly recorded: RecordedMessage[] = [];
  private listeners: Array<(m: HostToWebview) => void> = [];
  private onReady: (() => void) | null = null;

  constructor(private readonly options: StartOptions) {}

  post(message: WebviewToHost): void {
    if (message.type === 'savedModel') {
      const { weightData, ...rest } = message;
      this.recorded.push({ ...rest, weightBytes: weightData.byteLength });
    } else {
      this.recorded.push(structuredClone(message));
    }
    if (message.type === 'ready') this.onReady?.();
  }

  onMessage(listener: (m: HostToWebview) => void): () => void {
    this.listeners.push(listener);
    return () => (this.listeners = this.listeners.filter((l) => l !== listener));
  }

  /** Delivered asynchronously, as webview messages are. */
  send(message: HostToWebview): void {
    setTimeout(() => {
      for (const listener of this.listeners) listener(message);
    }, 0);
  }

  /** What the extension host does once the panel says `ready`. */
  whenReady(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.onReady = () => {
        this.onReady = null;
        const { bundleUrl, target, backend, config, datasetUrl, workers } = this.options;
        const wasmBase = new URL('/dist/webview/wasm/', location.href).href;
        this.send({ type: 'init', target, bundleUrl, wasmBase, backend, config, ...(workers !== undefined ? { workers } : {}) });
        fetch(datasetUrl)
          .then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(new Error(`dataset: HTTP ${r.status}`))))
          .then((bytes) => {
            this.send({ type: 'dataset', dataset: decodeDataset(bytes) });
            if (this.options.autoTrain) this.send({ type: 'train', config });
            resolve();
          }, reject);
      };
    });
  }
}

const longTasks: number[] = [];
const longFrames: number[] = [];
const cspViolations: string[] = [];
let host: StubHost | null = null;
let panel: PanelHandle | null = null;
let datasetUrl = '';

// Tasks over 50 ms, and animation frames over 50 ms (Long Animation Frames: what the user sees).
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push(entry.duration);
}).observe({ type: 'longtask', buffered: true });
if (PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')) {
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longFrames.push(entry.duration);
  }).observe({ type: 'long-animation-frame', buffered: true });
}
// What the page posts to its model workers (train: after sending a dataset, or keeping the last one).
const workerTrainPosts: Array<'dataset' | 'kept'> = [];
let datasetSent = false;
const workerPost = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (this: Worker, message: unknown, transfer?: Transferable[] | StructuredSerializeOptions) {
  const m = message as { type?: string };
  if (m?.type === 'dataset') datasetSent = true;
  if (m?.type === 'train') {
    workerTrainPosts.push(datasetSent ? 'dataset' : 'kept');
    datasetSent = false;
  }
  return workerPost.call(this, message, transfer as StructuredSerializeOptions);
} as Worker['postMessage'];
document.addEventListener('securitypolicyviolation', (e) => cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`));

/** An inspection view that records how the panel drives it (each refresh "works" 60 ms). */
function probeView(log: ProbeViewLog): InspectionView {
  let running = 0;
  return {
    id: 'probe',
    title: 'Probe',
    applies: () => true,
    mount(container) {
      log.mounted++;
      container.append(Object.assign(document.createElement('div'), { className: 'probe-view', textContent: 'probe' }));
    },
    async refresh(ctx) {
      running++;
      log.maxConcurrent = Math.max(log.maxConcurrent, running);
      log.refreshes.push({
        epoch: ctx.epoch,
        batch: ctx.batch,
        at: performance.now(),
        focusedLayer: ctx.focusedLayer,
        focusedIndex: ctx.model.layers.findIndex((l) => layerLabel(l) === ctx.focusedLayer),
        layers: ctx.model.layers.length,
      });
      await new Promise((r) => setTimeout(r, 60));
      running--;
    },
    focusLayer: (name) => void log.focused.push(name),
    dispose: () => void (log.disposed = true),
  };
}
let probeLog: ProbeViewLog = { mounted: 0, refreshes: [], maxConcurrent: 0, focused: [], disposed: false };
let gateErrors: Array<{ epoch: number; batch: number; error: number }> = [];

/** The real views, the gates view recording its recomputation error after each time it draws. */
function realViews(): InspectionView[] {
  const views = createViews();
  for (const view of views) {
    if (!(view instanceof GatesView)) continue;
    const drawing = view as unknown as { render(ctx: ProbeContext): Promise<void> };
    const render = drawing.render.bind(view);
    drawing.render = async (ctx) => {
      await render(ctx);
      gateErrors.push({ epoch: ctx.epoch, batch: ctx.batch, error: view.maxError });
    };
  }
  return views;
}

const theme = (new URLSearchParams(location.search).get('theme') ?? 'dark') as ThemeKind;
applyTheme(theme);

const api: TestApi = {
  async start(options) {
    if (panel !== null) await panel.dispose();
    const root = document.getElementById('model-lens-panel')!;
    host = new StubHost(options);
    datasetUrl = options.datasetUrl;
    const ready = host.whenReady();
    probeLog = { mounted: 0, refreshes: [], maxConcurrent: 0, focused: [], disposed: false };
    workerTrainPosts.length = 0;
    gateErrors = [];
    panel = startPanel(host, root, {
      views: options.views === 'none' ? [] : options.views === 'probe' ? [probeView(probeLog)] : realViews(),
      ...(options.worker !== undefined ? { worker: options.worker } : {}),
      ...(options.progressIntervalMs !== undefined ? { progressIntervalMs: options.progressIntervalMs } : {}),
      ...(options.frameBudgetMs !== undefined ? { frameBudgetMs: options.frameBudgetMs } : {}),
      ...(options.viewRefreshMs !== undefined ? { viewRefreshMs: options.viewRefreshMs } : {}),
    });
    await ready;
  },
  gateErrors: () => [...gateErrors],
  send: (message) => host?.send(message),
  messages: () => host?.recorded ?? [],
  memory: () => {
    const { numTensors, numBytes } = panel!.tf.memory();
    return { numTensors, numBytes };
  },
  baselineTensors: () => panel?.baselineTensors() ?? 0,
  modelSource: () => panel?.modelSource() ?? null,
  workerTrainPosts: () => [...workerTrainPosts],
  async modelWorkerStarts(backend, wasmBase = new URL('/dist/webview/wasm/', location.href).href) {
    const worker = await ModelWorkerClient.start(wasmBase, backend);
    worker?.dispose();
    return worker !== null;
  },
  modelWeightTensors: () => panel?.model()?.weights.length ?? 0,
  layerNames: () => {
    const layers = panel?.model()?.layers ?? [];
    return { runtime: layers.map((l) => l.name), shown: layers.map((l) => layerLabel(l)) };
  },
  dispose: async () => {
    await panel?.dispose();
  },
  pageHide: () => window.dispatchEvent(new PageTransitionEvent('pagehide', { persisted: false })),
  longTasks: () => [...longTasks],
  resetLongTasks: () => {
    longTasks.length = 0;
    longFrames.length = 0;
  },
  longFrames: () => [...longFrames],
  async referenceLoss() {
    const tf = panel!.tf;
    const model = panel!.model();
    if (model === null) throw new Error('no model');
    const ds = decodeDataset(await (await fetch(datasetUrl)).arrayBuffer());
    const xs = tf.tensor(new Float32Array(ds.xs), ds.xsShape);
    const ys = tf.tensor(new Float32Array(ds.ys!), ds.ysShape!);
    // Categorical cross-entropy as Keras defines it: clip, −Σ y·log p, mean over samples.
    const loss = tf.tidy(() => {
      const p = tf.clipByValue(model.predict(xs) as Tensor, 1e-7, 1 - 1e-7);
      return tf.mean(tf.neg(tf.sum(tf.mul(ys, tf.log(p)), -1)));
    });
    const value = (await loss.data())[0]!;
    tf.dispose([xs, ys, loss]);
    return value;
  },
  cspViolations: () => [...cspViolations],
  viewRefreshCount: () => panel?.viewRefreshCount() ?? 0,
  probeView: () => probeLog,
  epochReports: () => panel?.epochReports() ?? [],
  environment: () => ({ userAgent: navigator.userAgent, webglRenderer: probeWebGl().renderer }),
  webGpu: () => probeWebGpu(),
  async checkWebGpu(sabotage) {
    const tf = panel!.tf;
    const model = panel!.model();
    if (model === null) throw new Error('no model');
    const dataset = toTrainingData(decodeDataset(await (await fetch(datasetUrl)).arrayBuffer()));
    const wasmBase = new URL('/dist/webview/wasm/', location.href).href;
    await tf.setBackend('webgpu');
    // A wrong Relu on WebGPU (tfjs's, times 1.5) for the check to catch; the real one is put back after.
    const real = tf.getKernel('Relu', 'webgpu');
    const multiply = tf.getKernel('Multiply', 'webgpu');
    if (sabotage && real !== undefined && multiply !== undefined) {
      type Info = ReturnType<typeof real.kernelFunc>;
      tf.registerKernel({
        kernelName: 'Relu',
        backendName: 'webgpu',
        kernelFunc: (args) => {
          const backend = args.backend as unknown as {
            makeTensorInfo(shape: number[], dtype: string, values: Float32Array): Info;
            disposeData(dataId: object): void;
          };
          const relu = real.kernelFunc(args) as Exclude<Info, unknown[]>;
          const scale = backend.makeTensorInfo([], 'float32', new Float32Array([1.5])) as Exclude<Info, unknown[]>;
          const out = multiply.kernelFunc({ inputs: { a: relu, b: scale }, backend: args.backend, attrs: {} });
          backend.disposeData(relu.dataId);
          backend.disposeData(scale.dataId);
          return out;
        },
      });
    }
    try {
      const choice = await confirmBackend(
        { name: 'webgpu', reason: 'WebGPU on the test adapter', fallback: { name: 'cpu', reason: 'CPU' } },
        model,
        dataset,
        32,
        wasmBase,
        // Correctness only: which of SwiftShader and the CPU backend is faster is not this test's
        // question (the trial's choice is unit-tested with the CPU and WASM backends).
        { trial: false },
      );
      return { name: choice.name, reason: choice.reason, active: tf.getBackend() };
    } finally {
      if (sabotage && real !== undefined) {
        tf.unregisterKernel('Relu', 'webgpu');
        tf.registerKernel(real);
      }
    }
  },
};

(window as unknown as TestWindow).modelLensTest = api;
document.body.dataset['pageReady'] = '1';
