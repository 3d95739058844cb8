// The convnet in the training panel: open examples/mnistConvnet.ts, cursor in the model, F1 →
// Model Lens: Train Model, Enter on the recommended data (MNIST digits), watch the loss move in
// the panel beside the editor, click a layer's lens and see its filters, open the Filters tab,
// Stop and Train again, close the panel and see training stop.
import path from 'node:path';
import { acceptQuickInputRow, codeLens, quickOpen, RESULTS, runCommand } from './workbench.mjs';
import {
  canvasPixels,
  closeNotificationCenter,
  consoleProblems,
  FIRST_BATCH_MS,
  MODEL,
  openNotificationCenter,
  PANEL_TITLE,
  panelFrame,
  progressNotification,
  readPanel,
  sleep,
  until,
} from './panel.mjs';

/** Everything the run learns along the way, for later steps and the summary. */
export const run = {
  /** @type {import('playwright-core').Frame | null} */
  frame: null,
  commandAt: 0,
  losses: /** @type {string[]} */ ([]),
  progress: '',
  backend: '',
  firstBatchMs: 0,
  filters: /** @type {Array<{ width: number, height: number, colours: number, hash: number }>} */ ([]),
  /** What the progress notification and the panel said at the same moments. */
  positions: /** @type {Array<{ notification: string, panel: string }>} */ ([]),
};

