/**
 * The views test page: mounts every inspection view from `createViews()` the way the training
 * panel does (one host per tab), builds a small model in the page, and exposes `window.harness`
 * (test/webview/views/harnessApi.ts) for the Playwright tests.
 */
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { measureGanLosses } from '../../../../webview/probes/ganLosses';
import { registerWasmTrainingKernels } from '../../../../webview/training/wasmKernels';
import { TrainingCurves } from '../../../../webview/ui/trainingCurves';
import { createViews } from '../../../../webview/views/viewRegistry';
import type { InspectionView, ProbeContext } from '../../../../webview/views/viewTypes';
import type { CanvasStat, Harness, RefreshTiming, SetupInfo, SetupOptions } from '../harnessApi';
import { buildModel, type Built } from './models.mjs';

let built: Built | null = null;
let views: InspectionView[] = [];
const hosts = new Map<string, HTMLElement>();
let epoch = 0;

function tabs(): HTMLElement {
  return document.getElementById('tabs')!;
}

function mountViews(): void {
  for (const v of views) v.dispose();
  hosts.clear();
  const main = document.getElementById('views')!;
  main.replaceChildren();
  tabs().replaceChildren();
  views = createViews();
  for (const v of views) {
    const host = document.createElement('div');
    host.className = 'view-host';
    host.dataset['host'] = v.id;
    main.append(host);
    hosts.set(v.id, host);
    v.mount(host);
    const tab = document.createElement('button');
    tab.className = 'tab';
    tab.textContent = v.title;
    tab.dataset['tab'] = v.id;
    tab.addEventListener('click', () => harness.show(v.id));
    tabs().append(tab);
  }
}

function context(e: number): ProbeContext {
  if (!built) throw new Error('no model: call setup first');
  const { model, dataset, companions } = built;
  return {
    tf,
    model,
    dataset,
    sampleIndex: 0,
    epoch: e,
    batch: 0,
    focusedLayer: null,
    ganLosses: () => measureGanLosses(tf, model, [model, ...(companions ?? [])], dataset),
  };
}

function applicable(): InspectionView[] {
  return built ? views.filter((v) => v.applies(built!.model)) : [];
}

function stat(canvas: HTMLCanvasElement): CanvasStat {
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  if (!ctx || width === 0 || height === 0) return { role: canvas.dataset['role'] ?? null, width, height, std: 0, coverage: 0 };
  const data = ctx.getImageData(0, 0, width, height).data;
  let s = 0;
  let ss = 0;
  let opaque = 0;
  for (let i = 0; i < data.length; i++) {
    s += data[i]!;
    ss += data[i]! * data[i]!;
  }
  for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) opaque++;
  const mean = s / data.length;
  return {
    role: canvas.dataset['role'] ?? null,
    width,
    height,
    std: Math.sqrt(Math.max(0, ss / data.length - mean * mean)),
    coverage: opaque / (width * height),
  };
}

