/**
 * WCAG AA contrast of the training panel, on computed colours, in the four kinds of VS Code
 * theme (dark, light, high-contrast dark, high-contrast light): the MNIST convnet trained to the
 * end with a validation split (curves with their dashed validation lines, tiles, the evaluation
 * section with its confusion matrix and a cell's samples) and the dense autoencoder, each tab
 * shown in turn. Every visible text must reach 4.5:1 (3:1 when large) on its effective
 * background, every mark the charts draw 3:1 on the chart's (test/webview/page/contrastAudit.mts
 * says how). Screenshots of each tab in test-results/contrast/. Run `node scripts/buildWebview.mjs` first.
 */
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { Page } from 'playwright-core';
import { loadMnist } from '../../src/data/mnist';
import { CATEGORICAL } from '../../webview/views/colormaps';
import { callApi, REPO, startHarness } from './support/harness';
import type { BundledModel, Harness } from './support/harness';
import { describeExample, exampleDataset } from './support/examplesData';
import { config, isState, startModel, waitForMessage, waitUntil } from './support/panelMessages';
import { seedLine } from './support/seed';

const RESULTS = path.join(REPO, 'test-results', 'contrast');
const THEMES = ['dark', 'light', 'hc-dark', 'hc-light'] as const;

interface Failure {
  kind: string;
  where: string;
  text: string;
  foreground: string;
  background: string;
  ratio: number;
  required: number;
}
interface Report {
  textsChecked: number;
  marksChecked: number;
  failures: Failure[];
}

