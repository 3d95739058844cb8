/**
 * Data-parallel training in the built panel (headless Chromium, real workers): with the workers
 * setting at 2, a second worker computes half of a batch's gradients and the training worker
 * applies their sum (every other batch while the two ways are timed, then the faster); the seeded convnet then trains batch for batch as one worker trains it (same
 * losses, to float rounding), the backend line says how many workers share the batches, and a
 * model with batch normalization trains on one. Run `node scripts/buildWebview.mjs` first.
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { loadMnist } from '../../src/data/mnist';
import { startHarness } from './support/harness';
import type { BundledModel, Harness } from './support/harness';
import { config, isState, messages, progressOf, startModel, text, waitForMessage } from './support/panelMessages';
import { seedLine } from './support/seed';

describe('data-parallel training (webview tier)', function () {
  this.timeout(240_000);
  let h: Harness;
  let page: Page;
  let convnet: BundledModel;
  let digits: string;

  before(async () => {
    h = await startHarness();
    convnet = await h.addModel('examples/mnistConvnet.ts', undefined, { prelude: seedLine('mnistConvnet') });
    digits = h.addDataset('mnist-256', loadMnist({ count: 256, layout: 'image', targets: 'oneHot' }));
    page = await h.openPage();
  });

  after(async () => {
    await h?.close();
  });

  async function lossesWith(workers: number): Promise<{ losses: number[]; where: string }> {
    await startModel(page, convnet, { datasetUrl: digits, workers, config: config({ epochs: 1, learningRate: 0.002 }) });
    await waitForMessage(page, isState('done'), 180_000);
    return { losses: progressOf(await messages(page)).map((p) => p.loss), where: (await text(page, 'backend-reason')).text };
  }

  it('two workers train the seeded convnet batch for batch as one does, and the panel says they share each batch', async () => {
    const alone = await lossesWith(1);
    assert.match(alone.where, /; training on a worker thread$/);
    const shared = await lossesWith(2);
    // Both ways are timed over the first batches; the line ends with the faster one.
    assert.match(
      shared.where,
      /; training on (2 worker threads, each computing a share of every batch|a worker thread \(sharing each batch was slower for this model: [\d.]+ vs [\d.]+ ms a sample\))$/,
    );
    assert.equal(alone.losses.length, 8, '256 / 32 = 8 batches');
    assert.equal(shared.losses.length, 8);
    // The weights changed between batches (the losses differ), and both runs went the same way.
    assert.ok(new Set(alone.losses.map((l) => l.toFixed(4))).size > 4, `losses: ${alone.losses.join(' ')}`);
    shared.losses.forEach((loss, i) =>
      assert.ok(
        Math.abs(loss - alone.losses[i]!) <= 1e-4 * alone.losses[i]!,
        `batch ${i + 1}: ${loss} vs ${alone.losses[i]} alone`,
      ),
    );
  });

  it('where the page is cross-origin isolated, the worker still trains on the SIMD build, as on any page', async () => {
    const isolated = await startHarness({ crossOriginIsolated: true });
    try {
      const model = await isolated.addModel('examples/mnistConvnet.ts', undefined, { prelude: seedLine('mnistConvnet') });
      const url = isolated.addDataset('mnist-256', loadMnist({ count: 256, layout: 'image', targets: 'oneHot' }));
      const on = await isolated.openPage();
      assert.equal(
        await on.evaluate(() => (globalThis as unknown as { crossOriginIsolated: boolean }).crossOriginIsolated),
        true,
      );
      await startModel(on, model, { datasetUrl: url, workers: 1, config: config({ epochs: 1, learningRate: 0.002 }) });
      await waitForMessage(on, isState('done'), 180_000);
      // The worker started (the page would train itself had it failed): the threaded build, which
      // tfjs would pick here, keeps its memory from the training kernels' loops.
      const where = (await text(on, 'backend-reason')).text;
      assert.match(where, /; training on a worker thread$/);
      const losses = progressOf(await messages(on)).map((p) => p.loss);
      // The same seeded run as on one thread, to float rounding.
      const alone = await lossesWith(1);
      assert.equal(losses.length, alone.losses.length);
      losses.forEach((loss, i) =>
        assert.ok(Math.abs(loss - alone.losses[i]!) <= 1e-4 * alone.losses[i]!, `batch ${i + 1}: ${loss} vs ${alone.losses[i]}`),
      );
    } finally {
      await isolated.close();
    }
  });

  it('a model with batch normalization trains on one worker (its statistics need the whole batch)', async () => {
    const bn = await h.addModel('test/fixtures/models/normalization.ts', 'bnNet');
    const images = h.addDataset('noise-64', {
      id: 'noise',
      description: '64 random 32×32×3 images, 10 classes',
      xs: Float32Array.from({ length: 64 * 32 * 32 * 3 }, (_, i) => ((i * 7919) % 101) / 101).buffer,
      xsShape: [64, 32, 32, 3],
      ys: Float32Array.from({ length: 640 }, (_, i) => (i % 10 === Math.floor(i / 10) % 10 ? 1 : 0)).buffer,
      ysShape: [64, 10],
      sampleKind: 'image',
    });
    await startModel(page, bn, { datasetUrl: images, workers: 2 });
    await waitForMessage(page, isState('done'), 180_000);
    assert.equal(progressOf(await messages(page)).length, 2);
    assert.match((await text(page, 'backend-reason')).text, /; training on a worker thread$/);
  });
});
