// The training panel in a real VS Code (code-server 4.139 = VS Code 1.139, headless Chromium),
// driven as a person would: open examples/mnistConvnet.ts, cursor in the model, F1 → Model Lens:
// Train Model, Enter on the recommended data (MNIST digits), watch the loss move in the panel
// beside the editor, click a layer's lens and see its filters, open the Filters tab, close the
// panel and see training stop; ▶ Train on a broken model points at its error; training three
// models in a row keeps one training column.
//
//   node test/e2e/training.e2e.mjs [--no-build]
//
// Screenshots: test-results/e2e/training-NN-step.png; the browser console (all frames, the
// webview's included, plus failed requests) in training-console.log, code-server's output in
// training-server.log, the extension's "Model Lens" output channel in training-extension.log.
// Other runs' files in test-results/e2e/ are left alone.
//
// The panel is a webview: an `iframe.webview` in the workbench holding an inner
// `iframe#active-frame` (URL …/fake.html?id=…) into which VS Code writes the panel's HTML.
// `panelFrame()` finds that frame by its DOM (`#model-lens-panel`).
import { copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { acceptQuickInputRow, codeLens, quickOpen, RESULTS, ROOT, runCommand, runSteps } from './workbench.mjs';

const MODEL = 'model'; // the model's name in examples/mnistConvnet.ts; its panel is "Train model"
const PANEL_TITLE = `Train ${MODEL}`;
/** How long the panel may take from Enter on the data pick to its first trained batch. */
const FIRST_BATCH_MS = 120_000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a truthy value; throws `describe()` after `timeout`. */
async function until(probe, { timeout, interval = 250, describe }) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(await describe());
    await sleep(interval);
  }
}

