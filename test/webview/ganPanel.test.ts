/**
 * A GAN in the built panel (examples/gan.ts, its own trainStep): the Samples view draws the
 * generator's images for fixed noise and charts the generator's and the discriminator's loss,
 * measured where the module's discriminator lives (on the model worker, and on the page when
 * no worker is used) along the run: a point in every epoch at least. Screenshots under test-results/webview/. Run `node scripts/buildWebview.mjs` first.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { mnistGeneratorData } from '../../src/data/builtinDataset';
import { callApi, REPO, startHarness } from './support/harness';
import type { Harness } from './support/harness';
import { config, isState, startModel, waitForMessage, waitUntil } from './support/panelMessages';
import { seedLine } from './support/seed';

const RESULTS = path.join(REPO, 'test-results', 'webview');

describe('a GAN in the training panel (webview tier)', function () {
  this.timeout(300_000);
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });

  after(async () => {
    await h?.close();
  });

  for (const worker of [true, false]) {
    it(`Samples: fixed-noise images and both losses on one chart, trained ${worker ? 'on the model worker' : 'on the page'}`, async () => {
      const gan = await h.addModel('examples/gan.ts', 'generator', { prelude: seedLine('gan'), allModels: true });
      const data = h.addDataset('gan-256', mnistGeneratorData({ count: 256, noiseShape: [100], outputShape: [28, 28, 1] }));
      const page = await h.openPage({ width: 1000, height: 1300 });
      const settings = config({ epochs: 3, loss: 'meanSquaredError', metrics: [] });
      await startModel(page, gan, {
        datasetUrl: data,
        views: 'real',
        viewRefreshMs: 300,
        worker,
        autoTrain: false,
        config: settings,
      });
      // The tab shown before training: a measurement of the untrained pair, then one after the run
      // (at least), whatever the machine's speed.
      const tab = page.locator('vscode-tab-header[data-tab="samples"]');
      await tab.waitFor({ state: 'visible', timeout: 60_000 });
      await waitForMessage(page, isState('ready'), 120_000);
      await tab.click();
      await callApi(page, 'send', { type: 'train', config: settings });
      await waitForMessage(page, isState('done'), 180_000);
      const LOSSES = 'canvas[data-role="gan-losses"]';
      const points = async (): Promise<number> => Number((await page.locator(LOSSES).getAttribute('data-points')) ?? 0);
      // Measured along the run, not only when the views refresh: a point in every epoch at least.
      const epochsMeasured = async (): Promise<Set<number>> =>
        new Set(((await page.locator(LOSSES).getAttribute('data-epochs')) ?? '').split(',').filter(Boolean).map(Number));
      // (The chart shows them at the views' next pass after the run, which may wait a while on a loaded machine.)
      await waitUntil(async () => (await epochsMeasured()).size >= settings.epochs, 'a loss measurement in every epoch', 150_000);
      assert.deepEqual([...(await epochsMeasured())].sort(), [1, 2, 3]);
      assert.ok((await points()) >= settings.epochs, `${await points()} points for ${settings.epochs} epochs`);
      const last = ((await page.locator(LOSSES).getAttribute('data-last')) ?? '').split(',').map(Number);
      assert.equal(last.length, 2);
      last.forEach((v) => assert.ok(Number.isFinite(v) && v > 0 && v < 20, `losses ${last.join(', ')}`));
      const grid = page.locator('canvas[data-role="sample-grid"]');
      assert.deepEqual([await grid.getAttribute('data-rows'), await grid.getAttribute('data-cols')], ['4', '8']);
      assert.match(await page.locator('[data-role="loss-legend"]').innerText(), /generator loss.*discriminator loss/);
      assert.equal(await callApi(page, 'modelSource'), worker ? 'layers format' : 'page');
      mkdirSync(RESULTS, { recursive: true });
      await page.screenshot({ path: path.join(RESULTS, `gan-samples-${worker ? 'worker' : 'page'}.png`), fullPage: true });
      await page.close();
    });
  }
});