const harness: Harness = {
  async setBackend(name) {
    if (name === 'wasm') setWasmPaths(new URL('./', location.href).href);
    if (!(await tf.setBackend(name))) throw new Error(`backend ${name} failed to initialise`);
    await tf.ready();
    // The gradient kernels tfjs-wasm lacks, as the panel registers them (a GAN's step needs them).
    if (name === 'wasm') registerWasmTrainingKernels();
    return tf.getBackend();
  },

  async setup(options: SetupOptions): Promise<SetupInfo> {
    for (const v of views) v.dispose();
    views = [];
    if (built) {
      built.model.optimizer?.dispose();
      built.model.dispose();
      for (const m of built.companions ?? []) m.dispose();
      built.adversarial?.dispose();
      built.ys.dispose();
    }
    const theme = options.theme ?? 'dark';
    document.body.classList.toggle('vscode-light', theme === 'light');
    document.body.classList.toggle('vscode-dark', theme === 'dark');
    document.body.classList.toggle('vscode-high-contrast', theme === 'hc-dark');
    document.body.classList.toggle('vscode-high-contrast-light', theme === 'hc-light');
    built = buildModel(options);
    built.model.compile({ optimizer: tf.train.adam(0.01), loss: built.loss });
    epoch = 0;
    mountViews();
    harness.show('all');
    return {
      model: built.model.name,
      layers: built.model.layers.map((l) => `${l.name}:${l.getClassName()}`),
      params: built.model.countParams(),
      samples: built.dataset.xsShape[0]!,
      views: views.map((v) => ({ id: v.id, title: v.title, applies: v.applies(built!.model) })),
      numTensors: tf.memory().numTensors,
    };
  },

  async train(epochs, batchSize, learningRate) {
    if (!built) throw new Error('no model');
    if (learningRate !== undefined) {
      built.model.optimizer?.dispose();
      built.model.compile({ optimizer: tf.train.adam(learningRate), loss: built.loss });
    }
    const x = tf.tensor(built.dataset.xs, built.dataset.xsShape);
    const xs = built.model.inputs[0]!.shape.length === 2 ? x.reshape([built.dataset.xsShape[0]!, -1]) : x;
    try {
      const h = await built.model.fit(xs, built.ys, { epochs, batchSize, shuffle: true, verbose: 0 });
      epoch += epochs;
      const loss = h.history['loss'] as number[];
      return loss[loss.length - 1]!;
    } finally {
      tf.dispose([x, xs]);
    }
  },

  async trainAdversarial(steps, batchSize) {
    const gan = built?.adversarial;
    if (!built || !gan) throw new Error('no GAN');
    const n = built.ys.shape[0]!;
    for (let s = 0; s < steps; s++) {
      const rows = tf.tensor1d(
        Array.from({ length: batchSize }, (_, k) => (s * batchSize + k) % n),
        'int32',
      );
      const real = tf.gather(built.ys, rows);
      gan.step(real);
      tf.dispose([rows, real]);
      await tf.nextFrame();
    }
    epoch += 1;
  },

  async refresh(times, startEpoch = epoch): Promise<RefreshTiming> {
    harness.show('all');
    const ms: Record<string, number[]> = {};
    const numTensorsBefore = tf.memory().numTensors;
    for (let i = 0; i < times; i++) {
      for (const v of applicable()) {
        const t0 = performance.now();
        await v.refresh(context(startEpoch + i));
        (ms[v.id] ??= []).push(performance.now() - t0);
      }
    }
    const numTensorsAfter = tf.memory().numTensors;
    const median = (a: number[]): number => [...a].sort((p, q) => p - q)[Math.floor(a.length / 2)]!;
    return { ms: Object.fromEntries(Object.entries(ms).map(([k, a]) => [k, median(a)])), numTensorsBefore, numTensorsAfter };
  },

  async refreshAsIs(e) {
    for (const v of applicable()) await v.refresh(context(e));
    return harness.renderCounts();
  },

  renderCounts() {
    return Object.fromEntries(views.map((v) => [v.id, (v as unknown as { renderCount?: number }).renderCount ?? -1]));
  },

  show(viewId) {
    window.scrollTo(0, 0);
    for (const [id, host] of hosts) host.hidden = viewId !== 'all' && id !== viewId;
    for (const tab of Array.from(tabs().querySelectorAll<HTMLElement>('.tab'))) {
      const id = tab.dataset['tab']!;
      tab.classList.toggle('active', id === viewId);
      tab.hidden = !!built && !views.find((v) => v.id === id)?.applies(built.model);
    }
  },

  canvasStats(selector) {
    return Array.from(document.querySelectorAll<HTMLCanvasElement>(selector)).map(stat);
  },

  gridTiles(selector) {
    const canvas = document.querySelector<HTMLCanvasElement>(selector);
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return [];
    const rows = Number(canvas.dataset['rows']);
    const cols = Number(canvas.dataset['cols']);
    const dpr = canvas.width / parseFloat(canvas.style.width);
    const gap = Number(canvas.dataset['gap']) * dpr;
    const w = (canvas.width - (cols - 1) * gap) / cols;
    const h = (canvas.height - (rows - 1) * gap) / rows;
    const hashes: string[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const data = ctx.getImageData(Math.round(c * (w + gap)), Math.round(r * (h + gap)), Math.floor(w), Math.floor(h)).data;
        let hash = 2166136261;
        for (let i = 0; i < data.length; i += 4) hash = Math.imul(hash ^ data[i]!, 16777619) >>> 0;
        hashes.push(hash.toString(16));
      }
    }
    return hashes;
  },

  async curveTicks(metric, batches, epochs, values) {
    document.querySelector('[data-testid="curves-under-test"]')?.remove();
    const curves = new TrainingCurves();
    curves.element.dataset['testid'] = 'curves-under-test';
    curves.element.style.width = '820px';
    document.body.prepend(curves.element);
    curves.reset(epochs, [metric]);
    values.loss.forEach((loss, i) => {
      const epoch = Math.floor(i / batches) + 1;
      curves.addBatch(epoch, (i % batches) + 1, batches, loss, { [metric]: values.metric[i]! });
      if ((i + 1) % batches === 0) {
        const from = i + 1 - batches;
        const mean = (xs: number[]): number => xs.slice(from, i + 1).reduce((a, b) => a + b, 0) / batches;
        curves.addEpoch(epoch, mean(values.loss), { [metric]: mean(values.metric) });
      }
    });
    curves.render();
    // The charts draw in an animation frame.
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const ticks = (i: number): string[] =>
      (curves.element.querySelectorAll<HTMLCanvasElement>('canvas')[i]?.dataset['yTicks'] ?? '')
        .split('|')
        .filter((t) => t !== '');
    return { loss: ticks(0), metric: ticks(1) };
  },

  attrs(selector, name) {
    return Array.from(document.querySelectorAll(selector)).map((e) => e.getAttribute(name));
  },

  texts(selector) {
    return Array.from(document.querySelectorAll(selector)).map((e) => e.textContent ?? '');
  },

  focusLayer(name) {
    for (const v of views) v.focusLayer?.(name);
    return Array.from(document.querySelectorAll<HTMLElement>('.ml-focused')).map(
      (e) => e.closest<HTMLElement>('[data-host]')?.dataset['host'] ?? '?',
    );
  },

  numTensors() {
    return tf.memory().numTensors;
  },

  async runUmap(timeoutMs) {
    const host = hosts.get('latent')!;
    const button = Array.from(host.querySelectorAll<HTMLButtonElement>('button')).find((b) => b.textContent === 'Run UMAP');
    if (!button) throw new Error('no UMAP button');
    button.click();
    const t0 = performance.now();
    const status = (): string => host.querySelector('.ml-toolbar')?.textContent ?? '';
    while (!/UMAP of epoch/.test(status()) && performance.now() - t0 < timeoutMs) await new Promise((r) => setTimeout(r, 50));
    const canvas = host.querySelector<HTMLCanvasElement>('[data-role="latent-scatter"]');
    return { points: Number(canvas?.dataset['points'] ?? -1), status: status() };
  },
};

(window as unknown as { harness: Harness }).harness = harness;
document.body.dataset['ready'] = 'true';
