/**
 * The headless browser of the webview tier and the training bench: Debian's chromium at
 * /usr/bin/chromium (or $CHROMIUM_PATH). On a fresh machine it is not there yet: the tier runs
 * before the real-VS-Code checks (which install everything they need), so it installs the
 * browser itself, through the same idempotent script (scripts/vscodeServer/ensureDeps.mjs).
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** The browser's path, installed first when it is missing (Debian's package; needs root or sudo). */
export async function ensureBrowser(): Promise<string> {
  if (existsSync(CHROMIUM) || process.env['CHROMIUM_PATH']) return CHROMIUM;
  const script = pathToFileURL(path.resolve(__dirname, '..', '..', '..', 'scripts', 'vscodeServer', 'ensureDeps.mjs')).href;
  const deps = (await import(script)) as { ensureChromium(): string };
  return deps.ensureChromium();
}
