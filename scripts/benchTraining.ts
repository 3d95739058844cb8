/**
 * `npm run bench:training`: how fast does the panel train, next to plain tfjs?
 *
 * In one headless Chromium page (SwiftShader WebGL, as in the webview test tier), for the MNIST
 * convnet, a dense autoencoder 784-128-32-128-784 and a stacked-LSTM forecaster, on each backend
 * (WASM, WebGL, CPU): samples/s of plain `model.fit` and of the panel training the same model
 * through the protocol with every inspection view visible and refreshing. Both are timed on
 * their second epoch. On WASM, five alternated pairs (fit, panel): the best samples/s of each,
 * the median of the pairs' ratios (a pair shares the machine's load; this box is shared, and an
 * epoch here now and then runs 20-30 % slow, in fit and panel alike), and the ratio of the bests. Prints panel/fit (goal ≥ 0.90), the automatic backend choice and why, and
 * writes test-results/webview/bench.json. Needs `node scripts/buildWebview.mjs` first.
 * A report, not a gate: always exits 0 unless the page cannot run.
 *
 *   npm run bench:training [-- --quick] [-- --backends=wasm,cpu (also webgl, webgpu)] [-- --models=convnet,lstm] [-- --views=all|none] [-- --pairs=5]
 *                          [-- --compositing=software|gpu] [-- --no-torch] [-- --torch-threads=default,cores] [-- --workers=1,2]
 *
 * The panel trains with the workers setting a user gets (one worker per core; data-parallel
 * training shares each batch between them); `--workers=` lists the counts to measure, each a row
 * of its own ("convnet ×2" for two workers when more than one count is listed).
 *
 * Each pair is followed by PyTorch training the same model on the CPU for at least as many
 * samples (scripts/bench/torchBench.py, one long-lived process; Debian's python3-torch, installed
 * when missing; skipped with a line saying why where it cannot be), with torch's default thread
 * count and then all cores (`--torch-threads=` a list of counts, `default` or `cores`; the first
 * is the line's). Per model: each pair's samples/s and one
 * `torch-ratio <model> <backend>: panel N samples/s, pytorch M samples/s, ratio R` line, R the
 * median of the pairs' panel / PyTorch ratios, N and M the medians of each side.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { loadMnist } from '../src/data/mnist';
import type { DatasetPayload } from '../src/shared/messages';
import type { BenchCase, BenchFrame, BenchMeasurement, BenchPageApi } from '../test/webview/support/benchApi';
import { REPO, startHarness } from '../test/webview/support/harness';
import { benchConfig } from './bench/benchConfig';
import { mergePairs } from './bench/pairs';
import { type TorchPair, TorchServer, torchPairLines, torchRatioLine, torchThreadCounts } from './bench/pytorchComparison';

const quick = process.argv.includes('--quick');
/** Also train the same models with PyTorch on the CPU and print `torch-ratio` lines (off with --no-torch). */
const TORCH = !process.argv.includes('--no-torch');
/** PyTorch's thread counts, the first the `torch-ratio` line's (see torchThreadCounts). */
const TORCH_THREADS = process.argv.find((a) => a.startsWith('--torch-threads='))?.slice('--torch-threads='.length);
/** PyTorch trains at least this long per pair, beside at least the panel's sample count. */
const TORCH_SECONDS = quick ? 1 : 2;
const backendArg = process.argv.find((a) => a.startsWith('--backends='));
const BACKENDS = backendArg ? backendArg.slice('--backends='.length).split(',') : ['wasm', 'webgl', 'cpu'];
/** The panel's workers settings to measure (default: one per core, as users get). */
const WORKERS = (
  process.argv.find((a) => a.startsWith('--workers='))?.slice('--workers='.length) ?? String(availableParallelism())
)
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n >= 1);
const modelArg = process.argv.find((a) => a.startsWith('--models='));
const MODELS = modelArg ? modelArg.slice('--models='.length).split(',') : null;
/** Alternated (fit, panel) pairs per model on WASM (one on the slow backends and with --quick). */
const PAIRS = Number(process.argv.find((a) => a.startsWith('--pairs='))?.slice('--pairs='.length) ?? 5);
/**
 * How Chromium composites the page. `software` (default): what Chromium does where no usable
 * GPU is found (it composites in software; SwiftShader, where still allowed, only backs WebGL,
 * and since M139 only when asked for with --use-angle=swiftshader, as this harness does to get
 * WebGL). WebGL still runs on SwiftShader. `gpu`: the harness's SwiftShader GPU compositing,
 * which no user gets: on this 2-vCPU box it made frames of 200-2,300 ms with no script in
 * them (the GPU process rasters every visible canvas on the CPUs that train).
 */
