/**
 * The training panel's automatic backend choice (webview/training/backend.ts) with stated WebGL
 * and WebGPU probes, in Node: WebGPU is never tried on a software adapter, and where it does not
 * start the choice made without it stands, saying so. (In Node neither GPU backend starts; the
 * browser tier trains on WebGPU and checks it: test/webview/webgpu.test.ts.)
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { probeWebGpu, selectBackend } from '../../webview/training/backend';
import type { WebGlProbe, WebGpuProbe } from '../../webview/training/backend';
import { compareMeasurements, confirmBackend, CHECK_TOLERANCE } from '../../webview/training/backendCheck';
import type { DatasetArrays } from '../../src/shared/messages';

/** tfjs's WASM binaries, so that the WASM backend starts here as in the panel. */
const WASM = `${path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist')}/`;
const noWebGl = (): WebGlProbe => ({ available: false, renderer: '', software: false });
const gpu =
  (probe: WebGpuProbe): (() => Promise<WebGpuProbe>) =>
  async () =>
    probe;

describe('backend choice with WebGPU', () => {
  after(async () => {
    await tf.setBackend('cpu');
  });

  it('does not try a software WebGPU adapter (SwiftShader): the usual choice, no check due', async () => {
    const choice = await selectBackend(
      'auto',
      WASM,
      noWebGl,
      gpu({ available: true, adapter: 'google swiftshader', software: true }),
    );
    assert.doesNotMatch(choice.reason, /WebGPU/);
    assert.equal(choice.reason, 'WebGL is not available: using WASM (SIMD)');
    assert.equal(choice.fallback, undefined);
  });

  it('tries a hardware adapter first, and says so when WebGPU does not start', async () => {
    const usual = await selectBackend(
      'auto',
      WASM,
      noWebGl,
      gpu({ available: false, adapter: 'no WebGPU adapter', software: false }),
    );
    const choice = await selectBackend(
      'auto',
      WASM,
      noWebGl,
      gpu({ available: true, adapter: 'nvidia ampere', software: false }),
    );
    assert.equal(choice.name, usual.name);
    assert.equal(choice.reason, `WebGPU failed to start; ${usual.reason}`);
    assert.equal(choice.fallback, undefined);
  });

  it('a forced WebGPU that does not start falls back to the automatic choice, saying so', async () => {
    const choice = await selectBackend(
      'webgpu',
      WASM,
      noWebGl,
      gpu({ available: false, adapter: 'no WebGPU adapter', software: false }),
    );
    assert.equal(choice.name, 'wasm');
    assert.equal(choice.reason, 'WebGPU could not start. WebGL is not available: using WASM (SIMD)');
    assert.equal(choice.fallback, undefined);
  });

  it('without WASM SIMD (the training kernels are SIMD code) trains on the CPU backend, saying why', async () => {
    const noSimd = (): boolean => false;
    const none = gpu({ available: false, adapter: 'no WebGPU adapter', software: false });
    const choice = await selectBackend('auto', WASM, noWebGl, none, noSimd);
    assert.equal(choice.name, 'cpu');
    assert.equal(
      choice.reason,
      "WebGL is not available; this browser's WebAssembly has no SIMD, which the WASM training kernels need: using the CPU backend (slow)",
    );
    const forced = await selectBackend('wasm', WASM, noWebGl, none, noSimd);
    assert.equal(forced.name, 'cpu');
    assert.match(forced.reason, /^WASM could not start\. WebGL is not available; this browser's WebAssembly has no SIMD/);
    assert.equal(tf.getBackend(), 'cpu');
  });

  it('probeWebGpu reads the adapter: none, software, hardware', async () => {
    assert.deepEqual(await probeWebGpu({}), { available: false, adapter: 'WebGPU is not available', software: false });
    const adapter = (info: object) => ({ gpu: { requestAdapter: async () => ({ info }) } });
    assert.deepEqual(await probeWebGpu(adapter({ vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true })), {
      available: true,
      adapter: 'google swiftshader',
      software: true,
    });
    assert.deepEqual(await probeWebGpu(adapter({ vendor: 'nvidia', architecture: 'ampere' })), {
      available: true,
      adapter: 'nvidia ampere',
      software: false,
    });
  });
});

describe('the one-batch check’s comparison', () => {
  const m = (name: string, values: number[]) => ({ name, values });

  it('agrees within the tolerance, relative to the reference’s largest magnitude', () => {
    const ref = [m('output 0', [2, -4]), m('gradient of k', [1e-3, 0])];
    const close = [m('output 0', [2 + 4 * CHECK_TOLERANCE * 0.9, -4]), m('gradient of k', [1e-3, 5e-7])];
    assert.equal(compareMeasurements(close, ref).agree, true);
  });

  it('names the tensor that differs most, and any NaN or missing tensor fails', () => {
    const ref = [m('output 0', [1, 1]), m('gradient of k', [1, 1])];
    const outcome = compareMeasurements([m('output 0', [1, 1]), m('gradient of k', [1, 1.5])], ref);
    assert.deepEqual(outcome, { agree: false, worst: 0.5, where: 'gradient of k' });
    assert.equal(compareMeasurements([m('output 0', [1, NaN]), m('gradient of k', [1, 1])], ref).agree, false);
    assert.equal(compareMeasurements([m('output 0', [1, 1])], ref).agree, false);
  });
});

/**
 * The trial after an agreeing check, with the CPU and WASM backends standing in for WebGPU and
 * its fallback (Node has no GPU): a convnet's batch is many times faster on WASM, so the faster
 * backend is known. The GPU bench runs the same code with Dawn's WebGPU on a real GPU.
 */
describe('the one-batch check’s speed trial', () => {
  const convnet = (): tf.LayersModel =>
    tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu' }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
  const images: DatasetArrays = {
    id: 'images',
    description: '32 images',
    xs: Float32Array.from({ length: 32 * 784 }, (_, i) => (i % 17) / 17),
    xsShape: [32, 28, 28, 1],
    sampleKind: 'image',
  };
  const weightValues = (model: tf.LayersModel): number[][] => model.getWeights().map((w) => Array.from(w.dataSync()));
  const times = /(\d+(?:\.\d)?) ms/g;

  after(async () => {
    await tf.setBackend('cpu');
  });

  it('gives way to a faster fallback that agrees, saying both times, and leaves it active', async () => {
    await tf.setBackend('cpu');
    const model = convnet();
    const before = weightValues(model);
    let heard: { choiceMs?: number; fallbackMs?: number } = {};
    const kept = await confirmBackend(
      { name: 'cpu', reason: 'CPU on trial', fallback: { name: 'wasm', reason: 'WASM' } },
      model,
      images,
      32,
      WASM,
      {
        report: (outcome, t) => {
          assert.equal(outcome.agree, true);
          heard = t;
        },
      },
    );
    assert.equal(kept.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.match(
      kept.reason,
      /^CPU on trial agreed with WASM in a one-batch check but took \S+ ms a batch against WASM's \S+ ms: using WASM$/,
    );
    assert.ok(heard.choiceMs! > heard.fallbackMs!, `${heard.choiceMs} vs ${heard.fallbackMs}`);
    // The trial's Adam steps moved the weights; they are back as they were, on the active backend.
    assert.deepEqual(weightValues(model), before);
    assert.equal((model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor).shape[1], 10);
    model.dispose();
  });

  it('keeps a faster choice that agrees, with both times in its reason', async () => {
    await tf.setBackend('wasm');
    const model = convnet();
    const before = weightValues(model);
    const kept = await confirmBackend(
      { name: 'wasm', reason: 'WASM on trial', fallback: { name: 'cpu', reason: 'CPU' } },
      model,
      images,
      32,
      WASM,
      { optimizer: { name: 'sgd', learningRate: 0.1 } },
    );
    assert.equal(kept.name, 'wasm');
    assert.equal(tf.getBackend(), 'wasm');
    assert.match(kept.reason, /^WASM on trial \(\S+ ms a batch; CPU: \S+ ms\)$/);
    const [mine, theirs] = [...kept.reason.matchAll(times)].map((m) => Number(m[1]));
    assert.ok(mine! <= theirs!);
    // The trial's SGD steps moved the weights; they are back as they were.
    assert.deepEqual(weightValues(model), before);
    model.dispose();
  });

  it('without the trial, an agreeing choice is kept as it was', async () => {
    await tf.setBackend('cpu');
    const model = convnet();
    const kept = await confirmBackend(
      { name: 'cpu', reason: 'CPU unchecked', fallback: { name: 'wasm', reason: 'WASM' } },
      model,
      images,
      32,
      WASM,
      {
        trial: false,
      },
    );
    assert.deepEqual(kept, { name: 'cpu', reason: 'CPU unchecked' });
    assert.equal(tf.getBackend(), 'cpu');
    model.dispose();
  });
});
