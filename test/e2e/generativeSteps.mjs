// The generative views of the training panel after short runs: the dense autoencoder's
// reconstructions drawn as digit images (not line charts), the VAE's latent traversal grid, the
// GAN's fixed-noise sample grid and its two losses on one chart.
import path from 'node:path';
import { RESULTS } from './workbench.mjs';
import { canvasPixels, consoleProblems, until } from './panel.mjs';
import { lineOf, scrollTo, shortRun, showPanel, showTab, trainFromPalette } from './runs.mjs';
import { themedView } from './themes.mjs';

/** MNIST's digits: 28 × 28 pixels. */
const DIGIT = 28;

/** Whether a grid canvas `width` pixels wide holds `cols` digits at a whole scale with `gap` between them. */
const digitColumns = (width, cols, gap) => {
  const scale = (width - (cols - 1) * gap) / (cols * DIGIT);
  return Number.isInteger(scale) && scale >= 1;
};

/** Waits for `canvas` in `tab` to be drawn (many colours); returns its attributes and pixel statistics. */
async function drawnGrid(tab, selector, what, consoleLines) {
  const canvas = tab.locator(selector);
  return until(
    async () => {
      if ((await canvas.count()) !== 1) return null;
      const [pixels] = await canvasPixels(canvas);
      if (!pixels || pixels.colours < 16) return null;
      const data = await canvas.evaluate((c) => ({ .../** @type {HTMLElement} */ (c).dataset }));
      return { ...pixels, rows: Number(data.rows), cols: Number(data.cols), gap: Number(data.gap) };
    },
    {
      timeout: 60_000,
      describe: async () =>
        `no ${what} drawn; the tab says "${((await tab.textContent()) ?? '').replace(/\s+/g, ' ').trim().slice(0, 300)}"${consoleProblems(consoleLines)}`,
    },
  );
}

