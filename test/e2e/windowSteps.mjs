// The training panel and the window around it: no webview errors in the browser console, the
// progress notification agrees with the panel, a panel open across a window reload comes back
// saying training stopped, ▶ Train on a broken model points at its error, and training three
// models in a row keeps one training column.
import path from 'node:path';
import { codeLens, quickOpen, RESULTS, runCommand } from './workbench.mjs';
import { run } from './convnetSteps.mjs';
import { trainCommand } from './runs.mjs';
import {
  closeNotificationCenter,
  consoleProblems,
  goToLine,
  MODEL,
  openNotificationCenter,
  PANEL_TITLE,
  panelFrame,
  position,
  progressNotification,
  until,
} from './panel.mjs';

/** @type {Array<{ name: string, run: (workbench: import('./workbench.mjs').Workbench) => Promise<void> }>} */
export const windowSteps = [
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
      await trainCommand(page, MODEL, { label: 'MNIST digits' });
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
        // The new panel is the active tab of its group (the restored "Train model" never was since).
        await trainCommand(page, model, { label: data ?? undefined, active: true });
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
