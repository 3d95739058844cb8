/**
 * The webview tier's Node side: an HTTP server on 127.0.0.1 that serves dist/ (the built panel,
 * its WASM binaries, the test pages), the panel's HTML from the host's panelHtml() (so the
 * real CSP applies), model bundles made by the host's own bundler from test fixtures, and
 * datasets; plus headless Chromium (playwright-core, /usr/bin/chromium, SwiftShader WebGL,
 * a fresh profile).
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';
import type { BrowserContext, Page } from 'playwright-core';
import { analyzeSource } from '../../../src/analysis/analyze';
import { bundleModelFile } from '../../../src/host/training/modelBundle/bundleModelFile';
import { layerInfos } from '../../../src/host/training/layerInfo';
import type { EsbuildApi } from '../../../src/host/training/modelBundle/esbuildWasm';
import { panelHtml } from '../../../src/host/training/panelHtml';
import type { DatasetPayload, ModelTarget } from '../../../src/shared/messages';
import { ensureBrowser } from './chromium';
import { encodeDataset } from './datasetWire';
import type { TestApi, TestWindow } from './pageApi';

export const REPO = path.resolve(__dirname, '..', '..', '..');
export { CHROMIUM } from './chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
};

export interface BundledModel {
  url: string;
  target: ModelTarget;
}

export interface Harness {
  origin: string;
  context: BrowserContext;
  /** Opens panel.html with the given test page script and theme; waits until its API is installed. */
  openPage(options?: {
    theme?: 'dark' | 'light' | 'hc-dark' | 'hc-light';
    page?: string;
    width?: number;
    height?: number;
  }): Promise<Page>;
  /**
   * Bundles a fixture like the host does (analysis → tracked lines → esbuild with the tfjs shim).
   * `prelude` is prepended to the bundle: it runs wherever the model is built (the worker, or the
   * page), before the module's own top-level code (e.g. seeding Math.random). It moves the
   * bundle's inline source map down by its lines: not for tests that read positions in stacks.
   * `allModels` tracks every model of the file, as the host does (a GAN's discriminator beside
   * its generator); by default only the target's line.
   */
  addModel(fixture: string, modelName?: string, options?: { prelude?: string; allModels?: boolean }): Promise<BundledModel>;
  /** Serves a dataset; returns its URL. */
  addDataset(key: string, payload: DatasetPayload): string;
  /** Browser console errors and page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

function requireBuilt(): void {
  for (const file of [
    'dist/webview/panel.js',
    'dist/webview/panel.css',
    'dist/webview/wasm/tfjs-backend-wasm-simd.wasm',
    'dist/test/webview/testPage.js',
  ]) {
    if (!existsSync(path.join(REPO, file))) throw new Error(`${file} is missing: run \`node scripts/buildWebview.mjs\` first`);
  }
}

export interface HarnessOptions {
  /** Chromium flags added to CHROMIUM_ARGS (the bench's compositing mode). */
  extraArgs?: string[];
  /**
   * Serve every response with COOP/COEP headers, as VS Code does with `--enable-coi`: the page is
   * cross-origin isolated (SharedArrayBuffer, tfjs's threaded WASM).
   */
  crossOriginIsolated?: boolean;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  requireBuilt();
  const bundles = new Map<string, string>();
  const datasets = new Map<string, Uint8Array>();
  const dist = path.join(REPO, 'dist');
  let origin = '';
  const isolation: Record<string, string> = options.crossOriginIsolated
    ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
    : {};

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (status: number, type: string, body: string | Uint8Array): void => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...isolation }).end(body);
    };
    if (url.pathname === '/favicon.ico') {
      res.writeHead(204).end();
      return;
    }
    if (url.pathname === '/panel.html') {
      const page = url.searchParams.get('page') ?? 'testPage';
      const html = panelHtml({
        cspSource: origin,
        nonce: randomBytes(16).toString('base64'),
        scriptUri: `${origin}/dist/test/webview/${page}.js`,
        styleUri: `${origin}/dist/webview/panel.css`,
        codiconsUri: `${origin}/dist/webview/codicon.css`,
        title: 'Model Lens test page',
      });
      send(200, 'text/html; charset=utf-8', html);
      return;
    }
    const bundle = bundles.get(url.pathname);
    if (bundle !== undefined) return send(200, TYPES['.mjs']!, bundle);
    const dataset = datasets.get(url.pathname);
    if (dataset !== undefined) return send(200, 'application/octet-stream', dataset);
    if (url.pathname.startsWith('/dist/')) {
      const file = path.resolve(dist, `.${decodeURIComponent(url.pathname.slice('/dist'.length))}`);
      if (file.startsWith(dist + path.sep) && existsSync(file) && statSync(file).isFile()) {
        return send(200, TYPES[path.extname(file)] ?? 'application/octet-stream', readFileSync(file));
      }
    }
    send(404, 'text/plain', 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const profile = mkdtempSync(path.join(tmpdir(), 'model-lens-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: await ensureBrowser(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
    viewport: { width: 960, height: 1100 },
    deviceScaleFactor: 1,
  });
  const errors: string[] = [];

  return {
    origin,
    context,
    errors,
    async openPage(options = {}) {
      const page = await context.newPage();
      await page.setViewportSize({ width: options.width ?? 960, height: options.height ?? 1100 });
      page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(`console: ${m.text()}`);
      });
      await page.goto(`${origin}/panel.html?page=${options.page ?? 'testPage'}&theme=${options.theme ?? 'dark'}`);
      await page.waitForSelector('body[data-page-ready="1"]', { state: 'attached' });
      return page;
    },
    async addModel(fixture, modelName, options = {}) {
      const entryPath = path.resolve(REPO, fixture);
      const text = readFileSync(entryPath, 'utf8');
      const analysis = analyzeSource(entryPath, text);
      const model = modelName === undefined ? analysis.models[0] : analysis.models.find((m) => m.name === modelName);
      if (model === undefined) throw new Error(`${fixture}: no model ${modelName ?? ''} in the analysis`);
      const result = await bundleModelFile(esbuild as unknown as EsbuildApi, {
        entryPath,
        entryText: text,
        modelLines: options.allModels ? analysis.models.map((m) => m.line) : [model.line],
        displayRoot: REPO,
      });
      const prelude = options.prelude ?? '';
      const urlPath = `/bundles/${result.hash}${prelude === '' ? '' : `-${createHash('sha256').update(prelude).digest('hex').slice(0, 12)}`}.mjs`;
      bundles.set(urlPath, prelude === '' ? result.code : `${prelude}\n${result.code}`);
      const target: ModelTarget = {
        name: model.name,
        line: model.line,
        kind: model.kind,
        file: path.relative(REPO, entryPath).split(path.sep).join('/'),
        layers: layerInfos(model, analysis.models),
      };
      return { url: `${origin}${urlPath}`, target };
    },
    addDataset(key, payload) {
      const urlPath = `/datasets/${encodeURIComponent(key)}.bin`;
      datasets.set(urlPath, encodeDataset(payload));
      return `${origin}${urlPath}`;
    },
    async close() {
      await context.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Calls `window.modelLensTest[method](...args)` in the page (through CDP: the page's CSP allows no eval). */
export function callApi<K extends keyof TestApi>(
  page: Page,
  method: K,
  ...args: Parameters<TestApi[K]>
): Promise<Awaited<ReturnType<TestApi[K]>>> {
  return page.evaluate(
    ({ name, values }) => {
      const api = (globalThis as unknown as TestWindow).modelLensTest as unknown as Record<string, (...a: unknown[]) => unknown>;
      return api[name]!(...values);
    },
    { name: method as string, values: args as unknown[] },
  ) as Promise<Awaited<ReturnType<TestApi[K]>>>;
}
