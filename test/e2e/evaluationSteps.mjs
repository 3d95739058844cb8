// Validation and evaluation in the training panel, on the panels the three-model step left open:
// the MNIST convnet trained with a validation split draws a training and a validation curve and,
// after the run, a confusion matrix of the held-out digits; the LSTM forecaster plots its
// predictions against the targets. Each run is kept short with the panel's own Settings.
import path from 'node:path';
import { RESULTS } from './workbench.mjs';
import { canvasPixels, consoleProblems, MODEL, until } from './panel.mjs';
import { colourPixels, scrollTo, shortRun, showPanel, showTab, stopRun } from './runs.mjs';
import { themedView } from './themes.mjs';

/** The models the three-model step trains, in its order; their panels are open, training. */
const OPEN_PANELS = ['forecaster', 'autoencoder', MODEL];

/** How many of `samples` a validation split of `split` holds out (as tfjs's validationSplit). */
const heldOut = (samples, split) => samples - Math.floor(samples * (1 - split));

/** The value of the Settings field `field` (before the run: what the panel starts with). */
const fieldValue = (frame, field) =>
  frame.locator(`vscode-textfield[data-field="${field}"]`).evaluate((el) => /** @type {{ value: string }} */ (el).value);

/** The evaluation section once it shows a result: its summary, and the samples it evaluated. */
async function evaluation(frame, consoleLines) {
  const section = frame.locator('[data-testid="evaluation"]');
  return until(
    async () => {
      const found = await section.evaluate((el) => ({
        hidden: /** @type {HTMLElement} */ (el).hidden,
        samples: /** @type {HTMLElement} */ (el).dataset.samples ?? '',
        summary: el.querySelector('[data-testid="evaluation-summary"]')?.textContent?.trim() ?? '',
        body: el.querySelector('.lp-eval-body')?.childElementCount ?? 0,
      }));
      return !found.hidden && found.body > 0 && /^On /.test(found.summary) ? found : null;
    },
    {
      timeout: 60_000,
      describe: async () =>
        `no evaluation after the run: "${((await section.textContent()) ?? '').replace(/\s+/g, ' ').trim()}"${consoleProblems(consoleLines)}`,
    },
  );
}

/** The number in "On 150 held-out samples: …". */
function summaryCount(summary) {
  const match = /^On ([\d,]+) held-out samples/.exec(summary);
  return match ? Number(match[1].replace(/,/g, '')) : NaN;
}

