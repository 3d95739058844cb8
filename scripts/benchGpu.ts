/**
 * `npm run bench:gpu`: the panel's training on tfjs's WebGPU backend on this machine's GPU, next
 * to WASM on its CPU and to PyTorch on both, in one run.
 *
 * Chromium's WebGPU is Dawn; so is the `webgpu` npm package (Dawn's Node bindings), which
 * scripts/bench/setupGpu.mjs installs into .cache/bench beside this script's bundle. With it, in
 * Node: the adapter Dawn offers and what the panel's automatic backend choice makes of it; the
 * panel's one-batch check of WebGPU (outputs and every gradient against the fallback backend)
 * for the training bench's three models; then, per model, samples/s of the panel's Trainer on
 * WebGPU and on WASM (one thread, as one panel worker), of tfjs's `model.fit` on WebGPU, and of
 * PyTorch (scripts/bench/torchBench.py) on CUDA and on the CPU, and one line
 * `gpu-ratio <model>: panel on webgpu N samples/s, pytorch cuda M samples/s, ratio R`.
 * No views are drawn (Node has no page): the training bench measures what they cost.
 *
 * Without a hardware adapter it says why and measures nothing else. A report, not a gate.
 *
 * `--batch=N` trains every model with batches of N instead (where a GPU starts to pay), without
 * PyTorch (torchBench.py trains the bench's own batch sizes).
 *
 *   npm run bench:gpu [-- --models=convnet,lstm] [-- --batch=256] [-- --dawn-flags="backend=vulkan"]
 */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import { TorchServer } from './bench/pytorchComparison';

const REPO = process.cwd();
const modelArg = process.argv.find((a) => a.startsWith('--models='));
const MODELS = modelArg ? modelArg.slice('--models='.length).split(',') : null;
const DAWN_FLAGS = (process.argv.find((a) => a.startsWith('--dawn-flags='))?.slice('--dawn-flags='.length) ?? '')
  .split(' ')
  .filter((f) => f !== '');
const BATCH = Number(process.argv.find((a) => a.startsWith('--batch='))?.slice('--batch='.length) ?? 0);
/** The WASM binaries, copied beside the bundle by setupGpu.mjs. */
const WASM_PATHS = `${path.join(path.dirname(process.argv[1] ?? REPO), 'wasm')}/`;

interface DawnModule {
  create(flags: string[]): unknown;
  globals: Record<string, unknown>;
}

/** Puts Dawn's `navigator.gpu` and WebGPU's globals in place; why not where it cannot. */
async function startDawn(): Promise<string | null> {
  try {
    // Installed by setupGpu.mjs beside the bundle, not a dependency: resolved only when this runs.
    const dawnPackage = 'webgpu';
    const dawn = (await import(dawnPackage)) as DawnModule;
    Object.assign(globalThis, dawn.globals);
    const gpu = dawn.create(DAWN_FLAGS);
    Object.defineProperty(globalThis, 'navigator', {
      value: { gpu, userAgent: `Node.js ${process.version}`, hardwareConcurrency: availableParallelism(), language: 'en' },
      configurable: true,
      writable: true,
    });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

const rate = (n: number): string => (Number.isFinite(n) ? n.toFixed(0) : 'n/a');

async function main(): Promise<void> {
  // Dawn's mapAsync callbacks do not hold Node's event loop open: without a pending timer, Node can
  // exit (code 0, silently) while a read-back is still on its way.
  setInterval(() => {}, 1000);
  const noDawn = await startDawn();
  if (noDawn !== null) {
    console.log(`bench:gpu: Dawn (the webgpu package) did not load: ${noDawn}`);
    return;
  }
  const runs = await import('./bench/gpuRuns');
  const { probe, choice } = await runs.automaticChoice(WASM_PATHS);
  const adapter = probe.available ? `${probe.adapter} (${probe.software ? 'software' : 'hardware'})` : probe.adapter;
  console.log(`adapter: ${adapter}; the panel's automatic choice: ${choice.name} (${choice.reason})`);
  if (choice.name !== 'webgpu') {
    console.log('bench:gpu: no hardware WebGPU adapter here: nothing to measure');
    return;
  }
  const started = BATCH > 0 ? { skipped: `not compared at batches of ${BATCH}` } : await TorchServer.start(REPO);
  const torch = started instanceof TorchServer ? started : null;
  console.log(
    torch
      ? `pytorch ${torch.version}: cuda ${torch.cuda ?? 'not available'}; cpu ${torch.defaultThreads} threads (${torch.cores} cores)`
      : `pytorch: skipped: ${'skipped' in started ? started.skipped : ''}`,
  );
  try {
    for (const each of runs.GPU_CASES.filter((k) => MODELS === null || MODELS.includes(k.label))) {
      const c =
        BATCH > 0 ? { ...each, label: `${each.label} (batch ${BATCH})`, config: { ...each.config, batchSize: BATCH } } : each;
      const { kept, outcome } = await runs.checkCase(c, choice, WASM_PATHS);
      console.log(
        `check ${c.label}: the panel trains it on ${kept.name} (${kept.reason})` +
          (outcome ? `; largest relative difference ${outcome.worst.toExponential(1)} in ${outcome.where}` : ''),
      );
      const measure = async (what: string, run: () => Promise<number>): Promise<number> => {
        try {
          return await run();
        } catch (error) {
          console.log(`  ${c.label} ${what}: ${error instanceof Error ? error.message : String(error)}`);
          return Number.NaN;
        }
      };
      const panel = await measure('panel webgpu', () => runs.trainerRate(c, 'webgpu', c.samples.webgpu, WASM_PATHS));
      const fit = await measure('fit webgpu', () => runs.fitRate(c, 'webgpu', c.samples.webgpu, WASM_PATHS));
      const wasm = await measure('panel wasm', () => runs.trainerRate(c, 'wasm', c.samples.wasm, WASM_PATHS));
      const cuda =
        torch?.cuda != null
          ? await measure(
              'pytorch cuda',
              async () => (await torch.train(each.label, c.samples.webgpu, 3, torch.defaultThreads, 'cuda')).samplesPerSecond,
            )
          : Number.NaN;
      const cpu = torch
        ? await measure(
            'pytorch cpu',
            async () => (await torch.train(each.label, c.samples.wasm, 3, torch.defaultThreads)).samplesPerSecond,
          )
        : Number.NaN;
      console.log(
        `  ${c.label}: panel on webgpu ${rate(panel)} samples/s, tfjs fit on webgpu ${rate(fit)} (panel/fit ${(panel / fit).toFixed(2)}), ` +
          `panel on wasm ${rate(wasm)} (webgpu/wasm ${(panel / wasm).toFixed(2)}); pytorch cuda ${rate(cuda)}, pytorch cpu ${rate(cpu)}`,
      );
      // Only where PyTorch trained the same model on CUDA (not with --batch, not without CUDA).
      if (Number.isFinite(cuda))
        console.log(
          `gpu-ratio ${c.label}: panel on webgpu ${rate(panel)} samples/s, pytorch cuda ${rate(cuda)} samples/s, ratio ${(panel / cuda).toFixed(3)}`,
        );
    }
  } finally {
    torch?.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench:gpu failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
