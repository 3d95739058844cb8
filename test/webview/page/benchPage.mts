/**
 * The training bench's page (scripts/benchTraining.ts drives it): for each model and backend,
 * the samples/s of plain `model.fit` and of the panel training the same model with its views
 * live, in one page. Each measures its second epoch (the first warms up kernels and shaders).
 */
import * as tf from '@tensorflow/tfjs';
import type { DatasetPayload, HostToWebview, Transport, WebviewToHost } from '../../../src/shared/messages';
import { startPanel } from '../../../webview/app/startPanel';
import { stepObserver } from '../../../webview/probes/packedRead';
import { createViews } from '../../../webview/views/viewRegistry';
import { selectBackend } from '../../../webview/training/backend';
import { disposeModels, loadModel } from '../../../webview/training/modelLoader';
import { createOptimizer, normalizeLoss, normalizeMetric } from '../../../webview/training/trainSettings';
import { decodeDataset } from '../support/datasetWire';
import type { BenchCase, BenchFrame, BenchMeasurement, BenchPageApi } from '../support/benchApi';
import { applyTheme } from './themes.mjs';

const wasmBase = new URL('/dist/webview/wasm/', location.href).href;

async function fetchDataset(url: string): Promise<DatasetPayload> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`dataset ${url}: HTTP ${response.status}`);
  return decodeDataset(await response.arrayBuffer());
}

/**
 * Plain tfjs: compile + fit(2 epochs), the second epoch timed. With `yieldEvery: 'never'`: by
 * default fit waits for an animation frame every 125 ms, which cost it 5-10 % here and made it
 * swing with the compositor (frames of 600 ms with no script on this box); never yielding is
 * the fastest fit, the stricter baseline.
 */
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
    yieldEvery: 'never',
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
  /** When the panel said it trains: long tasks before it (opening the panel, loading the model) are reported apart. */
  let trainingSince: number | null = null;
  let done: (state: string, message?: string) => void = () => {};
  const finished = new Promise<{ state: string; message?: string }>(
    (resolve) => (done = (state, message) => resolve({ state, ...(message !== undefined ? { message } : {}) })),
  );
  const transport: Transport<HostToWebview, WebviewToHost> = {
    post(message) {
      if (message.type === 'ready') {
        const send = (m: HostToWebview): void => void setTimeout(() => listener?.(m), 0);
        send({
          type: 'init',
          target: c.target,
          bundleUrl: c.bundleUrl,
          wasmBase,
          backend: backend as 'wasm',
          workers: c.workers,
          config: { ...c.config, epochs: 2 },
        });
        send({ type: 'dataset', dataset });
        send({ type: 'train', config: { ...c.config, epochs: 2 } });
      }
      if (message.type === 'state' && message.state === 'training' && trainingSince === null) trainingSince = performance.now();
      if (message.type === 'state' && (message.state === 'done' || message.state === 'error'))
        done(message.state, message.message);
      if (message.type === 'error') done('error', message.message);
    },
    onMessage(l) {
      listener = l;
      return () => (listener = null);
    },
  };
  // Each view's refresh windows, to tell which view a long task came from (views refresh one after another).
  const windows: Array<{ id: string; start: number; end: number }> = [];
  const viewList = views === 'none' ? [] : createViews();
  for (const view of viewList) {
    const refresh = view.refresh.bind(view);
    view.refresh = async (ctx) => {
      const start = performance.now();
      try {
        await refresh(ctx);
      } finally {
        windows.push({ id: view.id, start, end: performance.now() });
      }
    };
  }
  const panel = startPanel(transport, root, { progressIntervalMs: 250, views: viewList });
  let style: HTMLStyleElement | null = null;
  if (views === 'all') {
    // Every view visible (not only the selected tab's), so every view refreshes while training.
    style = document.createElement('style');
    style.textContent = 'vscode-tab-panel[hidden], vscode-tab-panel { display: block !important; }';
    document.head.append(style);
  }
  // Long tasks (over 50 ms) of the page while the panel trains: the frame goal is none over 100 ms.
  // Those before training (the panel's first layout, the page's model load) are counted apart.
  const longTasks: Array<{ start: number; duration: number }> = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
  });
  observer.observe({ type: 'longtask' });
  // What the frames over 100 ms were made of: the views' read steps (each tf.tidy), script and layout.
  const steps: Array<{ end: number; ms: number }> = [];
  stepObserver.observe = (ms) => steps.push({ end: performance.now(), ms });
  // Attributed once the run is over: a view's refresh window is known only when it has ended.
  const loafs: LoafEntry[] = [];
  const frameObserver = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')
    ? new PerformanceObserver((list) => {
        for (const entry of list.getEntries() as LoafEntry[]) if (entry.duration > 100) loafs.push(entry);
      })
    : null;
  frameObserver?.observe({ type: 'long-animation-frame' });
  const outcome = await finished;
  observer.disconnect();
  frameObserver?.disconnect();
  stepObserver.observe = null;
  const frames = loafs.map((entry) => frameOf(entry, steps, windows));
  const reports = panel.epochReports();
  const since = trainingSince ?? Number.POSITIVE_INFINITY;
  const before = longTasks.filter((t) => t.start < since);
  const during = longTasks.filter((t) => t.start >= since);
  const result = {
    samplesPerSecond: reports[1]?.samplesPerSecond ?? Number.NaN,
    viewRefreshes: panel.viewRefreshCount(),
    timing: reports[1]?.timing,
    longTasks: {
      count: during.length,
      over100: during.filter((t) => t.duration > 100).length,
      maxMs: Math.round(Math.max(0, ...during.map((t) => t.duration))),
      byView: attribute(during, windows),
      beforeTrainingMaxMs: Math.round(Math.max(0, ...before.map((t) => t.duration))),
      beforeTrainingByView: attribute(before, windows),
      frames: frames.filter((f) => f.start >= since),
      beforeFrames: frames.filter((f) => f.start < since),
    },
  };
  await panel.dispose();
  root.remove();
  style?.remove();
  if (outcome.state === 'error') throw new Error(`${c.label} on ${backend}: ${outcome.message ?? 'error'}`);
  return result;
}

