/**
 * Browser tier: a theme switch while the panel shows its canvases. VS Code changes the body's
 * theme class and kind and the `--vscode-*` variables on <html>; the canvases read those colours
 * only when they draw, so each must be drawn again, from what it last drew (no probe runs), once
 * per switch, in the new theme's colours: the training curves, the inspection views (a hidden
 * one too) and the prediction plot. A mutation that leaves the theme as it was redraws nothing.
 *
 *   npx mocha --no-config -r tsx/cjs --timeout 240000 test/webview/views/themeRepaint.test.ts
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { call, ROOT, useViewsPage } from './driver';
import type { MarkColours, ThemeProbe } from './themeProbeApi';

const SHOTS = path.join(ROOT, 'test-results/webview');

type Fn = (...args: never[]) => unknown;
type Method = { [K in keyof ThemeProbe]: ThemeProbe[K] extends Fn ? K : never }[keyof ThemeProbe];

/** Calls `window.themeProbe[method](...args)` in the page. */
function probe<K extends Method>(
  page: Page,
  method: K,
  ...args: Parameters<ThemeProbe[K]>
): Promise<Awaited<ReturnType<ThemeProbe[K]>>> {
  return page.evaluate(
    ([m, a]) => {
      const p = (globalThis as unknown as { themeProbe: Record<string, (...x: unknown[]) => unknown> }).themeProbe;
      return p[m as string]!(...(a as unknown[]));
    },
    [method, args] as [string, unknown[]],
  ) as Promise<Awaited<ReturnType<ThemeProbe[K]>>>;
}

/** The canvases checked, each with the colours of its gridlines and axis labels. */
const CANVASES: { what: string; selector: string; grid: keyof MarkColours; muted: keyof MarkColours }[] = [
  { what: 'training curves', selector: '[data-testid="theme-curves"] canvas', grid: 'chartGrid', muted: 'chartMuted' },
  { what: 'prediction plot', selector: '[data-testid="prediction-plot"]', grid: 'grid', muted: 'muted' },
  { what: 'weight histograms', selector: '[data-role="weights-hist"]', grid: 'grid', muted: 'muted' },
  // The output layer's bars (the other activations are feature maps: no theme colours).
  { what: 'activation bars', selector: '[data-role="activation"][data-kind="vector"]', grid: 'grid', muted: 'muted' },
];

/** Per canvas of `c`: pixels in [light grid, light labels, dark grid, dark labels]. */
async function marks(page: Page, c: (typeof CANVASES)[number], light: MarkColours, dark: MarkColours): Promise<number[][]> {
  return probe(page, 'countPixels', c.selector, [light[c.grid], light[c.muted], dark[c.grid], dark[c.muted]]);
}

/** Screenshots of the curves and the prediction plot (the top of the page), the output's bars and a layer's histograms. */
async function shoot(page: Page, theme: string): Promise<void> {
  await page.evaluate(() => (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, `theme-repaint-${theme}-curves.png`) });
  await page
    .locator('[data-role="activation"][data-kind="vector"]')
    .last()
    .screenshot({ path: path.join(SHOTS, `theme-repaint-${theme}-bars.png`) });
  await page
    .locator('.ml-hist-pair')
    .first()
    .screenshot({ path: path.join(SHOTS, `theme-repaint-${theme}-histograms.png`) });
}