/** Everything the run learns along the way, for later steps and the summary. */
const run = {
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

/** The panel's frame: the one (inside the webview iframes) whose document has #model-lens-panel. */
async function panelFrame(page) {
  for (const frame of page.frames()) {
    if (frame.isDetached() || !frame.url().includes('fake.html')) continue;
    const found = await frame.evaluate(() => document.getElementById('model-lens-panel') !== null).catch(() => false);
    if (found) return frame;
  }
  return null;
}

/**
 * Pixel statistics of the canvases `canvases` matches: size, distinct colours (capped at 1000)
 * and a hash of the pixels (to see a drawing change). WebGL canvases report colours -1.
 * @param {import('playwright-core').Locator} canvases
 */
function canvasPixels(canvases) {
  return canvases.evaluateAll((list) =>
    list.map((canvas) => {
      const c = /** @type {HTMLCanvasElement} */ (canvas);
      if (c.width === 0 || c.height === 0) return { width: c.width, height: c.height, colours: 0, hash: 0 };
      const ctx = c.getContext('2d');
      if (!ctx) return { width: c.width, height: c.height, colours: -1, hash: 0 };
      const data = ctx.getImageData(0, 0, c.width, c.height).data;
      const colours = new Set();
      let hash = 2166136261;
      for (let i = 0; i < data.length; i += 4) {
        const rgba = (data[i] << 24) | (data[i + 1] << 16) | (data[i + 2] << 8) | data[i + 3];
        if (colours.size < 1000) colours.add(rgba);
        hash = Math.imul(hash ^ rgba, 16777619);
      }
      return { width: c.width, height: c.height, colours: colours.size, hash: hash >>> 0 };
    }),
  );
}

/** The panel's read-outs (`data-testid`s of webview/app/layout.ts). */
function readPanel(frame) {
  return frame.evaluate(() => {
    const text = (id) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() ?? '';
    const loss = document.querySelector('[data-testid="loss-value"]');
    return {
      state: document.body.dataset.state ?? '',
      stateLabel: text('state'),
      backend: text('backend'),
      backendReason: text('backend-reason'),
      error: text('error'),
      progress: text('progress'),
      dataset: text('dataset'),
      loss: loss?.getAttribute('data-value') ?? '',
      lossText: loss?.textContent?.trim() ?? '',
    };
  });
}

/**
 * The "Training model" progress notification. The harness runs code-server with
 * `enable-smoke-test-driver` (to load the extension in development mode), and VS Code then shows
 * no notification toasts at all (NotificationsToasts.addToast returns early): notifications are
 * only in the notification center, which the steps open from the status bar bell, as a person
 * would after missing a toast.
 */
const progressNotification = (page) =>
  page.locator('.notifications-center .notification-list-item', { hasText: `Training ${MODEL}` });

/** Opens the notification center (the bell in the status bar) unless it is open. */
async function openNotificationCenter(page) {
  if (await page.locator('.notifications-center.visible').isVisible()) return;
  await page.locator('#status\\.notifications').click();
  await page.locator('.notifications-center.visible').waitFor({ state: 'visible', timeout: 5_000 });
}

async function closeNotificationCenter(page) {
  if (!(await page.locator('.notifications-center.visible').isVisible())) return;
  await page.locator('#status\\.notifications').click();
  await page.locator('.notifications-center.visible').waitFor({ state: 'hidden', timeout: 5_000 });
}

/** [epoch, batch] from "Epoch 3 / 10 · batch 37 / 64" (panel) or "epoch 3/10 · batch 37/64" (notification). */
function position(text) {
  const match = /epoch (\d+) ?\/ ?\d+ · batch (\d+) ?\/ ?\d+/i.exec(text);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/** The browser console lines that say what went wrong in the webview, for failure messages. */
function consoleProblems(consoleLines) {
  const bad = consoleLines.filter(
    (line) =>
      /^\[(error|pageerror|warning|requestfailed|http \d+)\]/.test(line) &&
      /webview|fake\.html|vscode-resource|vscode-cdn|panel\.js|Content Security|CSP|Refused|wasm|\.mjs|Model Lens|model-lens/i.test(
        line,
      ),
  );
  return bad.length > 0 ? `\nbrowser console (webview problems):\n  ${bad.slice(-15).join('\n  ')}` : '';
}

/** @type {Array<{ name: string, run: (workbench: import('./workbench.mjs').Workbench) => Promise<void> }>} */
export const steps = [
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
      // Training runs on the panel's worker thread in VS Code too (blob worker under the webview's CSP).
      if (!/training on a worker thread$/.test(p.backendReason))
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
  {
    name: 'the browser console shows no webview errors',
    run: async ({ consoleLines }) => {
      // CSP refusals, uncaught errors, and failed or 4xx/5xx requests of the panel's resources
      // (its scripts, styles, WASM binaries, the model bundle) anywhere in the run. The
      // workbench's own noise (no network to the gallery, the optional vsda module) is not ours.
      const ours = /vscode-resource|vscode-cdn|webview|fake\.html|dist\/webview|bundles\/|\.mjs\b|panel\.(js|css)|tfjs/i;
      const problems = consoleLines.filter(
        (line) =>
          /Refused to|Content.Security.Policy/i.test(line) ||
          line.startsWith('[pageerror]') ||
          (/^\[(error|requestfailed|http \d+)\]/.test(line) && ours.test(line) && !/vsda/.test(line)),
      );
      if (problems.length > 0)
        throw new Error(`webview problems in the browser console:\n  ${problems.slice(0, 20).join('\n  ')}`);
    },
  },
  {
    name: 'the progress notification agrees with the panel',
    run: async ({ page }) => {
      // Both count epochs and batches from 1 ("Epoch 1 / 10 · batch 1 / 64" is the first batch).
      const ahead = run.positions.filter(({ notification, panel }) => {
        const [n, p] = [position(notification), position(panel)];
        return !n || !p || n[0] > p[0] || (n[0] === p[0] && n[1] > p[1]);
      });
      if (run.positions.length === 0) throw new Error('no progress notification was sampled');
      if (ahead.length > 0) {
        throw new Error(
          `the notification is ahead of the panel (an off-by-one between the webview's 1-based epoch/batch and the host):\n` +
            ahead.map(({ notification, panel }) => `  notification "${notification}" vs panel "${panel}"`).join('\n'),
        );
      }
      await page.locator('.monaco-workbench').waitFor();
    },
  },
  {
    name: 'a panel open when the window reloads comes back saying training stopped',
    run: async ({ page, consoleLines }) => {
      // Train again (the cursor is still in the model), then reload the window mid-training.
      await runCommand(page, 'Model Lens: Train Model');
      await page
        .locator('.quick-input-widget .quick-input-title', { hasText: `training data for "${MODEL}"` })
        .waitFor({ timeout: 30_000 });
      await acceptQuickInputRow(page, 'MNIST digits');
      await page.locator('.tabs-container .tab', { hasText: PANEL_TITLE }).waitFor({ timeout: 60_000 });
      const frame = await until(() => panelFrame(page), {
        timeout: 30_000,
        describe: () => `the panel did not open again${consoleProblems(consoleLines)}`,
      });
      await frame.locator('.lp-model-name', { hasText: MODEL }).waitFor({ timeout: 30_000 });
      // Developer: Reload Window shuts the workbench down as VS Code does (editor state saved;
      // a page reload does not wait for that).
      const origin = await page.evaluate(() => performance.timeOrigin);
      await runCommand(page, 'Developer: Reload Window');
      await until(async () => (await page.evaluate(() => performance.timeOrigin).catch(() => origin)) !== origin, {
        timeout: 30_000,
        describe: () => 'the window did not reload',
      });
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      // VS Code restores the panel through Model Lens's serializer: a static page, no training.
      const tab = page.locator('.tabs-container .tab', { hasText: PANEL_TITLE }).first();
      await tab.waitFor({ timeout: 60_000 });
      await tab.click();
      const restored = await until(
        async () => {
          for (const f of page.frames()) {
            if (f.isDetached() || !f.url().includes('fake.html')) continue;
            const found = await f
              .evaluate(() => {
                const main = document.querySelector('main[data-state="restored"]');
                return main
                  ? { text: main.textContent ?? '', link: main.querySelector('a.button')?.getAttribute('href') ?? null }
                  : null;
              })
              .catch(() => null);
            if (found) return { ...found, text: found.text.replace(/\s+/g, ' ').trim() };
          }
          return null;
        },
        {
          timeout: 60_000,
          describe: () =>
            `no restored panel page; frames: ${page
              .frames()
              .map((f) => f.url().slice(0, 100))
              .join(' | ')}${consoleProblems(consoleLines)}`,
        },
      );
      const { text, link } = restored;
      if (!text.includes('Training stopped when the window reloaded')) throw new Error(`the restored panel says "${text}"`);
      // "▶ Train again" runs the train command on the same file and model (line 5).
      if (
        !link ||
        !/^command:modelLens\.trainModel\?/.test(link) ||
        !decodeURIComponent(link).includes('mnistConvnet.ts","model",5]')
      ) {
        throw new Error(`the restored panel has no Train again link to the model (link: ${link}; text: "${text}")`);
      }
      await openNotificationCenter(page).catch(() => undefined);
      if ((await progressNotification(page).count()) > 0) throw new Error('a training notification is up after the reload');
      await closeNotificationCenter(page).catch(() => undefined);
      console.log(`      restored: "${text.slice(0, 120)}"`);
    },
  },
  {
    name: '▶ Train on a model with a shape error names and reveals the error’s line, opens no panel',
    run: async ({ page }) => {
      await runCommand(page, 'View: Focus First Editor Group');
      await quickOpen(page, 'convStackShrinksToZero.ts');
      await codeLens(page, 'Sequential');
      await goToLine(page, 19);
      const tabsBefore = await page.locator('.tabs-container .tab').count();
      await runCommand(page, 'Model Lens: Train Model');
      // Under the smoke-test driver the message is in the notification center only.
      await openNotificationCenter(page);
      const message = page.locator('.notifications-center .notification-list-item', { hasText: 'fix the error on line 23' });
      await message.first().waitFor({ timeout: 15_000 });
      const text = ((await message.first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
      if (!/Negative dimension size in conv2d/.test(text) || /unknown to the analysis/.test(text))
        throw new Error(`the refusal reads "${text}"`);
      await page.screenshot({ path: path.join(RESULTS, 'training-12a-error-refusal.png') });
      // The bell's "Hide Notifications" hover can lie over the button: a click event, not a pointer.
      await message.first().locator('.monaco-button', { hasText: 'Go to Line 23' }).dispatchEvent('click');
      await page
        .locator('.statusbar-item', { hasText: /Ln 23, Col/ })
        .first()
        .waitFor({ timeout: 10_000 });
      await closeNotificationCenter(page).catch(() => undefined);
      if ((await page.locator('.tabs-container .tab', { hasText: 'Train tooDeep' }).count()) > 0)
        throw new Error('a training panel opened for the broken model');
      if (await page.locator('.quick-input-widget .quick-input-title', { hasText: 'training data' }).isVisible())
        throw new Error('the data pick opened for the broken model');
      const tabsAfter = await page.locator('.tabs-container .tab').count();
      if (tabsAfter !== tabsBefore) throw new Error(`tabs changed from ${tabsBefore} to ${tabsAfter}`);
      console.log(`      "${text.slice(0, 160)}"`);
    },
  },
  {
    name: 'training three models in a row keeps one training column',
    run: async ({ page, consoleLines }) => {
      const groups = page.locator('.editor-group-container');
      const before = await groups.count();
      if (before !== 2) throw new Error(`expected the editor and the (restored) training column, found ${before} groups`);
      for (const { file, line, model, data } of [
        { file: 'lstm.ts', line: 24, model: 'forecaster', data: null },
        { file: 'denseAutoencoder.ts', line: 33, model: 'autoencoder', data: null },
        { file: 'mnistConvnet.ts', line: 8, model: MODEL, data: 'MNIST digits' },
      ]) {
        // Back to the editor column (the new panel has the focus, and its webview keeps F1).
        await groups.first().locator('.tabs-container .tab.active').click();
        await quickOpen(page, file);
        await codeLens(page, '▶ Train');
        await goToLine(page, line);
        await runCommand(page, 'Model Lens: Train Model');
        await page
          .locator('.quick-input-widget .quick-input-title', { hasText: `training data for "${model}"` })
          .waitFor({ timeout: 30_000 });
        const focusedRow = page.locator('.quick-input-widget .monaco-list-row.focused');
        await focusedRow.first().waitFor({ state: 'visible' });
        const label = data ?? ((await focusedRow.first().textContent()) ?? '').trim().slice(0, 30);
        await acceptQuickInputRow(page, label);
        // The new panel is the active tab of its group (the restored "Train model" never was since).
        await page
          .locator('.tabs-container .tab.active', { hasText: `Train ${model}` })
          .first()
          .waitFor({ timeout: 60_000 });
        const count = await groups.count();
        if (count !== 2) throw new Error(`after training ${model}: ${count} editor groups${consoleProblems(consoleLines)}`);
      }
      // Every training panel is one tab of the second group (the new "Train model" replaced the
      // restored one); the first holds the model files.
      const layout = async () => {
        const second = groups.nth(1);
        const counts = [];
        for (const title of ['Train forecaster', 'Train autoencoder', PANEL_TITLE])
          counts.push(await second.locator('.tabs-container .tab', { hasText: title }).count());
        return {
          groups: await groups.count(),
          counts,
          inFirst: await groups
            .first()
            .locator('.tabs-container .tab', { hasText: /^Train / })
            .count(),
        };
      };
      await until(
        async () => {
          const now = await layout();
          return now.groups === 2 && now.counts.every((c) => c === 1) && now.inFirst === 0;
        },
        {
          timeout: 30_000,
          describe: async () =>
            `the training panels are not one column: ${JSON.stringify(await layout())}${consoleProblems(consoleLines)}`,
        },
      );
      await page.screenshot({ path: path.join(RESULTS, 'training-13a-one-training-column.png') });
    },
  },
];

/** Ctrl+G `line` Enter, then waits for the status bar to say so. */
async function goToLine(page, line) {
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget .quick-input-box input').waitFor({ state: 'visible' });
  await page.keyboard.type(String(line), { delay: 20 });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  await page
    .locator('.statusbar-item', { hasText: new RegExp(`Ln ${line}, Col`) })
    .first()
    .waitFor();
}

/** The extension host's "Model Lens" output channel, from code-server's log folder. */
function findFile(dir, name, depth = 0) {
  if (depth > 8) return null;
  let entries;
  try {
    entries = readdirSync(dir);
  } catch {
    return null;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      continue;
    }
    if (stat.isDirectory()) {
      const found = findFile(full, name, depth + 1);
      if (found) return found;
    } else if (entry.endsWith(name)) return full;
  }
  return null;
}

const buildScript = readFileSync(path.join(ROOT, 'scripts', 'build.mjs'), 'utf8');
process.exitCode = await runSteps('Model Lens training panel in VS Code (e2e)', steps, {
  name: 'training',
  // scripts/build.mjs does not build the webview yet: build it here until it does.
  build: buildScript.includes('buildWebview') ? [] : [[path.join(ROOT, 'scripts', 'buildWebview.mjs')]],
  collect: async ({ server, results, prefix }) => {
    const log = findFile(server.tempDir, 'Model Lens.log');
    if (log) copyFileSync(log, path.join(results, `${prefix}extension.log`));
  },
});
