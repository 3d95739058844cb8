// `npm run test:e2e`: Model Lens in a real VS Code (code-server 4.139 = VS Code 1.139, headless
// Chromium), driven as a person would. Each step is screenshotted to test-results/e2e/.
//
// To add steps (e.g. the training panel), append to `steps`: `{ name, run: async ({ page }) => … }`
// with the helpers from ./workbench.mjs (quickOpen, runCommand, activeTab, codeLens).
import { activeTab, codeLens, quickOpen, runCommand, runSteps } from './workbench.mjs';

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
];

process.exitCode = await runSteps('Model Lens in VS Code (e2e)', steps);