/** The audit as one script for the page, installed before any page script runs. */
async function auditScript(): Promise<string> {
  const result = await esbuild.build({
    stdin: {
      contents:
        "import { auditContrast, installCanvasRecorder } from './contrastAudit.mts';\n" +
        'installCanvasRecorder();\n(globalThis as Record<string, unknown>).lpContrastAudit = auditContrast;\n',
      resolveDir: path.join(REPO, 'test', 'webview', 'page'),
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    target: 'chrome120',
    write: false,
  });
  return result.outputFiles[0]!.text;
}

const audit = (page: Page): Promise<Report> =>
  page.evaluate(`lpContrastAudit(${JSON.stringify({ exemptColors: CATEGORICAL })})`) as Promise<Report>;

const describeFailure = (tab: string, f: Failure): string =>
  `[${tab}] ${f.kind} ${f.where} "${f.text}": ${f.foreground} on ${f.background} = ${f.ratio.toFixed(2)}:1 < ${f.required}:1`;

/** Shows each tab in turn, waits for its views to draw, audits and screenshots it. */
async function auditTabs(
  page: Page,
  name: string,
): Promise<{ failures: string[]; texts: number; marks: number; tabs: string[] }> {
  const headers = page.locator('vscode-tab-header:not([hidden])');
  const tabs = (await headers.evaluateAll((els) => els.map((e) => e.getAttribute('data-tab') ?? ''))).filter((t) => t !== '');
  const failures: string[] = [];
  let texts = 0;
  let marks = 0;
  mkdirSync(RESULTS, { recursive: true });
  for (const tab of tabs) {
    await page.locator(`vscode-tab-header[data-tab="${tab}"]`).click();
    await page.waitForTimeout(1500);
    const report = await audit(page);
    texts += report.textsChecked;
    marks += report.marksChecked;
    failures.push(...report.failures.map((f) => describeFailure(tab, f)));
    console.log(`      ${name} ${tab}: ${report.textsChecked} texts, ${report.marksChecked} canvas marks checked`);
    await page.screenshot({ path: path.join(RESULTS, `${name}-${tab}.png`), fullPage: true });
  }
  return { failures: [...new Set(failures)], texts, marks, tabs };
}

describe('contrast: WCAG AA on computed colours in four theme kinds (webview tier)', function () {
  this.timeout(300_000);
  let h: Harness;
  let convnet: BundledModel;
  let autoencoder: BundledModel;
  let mnist: string;
  let digits: string;
  let autoencoderConfig: ReturnType<typeof config>;

  before(async () => {
    h = await startHarness();
    await h.context.addInitScript({ content: await auditScript() });
    convnet = await h.addModel('examples/mnistConvnet.ts', undefined, { prelude: seedLine('mnistConvnet') });
    mnist = h.addDataset('mnist-320', loadMnist({ count: 320, layout: 'image', targets: 'oneHot' }));
    const example = describeExample(REPO, 'examples/denseAutoencoder.ts').models.find((m) => m.model.name === 'autoencoder')!;
    autoencoder = await h.addModel('examples/denseAutoencoder.ts', 'autoencoder', { prelude: seedLine('denseAutoencoder') });
    digits = h.addDataset('autoencoder-512', exampleDataset(example.choice!, 512));
    // Enough batches that the reconstructions and the latent grid show digits in the screenshots.
    autoencoderConfig = { ...example.config, epochs: 4, batchSize: 32 };
  });

  after(async () => {
    await h?.close();
  });

  it('the audit fails low-contrast text and a faint chart line (so a pass means something)', async () => {
    const page = await h.openPage();
    try {
      await page.evaluate(`(() => {
        const p = document.createElement('p');
        p.id = 'faint';
        p.textContent = 'faint words';
        p.style.color = '#555555';
        p.style.background = '#333333';
        document.body.append(p);
        const canvas = document.createElement('canvas');
        canvas.setAttribute('aria-label', 'faint chart');
        canvas.width = 40; canvas.height = 20;
        document.body.append(canvas);
        const ctx = canvas.getContext('2d');
        ctx.fillStyle = '#ffffff'; ctx.fillRect(0, 0, 40, 20);
        ctx.strokeStyle = '#dddddd'; ctx.beginPath(); ctx.moveTo(0, 10); ctx.lineTo(40, 10); ctx.stroke();
        ctx.strokeStyle = '#000000'; ctx.globalAlpha = 0.1; ctx.stroke();
      })()`);
      const report = await audit(page);
      const faint = report.failures.find((f) => f.text === 'faint words');
      assert.ok(faint, JSON.stringify(report.failures));
      assert.equal(faint.foreground, '#555555');
      assert.equal(faint.background, '#333333');
      assert.ok(Math.abs(faint.ratio - 1.69) < 0.01, `ratio ${faint.ratio}`);
      const lines = report.failures.filter((f) => f.text === 'faint chart');
      assert.deepEqual(lines.map((f) => [f.kind, f.foreground, f.background]).sort(), [
        ['canvas stroke (alpha 0.1)', '#e6e6e6', '#ffffff'],
        ['canvas stroke', '#dddddd', '#ffffff'],
      ]);
    } finally {
      await page.close();
    }
  });

  for (const theme of THEMES) {
    it(`${theme}: the trained convnet, its validation curves and confusion matrix, and every view meet AA`, async () => {
      const page = await h.openPage({ theme, width: 900, height: 1400 });
      try {
        await startModel(page, convnet, {
          datasetUrl: mnist,
          views: 'real',
          config: config({ epochs: 2, validationSplit: 0.2 }),
        });
        await waitForMessage(page, isState('done'));
        const cells = page.locator('[data-testid="confusion-matrix"] td.lp-cm-cell');
        await waitUntil(async () => (await cells.count()) === 100, 'the confusion matrix');
        await page.locator('td.lp-cm-cell[data-true="1"][data-predicted="1"]').click();
        await page.locator('[data-testid="confusion-samples"] canvas').first().waitFor();
        const legend = await page.locator('.lp-chart-legend .lp-legend-item').allTextContents();
        assert.ok(legend.includes('validation loss'), `the dashed validation curve is drawn: ${legend.join(', ')}`);
        const result = await auditTabs(page, `convnet-${theme}`);
        assert.ok(result.tabs.length >= 4, `tabs: ${result.tabs.join(', ')}`);
        assert.ok(result.texts > 100 && result.marks > 10, `checked ${result.texts} texts, ${result.marks} marks`);
        assert.deepEqual(result.failures, [], `${result.failures.length} contrast failures:\n${result.failures.join('\n')}`);
      } finally {
        await callApi(page, 'dispose');
        await page.close();
      }
    });

    it(`${theme}: the trained dense autoencoder and its views meet AA`, async () => {
      const page = await h.openPage({ theme, width: 900, height: 1400 });
      try {
        await startModel(page, autoencoder, { datasetUrl: digits, views: 'real', config: autoencoderConfig });
        await waitForMessage(page, isState('done'));
        const result = await auditTabs(page, `autoencoder-${theme}`);
        assert.ok(result.tabs.length >= 3, `tabs: ${result.tabs.join(', ')}`);
        assert.deepEqual(result.failures, [], `${result.failures.length} contrast failures:\n${result.failures.join('\n')}`);
      } finally {
        await callApi(page, 'dispose');
        await page.close();
      }
    });
  }
});
