// Training an example as a user does, for the steps that check a view after a short run: open
// the file, cursor in the model, F1 → Model Lens: Train Model, Enter on the recommended data;
// then Stop the run the panel began at once, type fewer epochs and samples into the panel's
// Settings, press Train and wait for the run to end. Also: showing a tab, the colours on a canvas.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { acceptQuickInputRow, codeLens, quickOpen, ROOT, runCommand } from './workbench.mjs';
import { consoleProblems, FIRST_BATCH_MS, goToLine, panelFrame, readPanel, until } from './panel.mjs';

/** How long a short run may take from Train to its end (evaluation included). */
const SHORT_RUN_MS = 180_000;

/** The 1-based line of examples/`file` that matches `pattern` (the files change; their lines with them). */
export function lineOf(file, pattern) {
  const lines = readFileSync(path.join(ROOT, 'examples', file), 'utf8').split('\n');
  const index = lines.findIndex((line) => pattern.test(line));
  if (index < 0) throw new Error(`examples/${file} has no line matching ${pattern}`);
  return index + 1;
}

/**
 * Trains `model` of examples/`file` from the command palette with the cursor on `line`, taking
 * the recommended (first, focused) data, which must match `data`; returns the panel's frame.
 */
export async function trainFromPalette(page, { file, line, model, data }, consoleLines) {
  // Back to the editor column (a panel has the focus, and its webview keeps F1), if it has a file open.
  const editorTab = page.locator('.editor-group-container').first().locator('.tabs-container .tab.active');
  if ((await editorTab.count()) > 0) await editorTab.first().click();
  await quickOpen(page, file);
  // The model's line first: a long comment can push the first lens below the fold.
  await goToLine(page, line);
  await codeLens(page, '▶ Train');
  await trainCommand(page, model, { expect: data, active: true });
  return showPanel(page, model, consoleLines);
}

/**
 * F1 → Model Lens: Train Model with the cursor in `model`: waits for its data picker, takes the
 * row that starts with `label` (without one: the recommended, focused row, which must match
 * `expect` when given) and waits for the panel's tab "Train `model`" (`active`: as the active
 * tab of its group). Returns the label taken.
 */
export async function trainCommand(page, model, { label, expect, active = false } = {}) {
  await runCommand(page, 'Model Lens: Train Model');
  await page
    .locator('.quick-input-widget .quick-input-title', { hasText: `training data for "${model}"` })
    .waitFor({ timeout: 30_000 });
  let taken = label;
  if (taken === undefined) {
    const focused = page.locator('.quick-input-widget .monaco-list-row.focused');
    await focused.first().waitFor({ state: 'visible' });
    taken = ((await focused.first().textContent()) ?? '').trim();
    if (expect && !expect.test(taken))
      throw new Error(`the recommended data for "${model}" reads "${taken}", expected ${expect}`);
  }
  await acceptQuickInputRow(page, taken.slice(0, 30));
  await page
    .locator(active ? '.tabs-container .tab.active' : '.tabs-container .tab', { hasText: `Train ${model}` })
    .first()
    .waitFor({ timeout: 60_000 });
  return taken;
}

/** Clicks the panel's tab ("Train `model`") and returns its frame once it shows the model. */
export async function showPanel(page, model, consoleLines) {
  await page
    .locator('.tabs-container .tab', { hasText: `Train ${model}` })
    .first()
    .click();
  const frame = await until(() => panelFrame(page, model), {
    timeout: 30_000,
    describe: () => `no panel frame shows "${model}"${consoleProblems(consoleLines)}`,
  });
  await frame.locator('.lp-model-name', { hasText: model }).waitFor({ state: 'visible', timeout: 30_000 });
  return frame;
}

/** Waits for the panel to reach one of `states`; throws on an error state. */
export async function waitForState(frame, states, timeout, consoleLines) {
  let last = null;
  return until(
    async () => {
      const p = await readPanel(frame);
      last = p;
      if (p.error || p.state === 'error') throw new Error(`the panel shows an error: ${p.error}${consoleProblems(consoleLines)}`);
      return states.includes(p.state) ? p : null;
    },
    {
      timeout,
      interval: 100,
      describe: () => `the panel never reached ${states.join(' or ')}: ${JSON.stringify(last)}${consoleProblems(consoleLines)}`,
    },
  );
}

/** Stops the panel's run if one is under way. */
export async function stopRun(frame, consoleLines) {
  const p = await waitForState(frame, ['training', 'paused', 'done', 'stopped'], FIRST_BATCH_MS, consoleLines);
  if (p.state !== 'training' && p.state !== 'paused') return;
  try {
    await frame.locator('[data-testid="stop"]').click({ timeout: 10_000 });
  } catch (error) {
    // The run can end between reading its state and the click: Stop is then disabled and takes no
    // pointer events (the toolbar gets the click). Only a run still going makes that a failure.
    const now = await waitForState(frame, ['training', 'paused', 'done', 'stopped'], 5_000, consoleLines);
    if (now.state === 'training' || now.state === 'paused') throw error;
  }
  await waitForState(frame, ['stopped', 'done'], 30_000, consoleLines);
}

