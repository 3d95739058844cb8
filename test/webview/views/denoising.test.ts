/**
 * Browser tier for the denoising autoencoder's reconstructions (test page of views.test.ts):
 * examples/denoisingAutoencoder.ts's Gaussian-noise and dropout models show per sample the
 * noisy input → output ← clean target, the noise the same on every refresh; so does a plain
 * autoencoder on data with input noise; one whose dropout is on a hidden layer keeps the pairs
 * and says why. Screenshots in dark and light
 * themes under test-results/views/denoising-*.png.
 *
 *   npx mocha --config test/webview/views/.mocharc.json -g denoising
 */
import * as assert from 'assert';
import type { Page } from 'playwright-core';
import { assertDrawn, call, mnistDigits, screenshotViews, useViewsPage } from './driver';
import type { SetupOptions } from './harnessApi';

const IMAGES = '[data-host="latent"] canvas[data-role="recon-image"]';

/** What the test reads of a canvas in the page (this file is compiled without the DOM's types). */
interface CanvasLike {
  dataset: Record<string, string | undefined>;
  toDataURL(): string;
}

/** The reconstruction canvases' sides and pixels (as data URLs), in page order. */
async function reconImages(page: Page): Promise<{ side: string; pixels: string }[]> {
  return page.$$eval(IMAGES, (canvases) =>
    (canvases as unknown as CanvasLike[]).map((c) => ({ side: c.dataset['side'] ?? '', pixels: c.toDataURL() })),
  );
}

describe('denoising autoencoder views in Chromium', function () {
  this.timeout(900_000);
  let page: Page;
  useViewsPage((p) => (page = p));
  const digits = mnistDigits(30);

  async function setup(options: Omit<SetupOptions, 'kind'>): Promise<void> {
    const info = await call(page, 'setup', { kind: 'denoisingAe', samples: 300, ...options, ...(digits ? { digits } : {}) });
    assert.strictEqual(info.views.find((v) => v.id === 'latent')?.applies, true);
    await call(page, 'train', 3, 32);
    await call(page, 'refresh', 1, 3);
  }

  for (const corruption of ['gaussian', 'dropout'] as const) {
    describe(`${corruption} corruption before the code`, () => {
      before(() => setup({ corruption }));

      it('draws 8 trios: noisy input → output ← clean target, labelled so', async () => {
        assert.deepStrictEqual(await call(page, 'texts', '[data-host="latent"] [data-role="recon-title"]'), [
          'Noisy input → output ← clean target',
        ]);
        assert.deepStrictEqual(await call(page, 'attrs', '[data-host="latent"] [data-role="recon"]', 'data-trios'), ['8']);
        const images = await reconImages(page);
        assert.deepStrictEqual(
          images.map((i) => i.side),
          Array.from({ length: 8 }, () => ['noisy', 'output', 'target']).flat(),
        );
        assertDrawn(await call(page, 'canvasStats', IMAGES), 'trio images', 24);
        for (let k = 0; k < 8; k++) {
          const [noisy, output, target] = images.slice(3 * k, 3 * k + 3);
          assert.notStrictEqual(noisy!.pixels, target!.pixels, `trio ${k}: the noisy input differs from the clean target`);
          assert.notStrictEqual(output!.pixels, noisy!.pixels, `trio ${k}: the output is not the noisy input`);
        }
        const key = await call(page, 'texts', '[data-host="latent"] [data-role="recon-key"]');
        assert.match(key[0]!, /^each trio: noisy input → output ← clean target/);
        assert.match((await call(page, 'texts', '[data-host="latent"] [data-role="recon-mse"]'))[0]!, /output vs clean target/);
      });

      it('the noise holds still between refreshes, while the output follows training', async () => {
        const before = await reconImages(page);
        await call(page, 'refresh', 2, 4);
        const same = await reconImages(page);
        assert.deepStrictEqual(same, before, 'a refresh without training redraws the same trios');
        await call(page, 'train', 2, 32);
        await call(page, 'refresh', 1, 6);
        const after = await reconImages(page);
        const of = (list: typeof before, side: string): string[] => list.filter((i) => i.side === side).map((i) => i.pixels);
        assert.deepStrictEqual(of(after, 'noisy'), of(before, 'noisy'), 'the same noisy inputs after more training');
        assert.deepStrictEqual(of(after, 'target'), of(before, 'target'));
        assert.notDeepStrictEqual(of(after, 'output'), of(before, 'output'), 'the outputs moved with the weights');
      });

      it('leaks no tensors over 5 refreshes of every view', async () => {
        const t = await call(page, 'refresh', 5, 100);
        assert.strictEqual(t.numTensorsAfter, t.numTensorsBefore, 'tensors leaked');
      });
    });
  }

  it('keeps the pairs when the dropout is on a hidden layer, and says why', async () => {
    await setup({ corruption: 'hidden' });
    assert.deepStrictEqual(await call(page, 'texts', '[data-host="latent"] [data-role="recon-title"]'), [
      'Input vs reconstruction',
    ]);
    assert.deepStrictEqual(await call(page, 'attrs', '[data-host="latent"] [data-role="recon"]', 'data-pairs'), ['8']);
    const sides = (await reconImages(page)).map((i) => i.side);
    assert.deepStrictEqual(sides, Array.from({ length: 8 }, () => ['input', 'output']).flat());
    assert.deepStrictEqual(await call(page, 'texts', '[data-host="latent"] [data-role="recon-why"]'), [
      'Dropout (hidden_dropout) corrupts a hidden layer, not the input: its noise is not drawn here',
    ]);
  });

  it('draws trios for a plain autoencoder when the panel’s data add input noise', async () => {
    await setup({ corruption: 'data' });
    assert.deepStrictEqual(await call(page, 'texts', '[data-host="latent"] [data-role="recon-title"]'), [
      'Noisy input → output ← clean target',
    ]);
    assert.deepStrictEqual(await call(page, 'attrs', '[data-host="latent"] [data-role="recon"]', 'data-trios'), ['8']);
    const images = await reconImages(page);
    for (let k = 0; k < 8; k++)
      assert.notStrictEqual(images[3 * k]!.pixels, images[3 * k + 2]!.pixels, `trio ${k}: noisy ≠ clean`);
    assert.deepStrictEqual(await call(page, 'texts', '[data-host="latent"] [data-role="recon-why"]'), []);
  });

  it('looks right in dark and light themes', async () => {
    for (const theme of ['dark', 'light'] as const) {
      const info = await call(page, 'setup', { kind: 'denoisingAe', samples: 300, theme, ...(digits ? { digits } : {}) });
      await call(page, 'train', 6, 32);
      await call(page, 'refresh', 1, 6);
      assertDrawn(await call(page, 'canvasStats', IMAGES), 'trio images', 24);
      await screenshotViews(page, `denoising-${theme}`, info, ['latent']);
    }
  });
});
