// Helpers for end-to-end checks that drive a real VS Code (code-server in headless Chromium)
// the way a person does: keyboard shortcuts, Quick Open, the command palette, what is on screen.
//
//   await runSteps('lenses', steps)   starts everything, runs each step, screenshots each one
//
// A step is `{ name, run: async (workbench) => void }`; `workbench` has `page` (Playwright),
// `server` (scripts/vscodeServer/server.mjs) and `consoleLines` (the browser console so far), and
// the helpers below work on `page`. Screenshots go to test-results/e2e/NN-name.png.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser, newWorkbenchPage } from '../../scripts/vscodeServer/browser.mjs';
import { ensureDeps } from '../../scripts/vscodeServer/ensureDeps.mjs';
import { startServer, workbenchUrl } from '../../scripts/vscodeServer/server.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS = path.join(ROOT, 'test-results', 'e2e');

/**
 * @typedef {object} Workbench
 * @property {import('playwright-core').Page} page
 * @property {import('../../scripts/vscodeServer/server.mjs').VsCodeServer} server
 * @property {string[]} consoleLines  what the browser console said so far (all frames)
 */

const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;

/** Waits for the quick input (Quick Open / command palette) to be open with its box focused. */
async function quickInput(page, timeout = 15_000) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout });
  await page.waitForFunction(() => document.activeElement?.closest('.quick-input-widget') !== null, null, { timeout });
  return input;
}

/**
 * Presses `key` (Ctrl+P, F1) and waits for the quick input to have the focus; presses it again,
 * as a person would, when a busy workbench let the first press go by without opening it.
 */
