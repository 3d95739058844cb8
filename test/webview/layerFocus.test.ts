/**
 * The panel as the lenses see it (webview tier, the built panel with a stub host): layers carry
 * the analysis's names (`conv2d_1`, not tfjs's `conv2d_Conv2D1`), the same after Train again;
 * a layer lens clicked while the Training tab (or a view without that layer) is shown selects
 * the layer's view and highlights the layer there. Screenshots in test-results/webview/.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { generateForecast } from '../../src/data/syntheticDatasets';
import { loadMnist } from '../../src/data/mnist';
import { callApi, REPO, startHarness } from './support/harness';
import type { BundledModel, Harness } from './support/harness';
import { seedLine } from './support/seed';
import { config, isState, messages, waitForMessage, waitUntil } from './support/panelMessages';

const RESULTS = path.join(REPO, 'test-results', 'webview');

/** The tab the panel shows (`data-tab` of the active header). */
const selectedTab = (page: Page): Promise<string | null> =>
  page.locator('vscode-tab-header[active]').first().getAttribute('data-tab');

/** The names of the layer sections a view's tab shows, in order. */
const sectionNames = (page: Page, tab: string): Promise<string[]> =>
  page
    .locator(`vscode-tab-panel[data-tab="${tab}"] section.ml-layer`)
    .evaluateAll((list) => list.map((s) => s.getAttribute('data-layer') ?? ''));

/** The focused sections of a tab (`data-layer`), and whether the first is on screen. */
async function focused(page: Page, tab: string): Promise<{ names: string[]; onScreen: boolean }> {
  const sections = page.locator(`vscode-tab-panel[data-tab="${tab}"] section.ml-focused`);
  const names = await sections.evaluateAll((list) => list.map((s) => s.getAttribute('data-layer') ?? ''));
  const box = names.length > 0 ? await sections.first().boundingBox() : null;
  const height = page.viewportSize()?.height ?? 0;
  const onScreen = box !== null && box.height > 0 && box.y + box.height > 0 && box.y < height;
  return { names, onScreen };
}