const COMPOSITING = (process.argv.find((a) => a.startsWith('--compositing='))?.slice('--compositing='.length) ?? 'software') as
  'software' | 'gpu';
/** `all` (default): every view visible and refreshing; `none`: the panel's curves only. */
const VIEWS = (process.argv.find((a) => a.startsWith('--views='))?.slice('--views='.length) ?? 'all') as 'all' | 'none';

/**
 * Samples per (model, backend): on WASM, epochs of 4–8 s, long enough for the views' refresh
 * rate to settle (a pass is due at once after an epoch boundary, then every ≥ 2 s and at most
 * ~5% of the time); SwiftShader WebGL and the CPU backend are 10–100× slower.
 */
const SAMPLES: Record<string, Record<string, number>> = {
  convnet: { wasm: 4096, webgl: 64, webgpu: 64, cpu: 64 },
  'dense autoencoder': { wasm: 10000, webgl: 512, webgpu: 512, cpu: 1024 },
  lstm: { wasm: 512, webgl: 64, webgpu: 64, cpu: 128 },
};

/** Noisy sines with 4 features; the target is the next 7 values of the first feature. */
function sines(count: number, window = 30, features = 4, horizon = 7): DatasetPayload {
  const xs = new Float32Array(count * window * features);
  const ys = new Float32Array(count * horizon);
  let seed = 7;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  for (let i = 0; i < count; i++) {
    const frequency = 0.1 + 0.3 * random();
    const phase = 6.28 * random();
    for (let t = 0; t < window + horizon; t++) {
      for (let f = 0; f < features; f++) {
        const v = Math.sin(frequency * (t + f) + phase) + 0.05 * (random() - 0.5);
        if (t < window) xs[(i * window + t) * features + f] = v;
        else if (f === 0) ys[i * horizon + t - window] = v;
      }
    }
  }
  return {
    id: 'sines',
    description: `noisy sines, ${count} × ${window}×${features} → ${horizon}`,
    xs: xs.buffer,
    xsShape: [count, window, features],
    ys: ys.buffer,
    ysShape: [count, horizon],
    sampleKind: 'sequence',
  };
}