/** @type {Array<{ name: string, run: (workbench: import('./workbench.mjs').Workbench) => Promise<void> }>} */
export const evaluationSteps = [
  {
    name: 'Stop on each panel the three-model step left training',
    run: async ({ page, consoleLines }) => {
      // Three runs at once would slow every step after this one.
      for (const model of OPEN_PANELS) {
        const frame = await showPanel(page, model, consoleLines);
        await stopRun(frame, consoleLines);
      }
    },
  },
  {
    name: 'the convnet with a validation split draws training and validation curves, then a confusion matrix',
    run: async ({ page, consoleLines }) => {
      const frame = await showPanel(page, MODEL, consoleLines);
      // On by default for the built-in datasets.
      const split = Number(await fieldValue(frame, 'validationSplit'));
      if (!(split > 0 && split < 1)) throw new Error(`the validation split for MNIST starts at ${split}, not on`);
      const samples = 1500;
      const held = heldOut(samples, split);
      await shortRun(frame, { epochs: 2, samples }, consoleLines);
      const tab = await showTab(frame, 'training');
      // The loss chart's legend says which curve is which: training solid, validation dashed.
      const lossChart = tab.locator('.lp-chart').first();
      const legend = await lossChart.locator('.lp-legend-item').evaluateAll((items) =>
        items.map((i) => ({
          series: i.getAttribute('data-series'),
          dashed: i.classList.contains('lp-legend-dashed'),
          // The swatch's colour is the series' colour on the canvas.
          colour: getComputedStyle(/** @type {Element} */ (i.querySelector('.lp-legend-swatch')))
            .getPropertyValue('--lp-swatch')
            .trim(),
        })),
      );
      const training = legend.find((l) => l.series === 'training loss per epoch');
      const validation = legend.find((l) => l.series === 'validation loss');
      if (!training || training.dashed || !validation?.dashed || training.colour === validation.colour)
        throw new Error(`the loss legend reads ${JSON.stringify(legend)}`);
      // Both curves are on the canvas: pixels in the training colour and in the validation colour.
      const canvas = lossChart.locator('canvas');
      const counts = async () => ({
        training: await colourPixels(canvas, training.colour),
        validation: await colourPixels(canvas, validation.colour),
      });
      const drawn = await until(
        async () => {
          const now = await counts();
          return now.training.count >= 20 && now.validation.count >= 20 ? now : null;
        },
        { timeout: 10_000, describe: async () => `the loss chart lacks a curve: ${JSON.stringify(await counts())}` },
      );
      const validationSub = ((await frame.locator('[data-testid="validation-sub"]').textContent()) ?? '').trim();
      if (!validationSub.includes(`${held.toLocaleString('en-US')} held out`))
        throw new Error(`the validation tile reads "${validationSub}", expected ${held} held out of ${samples}`);
      await themedView(
        { page, consoleLines },
        {
          model: MODEL,
          tab: 'training',
          shoot: async (view, _frame, suffix) => {
            await scrollTo(view.locator('.lp-chart').first());
            await view
              .locator('.lp-curves')
              .screenshot({ path: path.join(RESULTS, `training-16a-validation-curves${suffix}.png`) });
          },
        },
      );

      // After the run: the confusion matrix of the held-out digits, its cells summing to them.
      const result = await evaluation(frame, consoleLines);
      const cells = await frame
        .locator('[data-testid="confusion-matrix"] td.lp-cm-cell')
        .evaluateAll((list) => list.map((c) => Number(c.getAttribute('data-count'))));
      const sum = cells.reduce((a, b) => a + b, 0);
      const reported = summaryCount(result.summary);
      if (cells.length !== 100) throw new Error(`the confusion matrix has ${cells.length} cells, not 10 × 10`);
      if (sum !== reported || sum !== Number(result.samples) || sum !== held)
        throw new Error(
          `the confusion matrix sums to ${sum}; the panel reports ${reported} ("${result.summary}", data-samples ${result.samples}); ${held} were held out`,
        );
      // A cell's samples: clicking the busiest diagonal cell lists its digits as images.
      let best = 0;
      for (let d = 1; d < 10; d += 1) if (cells[d * 11] > cells[best * 11]) best = d;
      const count = cells[best * 11];
      if (count === 0) throw new Error(`no held-out digit is classified right: "${result.summary}"`);
      await frame.locator(`[data-testid="confusion-matrix"] td[data-true="${best}"][data-predicted="${best}"]`).click();
      const list = frame.locator('[data-testid="confusion-samples"]');
      await list.waitFor({ state: 'visible', timeout: 10_000 });
      const thumbs = await canvasPixels(list.locator('canvas.lp-cm-thumb'));
      if (thumbs.length !== Math.min(60, count) || thumbs.some((t) => t.colours < 3))
        throw new Error(
          `cell ${best},${best} (${count} samples) lists ${thumbs.length} thumbnails: ${JSON.stringify(thumbs.slice(0, 3))}`,
        );
      await themedView(
        { page, consoleLines },
        {
          model: MODEL,
          tab: 'training',
          shoot: async (_view, panel, suffix) => {
            await scrollTo(panel.locator('[data-testid="evaluation"]'));
            await panel
              .locator('[data-testid="evaluation"]')
              .screenshot({ path: path.join(RESULTS, `training-16b-confusion-matrix${suffix}.png`) });
          },
        },
      );
      console.log(
        `      curve pixels: training ${drawn.training.count}, validation ${drawn.validation.count}; "${result.summary}"; matrix sums to ${sum}`,
      );
    },
  },
  {
    name: 'the LSTM forecaster plots its predictions against the targets',
    run: async ({ page, consoleLines }) => {
      const frame = await showPanel(page, 'forecaster', consoleLines);
      const split = Number(await fieldValue(frame, 'validationSplit'));
      if (!(split > 0 && split < 1)) throw new Error(`the forecaster's validation split starts at ${split}`);
      const samples = 400;
      const held = heldOut(samples, split);
      await shortRun(frame, { epochs: 2, samples }, consoleLines);
      await showTab(frame, 'training');
      const result = await evaluation(frame, consoleLines);
      if (!/mean squared error/.test(result.summary) || summaryCount(result.summary) !== held)
        throw new Error(`the evaluation reads "${result.summary}", expected ${held} held-out samples and their error`);
      // One point per held-out window (one value ahead each), on a drawn chart (axes, y = x, points).
      const plot = frame.locator('[data-testid="prediction-plot"]');
      const points = await until(async () => Number((await plot.getAttribute('data-points')) ?? 0), {
        timeout: 10_000,
        describe: () => 'the prediction plot drew no points',
      });
      const [pixels] = await canvasPixels(plot);
      if (points !== held || !pixels || pixels.colours < 16)
        throw new Error(`the prediction plot has ${points} points (expected ${held}), pixels ${JSON.stringify(pixels)}`);
      await themedView(
        { page, consoleLines },
        {
          model: 'forecaster',
          tab: 'training',
          shoot: async (_view, panel, suffix) => {
            await scrollTo(panel.locator('[data-testid="prediction-plot"]'));
            await panel
              .locator('[data-testid="evaluation"]')
              .screenshot({ path: path.join(RESULTS, `training-17a-prediction-plot${suffix}.png`) });
          },
        },
      );
      console.log(`      "${result.summary}"; ${points} points`);
    },
  },
];
