/**
 * Browser tier for the generative views (test page of views.test.ts): the latent traversal
 * grid of a 2-D-code VAE and of a 32-D autoencoder, nearest neighbours in latent space, and a
 * GAN generator's fixed-noise samples with both players' losses on one chart. Screenshots of each in dark and light themes (the GAN also in high contrast) under
 * test-results/views/generative-*.png.
 *
 *   npx mocha --config test/webview/views/.mocharc.json -g generative
 */
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { assertDrawn, call, mnistDigits, screenshotViews, useViewsPage } from './driver';
import type { SetupInfo } from './harnessApi';

const GRID = '[data-host="latentGrid"] canvas[data-role="latent-grid"]';
const SAMPLES = '[data-host="samples"] canvas[data-role="sample-grid"]';
const NEIGHBOURS = '[data-host="neighbours"] [data-role="neighbours"]';

function distinct(values: string[]): number {
  return new Set(values).size;
}

describe('generative views in Chromium', function () {
  this.timeout(900_000);
  let page: Page;
  useViewsPage((p) => (page = p));
  const digits = mnistDigits(30);

  async function leakCheck(label: string): Promise<void> {
    const t = await call(page, 'refresh', 3, 100);
    assert.strictEqual(t.numTensorsAfter, t.numTensorsBefore, `${label}: tensors leaked`);
  }

  describe('VAE with a 2-D code (examples/variationalAutoencoder.ts)', () => {
    let info: SetupInfo;
    before(async () => {
      info = await call(page, 'setup', { kind: 'vae', samples: 300, ...(digits ? { digits } : {}) });
      await call(page, 'train', 8, 32);
    });

    it('applies Latent space, Latent grid and Neighbours, not Samples', () => {
      const applies = Object.fromEntries(info.views.map((v) => [v.id, v.applies]));
      assert.strictEqual(applies['latent'], true);
      assert.strictEqual(applies['latentGrid'], true);
      assert.strictEqual(applies['neighbours'], true);
      assert.strictEqual(applies['samples'], false);
    });

    it('decodes a 12×12 grid over z₁ and z₂: 144 images, all different, with axes saying what they span', async () => {
      await call(page, 'refresh', 1, 8);
      assert.deepStrictEqual(await call(page, 'attrs', GRID, 'data-rows'), ['12']);
      assert.deepStrictEqual(await call(page, 'attrs', GRID, 'data-cols'), ['12']);
      assertDrawn(await call(page, 'canvasStats', GRID), 'latent grid');
      const tiles = await call(page, 'gridTiles', GRID);
      assert.strictEqual(tiles.length, 144);
      assert.ok(distinct(tiles) >= 140, `distinct decoded images: ${distinct(tiles)} of 144`);
      const title = (role: string): Promise<string[]> => call(page, 'texts', `[data-host="latentGrid"] [data-role="${role}"]`);
      assert.deepStrictEqual(await title('x-title'), ['z₁ →']);
      assert.deepStrictEqual(await title('y-title'), ['z₂ →']);
      const xTicks = (await call(page, 'texts', '[data-host="latentGrid"] [data-role="x-ticks"] span')).map(Number);
      const yTicks = (await call(page, 'texts', '[data-host="latentGrid"] [data-role="y-ticks"] span')).map(Number);
      assert.strictEqual(xTicks.length, 3);
      assert.ok(xTicks[0]! < xTicks[1]! && xTicks[1]! < xTicks[2]!, `x ticks rise: ${xTicks.join(', ')}`);
      assert.ok(yTicks[0]! > yTicks[1]! && yTicks[1]! > yTicks[2]!, `y ticks fall downwards: ${yTicks.join(', ')}`);
      // The 2-D code has no dimensions to choose.
      assert.strictEqual(await page.locator('[data-host="latentGrid"] select').first().isVisible(), false);
    });

    it('redraws at another grid size', async () => {
      await page.click('[data-host="latentGrid"] .ml-seg:has-text("8×8")');
      await call(page, 'refresh', 1, 8);
      const tiles = await call(page, 'gridTiles', GRID);
      assert.strictEqual(tiles.length, 64);
      assert.ok(distinct(tiles) >= 62, `distinct decoded images: ${distinct(tiles)} of 64`);
      await page.click('[data-host="latentGrid"] .ml-seg:has-text("12×12")');
    });

    it('finds the 12 nearest samples in latent space, sorted by distance, without the picked one', async () => {
      await call(page, 'refresh', 1, 8);
      const [query] = await call(page, 'attrs', NEIGHBOURS, 'data-query');
      const indices = (await call(page, 'attrs', NEIGHBOURS, 'data-indices'))[0]!.split(',').map(Number);
      const distances = (await call(page, 'attrs', NEIGHBOURS, 'data-distances'))[0]!.split(',').map(Number);
      assert.strictEqual(indices.length, 12);
      assert.ok(!indices.includes(Number(query)), 'the picked sample is not its own neighbour');
      assert.strictEqual(distinct(indices.map(String)), 12);
      distances.forEach((d, i) => assert.ok(i === 0 || d >= distances[i - 1]!, `sorted: ${distances.join(', ')}`));
      assertDrawn(
        await call(page, 'canvasStats', '[data-host="neighbours"] canvas[data-role="neighbour-image"]'),
        'neighbour',
        12,
      );
      // Picking another sample finds its own neighbours.
      await page.click('[data-host="neighbours"] button[aria-label="Next sample"]');
      await call(page, 'refresh', 1, 8);
      assert.deepStrictEqual(await call(page, 'attrs', NEIGHBOURS, 'data-query'), [String(Number(query) + 1)]);
    });

    it('leaks no tensors, and looks right in dark and light themes', async () => {
      await screenshotViews(page, 'generative-vae-dark', info, ['latentGrid', 'neighbours']);
      await leakCheck('vae');
      const light = await call(page, 'setup', { kind: 'vae', samples: 300, theme: 'light', ...(digits ? { digits } : {}) });
      await call(page, 'train', 8, 32);
      await call(page, 'refresh', 1, 8);
      await screenshotViews(page, 'generative-vae-light', light, ['latentGrid', 'neighbours']);
    });
  });

  describe('dense autoencoder with a 32-D code', () => {
    it('spans the two code dimensions that vary most, or the two the user picks', async () => {
      await call(page, 'setup', { kind: 'denseAe', samples: 200, hostMnist: true, ...(digits ? { digits } : {}) });
      await call(page, 'train', 2, 32);
      await call(page, 'refresh', 1, 2);
      const titles = await call(page, 'texts', '[data-host="latentGrid"] [data-role="x-title"]');
      assert.match(titles[0]!, /^z\[\d+\] →$/);
      assert.strictEqual(await page.locator('[data-host="latentGrid"] select').first().isVisible(), true);
      await page.selectOption('[data-host="latentGrid"] select >> nth=0', '3');
      await page.selectOption('[data-host="latentGrid"] select >> nth=1', '5');
      await call(page, 'refresh', 1, 2);
      assert.deepStrictEqual(await call(page, 'texts', '[data-host="latentGrid"] [data-role="x-title"]'), ['z[3] →']);
      assert.deepStrictEqual(await call(page, 'texts', '[data-host="latentGrid"] [data-role="y-title"]'), ['z[5] →']);
      assert.strictEqual((await call(page, 'gridTiles', GRID)).length, 144);
      await leakCheck('dense autoencoder');
    });
  });

  describe('GAN generator (examples/gan.ts)', () => {
    let info: SetupInfo;
    before(async () => {
      info = await call(page, 'setup', { kind: 'gan', samples: 64, ...(digits ? { digits } : {}) });
    });

    it('applies Samples only among the generative views', () => {
      const applies = Object.fromEntries(info.views.map((v) => [v.id, v.applies]));
      assert.deepStrictEqual(
        [applies['samples'], applies['latent'], applies['latentGrid'], applies['neighbours']],
        [true, false, false, false],
      );
    });

    it('draws 32 samples from the same noise on every refresh; the images change as the generator trains', async () => {
      await call(page, 'refresh', 1, 0);
      const noise0 = await call(page, 'attrs', SAMPLES, 'data-noise');
      const before = await call(page, 'gridTiles', SAMPLES);
      assert.strictEqual(before.length, 32);
      assertDrawn(await call(page, 'canvasStats', SAMPLES), 'sample grid');
      await call(page, 'refresh', 1, 0);
      assert.deepStrictEqual(await call(page, 'gridTiles', SAMPLES), before, 'nothing trained: the same images');
      await call(page, 'train', 2, 16);
      await call(page, 'refresh', 1, 2);
      const after = await call(page, 'gridTiles', SAMPLES);
      assert.deepStrictEqual(await call(page, 'attrs', SAMPLES, 'data-noise'), noise0, 'the noise stays fixed');
      const changed = after.filter((t, i) => t !== before[i]).length;
      assert.ok(changed >= 30, `images changed by training: ${changed} of 32`);
      assert.ok(distinct(after) >= 30, 'different noise, different images');
    });

    it('charts the generator and discriminator losses together, one point per refresh', async () => {
      const LOSSES = '[data-host="samples"] canvas[data-role="gan-losses"]';
      const points = Number((await call(page, 'attrs', LOSSES, 'data-points'))[0]);
      assert.strictEqual(points, 2, 'epoch 0 (twice: one point) and epoch 2');
      await call(page, 'refresh', 2, 3);
      assert.deepStrictEqual(await call(page, 'attrs', LOSSES, 'data-points'), [String(points + 2)]);
      assertDrawn(await call(page, 'canvasStats', LOSSES), 'loss chart');
      // Round values on the y axis (1, 2 or 5 × a power of ten apart), at least two of them.
      const ticks = (await call(page, 'attrs', LOSSES, 'data-ticks'))[0]!.split(',').map(Number);
      assert.ok(ticks.length >= 2, `ticks ${ticks.join(', ')}`);
      const step = ticks[1]! - ticks[0]!;
      const mantissa = Number((step / 10 ** Math.floor(Math.log10(step))).toPrecision(6));
      assert.ok([1, 2, 5].includes(mantissa), `tick step ${step}`);
      ticks.forEach((t, i) =>
        assert.ok(Math.abs(t / step - Math.round(t / step)) < 1e-6, `tick ${i}: ${t} is not a multiple of ${step}`),
      );
      const legend = (await call(page, 'texts', '[data-host="samples"] [data-role="loss-legend"]'))[0]!;
      assert.match(legend, /generator loss.*discriminator loss.*ln 2/);
      // The same refresh again (same epoch and batch) adds no point.
      await call(page, 'refreshAsIs', 4);
      assert.deepStrictEqual(await call(page, 'attrs', LOSSES, 'data-points'), [String(points + 2)]);
    });

    it('leaks no tensors', async () => {
      await leakCheck('gan generator');
    });

    it('trained as a GAN (its own step): both losses move; screenshots in every theme', async () => {
      // On WASM: the adversarial steps' convolutions are slow on the CPU backend.
      assert.strictEqual(await call(page, 'setBackend', 'wasm'), 'wasm');
      try {
        // High contrast too: the loss chart's gridlines must stay lighter than its two curves there.
        for (const theme of ['dark', 'light', 'hc-dark', 'hc-light'] as const) await trainAndShoot(theme);
      } finally {
        await call(page, 'setBackend', 'cpu');
      }
    });

    async function trainAndShoot(theme: 'dark' | 'light' | 'hc-dark' | 'hc-light'): Promise<void> {
      const LOSSES = '[data-host="samples"] canvas[data-role="gan-losses"]';
      const shot = await call(page, 'setup', { kind: 'gan', samples: 300, theme, ...(digits ? { digits } : {}) });
      await call(page, 'refresh', 1, 0);
      const [first] = await call(page, 'attrs', LOSSES, 'data-last');
      for (let e = 1; e <= 6; e++) {
        await call(page, 'trainAdversarial', 15, 32);
        await call(page, 'refresh', 1, e);
      }
      const [last] = await call(page, 'attrs', LOSSES, 'data-last');
      const [g0, d0] = first!.split(',').map(Number);
      const [g1, d1] = last!.split(',').map(Number);
      assert.ok(Math.abs(g1! - g0!) > 1e-3 && Math.abs(d1! - d0!) > 1e-3, `losses ${first} → ${last}`);
      assert.deepStrictEqual(await call(page, 'attrs', LOSSES, 'data-points'), ['7']);
      await screenshotViews(page, `generative-gan-${theme}`, shot, ['samples']);
    }
  });
});