describe('training panel: layer names and lens clicks (webview tier)', function () {
  this.timeout(180_000);
  let h: Harness;
  let page: Page;
  let convnet: BundledModel;
  let mnist: string;

  const send = (layer: { name: string; line: number }): Promise<void> =>
    callApi(page, 'send', { type: 'focusLayer', layerName: layer.name, line: layer.line });

  before(async () => {
    h = await startHarness();
    convnet = await h.addModel('examples/mnistConvnet.ts', undefined, { prelude: seedLine('mnistConvnet') });
    mnist = h.addDataset('mnist-256', loadMnist({ count: 256, layout: 'image', targets: 'oneHot' }));
    page = await h.openPage({ width: 900, height: 900 });
  });

  after(async () => {
    await h?.close();
  });

  it('(item 7) shows the analysis’s layer names, not tfjs’s, and the same ones after Train again', async () => {
    const analysisNames = convnet.target.layers.map((l) => l.name);
    assert.deepEqual(analysisNames.slice(0, 3), ['conv2d_1', 'max_pooling2d_1', 'conv2d_2']);
    await callApi(page, 'start', {
      bundleUrl: convnet.url,
      target: convnet.target,
      backend: 'auto',
      config: config({ epochs: 1 }),
      datasetUrl: mnist,
      autoTrain: true,
      views: 'real',
      progressIntervalMs: 0,
    });
    await waitForMessage(page, isState('done'));
    const first = await callApi(page, 'layerNames');
    assert.deepEqual(first.shown, analysisNames);
    assert.ok(
      first.runtime.every((name, i) => name !== analysisNames[i]),
      `tfjs names its layers otherwise: ${first.runtime.join(', ')}`,
    );
    await page.locator('vscode-tab-header[data-tab="filters"]').click();
    await waitUntil(async () => (await sectionNames(page, 'filters')).length === 3, 'the filters of the three conv2d layers');
    assert.deepEqual(await sectionNames(page, 'filters'), ['conv2d_1', 'conv2d_2', 'conv2d_3']);
    const headings = await page.locator('vscode-tab-panel[data-tab="filters"] .ml-layer-name').allTextContents();
    assert.deepEqual(
      headings.map((t) => t.trim()),
      ['conv2d_1', 'conv2d_2', 'conv2d_3'],
    );

    // Train again: tfjs builds the model anew under new names; the panel's names stay.
    const runs = (await messages(page)).filter(isState('done')).length;
    await callApi(page, 'send', { type: 'train', config: config({ epochs: 1 }) });
    await waitUntil(async () => (await messages(page)).filter(isState('done')).length > runs, 'the second run to end', 90_000);
    const second = await callApi(page, 'layerNames');
    assert.notDeepEqual(second.runtime, first.runtime, 'a fresh model');
    assert.deepEqual(second.shown, analysisNames);
    await page.locator('vscode-tab-header[data-tab="activations"]').click();
    await waitUntil(async () => (await sectionNames(page, 'activations')).length > 0, 'the activations of the new model');
    assert.deepEqual(await sectionNames(page, 'activations'), analysisNames);
    await waitUntil(
      async () => (await sectionNames(page, 'filters')).join() === 'conv2d_1,conv2d_2,conv2d_3',
      'the filters keep their names',
      10_000,
    );
  });

  it('(item 8) a lens click on the Training tab selects the layer’s view and highlights the layer', async () => {
    await page.locator('vscode-tab-header[data-tab="training"]').click();
    assert.equal(await selectedTab(page), 'training');
    // A convolution: its filters.
    const conv = convnet.target.layers[2]!;
    await send(conv);
    await waitUntil(async () => (await selectedTab(page)) === 'filters', 'the Filters tab to be selected', 10_000);
    await waitUntil(
      async () => (await focused(page, 'filters')).names.join() === 'conv2d_2',
      'conv2d_2 highlighted in Filters',
      15_000,
    );
    await waitUntil(async () => (await focused(page, 'filters')).onScreen, 'conv2d_2 scrolled into view', 10_000);
    mkdirSync(RESULTS, { recursive: true });
    await page.screenshot({ path: path.join(RESULTS, 'focus-layer-filters.png') });

    // A dense layer is not in Filters: from there its lens selects Activations.
    const dense = convnet.target.layers.find((l) => l.type === 'Dense')!;
    await send(dense);
    await waitUntil(async () => (await selectedTab(page)) === 'activations', 'the Activations tab to be selected', 10_000);
    await waitUntil(
      async () => {
        const f = await focused(page, 'activations');
        return f.names.join() === dense.name && f.onScreen;
      },
      `${dense.name} highlighted and on screen in Activations`,
      15_000,
    );
    await page.screenshot({ path: path.join(RESULTS, 'focus-layer-activations.png') });

    // A view that shows the layer keeps the tab: the conv layer is focused in Activations.
    await send(conv);
    await waitUntil(
      async () => (await focused(page, 'activations')).names.join() === conv.name,
      `${conv.name} highlighted in Activations`,
      10_000,
    );
    assert.equal(await selectedTab(page), 'activations');

    // Found by line when the name is not the analysis's (a lens from an older analysis).
    await page.locator('vscode-tab-header[data-tab="training"]').click();
    await send({ name: 'renamed', line: conv.line });
    await waitUntil(async () => (await selectedTab(page)) === 'filters', 'Filters selected for the layer on that line', 10_000);
  });

  it('(item 8) an LSTM’s lens selects its gates', async () => {
    const lstm = await h.addModel('test/fixtures/models/lstmForecast.ts', 'model', { prelude: seedLine('lstmForecast') });
    const sines = h.addDataset('sines-64', generateForecast({ count: 64, timesteps: 30, features: 4, ysShape: [7] }));
    await callApi(page, 'start', {
      bundleUrl: lstm.url,
      target: lstm.target,
      backend: 'auto',
      config: config({ epochs: 1, loss: 'meanSquaredError', metrics: [] }),
      datasetUrl: sines,
      autoTrain: false,
      views: 'real',
      progressIntervalMs: 0,
    });
    await waitForMessage(page, isState('ready'));
    assert.equal(await selectedTab(page), 'training');
    const layer = lstm.target.layers.filter((l) => l.type === 'LSTM')[1]!;
    await send(layer);
    await waitUntil(async () => (await selectedTab(page)) === 'gates', 'the Gates tab to be selected', 10_000);
    await waitUntil(
      async () => (await focused(page, 'gates')).names.join() === layer.name,
      `${layer.name} highlighted in Gates`,
      30_000,
    );
    assert.deepEqual(await callApi(page, 'cspViolations'), []);
  });
});