describe('theme switches repaint the canvases (Chromium)', function () {
  this.timeout(240_000);
  let page: Page;
  useViewsPage((p) => (page = p));

  before(async () => {
    const { outDir } = await import('./buildPage.mjs');
    await esbuild.build({
      entryPoints: [path.join(__dirname, 'page/themeProbe.mts')],
      outfile: path.join(outDir, 'themeProbe.js'),
      bundle: true,
      platform: 'browser',
      format: 'iife',
      target: 'es2022',
      logLevel: 'warning',
    });
    await page.addScriptTag({ url: 'themeProbe.js' });
    await page.waitForFunction(() => 'themeProbe' in globalThis);
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  it('draws the curves, the views (one hidden) and the prediction plot again in the dark colours, once', async () => {
    await call(page, 'setup', { kind: 'convnet', samples: 16, theme: 'light' });
    await probe(page, 'applyTheme', 'light');
    await call(page, 'refresh', 1);
    await probe(page, 'drawCurves');
    await probe(page, 'drawPrediction');
    await probe(page, 'frames', 2);
    // The colours of each canvas's marks under the theme of the moment.
    const colours = async (): Promise<Record<string, MarkColours>> => {
      const all = await Promise.all(CANVASES.map((c) => probe(page, 'colours', c.selector)));
      return Object.fromEntries(all.map((m, i) => [CANVASES[i]!.what, m]));
    };
    const light = await colours();
    const before = await Promise.all(CANVASES.map((c) => marks(page, c, light[c.what]!, light[c.what]!)));
    // The canvases drawn in the light theme that show its gridlines (the bars among the activations).
    const checked = CANVASES.map((_, i) => before[i]!.map((m, k) => (m[0]! > 0 ? k : -1)).filter((k) => k >= 0));
    CANVASES.forEach((c, i) => {
      assert.ok(checked[i]!.length > 0, `${c.what}: light gridlines drawn (${JSON.stringify(before[i])})`);
      for (const k of checked[i]!) assert.ok(before[i]![k]![1]! > 0, `${c.what} #${k}: light labels drawn`);
    });
    await shoot(page, 'light');

    // Only the weights view shown: the activations are repainted hidden.
    await call(page, 'show', 'weights');
    const renders = await call(page, 'renderCounts');
    await probe(page, 'startCountingDraws');
    await probe(page, 'applyThemeInSteps', 'dark');
    await probe(page, 'frames', 4);
    await call(page, 'show', 'all');
    await probe(page, 'frames', 2);

    const dark = await colours();
    for (const c of CANVASES) {
      const [l, d] = [light[c.what]!, dark[c.what]!];
      assert.notStrictEqual(l[c.grid], d[c.grid], `${c.what}: the themes' gridline colours differ`);
      assert.notStrictEqual(l[c.muted], d[c.muted], `${c.what}: the themes' label colours differ`);
    }
    for (const [i, c] of CANVASES.entries()) {
      const after = await marks(page, c, light[c.what]!, dark[c.what]!);
      const counts = await probe(page, 'drawCounts', c.selector);
      for (const k of checked[i]!) {
        const [lightGrid, lightMuted, darkGrid, darkMuted] = after[k]!;
        const where = `${c.what} #${k} (light grid, light labels, dark grid, dark labels: ${after[k]!.join(', ')})`;
        assert.strictEqual(lightGrid, 0, `${where}: no light gridline left`);
        assert.strictEqual(lightMuted, 0, `${where}: no light label pixel left`);
        assert.ok(darkGrid > 0, `${where}: gridlines in the dark colour`);
        assert.ok(darkMuted > 0, `${where}: labels in the dark colour`);
        assert.strictEqual(counts[k], 1, `${c.what} #${k}: drawn once for the switch, drawn ${counts[k]} times`);
      }
    }
    assert.deepStrictEqual(await call(page, 'renderCounts'), renders, 'no view rendered again (no probe ran)');
    await shoot(page, 'dark');
  });

  it('leaves the image grids transparent between tiles (the card behind them follows the theme)', async () => {
    const [filters] = await call(page, 'canvasStats', '[data-role="filters"]');
    assert.ok(filters, 'a filters canvas');
    assert.ok(filters.coverage > 0.3 && filters.coverage < 1, `gaps left transparent (coverage ${filters.coverage})`);
  });

  it('draws nothing again when attributes change but the theme does not, and again when it does', async () => {
    await probe(page, 'startCountingDraws');
    await probe(page, 'touchWithoutChange');
    await probe(page, 'frames', 4);
    const still = await probe(page, 'drawCounts', 'canvas');
    assert.ok(still.length > 4, `canvases on the page: ${still.length}`);
    assert.deepStrictEqual(
      still.filter((n) => n > 0),
      [],
      'no canvas drawn for a mutation that left the theme as it was',
    );
    // The counter sees a real switch (so the zero above is not the counter's), and a canvas drawn
    // over without theme colours is not repainted with its old drawing.
    await probe(page, 'drawBarsThenImage');
    await probe(page, 'startCountingDraws');
    await probe(page, 'applyTheme', 'hc-light');
    await probe(page, 'frames', 4);
    const drawn = await probe(page, 'drawCounts', 'canvas');
    assert.ok(drawn.filter((n) => n > 0).length >= 4, `canvases drawn for a real switch: ${drawn.join(',')}`);
    assert.deepStrictEqual(await probe(page, 'drawCounts', '[data-testid="bars-kept"]'), [1], 'the bars repainted');
    assert.deepStrictEqual(
      await probe(page, 'drawCounts', '[data-testid="bars-replaced"]'),
      [0],
      'the image drawn over the bars is left as it is',
    );
  });

  it('leaves the GAN sample grid transparent between its images too (no gap colour to repaint)', async () => {
    await call(page, 'setup', { kind: 'gan', theme: 'dark' });
    await call(page, 'refresh', 1);
    const [grid] = await call(page, 'canvasStats', '[data-role="sample-grid"]');
    assert.ok(grid, 'a sample grid canvas');
    assert.ok(grid.coverage > 0.5 && grid.coverage < 1, `gaps left transparent (coverage ${grid.coverage})`);
  });
});