/** @type {Array<{ name: string, run: (workbench: import('./workbench.mjs').Workbench) => Promise<void> }>} */
export const convnetSteps = [
  {
    name: 'workbench opens examples/',
    run: async ({ page }) => {
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'mnistConvnet.ts' }).waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'open mnistConvnet.ts, cursor in the model',
    run: async ({ page }) => {
      await quickOpen(page, 'mnistConvnet.ts');
      // The analysis is done once the lenses show (Train needs it).
      await codeLens(page, '93,322');
      // Ctrl+G 8 Enter: the cursor on the second conv2d line, inside `tf.sequential()`'s model.
      await page.keyboard.press('Control+G');
      await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
      await page.keyboard.type('8', { delay: 20 });
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
      await page
        .locator('.statusbar-item', { hasText: /Ln 8, Col/ })
        .first()
        .waitFor();
    },
  },
  {
    name: 'F1 Model Lens: Train Model, Enter on MNIST digits',
    run: async ({ page }) => {
      await runCommand(page, 'Model Lens: Train Model');
      run.commandAt = Date.now();
      // The data pick: the recommended choice is first and focused; Enter takes it.
      await page
        .locator('.quick-input-widget .quick-input-title', { hasText: `training data for "${MODEL}"` })
        .waitFor({ timeout: 30_000 });
      await page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: 'MNIST digits' }).waitFor();
      await page.screenshot({ path: path.join(RESULTS, 'training-03a-data-pick.png') });
      await acceptQuickInputRow(page, 'MNIST digits');
      // Any further pick (none today for MNIST): accept its default (focused) row too.
      const nextPick = page.locator('.quick-input-widget:not(.quick-input-widget-closing) .monaco-list-row.focused');
      for (let extra = 0; extra < 3; extra += 1) {
        const next = await Promise.race([
          nextPick
            .first()
            .waitFor({ state: 'visible', timeout: 3_000 })
            .then(
              () => 'pick',
              () => null,
            ),
          page
            .locator('.tabs-container .tab', { hasText: PANEL_TITLE })
            .waitFor({ timeout: 3_000 })
            .then(
              () => 'panel',
              () => null,
            ),
        ]);
        if (next !== 'pick') break;
        const label = ((await nextPick.first().textContent()) ?? '').trim();
        console.log(`      another pick, accepting its default: ${label.slice(0, 80)}`);
        await acceptQuickInputRow(page, label.slice(0, 40));
      }
    },
  },
  {
    name: 'the training panel opens beside the editor',
    run: async ({ page, consoleLines }) => {
      // A second editor group with the panel's tab, the model file still open in the first.
      await page.locator('.tabs-container .tab', { hasText: PANEL_TITLE }).waitFor({ timeout: 60_000 });
      await page.locator('.editor-group-container').nth(1).waitFor();
      await page
        .locator('.editor-group-container')
        .first()
        .locator('.tabs-container .tab', { hasText: 'mnistConvnet.ts' })
        .waitFor();
      run.frame = await until(() => panelFrame(page), {
        timeout: 30_000,
        describe: () =>
          `no webview frame with #model-lens-panel; frames: ${page
            .frames()
            .map((f) => f.url().slice(0, 120))
            .join(' | ')}${consoleProblems(consoleLines)}`,
      });
      // The panel knows its model and data, and has picked a backend.
      const frame = run.frame;
      await frame.locator('.lp-model-name', { hasText: MODEL }).waitFor({ timeout: 30_000 });
      await frame.locator('[data-testid="dataset"]', { hasText: 'MNIST' }).waitFor({ timeout: 30_000 });
      const panel = await until(
        async () => {
          const p = await readPanel(frame);
          return p.backend || p.error ? p : null;
        },
        {
          timeout: 60_000,
          describe: async () =>
            `the panel chose no backend: ${JSON.stringify(await readPanel(frame))}${consoleProblems(consoleLines)}`,
        },
      );
      if (panel.error) throw new Error(`the panel shows an error: ${panel.error}${consoleProblems(consoleLines)}`);
      run.backend = `${panel.backend} (${panel.backendReason})`;
      console.log(`      backend: ${run.backend}; data: ${panel.dataset}`);
    },
  },
  {
    name: 'training runs: the loss changes',
    run: async ({ page, consoleLines }) => {
      const frame = run.frame;
      const seen = [];
      let last = null;
      let firstAt = 0;
      // The Training tab's loss chart (a canvas) as training starts, to see it move.
      const chart = frame.locator('vscode-tab-panel[data-tab="training"] canvas').first();
      await chart.waitFor({ state: 'visible' });
      const chartBefore = (await canvasPixels(chart))[0];
      await until(
        async () => {
          const p = await readPanel(frame);
          last = p;
          if (p.error || p.state === 'error')
            throw new Error(`the panel shows an error: ${p.error}${consoleProblems(consoleLines)}`);
          if (p.loss && seen.at(-1) !== p.loss) {
            if (seen.length === 0) firstAt = Date.now();
            seen.push(p.loss);
          }
          return seen.length >= 3; // the loss changed at least twice
        },
        {
          interval: 100,
          timeout: FIRST_BATCH_MS,
          describe: () =>
            `the displayed loss did not change twice (values seen: ${seen.join(', ') || 'none'}); panel: ${JSON.stringify(last)}${consoleProblems(consoleLines)}`,
        },
      );
      run.firstBatchMs = firstAt - run.commandAt;
      run.losses = seen;
      const p = await readPanel(frame);
      run.progress = p.progress;
      if (p.state !== 'training') throw new Error(`expected the panel to be training, it is "${p.state}"`);
      if (!/Epoch \d+ \/ \d+ · batch \d+ \/ \d+/.test(p.progress)) throw new Error(`the progress line reads "${p.progress}"`);
      // Training runs on the panel's worker thread(s) in VS Code too (blob workers under the webview's CSP).
      if (
        !/training on (a worker thread|\d+ worker threads, each computing a share of every batch)( \(sharing each batch was slower for this model: [^)]*\))?$/.test(
          p.backendReason,
        )
      )
        throw new Error(
          `training is not on a worker thread: the backend line reads "${p.backendReason}"${consoleProblems(consoleLines)}`,
        );
      console.log(`      ${p.backend}: ${p.backendReason}`);
      // The loss curve moved: the chart's pixels changed since training started, and it is no
      // blank canvas (axes, labels and the curve: many colours).
      await until(
        async () => {
          const now = (await canvasPixels(chart))[0];
          return now && now.hash !== chartBefore?.hash && now.colours >= 16;
        },
        { timeout: 10_000, describe: async () => `the loss chart did not change: ${JSON.stringify(await canvasPixels(chart))}` },
      );
      // VS Code shows the cancellable progress notification (in the notification center).
      await openNotificationCenter(page);
      await progressNotification(page).first().waitFor({ timeout: 15_000 });
      // Samples of (notification, panel) positions for the last step: the notification is read
      // first and is throttled, so it can lag the panel but never be ahead of it.
      for (let i = 0; i < 5; i += 1) {
        const notification =
          (await progressNotification(page).first().locator('.notification-list-item-message').textContent()) ?? '';
        const panelNow = await readPanel(frame);
        run.positions.push({ notification: notification.replace(/\s+/g, ' ').trim(), panel: panelNow.progress });
        await sleep(300);
      }
      await page.screenshot({ path: path.join(RESULTS, 'training-05b-progress-notification.png') });
      await closeNotificationCenter(page);
      console.log(
        `      losses ${seen.map((v) => Number(v).toFixed(4)).join(' → ')}; "${p.progress}"; first batch ${(run.firstBatchMs / 1000).toFixed(1)} s after Enter`,
      );
    },
  },
  {
    name: 'clicking a layer lens while the Training tab shows selects its filters and highlights it',
    run: async ({ page, consoleLines }) => {
      const frame = run.frame;
      const selected = () => frame.locator('vscode-tab-header[active]').first().getAttribute('data-tab');
      if ((await selected()) !== 'training') throw new Error(`expected the Training tab, the panel shows "${await selected()}"`);
      // conv2d_2's lens in the editor: "(None, 11, 11, 64) · 18,496 params".
      const lens = await codeLens(page, '18,496');
      await lens.locator('a').first().click();
      await until(async () => (await selected()) === 'filters', {
        timeout: 15_000,
        describe: async () => `the lens click left the panel on "${await selected()}"${consoleProblems(consoleLines)}`,
      });
      const focused = frame.locator('vscode-tab-panel[data-tab="filters"] section.ml-focused');
      await until(
        async () => (await focused.evaluateAll((list) => list.map((s) => s.getAttribute('data-layer')))).join() === 'conv2d_2',
        {
          timeout: 30_000,
          describe: async () =>
            `conv2d_2 is not highlighted in Filters (focused: ${await focused.evaluateAll((list) => list.map((s) => s.getAttribute('data-layer'))).catch(() => '?')})`,
        },
      );
      await page.screenshot({ path: path.join(RESULTS, 'training-05c-lens-focus.png') });
    },
  },
  {
    name: 'the Filters tab draws the conv kernels',
    run: async ({ consoleLines }) => {
      const frame = run.frame;
      const header = frame.locator('vscode-tab-header[data-tab="filters"]');
      await header.waitFor({ state: 'visible' });
      await header.click();
      const panel = frame.locator('vscode-tab-panel[data-tab="filters"]');
      await panel.waitFor({ state: 'visible' });
      // Non-blank: some canvas has pixels of more than a few colours.
      const canvases = await until(
        async () => {
          const stats = await canvasPixels(panel.locator('canvas'));
          return stats.some((s) => s.colours >= 16) ? stats : null;
        },
        {
          timeout: 30_000,
          describe: async () => {
            const text = (await panel.textContent().catch(() => '')) ?? '';
            return `no Filters canvas has non-uniform pixels; the tab says: "${text.replace(/\s+/g, ' ').trim().slice(0, 300)}"${consoleProblems(consoleLines)}`;
          },
        },
      );
      run.filters = canvases;
      // Scrolled into view for the screenshots (the tabs sit below the settings), plus a close-up.
      await panel.locator('canvas').first().scrollIntoViewIfNeeded();
      await panel.screenshot({ path: path.join(RESULTS, 'training-06b-filters-close-up.png') });
      // Three conv2d layers: a section (and canvas) each.
      if (canvases.length < 3) throw new Error(`expected a canvas per conv2d layer (3), found ${canvases.length}`);
      // Named as the lenses name them (the analysis's conv2d_1…3, not tfjs's conv2d_Conv2D1…).
      const names = (await panel.locator('.ml-layer-name').allTextContents()).map((t) => t.trim());
      if (names.join() !== 'conv2d_1,conv2d_2,conv2d_3') throw new Error(`the Filters sections are named ${names.join(', ')}`);
      console.log(
        `      filter canvases: ${canvases.map((c) => `${c.width}×${c.height} (${c.colours >= 1000 ? '1000+' : c.colours} colours)`).join(', ')}`,
      );
    },
  },
  {
    name: 'Stop, then Train again: a fresh run starts (the worker imports the model anew)',
    run: async ({ consoleLines }) => {
      const frame = run.frame;
      await frame.locator('[data-testid="stop"]').click();
      await until(async () => (await readPanel(frame)).state === 'stopped', {
        timeout: 30_000,
        describe: async () => `the panel did not stop: ${JSON.stringify(await readPanel(frame))}${consoleProblems(consoleLines)}`,
      });
      await frame.locator('[data-testid="train"]').click();
      const seen = [];
      let last = null;
      await until(
        async () => {
          const p = await readPanel(frame);
          last = p;
          if (p.error || p.state === 'error')
            throw new Error(`the second run failed: ${p.error}${consoleProblems(consoleLines)}`);
          if (p.state === 'training' && p.loss && seen.at(-1) !== p.loss) seen.push(p.loss);
          return seen.length >= 3;
        },
        {
          interval: 100,
          timeout: FIRST_BATCH_MS,
          describe: () =>
            `the second run's loss did not change twice (seen: ${seen.join(', ') || 'none'}); panel: ${JSON.stringify(last)}${consoleProblems(consoleLines)}`,
        },
      );
      console.log(
        `      second run: losses ${seen.map((v) => Number(v).toFixed(4)).join(' → ')}; "${(await readPanel(frame)).progress}"`,
      );
    },
  },
  {
    name: 'closing the panel stops training',
    run: async ({ page, consoleLines }) => {
      const frame = run.frame;
      const before = await readPanel(frame);
      if (before.state !== 'training')
        throw new Error(`expected the panel to still be training before closing, it is "${before.state}" (${before.progress})`);
      await openNotificationCenter(page);
      await progressNotification(page).first().waitFor({ timeout: 5_000 });
      // The panel tab's close button (the ✕ on its tab in the second editor group).
      const tab = page.locator('.tabs-container .tab', { hasText: PANEL_TITLE }).first();
      await tab.hover();
      await tab.locator('.tab-actions .action-label').first().click();
      await tab.waitFor({ state: 'detached', timeout: 15_000 });
      // The webview's frames are gone (the page and its training loop with them)…
      await until(() => frame.isDetached() || page.frames().every((f) => f !== frame), {
        timeout: 15_000,
        describe: () => "the panel's webview frame is still attached after its tab closed",
      });
      // …and the host ends the "Training model" progress notification.
      await progressNotification(page).first().waitFor({ state: 'detached', timeout: 15_000 });
      // Training does not come back: no progress notification a few seconds later, no error.
      await sleep(3_000);
      await openNotificationCenter(page).catch(() => undefined); // (it closes itself when it empties)
      if ((await progressNotification(page).count()) > 0)
        throw new Error('the training notification came back after the panel closed');
      const errors = await page
        .locator('.notifications-center .notification-list-item', { hasText: 'Model Lens' })
        .allTextContents();
      if (errors.length > 0)
        throw new Error(`Model Lens notifications after closing: ${errors.join(' | ')}${consoleProblems(consoleLines)}`);
      await page.locator('.editor-group-container .tabs-container .tab.active', { hasText: 'mnistConvnet.ts' }).waitFor();
      console.log(`      closed at "${before.progress}"; notification gone, webview frame detached`);
    },
  },
];
