// Helpers the training-panel e2e steps share: finding the panel's webview frame, reading its
// read-outs and canvases, the notification center, polling, the editor's Go to Line.
//
// The panel is a webview: an `iframe.webview` in the workbench holding an inner
// `iframe#active-frame` (URL …/fake.html?id=…) into which VS Code writes the panel's HTML.
// `panelFrame()` finds that frame by its DOM (`#model-lens-panel`).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const MODEL = 'model'; // the model's name in examples/mnistConvnet.ts; its panel is "Train model"
export const PANEL_TITLE = `Train ${MODEL}`;
/** How long a panel may take from Enter on the data pick to its first trained batch. */
export const FIRST_BATCH_MS = 120_000;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a truthy value; throws `describe()` after `timeout`. */
export async function until(probe, { timeout, interval = 250, describe }) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(await describe());
    await sleep(interval);
  }
}

/**
 * The panel's frame: the one (inside the webview iframes) whose document has #model-lens-panel;
 * with `model`, the one whose header names that model (several panels can be open, one per model).
 */
export async function panelFrame(page, model) {
  for (const frame of page.frames()) {
    if (frame.isDetached() || !frame.url().includes('fake.html')) continue;
    const found = await frame
      .evaluate(
        (name) =>
          document.getElementById('model-lens-panel') !== null &&
          (name === undefined || document.querySelector('.lp-model-name')?.textContent?.trim() === name),
        model,
      )
      .catch(() => false);
    if (found) return frame;
  }
  return null;
}

/**
 * Pixel statistics of the canvases `canvases` matches: size, distinct colours (capped at 1000)
 * and a hash of the pixels (to see a drawing change). WebGL canvases report colours -1.
 * @param {import('playwright-core').Locator} canvases
 */
export function canvasPixels(canvases) {
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
export function readPanel(frame) {
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
export const progressNotification = (page) =>
  page.locator('.notifications-center .notification-list-item', { hasText: `Training ${MODEL}` });

/** Opens the notification center (the bell in the status bar) unless it is open. */
export async function openNotificationCenter(page) {
  if (await page.locator('.notifications-center.visible').isVisible()) return;
  await page.locator('#status\\.notifications').click();
  await page.locator('.notifications-center.visible').waitFor({ state: 'visible', timeout: 5_000 });
}

export async function closeNotificationCenter(page) {
  if (!(await page.locator('.notifications-center.visible').isVisible())) return;
  await page.locator('#status\\.notifications').click();
  await page.locator('.notifications-center.visible').waitFor({ state: 'hidden', timeout: 5_000 });
}

/** [epoch, batch] from "Epoch 3 / 10 · batch 37 / 64" (panel) or "epoch 3/10 · batch 37/64" (notification). */
export function position(text) {
  const match = /epoch (\d+) ?\/ ?\d+ · batch (\d+) ?\/ ?\d+/i.exec(text);
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/** The browser console lines that say what went wrong in the webview, for failure messages. */
export function consoleProblems(consoleLines) {
  const bad = consoleLines.filter(
    (line) =>
      /^\[(error|pageerror|warning|requestfailed|http \d+)\]/.test(line) &&
      /webview|fake\.html|vscode-resource|vscode-cdn|panel\.js|Content Security|CSP|Refused|wasm|\.mjs|Model Lens|model-lens/i.test(
        line,
      ),
  );
  return bad.length > 0 ? `\nbrowser console (webview problems):\n  ${bad.slice(-15).join('\n  ')}` : '';
}

/** Ctrl+G `line` Enter, then waits for the status bar to say so. */
export async function goToLine(page, line) {
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
export function findFile(dir, name, depth = 0) {
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
