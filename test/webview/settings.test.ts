/**
 * The panel's training settings in the webview tier: each field shows its value and where it came
 * from; a valid edit is sent to the host as `configChanged` and marked "set in the panel"; an
 * invalid one is named and not sent; `train` with the config the form already shows keeps the
 * fields (rebuilding the selects forced a layout of the whole panel), a different one shows it.
 * A run's start folds the settings away (once per run: reopened, they stay open).
 */
import * as assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { loadMnist } from '../../src/data/mnist';
import type { TrainConfig } from '../../src/shared/messages';
import { callApi, startHarness } from './support/harness';
import type { BundledModel, Harness } from './support/harness';
import type { RecordedMessage } from './support/pageApi';
import { config, isState, messages, waitForMessage, waitUntil } from './support/panelMessages';

type ConfigChanged = Extract<RecordedMessage, { type: 'configChanged' }>;

describe('training settings (webview tier)', function () {
  this.timeout(120_000);
  let h: Harness;
  let page: Page;
  let convnet: BundledModel;
  let mnist: string;

  before(async () => {
    h = await startHarness();
    convnet = await h.addModel('examples/mnistConvnet.ts');
    mnist = h.addDataset('mnist-64', loadMnist({ count: 64, layout: 'image', targets: 'oneHot' }));
    page = await h.openPage();
  });

  after(async () => {
    await h?.close();
  });

  const field = (name: string) => page.locator(`[data-field="${name}"]`);
  const value = (name: string): Promise<string> =>
    field(name).evaluate((el) => String((el as unknown as { value: string }).value));
  const helper = async (name: string): Promise<string> =>
    (await field(name).locator('xpath=..').locator('.lp-field-source').textContent()) ?? '';
  /** Marks the field's element: the mark survives only if the form keeps the element. */
  const mark = (name: string): Promise<void> =>
    field(name).evaluate((el) => void ((el as unknown as { lpMark: boolean }).lpMark = true));
  const marked = (name: string): Promise<boolean> =>
    field(name).evaluate((el) => (el as unknown as { lpMark?: boolean }).lpMark === true);
  /** Types into the text field as a user does, and commits with Enter. */
  async function type(name: string, text: string): Promise<void> {
    const input = field(name).locator('input');
    await input.fill(text);
    await input.press('Enter');
    await input.blur();
  }
  /** Whether the Settings section is open (vscode-collapsible's `open`). */
  const settingsOpen = (on: Page = page): Promise<boolean> =>
    on.locator('[data-testid="settings-section"]').evaluate((el) => (el as unknown as { open: boolean }).open);
  /** Clicks the Settings header, as a user opens or closes it. */
  const toggleSettings = (on: Page = page): Promise<void> =>
    on.locator('[data-testid="settings-section"] .collapsible-header').click();
  const changes = async (): Promise<ConfigChanged[]> =>
    (await messages(page)).filter((m): m is ConfigChanged => m.type === 'configChanged');

  it('shows each value and its source, sends a valid edit, names an invalid one, and keeps the fields for the same config', async () => {
    const initial = config({
      epochs: 2,
      batchSize: 32,
      sources: { loss: 'from model.compile, line 12', epochs: 'from model.fit, line 20' },
    });
    await callApi(page, 'start', {
      bundleUrl: convnet.url,
      target: convnet.target,
      backend: 'wasm',
      config: initial,
      datasetUrl: mnist,
      autoTrain: false,
      views: 'none',
      progressIntervalMs: 0,
    });
    await waitForMessage(page, isState('ready'));
    assert.equal(await value('epochs'), '2');
    assert.equal(await value('loss'), 'categoricalCrossentropy');
    assert.equal(await helper('epochs'), 'from model.fit, line 20');
    assert.equal(await helper('loss'), 'from model.compile, line 12');
    assert.equal(await helper('batchSize'), 'default');

    await type('epochs', '3');
    await waitUntil(async () => (await changes()).length === 1, 'configChanged after editing epochs');
    const edited = (await changes())[0]!.config;
    assert.equal(edited.epochs, 3);
    assert.equal(edited.sources.epochs, 'set in the panel');
    assert.equal(edited.sources.loss, 'from model.compile, line 12');
    assert.equal(await helper('epochs'), 'set in the panel');

    // The host trains with the config it was sent (as trainingPanel does): the form keeps its fields.
    for (const name of ['epochs', 'loss', 'metrics']) await mark(name);
    await callApi(page, 'send', { type: 'train', config: edited });
    await waitForMessage(page, isState('done'));
    for (const name of ['epochs', 'loss', 'metrics'])
      assert.equal(await marked(name), true, `${name} was rebuilt for the same config`);
    assert.equal((await messages(page)).filter((m) => m.type === 'epochEnd').length, 3);

    // The run folded the settings away; opened again to edit them.
    assert.equal(await settingsOpen(), false);
    await toggleSettings();
    // An invalid batch size is named, and not sent.
    await type('batchSize', '0');
    const alert = page.locator('.lp-settings-problems');
    await waitUntil(() => alert.isVisible(), 'the problem shown');
    assert.match((await alert.textContent()) ?? '', /Batch size/);
    assert.equal((await changes()).length, 1, 'no configChanged for an invalid value');

    // A different config (the host's, e.g. after the file changed) is shown, fields rebuilt.
    const other: TrainConfig = {
      ...edited,
      epochs: 1,
      loss: 'meanSquaredError',
      sources: { loss: 'from model.compile, line 14' },
    };
    await callApi(page, 'send', { type: 'train', config: other });
    await waitUntil(async () => (await value('epochs')) === '1', 'the new config shown');
    assert.equal(await value('loss'), 'meanSquaredError');
    assert.equal(await helper('loss'), 'from model.compile, line 14');
    assert.equal(await value('batchSize'), '32');
    assert.equal(await alert.isVisible(), false, 'the problem went with the invalid value');
  });

  it('folds the settings away when a run starts, once: opened again, they stay open for the rest of that run', async () => {
    const other = await h.openPage();
    // (A string: this file compiles without the DOM library.)
    const state = (): Promise<string | undefined> => other.evaluate('document.body.dataset.state');
    const reach = (wanted: string): Promise<void> => waitUntil(async () => (await state()) === wanted, `state ${wanted}`);
    try {
      await callApi(other, 'start', {
        bundleUrl: convnet.url,
        target: convnet.target,
        backend: 'wasm',
        // Long enough to still be running while the test clicks around; stopped below.
        config: config({ epochs: 1000 }),
        datasetUrl: mnist,
        autoTrain: false,
        views: 'none',
        progressIntervalMs: 0,
      });
      await waitForMessage(other, isState('ready'));
      assert.equal(await settingsOpen(other), true, 'open before any run');
      await other.locator('[data-testid="train"]').click();
      await reach('training');
      assert.equal(await settingsOpen(other), false, 'folded when the run starts');
      await toggleSettings(other);
      assert.equal(await settingsOpen(other), true);
      // Pausing and resuming is the same run: the settings stay as the user left them.
      await other.locator('[data-testid="pause"]').click();
      await reach('paused');
      await other.locator('[data-testid="pause"]').click();
      await reach('training');
      assert.equal(await settingsOpen(other), true, 'still open after resume');
      await other.locator('[data-testid="stop"]').click();
      await reach('stopped');
      assert.equal(await settingsOpen(other), true, 'still open when the run ends');
      // The next run folds them again.
      await other.locator('[data-testid="train"]').click();
      await reach('training');
      assert.equal(await settingsOpen(other), false, 'folded when the next run starts');
      await other.locator('[data-testid="stop"]').click();
      await reach('stopped');
    } finally {
      await callApi(other, 'dispose');
      await other.close();
    }
  });
});
