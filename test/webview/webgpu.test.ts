/**
 * The WebGPU backend in headless Chromium, whose only adapter here is SwiftShader's (a software
 * fallback adapter, offered with --enable-unsafe-webgpu): the automatic choice must not take it,
 * a forced choice trains on it with the same losses as WASM, and the one-batch check that
 * confirms an automatic WebGPU choice passes on a correct backend and catches a wrong kernel.
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { generateForecast } from '../../src/data/syntheticDatasets';
import { loadMnist } from '../../src/data/mnist';
import { callApi, startHarness } from './support/harness';
import type { BundledModel, Harness } from './support/harness';
import { config, isState, messages, progressOf, startModel, waitForMessage } from './support/panelMessages';
import type { RecordedMessage } from './support/pageApi';
import { seedLine } from './support/seed';

type BackendMessage = Extract<RecordedMessage, { type: 'backend' }>;

describe('WebGPU backend (webview tier, Chromium’s software adapter)', function () {
  this.timeout(240_000);
  let h: Harness;
  let page: Page;
  let convnet: BundledModel;
  let mnist: string;

  /** The per-batch losses of one epoch of the seeded convnet on `backend`. */
  const losses = async (backend: 'wasm' | 'webgpu'): Promise<{ backend: BackendMessage; losses: number[] }> => {
    await startModel(page, convnet, { datasetUrl: mnist, backend, config: config({ epochs: 1, validationSplit: 0 }) });
    await waitForMessage(page, isState('done'));
    const all = await messages(page);
    return {
      backend: all.find((m): m is BackendMessage => m.type === 'backend')!,
      losses: progressOf(all).map((p) => p.loss),
    };
  };

  before(async () => {
    h = await startHarness({ extraArgs: ['--enable-unsafe-webgpu'] });
    convnet = await h.addModel('examples/mnistConvnet.ts', undefined, { prelude: seedLine('mnistConvnet') });
    mnist = h.addDataset('mnist-96', loadMnist({ count: 96, layout: 'image', targets: 'oneHot' }));
    page = await h.openPage();
  });

  after(async () => {
    await h?.close();
  });

  it('sees SwiftShader’s adapter as software, and the automatic choice does not take it', async () => {
    const gpu = await callApi(page, 'webGpu');
    assert.deepEqual(gpu, { available: true, adapter: gpu.adapter, software: true });
    assert.match(gpu.adapter, /swiftshader/i);
    await startModel(page, convnet, { datasetUrl: mnist, autoTrain: false });
    await waitForMessage(page, isState('ready'));
    const backend = (await messages(page)).find((m): m is BackendMessage => m.type === 'backend')!;
    assert.equal(backend.name, 'wasm');
  });

  it('trains the convnet on WebGPU when chosen, batch by batch as on WASM', async () => {
    const wasm = await losses('wasm');
    const webgpu = await losses('webgpu');
    assert.deepEqual(webgpu.backend, { type: 'backend', name: 'webgpu', reason: 'WebGPU chosen in the settings' });
    assert.equal(webgpu.losses.length, wasm.losses.length);
    assert.ok(webgpu.losses.length >= 3, `${webgpu.losses.length} batches`);
    webgpu.losses.forEach((loss, i) => {
      const expected = wasm.losses[i]!;
      assert.ok(Math.abs(loss - expected) <= 1e-2 * Math.abs(expected), `batch ${i + 1}: WebGPU ${loss}, WASM ${expected}`);
    });
  });

  // On a page of its own, checked against the CPU backend: once WASM has run on a page,
  // SwiftShader's WebGPU there cannot map its upload buffers (a limit of the software adapter).
  it('the one-batch check keeps a correct WebGPU and catches a wrong kernel (falling back)', async () => {
    page = await h.openPage();
    await startModel(page, convnet, { datasetUrl: mnist, autoTrain: false, backend: 'webgpu' });
    await waitForMessage(page, isState('ready'));
    const good = await callApi(page, 'checkWebGpu', false);
    assert.deepEqual(good, { name: 'webgpu', reason: 'WebGPU on the test adapter', active: 'webgpu' });
    const bad = await callApi(page, 'checkWebGpu', true);
    assert.equal(bad.name, 'cpu');
    assert.equal(bad.active, 'cpu');
    assert.match(
      bad.reason,
      /^WebGPU's (output 0|gradient of \S+) differed from CPU's by \S+ \(relative\) in a one-batch check: using CPU$/,
    );
  });

  // One LSTM(16) returning its states (the stacked forecaster's three layers took a minute here).
  it('the check passes for an LSTM (recurrent kernels and their gradients on WebGPU)', async () => {
    const lstm = await h.addModel('test/fixtures/models/lstmForecast.ts', 'buildStatefulHead', {
      prelude: seedLine('lstmForecast'),
    });
    const sines = h.addDataset('sines-64', generateForecast({ count: 64, timesteps: 30, features: 4, ysShape: [1] }));
    await startModel(page, lstm, {
      datasetUrl: sines,
      autoTrain: false,
      backend: 'webgpu',
      config: config({ loss: 'meanSquaredError', metrics: [] }),
    });
    await waitForMessage(page, isState('ready'));
    const checked = await callApi(page, 'checkWebGpu', false);
    assert.deepEqual(checked, { name: 'webgpu', reason: 'WebGPU on the test adapter', active: 'webgpu' });
  });
});
