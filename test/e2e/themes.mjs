// Screenshots of the panel's key views in more than the default colour theme, without training
// again: each view is shot in the default (light) theme by its step, which also registers it
// here (`themedView`); at the end, `themeSteps` switches the theme as a person does, with the
// colour theme picker (Preferences: Color Theme, Ctrl+K Ctrl+T), to a dark, a high-contrast dark
// and a high-contrast light theme in turn, shows each registered view again (its panel's tab, its
// view tab) and shoots it, then picks the first theme again. Files: NAME.png (default theme),
// NAME-dark.png, NAME-hc-dark.png, NAME-hc-light.png.
import { until } from './panel.mjs';
import { showPanel, showTab } from './runs.mjs';
import { acceptQuickInputRow } from './workbench.mjs';

/**
 * The themes besides the default: VS Code's own, with the class the workbench gets
 * (`.monaco-workbench.vs-dark`) and the kind a webview's body gets (`data-vscode-theme-kind`); `label` is the theme picker's.
 */
export const THEMES = [
  { label: 'Dark 2026', suffix: '-dark', workbench: 'vs-dark', webview: 'vscode-dark' },
  { label: 'Dark High Contrast', suffix: '-hc-dark', workbench: 'hc-black', webview: 'vscode-high-contrast' },
  { label: 'Light High Contrast', suffix: '-hc-light', workbench: 'hc-light', webview: 'vscode-high-contrast-light' },
];

/** The workbench's theme class (`vs`, `vs-dark`, `hc-black`, `hc-light`) and its editor background. */
function workbenchTheme(page) {
  return page.evaluate(() => {
    const root = document.querySelector('.monaco-workbench');
    const kinds = ['vs', 'vs-dark', 'hc-black', 'hc-light'];
    return {
      kind: kinds.find((k) => root?.classList.contains(k)) ?? '',
      background: root ? getComputedStyle(root).getPropertyValue('--vscode-editor-background').trim() : '',
    };
  });
}

/** The webview's theme kind and editor background, as the workbench last sent them to the page. */
function webviewTheme(frame) {
  return frame.evaluate(() => ({
    kind: document.body.dataset.vscodeThemeKind ?? '',
    background: getComputedStyle(document.documentElement).getPropertyValue('--vscode-editor-background').trim(),
  }));
}

/** Moves the keyboard focus to the editor column (a webview with the focus keeps F1 to itself). */
async function focusEditor(page) {
  const tab = page.locator('.editor-group-container').first().locator('.tabs-container .tab.active');
  if ((await tab.count()) > 0) await tab.first().click();
}

/**
 * Opens the colour theme picker with its keys, Ctrl+K Ctrl+T (in the command palette "Browse
 * Color Themes in Marketplace" comes before "Preferences: Color Theme"), from the editor column
 * (a webview with the focus keeps the keys to itself); presses them again if a busy workbench let
 * them go by.
 */
async function openThemePicker(page) {
  await focusEditor(page);
  const input = page.locator('.quick-input-widget .quick-input-box input[placeholder*="Color Theme"]');
  for (let attempt = 1; ; attempt += 1) {
    await page.keyboard.press('Control+K');
    await page.keyboard.press('Control+T');
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      return input;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}

/** The label of the theme the picker starts on (the current one); Escape. */
async function currentThemeLabel(page) {
  await openThemePicker(page);
  const focused = page.locator('.quick-input-widget .monaco-list-row.focused .label-name');
  await focused.first().waitFor({ state: 'visible' });
  const label = ((await focused.first().textContent()) ?? '').trim();
  await page.keyboard.press('Escape');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  return label;
}

/** Opens the theme picker, types `label`, Enter on it; waits until the workbench shows the theme `workbench`. */
async function pickTheme(page, label, workbench) {
  const input = await openThemePicker(page);
  // The whole label at once (pasted): the picker previews each theme it filters to, and a preview
  // per keystroke repaints the workbench and every panel that many times.
  await input.fill(label);
  await acceptQuickInputRow(page, label);
  await until(async () => (await workbenchTheme(page)).kind === workbench, {
    timeout: 15_000,
    interval: 100,
    describe: async () => `the theme "${label}" did not reach the workbench: ${JSON.stringify(await workbenchTheme(page))}`,
  });
}

/** Waits until the panel in `frame` has the workbench's colours and the theme kind `kind`, and has painted them. */
async function panelThemed(page, frame, kind) {
  let last = null;
  await until(
    async () => {
      const [outer, inner] = await Promise.all([workbenchTheme(page), webviewTheme(frame)]);
      last = { workbench: outer, webview: inner };
      return outer.background !== '' && inner.background === outer.background && inner.kind === kind;
    },
    {
      timeout: 15_000,
      interval: 100,
      describe: () => `the panel did not take the theme (${kind}): ${JSON.stringify(last)}`,
    },
  );
  // Two frames for the page to lay out and paint in the new colours.
  await frame.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
}

/**
 * @typedef {object} ThemedView
 * @property {string} model  the panel's model ("Train MODEL")
 * @property {string} tab    the view tab (`data-tab`) the view is on
 * @property {(tab: import('playwright-core').Locator, frame: import('playwright-core').Frame, suffix: string) => Promise<unknown>} shoot
 *   scrolls the view into sight and screenshots it to a file whose name ends in `suffix`
 */

/** The views registered so far, in order. */
const views = /** @type {ThemedView[]} */ ([]);

/** Shows `view` (its panel, its tab) and shoots it with `suffix`. */
async function showAndShoot({ page, consoleLines }, view, suffix, kind) {
  const frame = await showPanel(page, view.model, consoleLines);
  if (kind) await panelThemed(page, frame, kind);
  const tab = await showTab(frame, view.tab);
  await view.shoot(tab, frame, suffix);
}

/** Shoots `view` now, in the default theme, and registers it for the other themes (`themeSteps`). */
export async function themedView(workbench, view) {
  views.push(view);
  await showAndShoot(workbench, view, '', null);
}

/** @type {Array<{ name: string, run: (workbench: import('./workbench.mjs').Workbench) => Promise<void> }>} */
export const themeSteps = [
  {
    name: 'the key views again in a dark, a high-contrast dark and a high-contrast light theme',
    run: async (workbench) => {
      const { page } = workbench;
      if (views.length === 0) throw new Error('no view was registered for the themes');
      const start = await workbenchTheme(page);
      const original = await currentThemeLabel(page);
      try {
        for (const theme of THEMES) {
          await pickTheme(page, theme.label, theme.workbench);
          for (const view of views) await showAndShoot(workbench, view, theme.suffix, theme.webview);
        }
      } finally {
        await pickTheme(page, original, start.kind);
      }
      console.log(`      ${views.length} views × ${THEMES.length} themes`);
    },
  },
];