async function openQuickInput(page, key) {
  for (let attempt = 1; ; attempt += 1) {
    await page.keyboard.press(key);
    try {
      return await quickInput(page, attempt < 3 ? 10_000 : 15_000);
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/**
 * Waits until the focused quick-input row's label contains `text`, presses Enter, and waits until
 * that row is gone: the quick input closed, or (a command that asks something next, e.g. Train
 * Model's data pick) VS Code reused the widget for the next pick without ever hiding it.
 */
export async function acceptQuickInputRow(page, text, timeout = 30_000) {
  const row = page.locator('.quick-input-widget .monaco-list-row.focused', { hasText: text });
  await row.first().waitFor({ state: 'visible', timeout });
  await page.keyboard.press('Enter');
  await row.first().waitFor({ state: 'hidden', timeout: 15_000 });
}

/** Ctrl+P, types `fileName`, waits for it in the results, Enter; then waits for its tab. */
export async function quickOpen(page, fileName) {
  await openQuickInput(page, 'Control+P');
  await page.keyboard.type(fileName, { delay: 20 });
  await acceptQuickInputRow(page, fileName);
  await activeTab(page, fileName);
}

/** F1, types the command's title, waits for it in the list, Enter. */
export async function runCommand(page, title) {
  await openQuickInput(page, 'F1');
  await page.keyboard.type(title, { delay: 10 });
  await acceptQuickInputRow(page, title);
}

/** The active editor tab whose label contains `label`. */
export async function activeTab(page, label, timeout = 15_000) {
  const tab = page.locator('.tabs-container .tab.active', { hasText: label });
  await tab.first().waitFor({ state: 'visible', timeout });
  return tab.first();
}

/** A CodeLens whose text contains `text` (CodeLens elements are `.codelens-decoration`). */
export async function codeLens(page, text, timeout = 60_000) {
  // Visible ones only: a hidden editor (an earlier file's) keeps its lenses in the page.
  const lens = page.locator('.codelens-decoration:visible', { hasText: text }).first();
  await lens.waitFor({ state: 'visible', timeout });
  return lens;
}

/**
 * Starts code-server with Model Lens in development mode and examples/ open, runs `steps` in
 * order (stopping at the first failure), screenshots each step, always stops everything.
 * Builds the extension first unless the command line has --no-build. With `options.asUser`,
 * code-server runs as `npm start` runs it (scripts/start.mjs): no smoke-test driver, so
 * notification toasts show, and Model Lens installed from this working tree, not in development mode.
 *
 * With `options.name` (e.g. 'training') the run keeps other runs' results: it removes and writes
 * only `NAME-*` files in test-results/e2e/ (screenshots `NAME-NN-step.png`, `NAME-console.log`,
 * `NAME-server.log`); without it, the folder is emptied and the files are `NN-step.png`,
 * `browser-console.log`, `server.log`.
 * @param {string} title
 * @param {Array<{ name: string, run: (workbench: Workbench) => Promise<void> }>} steps
 * @param {{ name?: string, asUser?: boolean, build?: string[][], collect?: (run: { server: import('../../scripts/vscodeServer/server.mjs').VsCodeServer, results: string, prefix: string }) => Promise<void> }} [options]
 *   build: extra build commands (argv after `node`), run after scripts/build.mjs;
 *   collect: called in `finally` before the server stops (copy logs out of its temp folder)
 * @returns {Promise<number>} the exit code
 */
export async function runSteps(title, steps, options = {}) {
  const started = Date.now();
  const prefix = options.name ? `${options.name}-` : '';
  if (prefix) {
    mkdirSync(RESULTS, { recursive: true });
    for (const file of readdirSync(RESULTS))
      if (file.startsWith(prefix)) rmSync(path.join(RESULTS, file), { recursive: true, force: true });
  } else {
    rmSync(RESULTS, { recursive: true, force: true });
    mkdirSync(RESULTS, { recursive: true });
  }
  if (!process.argv.includes('--no-build')) {
    for (const args of [[path.join(ROOT, 'scripts', 'build.mjs')], ...(options.build ?? [])]) {
      const build = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit' });
      if (build.status !== 0) throw new Error(`the build failed: node ${args.map((a) => path.relative(ROOT, a) || a).join(' ')}`);
    }
  }
  const deps = await ensureDeps({ browser: true });
  const server = await startServer(options.asUser ? { ...deps, testDriver: false, installExtensions: [ROOT] } : deps);
  console.log(`[e2e] code-server ${server.url} up`);
  const consoleLines = [];
  let browser;
  let passed = 0;
  let failed = 0;
  try {
    browser = await launchBrowser(deps.chromium);
    const page = await newWorkbenchPage(browser, {
      // The source URL says which frame spoke (the workbench, or a webview's script).
      onConsole: (message) => {
        const url = message.location?.()?.url;
        consoleLines.push(`[${message.type()}] ${message.text()}${url ? ` (${url})` : ''}`);
      },
    });
    // Failed and 4xx/5xx requests (webview resources included) go to the console log too.
    page.on('requestfailed', (request) =>
      consoleLines.push(`[requestfailed] ${request.url()} ${request.failure()?.errorText ?? ''}`),
    );
    page.on('response', (response) => {
      if (response.status() >= 400) consoleLines.push(`[http ${response.status()}] ${response.url()}`);
    });
    page.setDefaultTimeout(30_000);
    const folder = path.join(ROOT, 'examples');
    await page.goto(workbenchUrl(server, options.asUser ? { folder } : { folder, extensionDevelopmentPath: ROOT }), {
      waitUntil: 'domcontentloaded',
    });
    console.log(`\n  ${title}`);
    for (const [index, step] of steps.entries()) {
      const stepStarted = Date.now();
      const shot = path.join(
        RESULTS,
        `${prefix}${String(index + 1).padStart(2, '0')}-${step.name
          .replace(/[^a-z0-9]+/gi, '-')
          .replace(/^-|-$/g, '')
          .toLowerCase()}`,
      );
      try {
        await step.run({ page, server, consoleLines });
        await page.screenshot({ path: `${shot}.png` });
        passed += 1;
        console.log(`    ✔ ${step.name} (${seconds(stepStarted)})`);
      } catch (error) {
        failed += 1;
        await page.screenshot({ path: `${shot}-FAILED.png` }).catch(() => undefined);
        console.log(`    ✘ ${step.name} (${seconds(stepStarted)})`);
        // eslint-disable-next-line no-control-regex -- strips the ANSI colours of an assertion message
        const message = String(error instanceof Error ? error.message : error).replace(/\x1b\[[0-9;]*m/g, '');
        console.log(`      ${message.trimEnd().split('\n').join('\n      ')}`);
        break;
      }
    }
  } catch (error) {
    failed += 1;
    console.log(`[e2e] ${error instanceof Error ? error.message : error}`);
  } finally {
    writeFileSync(path.join(RESULTS, prefix ? `${prefix}console.log` : 'browser-console.log'), `${consoleLines.join('\n')}\n`);
    writeFileSync(path.join(RESULTS, `${prefix}server.log`), server.log());
    try {
      await options.collect?.({ server, results: RESULTS, prefix });
    } catch (error) {
      console.log(`[e2e] collecting logs: ${error instanceof Error ? error.message : error}`);
    }
    await browser?.close().catch(() => undefined);
    await server.stop();
  }
  const skipped = steps.length - passed - failed;
  console.log(`\n[e2e] screenshots and logs: ${path.relative(ROOT, RESULTS)}/ (${seconds(started)})`);
  console.log(`e2e: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  return failed === 0 && skipped === 0 ? 0 : 1;
}
