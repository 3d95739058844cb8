// Headless Chromium (Debian's /usr/bin/chromium) for the real-VS-Code checks, via playwright-core.
//   const browser = await launchBrowser(deps.chromium);
//   const page = await newWorkbenchPage(browser, { onConsole });
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * A fresh browser: Playwright gives it a new temporary profile (user-data-dir), removed on close.
 * @param {string} executablePath
 */
export function launchBrowser(executablePath, { headless = true } = {}) {
  return chromium.launch({ executablePath, headless, args: CHROMIUM_ARGS });
}

/**
 * A page sized like a laptop screen.
 * @param {import('playwright-core').Browser} browser
 * @param {{ onConsole?: (message: import('playwright-core').ConsoleMessage) => void }} [options]
 */
export async function newWorkbenchPage(browser, { onConsole } = {}) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  if (onConsole) page.on('console', onConsole);
  page.on('pageerror', (error) => onConsole?.({ type: () => 'pageerror', text: () => String(error?.stack ?? error) }));
  return page;
}