/** Opens the Settings section unless it is open (the panel may fold it once training started). */
async function openSettings(frame) {
  const section = frame.locator('vscode-collapsible.lp-settings-section');
  if (await section.evaluate((el) => /** @type {{ open?: boolean }} */ (el).open === true)) return;
  await section.click({ position: { x: 40, y: 10 } });
  await until(() => section.evaluate((el) => /** @type {{ open?: boolean }} */ (el).open === true), {
    timeout: 5_000,
    describe: () => 'the Settings section did not open',
  });
}

/**
 * A short run: stops the run the panel began on opening, types `settings` (field → value, e.g.
 * `{ epochs: 2, samples: 1500 }`) into the Settings fields, presses Train, and waits for the run
 * to end ("done") after `settings.epochs` epochs. Returns the read-outs at the end.
 */
export async function shortRun(frame, settings, consoleLines) {
  await stopRun(frame, consoleLines);
  await openSettings(frame);
  const entries = Object.entries(settings).map(([field, value]) => [field, String(value)]);
  for (const [field, value] of entries) {
    const input = frame.locator(`vscode-textfield[data-field="${field}"] input`);
    await input.fill(value);
    await input.press('Tab'); // the field reports a change when it loses the focus
  }
  // The form took every value and reports no problem (the run's progress line checks the epochs).
  await until(
    () =>
      frame.evaluate((fields) => {
        const problems = document.querySelector('.lp-settings-problems');
        return (
          (problems === null || /** @type {HTMLElement} */ (problems).hidden) &&
          fields.every(
            ([field, value]) =>
              /** @type {{ value?: string }} */ (document.querySelector(`[data-field="${field}"]`))?.value === value,
          )
        );
      }, entries),
    {
      timeout: 10_000,
      describe: async () =>
        `the Settings did not take ${JSON.stringify(settings)}: ${await frame
          .locator('[data-testid="settings"]')
          .textContent()
          .then((t) => (t ?? '').replace(/\s+/g, ' ').slice(0, 400))}`,
    },
  );
  const before = await readPanel(frame);
  await frame.locator('[data-testid="train"]').click();
  const started = Date.now();
  // The new run began: it is training, or (a fast one) already done with a progress line of its own.
  await until(
    async () => {
      const p = await readPanel(frame);
      if (p.error || p.state === 'error') throw new Error(`the panel shows an error: ${p.error}${consoleProblems(consoleLines)}`);
      return p.state === 'training' || (p.state === 'done' && p.progress !== before.progress);
    },
    {
      timeout: FIRST_BATCH_MS,
      interval: 100,
      describe: async () => `Train started no run: ${JSON.stringify(await readPanel(frame))}${consoleProblems(consoleLines)}`,
    },
  );
  const end = await waitForState(frame, ['done'], SHORT_RUN_MS, consoleLines);
  const epochs = settings.epochs;
  if (epochs !== undefined && !new RegExp(`^Epoch ${epochs} / ${epochs} `).test(end.progress))
    throw new Error(`the run ended at "${end.progress}", not after the ${epochs} epochs set in Settings`);
  console.log(`      short run ${JSON.stringify(settings)}: ${((Date.now() - started) / 1000).toFixed(1)} s, "${end.progress}"`);
  return end;
}

/** Clicks the view tab `id` (`data-tab`) and returns its panel once visible. */
export async function showTab(frame, id) {
  const header = frame.locator(`vscode-tab-header[data-tab="${id}"]`);
  await header.waitFor({ state: 'visible', timeout: 30_000 });
  await header.click();
  const panel = frame.locator(`vscode-tab-panel[data-tab="${id}"]`);
  await panel.waitFor({ state: 'visible' });
  return panel;
}

/**
 * How many pixels of `canvas` have the colour `colour` (any CSS colour, within a small tolerance
 * for antialiasing, at full opacity): whether a series in that colour is drawn.
 * @param {import('playwright-core').Locator} canvas
 */
export function colourPixels(canvas, colour) {
  return canvas.evaluate((node, value) => {
    const c = /** @type {HTMLCanvasElement} */ (node);
    const probe = document.createElement('canvas').getContext('2d');
    if (!value || !probe || c.width === 0 || c.height === 0) return { colour: value, count: 0 };
    probe.fillStyle = value;
    probe.fillRect(0, 0, 1, 1);
    const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
    const data = /** @type {CanvasRenderingContext2D} */ (c.getContext('2d')).getImageData(0, 0, c.width, c.height).data;
    let count = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3] >= 250 && Math.abs(data[i] - r) <= 2 && Math.abs(data[i + 1] - g) <= 2 && Math.abs(data[i + 2] - b) <= 2)
        count += 1;
    }
    return { colour: value, count };
  }, colour);
}

/** Scrolls `locator` into view, again if a view's refresh replaced the element meanwhile. */
export function scrollTo(locator) {
  return until(
    () =>
      locator
        .first()
        .scrollIntoViewIfNeeded({ timeout: 5_000 })
        .then(
          () => true,
          () => false,
        ),
    { timeout: 30_000, describe: () => `could not scroll ${locator} into view` },
  );
}
