// Notifications in VS Code as `npm start` runs it (code-server without the smoke-test driver,
// Model Lens installed from this working tree, not in development mode): the other e2e tiers run
// with the driver, which keeps every notification out of sight (no toasts, only the notification
// center behind the bell). Here a user sees, as toasts in the window's corner:
//   - ▶ Train on a model with a shape error: an error naming the error's line, whose "Go to Line"
//     button puts the cursor there;
//   - a training run: the cancellable "Training model" progress, counting epochs and batches,
//     whose Cancel stops the run in the panel.
//
//   node test/e2e/notifications.e2e.mjs [--no-build]
//
// Screenshots and logs: test-results/e2e/notifications-*; other runs' files are left alone.
import path from 'node:path';
import { codeLens, quickOpen, RESULTS, runCommand, runSteps } from './workbench.mjs';
import { consoleProblems, goToLine, MODEL, panelFrame, position, readPanel, until } from './panel.mjs';
import { trainCommand } from './runs.mjs';

/** A notification toast (not the notification center) whose text contains `text`. */
const toast = (page, text) => page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();

/**
 * Waits until the toast is shown to a person: laid out inside the window, faded in, and the
 * topmost element at its centre (nothing covers it); the notification center stays closed.
 * Returns its text.
 */
async function seenToast(page, text, timeout) {
  const locator = toast(page, text);
  await locator.waitFor({ state: 'visible', timeout });
  await until(
    () =>
      locator.evaluate((element) => {
        const box = element.getBoundingClientRect();
        const inside = box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0;
        const onScreen = inside && box.right <= window.innerWidth && box.bottom <= window.innerHeight;
        let opacity = 1;
        for (let node = element; node; node = node.parentElement) opacity *= Number(getComputedStyle(node).opacity);
        const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return onScreen && opacity > 0.95 && top !== null && element.contains(top);
      }),
    { timeout: 10_000, describe: () => `the "${text}" toast is in the DOM but not shown on top, inside the window` },
  );
  if (await page.locator('.notifications-center.visible').isVisible())
    throw new Error('the notification center is open: the check is about toasts');
  return ((await locator.textContent()) ?? '').replace(/\s+/g, ' ').trim();
}

/** @type {Array<{ name: string, run: (workbench: import('./workbench.mjs').Workbench) => Promise<void> }>} */
export const steps = [
  {
    name: 'workbench opens examples/ with Model Lens installed, without the test driver',
    run: async ({ page }) => {
      await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 60_000 });
      await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'mnistConvnet.ts' }).waitFor({ timeout: 60_000 });
      // The smoke-test driver puts `window.driver` on the page; a user's workbench has none.
      if (await page.evaluate(() => 'driver' in window)) throw new Error('the workbench runs with the smoke-test driver');
      const title = (await page.title()) ?? '';
      if (/Extension Development Host/.test(title)) throw new Error(`Model Lens runs in development mode: "${title}"`);
    },
  },
  {
    name: '▶ Train on a model with a shape error pops up an error toast naming the line; Go to Line goes there',
    run: async ({ page }) => {
      await quickOpen(page, 'convStackShrinksToZero.ts');
      await codeLens(page, 'Sequential');
      await goToLine(page, 19);
      await runCommand(page, 'Model Lens: Train Model');
      const text = await seenToast(page, 'fix the error on line 23', 15_000);
      if (!/Negative dimension size in conv2d/.test(text)) throw new Error(`the error toast reads "${text}"`);
      const severity = await toast(page, 'fix the error on line 23').locator('.codicon-error').count();
      if (severity === 0) throw new Error(`the toast is not an error: "${text}"`);
      await page.screenshot({ path: path.join(RESULTS, 'notifications-02a-error-toast.png') });
      await toast(page, 'fix the error on line 23').locator('.monaco-button', { hasText: 'Go to Line 23' }).click();
      await page
        .locator('.statusbar-item', { hasText: /Ln 23, Col/ })
        .first()
        .waitFor({ timeout: 10_000 });
      // The button's toast goes away once used.
      await toast(page, 'fix the error on line 23').waitFor({ state: 'hidden', timeout: 10_000 });
      console.log(`      "${text.slice(0, 160)}"`);
    },
  },
  {
    name: 'training shows the "Training model" progress toast; its Cancel stops the run',
    run: async ({ page, consoleLines }) => {
      await quickOpen(page, 'mnistConvnet.ts');
      await codeLens(page, '93,322');
      await goToLine(page, 8);
      await trainCommand(page, MODEL, { label: 'MNIST digits' });
      const frame = await until(() => panelFrame(page, MODEL), {
        timeout: 60_000,
        describe: () => `the training panel did not open${consoleProblems(consoleLines)}`,
      });
      // The toast counts the run's batches: two different positions, read off the toast itself.
      const title = `Training ${MODEL}`;
      const seen = [];
      await until(
        async () => {
          const p = await readPanel(frame);
          if (p.error || p.state === 'error')
            throw new Error(`the panel shows an error: ${p.error}${consoleProblems(consoleLines)}`);
          const text = (await toast(page, title).isVisible()) ? await seenToast(page, title, 5_000) : '';
          const at = position(text);
          if (at && seen.at(-1) !== at.join()) seen.push(at.join());
          return seen.length >= 2;
        },
        {
          timeout: 120_000,
          interval: 200,
          describe: async () =>
            `no "${title}" toast counting batches (positions seen: ${seen.join(' | ') || 'none'}; toasts: ${await page
              .locator('.notifications-toasts')
              .textContent()
              .catch(() => '?')})${consoleProblems(consoleLines)}`,
        },
      );
      await page.screenshot({ path: path.join(RESULTS, 'notifications-03a-progress-toast.png') });
      // Cancel on the toast, as a person would: the panel's run stops and the toast goes.
      await toast(page, title).locator('.monaco-button', { hasText: 'Cancel' }).click();
      await until(async () => (await readPanel(frame)).state === 'stopped', {
        timeout: 30_000,
        describe: async () =>
          `Cancel did not stop the run: ${JSON.stringify(await readPanel(frame))}${consoleProblems(consoleLines)}`,
      });
      await toast(page, title).waitFor({ state: 'hidden', timeout: 10_000 });
      console.log(`      toast positions (epoch,batch): ${seen.join(' → ')}; stopped at "${(await readPanel(frame)).progress}"`);
    },
  },
];

process.exitCode = await runSteps('Model Lens notifications in VS Code as npm start runs it (e2e)', steps, {
  name: 'notifications',
  asUser: true,
});