/** A Long Animation Frame entry (Chromium), as far as the bench reads it. */
interface LoafEntry extends PerformanceEntry {
  renderStart: number;
  styleAndLayoutStart: number;
  scripts: Array<{
    duration: number;
    forcedStyleAndLayoutDuration: number;
    invoker: string;
    sourceFunctionName: string;
    sourceURL: string;
    sourceCharPosition: number;
  }>;
}

type LongFrame = BenchFrame;

function frameOf(
  entry: LoafEntry,
  steps: Array<{ end: number; ms: number }>,
  windows: Array<{ id: string; start: number; end: number }>,
): LongFrame {
  const end = entry.startTime + entry.duration;
  const inside = steps.filter((s) => s.end > entry.startTime && s.end <= end);
  const longest = [...entry.scripts].sort((a, b) => b.duration - a.duration).slice(0, 3);
  return {
    start: entry.startTime,
    ms: Math.round(entry.duration),
    view: windows.find((v) => entry.startTime < v.end && end > v.start)?.id ?? 'other',
    scriptMs: Math.round(entry.scripts.reduce((sum, x) => sum + x.duration, 0)),
    stepsMs: Math.round(inside.reduce((sum, x) => sum + x.ms, 0)),
    longestStepMs: Math.round(Math.max(0, ...inside.map((x) => x.ms))),
    forcedLayoutMs: Math.round(entry.scripts.reduce((sum, x) => sum + x.forcedStyleAndLayoutDuration, 0)),
    renderMs: Math.round(entry.renderStart > 0 ? end - entry.renderStart : 0),
    entry: longest
      .map(
        (x) =>
          `${Math.round(x.duration)} ms ${x.invoker} ${x.sourceFunctionName} ${x.sourceURL.split('/').pop() ?? ''}:${x.sourceCharPosition}`,
      )
      .join(' | '),
  };
}

/** The longest task per view whose refresh it fell in ('other': outside every view's refresh). */
function attribute(
  tasks: Array<{ start: number; duration: number }>,
  windows: Array<{ id: string; start: number; end: number }>,
): Record<string, number> {
  const worst: Record<string, number> = {};
  for (const t of tasks) {
    const w = windows.find((v) => t.start < v.end && t.start + t.duration > v.start);
    const id = w?.id ?? 'other';
    worst[id] = Math.round(Math.max(worst[id] ?? 0, t.duration));
  }
  return worst;
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
      // A task boundary first: fit's last task (it never yields) must not count as the panel's.
      await new Promise((resolve) => setTimeout(resolve, 50));
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
        beforeTrainingMaxMs: Math.max(...panels.map((p) => p.longTasks.beforeTrainingMaxMs)),
        beforeTrainingByView: panels.reduce<Record<string, number>>((all, p) => {
          for (const [id, ms] of Object.entries(p.longTasks.beforeTrainingByView)) all[id] = Math.max(all[id] ?? 0, ms);
          return all;
        }, {}),
        byView: panels.reduce<Record<string, number>>((all, p) => {
          for (const [id, ms] of Object.entries(p.longTasks.byView)) all[id] = Math.max(all[id] ?? 0, ms);
          return all;
        }, {}),
        frames: panels.flatMap((p) => p.longTasks.frames).sort((a, b) => b.ms - a.ms),
        beforeFrames: panels.flatMap((p) => p.longTasks.beforeFrames).sort((a, b) => b.ms - a.ms),
      },
    };
    return result;
  },
};

applyTheme('dark');
(window as unknown as { modelLensBench: BenchPageApi }).modelLensBench = api;
document.body.dataset['pageReady'] = '1';