function describeFrame(f: BenchFrame): string {
  return `${f.ms} ms in ${f.view} (script ${f.scriptMs}, read steps ${f.stepsMs} of which the longest ${f.longestStepMs}, forced layout ${f.forcedLayoutMs}, rendering ${f.renderMs}; ${f.entry || 'no script'})`;
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

async function main(): Promise<void> {
  // WebGPU only where asked for: Chromium offers its adapter (a real GPU's, or SwiftShader's) behind this flag here.
  const webGpu = BACKENDS.includes('webgpu') ? ['--enable-unsafe-webgpu'] : [];
  let closeTorch = (): void => {};
  const harness = await startHarness({
    extraArgs: [...(COMPOSITING === 'software' ? ['--disable-gpu-compositing'] : []), ...webGpu],
  });
  try {
    const convnet = await harness.addModel('examples/mnistConvnet.ts');
    const autoencoder = await harness.addModel('test/fixtures/models/denseAutoencoder.ts', 'autoencoder');
    const lstm = await harness.addModel('test/fixtures/models/lstmForecast.ts', 'model');
    const models: Array<{ c: Omit<BenchCase, 'workers'>; data: (n: number) => DatasetPayload }> = [
      {
        c: { label: 'convnet', bundleUrl: convnet.url, target: convnet.target, config: benchConfig({ metrics: ['accuracy'] }) },
        data: (n) => loadMnist({ count: n, layout: 'image', targets: 'oneHot' }),
      },
      {
        c: {
          label: 'dense autoencoder',
          bundleUrl: autoencoder.url,
          target: autoencoder.target,
          config: benchConfig({ loss: 'binaryCrossentropy', batchSize: 64 }),
        },
        data: (n) => loadMnist({ count: n, layout: 'vector', targets: 'none' }),
      },
      {
        c: { label: 'lstm', bundleUrl: lstm.url, target: lstm.target, config: benchConfig({ loss: 'meanSquaredError' }) },
        data: (n) => sines(n),
      },
    ];
    const cases = models.flatMap(({ c, data }) =>
      WORKERS.map((workers) => ({
        c: { ...c, workers, label: WORKERS.length > 1 ? `${c.label} ×${workers}` : c.label },
        data,
        model: c.label,
      })),
    );
    console.log(`panel workers: ${WORKERS.join(', ')} (one per core: ${availableParallelism()})`);
    const page = await harness.openPage({ page: 'benchPage', width: 1000, height: 1400 });
    const call = <K extends keyof BenchPageApi>(
      method: K,
      ...args: Parameters<BenchPageApi[K]>
    ): Promise<Awaited<ReturnType<BenchPageApi[K]>>> =>
      page.evaluate(
        ({ name, values }) => {
          const api = (globalThis as unknown as { modelLensBench: Record<string, (...a: unknown[]) => unknown> }).modelLensBench;
          return api[name]!(...values);
        },
        { name: method as string, values: args as unknown[] },
      ) as Promise<Awaited<ReturnType<BenchPageApi[K]>>>;

    const auto = await call('autoBackend');
    console.log(`automatic backend choice: ${auto.name} (${auto.reason}); compositing: ${COMPOSITING}`);
    const started = TORCH ? await TorchServer.start(REPO) : { skipped: 'not asked for (--no-torch)' };
    const torch = started instanceof TorchServer ? started : null;
    closeTorch = () => torch?.close();
    const threads = torch ? torchThreadCounts(TORCH_THREADS, torch) : [];
    console.log(
      torch
        ? `pytorch ${torch.version} on the CPU after each pair: ${threads.join(', ')} thread(s) (torch's default ${torch.defaultThreads}, ${torch.cores} cores)\n`
        : `torch-ratio: skipped: ${'skipped' in started ? started.skipped : ''}\n`,
    );
    const results: BenchMeasurement[] = [];
    const torchResults: Array<{ model: string; backend: string; threads: number[]; pairs: TorchPair[]; line: string }> = [];
    const errors: string[] = [];
    for (const backend of BACKENDS) {
      for (const { c, data, model } of cases.filter((k) => MODELS === null || MODELS.some((m) => k.c.label.startsWith(m)))) {
        const n = Math.max(64, Math.round((SAMPLES[model]?.[backend] ?? 256) / (quick ? 4 : 1)));
        const url = harness.addDataset(`${model}-${n}`, data(n));
        try {
          // One (fit, panel) pair per call, PyTorch right after it: each side of a pair shares the machine's load.
          const runs: BenchMeasurement[] = [];
          const torchPairs: TorchPair[] = [];
          for (let i = 0; i < (quick || backend !== 'wasm' ? 1 : PAIRS); i++) {
            const run = await call('measure', c, backend, url, VIEWS, 1);
            runs.push(run);
            if (torch) torchPairs.push({ panel: run.panelSamplesPerSecond, torch: await torchPair(torch, model, n, errors) });
          }
          const r = mergePairs(runs);
          results.push(r);
          console.log(
            `${pad(backend, 6)} ${pad(c.label, 18)} n=${pad(String(n), 5)} fit ${pad(r.fitSamplesPerSecond.toFixed(1), 8)} panel ${pad(r.panelSamplesPerSecond.toFixed(1), 8)} samples/s  ratio ${r.ratio.toFixed(2)}` +
              `  (best/best ${(r.panelSamplesPerSecond / r.fitSamplesPerSecond).toFixed(2)}; pairs ${r.pairs.map((p) => (p.panel / p.fit).toFixed(2)).join(' ')}; view refreshes ${r.viewRefreshes};` +
              ` long tasks while training ${r.longTasks.count}, ${r.longTasks.over100} over 100 ms, longest ${r.longTasks.maxMs} ms` +
              `${
                Object.keys(r.longTasks.byView).length > 0
                  ? ` — by view: ${Object.entries(r.longTasks.byView)
                      .map(([v, ms]) => `${v} ${ms}`)
                      .join(', ')}`
                  : ''
              }` +
              `; frames over 100 ms while training (all runs) ${r.longTasks.frames.length}${r.longTasks.frames.length > 0 ? `, worst ${describeFrame(r.longTasks.frames[0]!)}` : ''};` +
              ` longest task before training ${r.longTasks.beforeTrainingMaxMs} ms` +
              `${
                Object.keys(r.longTasks.beforeTrainingByView).length > 0
                  ? ` — ${Object.entries(r.longTasks.beforeTrainingByView)
                      .map(([v, ms]) => `${v} ${ms}`)
                      .join(', ')}`
                  : ''
              }` +
              `; frames over 100 ms before training ${r.longTasks.beforeFrames.length}${r.longTasks.beforeFrames.length > 0 ? `, worst ${describeFrame(r.longTasks.beforeFrames[0]!)}` : ''})`,
          );
          if (torch) {
            const line = torchRatioLine(c.label, backend, torchPairs, threads, torch.defaultThreads);
            torchResults.push({ model: c.label, backend, threads, pairs: torchPairs, line });
            for (const pairLine of torchPairLines(torchPairs, threads)) console.log(pairLine);
            console.log(`  ${line}`);
          }
        } catch (error) {
          const message = `${backend} ${c.label}: ${(error as Error).message.split('\n')[0]}`;
          errors.push(message);
          console.log(`${pad(backend, 6)} ${pad(c.label, 18)} failed: ${message}`);
        }
      }
    }
    console.log(`\nsamples/s per backend (panel, ${VIEWS === 'all' ? 'all views live' : 'no inspection views'}):`);
    for (const backend of BACKENDS) {
      const rows = results.filter((r) => r.backend === backend);
      console.log(`  ${pad(backend, 6)} ${rows.map((r) => `${r.model} ${r.panelSamplesPerSecond.toFixed(1)}`).join(' · ')}`);
    }
    const ratios = results.map((r) => r.ratio);
    const worst = Math.min(...ratios);
    const onAuto = results.filter((r) => r.backend === auto.name);
    const bestRatio = (r: BenchMeasurement): number => r.panelSamplesPerSecond / r.fitSamplesPerSecond;
    if (onAuto.length === 0) {
      console.log(`\npanel / plain fit: the automatic backend (${auto.name}) was not measured; worst ratio ${worst.toFixed(2)}`);
    } else {
      console.log(
        `\npanel / plain fit (median of pairs): worst ${worst.toFixed(2)}, on the automatic backend (${auto.name}) ${onAuto.map((r) => `${r.model} ${r.ratio.toFixed(2)}`).join(', ')}` +
          `  (goal ≥ 0.90: ${onAuto.every((r) => r.ratio >= 0.9) ? 'met' : 'NOT met'} on ${auto.name})` +
          `\npanel / plain fit (best / best): ${onAuto.map((r) => `${r.model} ${bestRatio(r).toFixed(2)}`).join(', ')}` +
          `  (goal ≥ 0.90: ${onAuto.every((r) => bestRatio(r) >= 0.9) ? 'met' : 'NOT met'} on ${auto.name})`,
      );
    }
    const out = path.join(REPO, 'test-results', 'webview');
    mkdirSync(out, { recursive: true });
    writeFileSync(
      path.join(out, `bench-${VIEWS === 'all' ? 'views' : 'noviews'}.json`),
      `${JSON.stringify({ auto, views: VIEWS, compositing: COMPOSITING, results, torch: torch ? { version: torch.version, defaultThreads: torch.defaultThreads, cores: torch.cores, results: torchResults } : started, errors }, null, 2)}\n`,
    );
    console.log(`written to ${path.relative(process.cwd(), out)}/`);
  } finally {
    closeTorch();
    await harness.close();
  }
}

/** PyTorch's samples/s for one pair, per thread count; a failure is logged and leaves that count out. */
async function torchPair(torch: TorchServer, model: string, samples: number, errors: string[]): Promise<Record<number, number>> {
  const rates: Record<number, number> = {};
  for (const t of torchThreadCounts(TORCH_THREADS, torch)) {
    try {
      rates[t] = (await torch.train(model, samples, TORCH_SECONDS, t)).samplesPerSecond;
    } catch (error) {
      errors.push(`pytorch ${model} ${t} threads: ${(error as Error).message}`);
      console.log(`  pytorch ${model} ${t} threads failed: ${(error as Error).message}`);
    }
  }
  return rates;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
