/**
 * The training bench's page (scripts/benchTraining.ts drives it): for each model and backend,
 * the samples/s of plain `model.fit` and of the panel training the same model with its views
 * live, in one page. Each measures its second epoch (the first warms up kernels and shaders).
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetPayload, HostToWebview, Transport, WebviewToHost } from '../../../src/protocol/messages';
import { startPanel } from '../../../webview/app/startPanel';
import { selectBackend } from '../../../webview/training/backend';
import { disposeModels, loadModel } from '../../../webview/training/modelLoader';
import { createOptimizer, normalizeLoss, normalizeMetric } from '../../../webview/training/trainSettings';
import { decodeDataset } from '../support/datasetWire';
import type { BenchCase, BenchMeasurement, BenchPageApi } from '../support/benchApi';
import { applyTheme } from './themes.mjs';

const wasmBase = new URL('/dist/webview/wasm/', location.href).href;

async function fetchDataset(url: string): Promise<DatasetPayload> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`dataset ${url}: HTTP ${response.status}`);
  return decodeDataset(await response.arrayBuffer());
}

/** Plain tfjs: compile + fit(2 epochs), the second epoch timed. */
async function plainFit(c: BenchCase, backend: string, dataset: DatasetPayload): Promise<number> {
  await selectBackend(backend as 'wasm', wasmBase);
  const loaded = await loadModel(c.bundleUrl, c.target);
  const model = loaded.model;
  const optimizer = createOptimizer(c.config.optimizer, c.config.learningRate);
  model.compile({ optimizer, loss: normalizeLoss(c.config.loss), metrics: c.config.metrics.map(normalizeMetric) });
  const xs = tf.tensor(new Float32Array(dataset.xs), dataset.xsShape);
  const ys = dataset.ys !== undefined ? tf.tensor(new Float32Array(dataset.ys), dataset.ysShape) : xs;
  const epochMs: number[] = [];
  let began = 0;
  await model.fit(xs, ys, {
    batchSize: c.config.batchSize,
    epochs: 2,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochBegin: async () => {
        began = performance.now();
      },
      onEpochEnd: async () => {
        epochMs.push(performance.now() - began);
      },
    },
  });
  tf.dispose(ys === xs ? [xs] : [xs, ys]);
  optimizer.dispose();
  disposeModels(loaded.models);
  return (dataset.xsShape[0]! / epochMs[1]!) * 1000;
}

/** The panel app with its views, trained through the protocol like the host does. */
async function panelRun(
  c: BenchCase,
  backend: string,
  dataset: DatasetPayload,
  views: 'all' | 'none',
): Promise<{ samplesPerSecond: number; viewRefreshes: number; timing: unknown; longTasks: BenchMeasurement['longTasks'] }> {
  const root = document.createElement('main');
  root.className = 'lp-root';
  document.body.append(root);
  let listener: ((m: HostToWebview) => void) | null = null;
  let done: (state: string, message?: string) => void = () => {};
  const finished = new Promise<{ state: string; message?: string }>((resolve) => (done = (state, message) => resolve({ state, ...(message !== undefined ? { message } : {}) })));
  const transport: Transport<HostToWebview, WebviewToHost> = {
    post(message) {
      if (message.type === 'ready') {
        const send = (m: HostToWebview): void => void setTimeout(() => listener?.(m), 0);
        send({ type: 'init', target: c.target, bundleUrl: c.bundleUrl, wasmBase, backend: backend as 'wasm', config: { ...c.config, epochs: 2 } });
        send({ type: 'dataset', dataset });
        send({ type: 'train', config: { ...c.config, epochs: 2 } });
      }
      if (message.type === 'state' && (message.state === 'done' || message.state === 'error')) done(message.state, message.message);
      if (message.type === 'error') done('error', message.message);
    },
    onMessage(l) {
      listener = l;
      return () => (listener = null);
    },
  };
  const panel = startPanel(transport, root, { progressIntervalMs: 250, ...(views === 'none' ? { views: [] } : {}) });
  let style: HTMLStyleElement | null = null;
  if (views === 'all') {
    // Every view visible (not only the selected tab's), so every view refreshes while training.
    style = document.createElement('style');
    style.textContent = 'vscode-tab-panel[hidden], vscode-tab-panel { display: block !important; }';
    document.head.append(style);
  }
  // Long tasks (over 50 ms) of the page while the panel trains: the frame goal is none over 100 ms.
  const longTasks: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push(entry.duration);
  });
  observer.observe({ type: 'longtask' });
  const outcome = await finished;
  observer.disconnect();
  const reports = panel.epochReports();
  const result = {
    samplesPerSecond: reports[1]?.samplesPerSecond ?? Number.NaN,
    viewRefreshes: panel.viewRefreshCount(),
    timing: reports[1]?.timing,
    longTasks: { count: longTasks.length, over100: longTasks.filter((d) => d > 100).length, maxMs: Math.round(Math.max(0, ...longTasks)) },
  };
  await panel.dispose();
  root.remove();
  style?.remove();
  if (outcome.state === 'error') throw new Error(`${c.label} on ${backend}: ${outcome.message ?? 'error'}`);
  return result;
}

const api: BenchPageApi = {
  async autoBackend() {
    return selectBackend('auto', wasmBase);
  },
  async measure(c, backend, datasetUrl, views, repeats) {
    const dataset = await fetchDataset(datasetUrl);
    // Alternated pairs (fit, then the panel): each pair runs under the same machine load, so the
    // median of the pairs' ratios is steadier than a ratio of separate bests.
    const fits: number[] = [];
    const panels: Array<Awaited<ReturnType<typeof panelRun>>> = [];
    for (let i = 0; i < repeats; i++) {
      fits.push(await plainFit(c, backend, dataset));
      panels.push(await panelRun(c, backend, dataset, views));
    }
    const ratios = panels.map((p, i) => p.samplesPerSecond / fits[i]!).sort((a, b) => a - b);
    const best = panels.reduce((a, b) => (b.samplesPerSecond > a.samplesPerSecond ? b : a));
    const result: BenchMeasurement = {
      model: c.label,
      backend,
      samples: dataset.xsShape[0]!,
      fitSamplesPerSecond: Math.max(...fits),
      panelSamplesPerSecond: best.samplesPerSecond,
      ratio: ratios[Math.floor(ratios.length / 2)]!,
      pairs: fits.map((f, i) => ({ fit: f, panel: panels[i]!.samplesPerSecond })),
      viewRefreshes: best.viewRefreshes,
      panelTiming: best.timing,
      longTasks: {
        count: Math.max(...panels.map((p) => p.longTasks.count)),
        over100: Math.max(...panels.map((p) => p.longTasks.over100)),
        maxMs: Math.max(...panels.map((p) => p.longTasks.maxMs)),
      },
    };
    return result;
  },
};

applyTheme('dark');
(window as unknown as { modelLensBench: BenchPageApi }).modelLensBench = api;
document.body.dataset['pageReady'] = '1';
