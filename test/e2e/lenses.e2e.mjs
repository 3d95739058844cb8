// `npm run test:e2e`: Model Lens in a real VS Code (code-server 4.139 = VS Code 1.139, headless
// Chromium), driven as a person would. Each step is screenshotted to test-results/e2e/.
//
// To add steps (e.g. the training panel), append to `steps`: `{ name, run: async ({ page }) => … }`
// with the helpers from ./workbench.mjs (quickOpen, runCommand, activeTab, codeLens).
import * as path from 'node:path';
import { activeTab, codeLens, quickOpen, RESULTS, runCommand, runSteps } from './workbench.mjs';

/** The Model Graph's frame: the one (inside the webview iframes) whose document has #model-graph. */
async function graphFrame(page, timeout = 60_000) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame.isDetached() || !frame.url().includes('fake.html')) continue;
      const found = await frame
        .evaluate(() => document.querySelector('#model-graph .mg-canvas .node') !== null)
        .catch(() => false);
      if (found) return frame;
    }
    await page.waitForTimeout(250);
  }
  throw new Error('no webview frame with a drawn #model-graph');
}

/** The editor's cursor line, from the status bar (`Ln 29, Col 15`). */
async function cursorLine(page) {
  const text = await page
    .locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ })
    .first()
    .textContent();
  return Number(/Ln (\d+)/.exec(text ?? '')?.[1]);
}

/** @type {Array<{ name: string, run: (workbench: { page: import('playwright-core').Page }) => Promise<void> }>} */
export const steps = [
  {
    name: 'workbench opens examples/',
    run: async ({ page }) => {
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'mnistConvnet.ts' }).waitFor({ timeout: 60_000 });
    },
  },
  {
    name: 'Quick Open mnistConvnet.ts shows the layer lenses',
    run: async ({ page }) => {
      await quickOpen(page, 'mnistConvnet.ts');
      await codeLens(page, '(None, 26, 26, 32) · 320 params');
      await codeLens(page, '93,322');
    },
  },
  {
    name: 'Model Lens: Show Model Summary',
    run: async ({ page }) => {
      await runCommand(page, 'Model Lens: Show Model Summary');
      await activeTab(page, 'model summary');
      const summary = page.locator('.editor-group-container.active .view-lines');
      await summary.filter({ hasText: 'Total params: 93,322' }).waitFor();
      await summary.filter({ hasText: 'conv2d_1 (Conv2D)' }).waitFor();
    },
  },
  {
    name: 'Problems shows the residual add error',
    run: async ({ page }) => {
      await quickOpen(page, 'residualWithoutProjection.ts');
      await page.keyboard.press('Control+Shift+M'); // View: Problems
      const problems = page.locator('.markers-panel');
      await problems.waitFor({ state: 'visible' });
      const row = problems.locator('.monaco-list-row', { hasText: 'add: the inputs (None, 32, 32, 32) and (None, 32, 32, 64)' });
      await row.first().waitFor();
      // Its position column says line 8.
      await problems.locator('.monaco-list-row', { hasText: '[Ln 8,' }).first().waitFor();
    },
  },
  {
    name: 'project/classifier.ts: lenses from sizes and a block in its sibling files',
    run: async ({ page }) => {
      await quickOpen(page, 'classifier.ts');
      await codeLens(page, '(None, 128) · 100,480 params');
      await codeLens(page, '101,770');
    },
  },
  {
    name: 'residualBlock.ts: ⎇ Graph opens the model graph; clicking the add node puts the cursor on its line',
    run: async ({ page }) => {
      await quickOpen(page, 'residualBlock.ts');
      // Bring the model's lens into view (the model starts below the first screen), then click
      // the lens's own link in this editor.
      await page.keyboard.press('Control+G');
      await page.keyboard.type('45', { delay: 20 });
      await page.keyboard.press('Enter');
      const lens = page.locator('.editor-group-container.active .codelens-decoration a', { hasText: '⎇ Graph' }).first();
      await lens.waitFor({ state: 'visible', timeout: 60_000 });
      await lens.click();
      const frame = await graphFrame(page);
      await frame.locator('.mg-canvas [data-id="add_1"]').waitFor();
      await frame.locator('button', { hasText: 'Fit' }).click();
      await frame.locator('.mg-canvas [data-id="add_1"]').click();
      const deadline = Date.now() + 15_000;
      while ((await cursorLine(page)) !== 29 && Date.now() < deadline) await page.waitForTimeout(200);
      const line = await cursorLine(page);
      if (line !== 29) throw new Error(`the cursor is on line ${line}, not on the add layer's line 29`);
      // The cursor's line lights up its layers in the graph (both blocks' add layers are made on line 29).
      await frame.locator('.mg-canvas .node.current[data-id="add_2"]').waitFor({ timeout: 15_000 });
      // Room for the graph (the README's screenshot): no side bar, no panel, the graph at its readable size.
      await page.keyboard.press('Control+B');
      await page.keyboard.press('Control+J');
      const search = frame.locator('.mg-search');
      for (let i = 0; i < 4; i++) await frame.locator('button', { hasText: '+' }).click();
      await search.fill('add_1');
      await search.press('Enter');
      await search.press('Escape');
      await page.waitForTimeout(500);
      await page.screenshot({ path: path.join(RESULTS, 'graph-residual.png') });
    },
  },
];

process.exitCode = await runSteps('Model Lens in VS Code (e2e)', steps);
