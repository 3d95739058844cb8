/**
 * Validation and evaluation in the webview tier: the run holds out the share of the samples its
 * config asks for, reports validation values each epoch and plots them beside the training
 * curves; after the run the Training tab evaluates the held-out samples (a confusion matrix for
 * the MNIST convnet, predicted vs true for the LSTM forecaster); early stopping ends a run whose
 * validation loss stops improving. Screenshots in test-results/webview/ (dark and light).
 * Run `node scripts/buildWebview.mjs` first.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { loadMnist } from '../../src/data/mnist';
import { validationCount } from '../../webview/training/heldOut';
import { callApi, REPO, startHarness } from './support/harness';
import type { BundledModel, Harness } from './support/harness';
import { describeExample, exampleDataset } from './support/examplesData';
import { seedLine } from './support/seed';
import type { StartOptions } from './support/pageApi';
import { config, epochsOf, isState, messages, startModel, waitForMessage, waitUntil } from './support/panelMessages';

const RESULTS = path.join(REPO, 'test-results', 'webview');

describe('validation and evaluation (webview tier)', function () {
  this.timeout(240_000);
  let h: Harness;
  let page: Page;
  let convnet: BundledModel;
  let mnist640: string;

  const start = (options: Partial<StartOptions> & Pick<StartOptions, 'datasetUrl'>, on: Page = page): Promise<void> =>
    startModel(on, convnet, options);

  /** The confusion matrix's cells as the page shows them. */
  const matrixOf = async (on: Page): Promise<{ counts: number[]; diagonal: number; samples: number; correct: number }> =>
    on.evaluate(`(() => {
      const cells = [...document.querySelectorAll('[data-testid="confusion-matrix"] td.lp-cm-cell')];
      const section = document.querySelector('[data-testid="evaluation"]');
      return {
        counts: cells.map((c) => Number(c.dataset.count)),
        diagonal: cells.filter((c) => c.dataset.true === c.dataset.predicted).reduce((s, c) => s + Number(c.dataset.count), 0),
        samples: Number(section.dataset.samples),
        correct: Number(section.dataset.correct),
      };
    })()`);

  before(async () => {
    h = await startHarness();
    convnet = await h.addModel('examples/mnistConvnet.ts', undefined, { prelude: seedLine('mnistConvnet') });
    mnist640 = h.addDataset('mnist-640', loadMnist({ count: 640, layout: 'image', targets: 'oneHot' }));
    page = await h.openPage();
  });

  after(async () => {
    await h?.close();
  });

  it('holds out the validation split, reports validation per epoch and plots it beside training', async () => {
    await start({ datasetUrl: mnist640, config: config({ epochs: 2, validationSplit: 0.2 }) });
    await waitForMessage(page, isState('done'));
    const reports = await callApi(page, 'epochReports');
    const held = validationCount(640, 0.2);
    assert.equal(held, 128);
    assert.equal(reports.length, 2);
    for (const r of reports) {
      assert.equal(r.trainSamples, 640 - held, 'trained on the rest');
      assert.equal(r.validation?.samples, held, 'validated on the held-out share');
      assert.ok(Number.isFinite(r.validation.loss));
      assert.notEqual(r.validation.loss, r.loss, 'validation loss is its own value');
      assert.ok(r.validation.metrics['accuracy']! >= 0 && r.validation.metrics['accuracy']! <= 1);
    }
    const ends = epochsOf(await messages(page));
    assert.deepEqual(
      ends.map((e) => e.validation?.loss),
      reports.map((r) => r.validation?.loss),
      'epochEnd carries the validation values',
    );
    // The charts' legends name both, and the validation tile shows the last epoch's loss.
    const legend = await page.locator('.lp-chart-legend .lp-legend-item').allTextContents();
    for (const label of ['training loss per epoch', 'validation loss', 'training accuracy', 'validation accuracy']) {
      assert.ok(legend.includes(label), `legend has "${label}": ${legend.join(', ')}`);
    }
    // The loss chart's log scale toggles on and off.
    const log = page.locator('[data-testid="log-scale"]');
    await log.check();
    assert.equal(await log.isChecked(), true);
    await log.uncheck();
    const tile = page.locator('[data-testid="validation-loss"]');
    assert.equal(await tile.getAttribute('data-value'), String(reports[1]!.validation!.loss));
    assert.match(await page.locator('[data-testid="validation-sub"]').innerText(), /128 held out/);
  });

  it('evaluates the held-out samples after the run: a confusion matrix that sums to them, diagonal = right answers', async () => {
    await waitUntil(async () => (await matrixOf(page)).counts.length > 0, 'the confusion matrix');
    const m = await matrixOf(page);
    assert.equal(m.counts.length, 100, '10 × 10 classes');
    assert.equal(m.samples, 128);
    assert.equal(
      m.counts.reduce((a, b) => a + b, 0),
      128,
      'sums to the evaluated samples',
    );
    assert.equal(m.diagonal, m.correct);
    // The worker's validation accuracy of the last epoch (the same weights) counts the same samples right.
    const last = (await callApi(page, 'epochReports')).at(-1)!;
    assert.equal(m.correct, Math.round(last.validation!.metrics['accuracy']! * 128));
    // A cell's samples, drawn as images.
    const cell = page.locator('td.lp-cm-cell[data-true="1"][data-predicted="1"]');
    const count = Number(await cell.getAttribute('data-count'));
    assert.ok(count > 0, 'some 1s are recognised after two epochs');
    await cell.click();
    assert.equal(await page.locator('[data-testid="confusion-samples"] canvas.lp-cm-thumb').count(), Math.min(count, 60));
  });

  it('evaluates again on demand, and a split of 0 evaluates the training samples', async () => {
    await start({ datasetUrl: mnist640, config: config({ epochs: 1, validationSplit: 0 }) });
    await waitForMessage(page, isState('done'));
    const reports = await callApi(page, 'epochReports');
    assert.equal(reports[0]!.trainSamples, 640);
    assert.equal(reports[0]!.validation, undefined);
    await waitUntil(async () => (await matrixOf(page)).samples === 640, 'the evaluation of all 640');
    const section = page.locator('[data-testid="evaluation"]');
    const before = Number(await section.getAttribute('data-evaluations'));
    await page.locator('[data-testid="evaluate"]').click();
    await waitUntil(async () => Number(await section.getAttribute('data-evaluations')) === before + 1, 'evaluation on demand');
    assert.equal(
      (await matrixOf(page)).counts.reduce((a, b) => a + b, 0),
      640,
    );
    assert.match(await page.locator('[data-testid="evaluation-summary"]').innerText(), /640 training samples \(none held out\)/);
  });

  it('uses the number of samples set in the panel, and holds its share of them out', async () => {
    await start({ datasetUrl: mnist640, config: config({ epochs: 1, samples: 320, validationSplit: 0.25 }) });
    await waitForMessage(page, isState('done'));
    const [report] = await callApi(page, 'epochReports');
    assert.equal(report!.trainSamples, 240);
    assert.equal(report!.validation?.samples, 80);
    await waitUntil(async () => (await matrixOf(page)).samples === 80, 'the evaluation of the 80 held out');
  });

  it('stops early when the validation loss stops improving (learning rate 0, patience 1)', async () => {
    await start({
      datasetUrl: mnist640,
      config: config({ epochs: 5, validationSplit: 0.1, learningRate: 0, earlyStoppingPatience: 1 }),
    });
    await waitForMessage(page, isState('done'));
    const reports = await callApi(page, 'epochReports');
    assert.equal(reports.length, 2, 'epoch 2 is no better than epoch 1: stop');
    assert.equal(reports[1]!.stoppedEarly, true);
    assert.match(await page.locator('[data-testid="progress"]').innerText(), /Stopped early after epoch 2/);
  });

  it('plots the LSTM forecaster’s predictions against the targets, one point per held-out sample', async () => {
    const example = describeExample(REPO, 'examples/lstm.ts').models.find((m) => m.model.name === 'forecaster')!;
    const forecaster = await h.addModel('examples/lstm.ts', 'forecaster', { prelude: seedLine('forecaster') });
    const n = 320;
    const data = h.addDataset('forecast', exampleDataset(example.choice!, n));
    assert.equal(example.config.validationSplit, 0.2, "fit's validationSplit");
    await start({
      bundleUrl: forecaster.url,
      target: forecaster.target,
      datasetUrl: data,
      config: { ...example.config, epochs: 1 },
    });
    await waitForMessage(page, isState('done'));
    const held = validationCount(n, 0.2);
    assert.equal((await callApi(page, 'epochReports'))[0]!.validation?.samples, held);
    const plot = page.locator('[data-testid="prediction-plot"]');
    await waitUntil(async () => (await plot.getAttribute('data-points')) !== null, 'the prediction plot');
    assert.equal(Number(await plot.getAttribute('data-points')), held);
    mkdirSync(RESULTS, { recursive: true });
    await page.locator('[data-testid="evaluation"]').screenshot({ path: path.join(RESULTS, 'prediction-plot.png') });
    assert.equal(await page.locator('[data-testid="confusion-matrix"]').count(), 0);
  });

  it('fits the ten-class confusion matrix, accuracy column included, in a panel 480 px wide', async () => {
    const narrow = await h.openPage({ width: 480, height: 1200 });
    try {
      await start({ datasetUrl: mnist640, config: config({ epochs: 1, validationSplit: 0.2 }) }, narrow);
      await waitForMessage(narrow, isState('done'));
      await waitUntil(async () => (await matrixOf(narrow)).counts.length > 0, 'the confusion matrix');
      const box = await narrow
        .locator('.lp-cm-scroll')
        .evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth, columns: e.querySelectorAll('thead th').length }));
      assert.equal(box.columns, 12, 'corner, ten classes, accuracy');
      assert.ok(box.scroll <= box.client, `the table is ${box.scroll} px wide in ${box.client} px`);
      mkdirSync(RESULTS, { recursive: true });
      await narrow.locator('[data-testid="evaluation"]').screenshot({ path: path.join(RESULTS, 'confusion-narrow.png') });
    } finally {
      await callApi(narrow, 'dispose');
      await narrow.close();
    }
  });

  for (const theme of ['dark', 'light'] as const) {
    it(`shows validation curves and the confusion matrix in the ${theme} theme (screenshot)`, async () => {
      const themed = await h.openPage({ theme, width: 900, height: 1500 });
      try {
        await start({ datasetUrl: mnist640, config: config({ epochs: 3, validationSplit: 0.2 }) }, themed);
        await waitForMessage(themed, isState('done'));
        await waitUntil(async () => (await matrixOf(themed)).counts.length > 0, 'the confusion matrix');
        await themed.locator('td.lp-cm-cell[data-true="7"][data-predicted="7"]').click();
        await themed.waitForTimeout(500);
        mkdirSync(RESULTS, { recursive: true });
        await themed.screenshot({ path: path.join(RESULTS, `validation-${theme}.png`), fullPage: true });
      } finally {
        await callApi(themed, 'dispose');
        await themed.close();
      }
    });
  }
});