/** @type {Array<{ name: string, run: (workbench: import('./workbench.mjs').Workbench) => Promise<void> }>} */
export const generativeSteps = [
  {
    name: 'the dense autoencoder shows its reconstructions as digit images',
    run: async ({ page, consoleLines }) => {
      const frame = await showPanel(page, 'autoencoder', consoleLines);
      await shortRun(frame, { epochs: 3, samples: 6000, learningRate: 0.005 }, consoleLines);
      const tab = await showTab(frame, 'latent');
      const recon = tab.locator('[data-role="recon"]');
      const found = await until(
        async () => {
          if ((await recon.count()) !== 1) return null;
          const info = await recon.evaluate((grid) => ({
            pairs: Number(/** @type {HTMLElement} */ (grid).dataset.pairs),
            images: Array.from(grid.querySelectorAll('canvas[data-role="recon-image"]')).map((c) => ({
              width: /** @type {HTMLCanvasElement} */ (c).width,
              height: /** @type {HTMLCanvasElement} */ (c).height,
              shown: Math.round(c.getBoundingClientRect().width),
              side: c.getAttribute('data-side'),
            })),
            lines: grid.querySelectorAll('canvas.ml-line-canvas').length,
          }));
          return info.pairs > 0 ? info : null;
        },
        {
          timeout: 60_000,
          describe: async () =>
            `no reconstructions in Latent space: "${((await tab.textContent()) ?? '').replace(/\s+/g, ' ').trim().slice(0, 300)}"${consoleProblems(consoleLines)}`,
        },
      );
      // Each pair is two canvases of the digit's own size (input, then output), shown larger; no line chart.
      const { pairs, images, lines } = found;
      const sides = images.map((i) => i.side).join();
      const expectedSides = Array.from({ length: pairs }, () => 'input,output').join();
      if (lines !== 0 || images.length !== 2 * pairs || sides !== expectedSides)
        throw new Error(`reconstructions: ${pairs} pairs, ${images.length} images (${sides}), ${lines} line charts`);
      const wrong = images.filter((i) => i.width !== DIGIT || i.height !== DIGIT || i.shown < DIGIT);
      if (wrong.length > 0) throw new Error(`reconstruction canvases not of digit size: ${JSON.stringify(wrong.slice(0, 3))}`);
      // Digits, not blank tiles, and the outputs are the model's, not copies of the inputs.
      const pixels = await canvasPixels(recon.locator('canvas[data-role="recon-image"]'));
      if (pixels.some((p) => p.colours < 3)) throw new Error(`a blank reconstruction image: ${JSON.stringify(pixels)}`);
      const copies = Array.from({ length: pairs }, (_, k) => pixels[2 * k].hash === pixels[2 * k + 1].hash).filter(Boolean);
      if (copies.length === pairs) throw new Error('every reconstruction is pixel for pixel its input');
      await themedView(
        { page, consoleLines },
        {
          model: 'autoencoder',
          tab: 'latent',
          shoot: async (view, panel, suffix) => {
            await scrollTo(view.locator('[data-role="recon"]'));
            await view
              .locator('.ml-card', { has: panel.locator('[data-role="recon"]') })
              .screenshot({ path: path.join(RESULTS, `training-18a-reconstructions${suffix}.png`) });
          },
        },
      );
      console.log(`      ${pairs} pairs of ${DIGIT}×${DIGIT} images, shown ${images[0].shown} px wide`);
    },
  },
  {
    name: 'the VAE shows its latent traversal grid',
    run: async ({ page, consoleLines }) => {
      const file = 'variationalAutoencoder.ts';
      const frame = await trainFromPalette(
        page,
        { file, line: lineOf(file, /^export const vae\b/), model: 'vae', data: /MNIST digits/ },
        consoleLines,
      );
      await shortRun(frame, { epochs: 3, samples: 6000, batchSize: 100, learningRate: 0.005 }, consoleLines);
      const tab = await showTab(frame, 'latentGrid');
      const grid = await drawnGrid(tab, 'canvas[data-role="latent-grid"]', 'latent grid', consoleLines);
      // A square grid of digit images over the 2-D code: z₁ across, z₂ down, three ticks each.
      if (grid.rows !== grid.cols || grid.rows < 8 || !digitColumns(grid.width, grid.cols, grid.gap))
        throw new Error(`the latent grid is ${JSON.stringify(grid)}`);
      const axes = await tab.evaluate((root) => ({
        x: root.querySelector('[data-role="x-title"]')?.textContent ?? '',
        y: root.querySelector('[data-role="y-title"]')?.textContent ?? '',
        xTicks: root.querySelectorAll('[data-role="x-ticks"] span').length,
        yTicks: root.querySelectorAll('[data-role="y-ticks"] span').length,
      }));
      if (!axes.x.includes('z₁') || !axes.y.includes('z₂') || axes.xTicks !== 3 || axes.yTicks !== 3)
        throw new Error(`the latent grid's axes read ${JSON.stringify(axes)}`);
      await themedView(
        { page, consoleLines },
        {
          model: 'vae',
          tab: 'latentGrid',
          shoot: async (view, panel, suffix) => {
            const card = view.locator('.ml-card', { has: panel.locator('canvas[data-role="latent-grid"]') });
            await scrollTo(card);
            await card.screenshot({ path: path.join(RESULTS, `training-19a-vae-latent-grid${suffix}.png`) });
          },
        },
      );
      console.log(
        `      ${grid.rows}×${grid.cols} grid, canvas ${grid.width}×${grid.height} (${grid.colours >= 1000 ? '1000+' : grid.colours} colours)`,
      );
    },
  },
  {
    name: 'the GAN shows its fixed-noise sample grid and both losses on one chart',
    run: async ({ page, consoleLines }) => {
      const file = 'gan.ts';
      const frame = await trainFromPalette(
        page,
        { file, line: lineOf(file, /^export const generator\b/), model: 'generator', data: /Gaussian noise/ },
        consoleLines,
      );
      await shortRun(frame, { epochs: 3, samples: 1000 }, consoleLines);
      const tab = await showTab(frame, 'samples');
      const grid = await drawnGrid(tab, 'canvas[data-role="sample-grid"]', 'sample grid', consoleLines);
      if (grid.rows * grid.cols < 16 || !digitColumns(grid.width, grid.cols, grid.gap))
        throw new Error(`the sample grid is ${JSON.stringify(grid)}`);
      // Both losses, measured at the views' refreshes while training (three epochs leave time for
      // several): at least two points, finite.
      const chart = tab.locator('canvas[data-role="gan-losses"]');
      const losses = await until(
        async () => {
          if (!(await chart.isVisible())) return null;
          const points = Number((await chart.getAttribute('data-points')) ?? 0);
          const last = ((await chart.getAttribute('data-last')) ?? '').split(',').map(Number);
          return points >= 2 && last.length === 2 && last.every(Number.isFinite) ? { points, last } : null;
        },
        {
          timeout: 30_000,
          describe: async () =>
            `the loss chart has ${await chart.getAttribute('data-points').catch(() => '?')} points (last ${await chart.getAttribute('data-last').catch(() => '?')})`,
        },
      );
      const legend = ((await tab.locator('[data-role="loss-legend"]').textContent()) ?? '').replace(/\s+/g, ' ');
      if (!legend.includes('generator loss') || !legend.includes('discriminator loss'))
        throw new Error(`the loss legend reads "${legend}"`);
      const [pixels] = await canvasPixels(chart);
      if (!pixels || pixels.colours < 8) throw new Error(`the loss chart looks blank: ${JSON.stringify(pixels)}`);
      await themedView(
        { page, consoleLines },
        {
          model: 'generator',
          tab: 'samples',
          shoot: async (view, _panel, suffix) => {
            await scrollTo(view.locator('canvas[data-role="sample-grid"]'));
            await view
              .locator('.ml-generative-cards')
              .screenshot({ path: path.join(RESULTS, `training-20a-gan-samples${suffix}.png`) });
          },
        },
      );
      console.log(
        `      ${grid.rows}×${grid.cols} samples; ${losses.points} loss points, last generator ${losses.last[0].toFixed(3)}, discriminator ${losses.last[1].toFixed(3)}`,
      );
    },
  },
];
