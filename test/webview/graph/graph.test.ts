/**
 * Browser tier for the Model Graph: the real page (webview/graph/, its ELK layout worker, its
 * stylesheet) in headless Chromium, fed graphs the host code builds from the analysis of every
 * example. Asserts node and edge counts and shape labels, that a click posts the layer's line,
 * that an edit keeping the structure keeps every position, that the cursor's layers light up,
 * that folding, search and both exports work. Screenshots under test-results/graph/.
 *
 *   npx mocha --config test/webview/graph/.mocharc.json
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { analyzeSource } from '../../../src/analysis/analyze';
import { analyzeSavedModel } from '../../../src/analysis/savedModel';
import type { AnalysisResult } from '../../../src/analysis/types';
import { buildModelGraph } from '../../../src/host/graph/graphModel';
import { formatShape } from '../../../src/shared/format';
import type { GraphToHost, HostToGraph, ModelGraph } from '../../../src/shared/graphMessages';
import { initialFolds, visibleGraph } from '../../../webview/graph/elkGraph';
import { launch, serve, type StaticServer } from '../views/browser';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES = path.join(ROOT, 'examples');
const SHOTS = path.join(ROOT, 'test-results/graph');

function analyze(file: string, text?: string): AnalysisResult {
  const full = path.join(EXAMPLES, file);
  return analyzeSource(full, text ?? fs.readFileSync(full, 'utf8'));
}

function graphOf(result: AnalysisResult, name?: string): ModelGraph {
  const model = name === undefined ? result.models[0]! : result.models.find((m) => m.name === name)!;
  return buildModelGraph(model, result.models, result.diagnostics, path.basename(result.file));
}

/** Every example file with a model, `broken/` included. */
function exampleFiles(): string[] {
  const files: string[] = [];
  for (const dir of ['', 'broken']) {
    for (const f of fs.readdirSync(path.join(EXAMPLES, dir)).sort()) if (f.endsWith('.ts')) files.push(path.posix.join(dir, f));
  }
  return files;
}

describe('Model Graph page in Chromium', function () {
  this.timeout(300_000);
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  async function send(message: HostToGraph): Promise<void> {
    await page.evaluate((m) => (window as unknown as { graphTest: { send(m: unknown): void } }).graphTest.send(m), message);
  }

  async function version(): Promise<number> {
    return Number((await page.getAttribute('#model-graph', 'data-graph-version')) ?? 0);
  }

  /** Sends a graph and waits until the page has drawn it. */
  async function show(graph: ModelGraph): Promise<void> {
    const before = await version();
    await send({ type: 'graph', graph, models: [{ title: graph.title, line: graph.line }] });
    await page.waitForFunction((v) => Number(document.getElementById('model-graph')!.dataset['graphVersion'] ?? 0) > v, before, {
      timeout: 60_000,
    });
  }

  async function posted(): Promise<GraphToHost[]> {
    return page.evaluate(() => (window as unknown as { graphTest: { posted: GraphToHost[] } }).graphTest.posted.slice());
  }

  async function clearPosted(): Promise<void> {
    await page.evaluate(() => {
      (window as unknown as { graphTest: { posted: unknown[] } }).graphTest.posted.length = 0;
    });
  }

  /** Node id → its `translate(x,y)`. */
  async function positions(): Promise<Record<string, string>> {
    return page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('.mg-canvas [data-id]')].map((g) => [
          g.getAttribute('data-id'),
          g.getAttribute('transform'),
        ]),
      ),
    );
  }

  before(async () => {
    const { buildPage } = await import('./buildPage.mjs');
    server = await serve(await buildPage());
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1100, height: 800 } });
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    await page.goto(server.url);
    await page.waitForFunction(() => (window as unknown as { graphTest?: unknown }).graphTest !== undefined);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks the host for its model when it starts', async () => {
    assert.deepEqual((await posted())[0], { type: 'ready' });
  });

  it('draws every example: one node per drawn layer, one edge per tensor, each labelled with its shape', async () => {
    const summary: string[] = [];
    for (const file of exampleFiles()) {
      const result = analyze(file);
      for (const model of result.models) {
        const graph = graphOf(result, model.name);
        const visible = visibleGraph(graph, initialFolds(graph));
        await show(graph);
        const drawn = await page.evaluate(() => ({
          nodes: document.querySelectorAll('.mg-canvas .node, .mg-canvas .group').length,
          edges: document.querySelectorAll('.mg-canvas .edge path').length,
          labels: [...document.querySelectorAll('.mg-canvas .edge .label')].map((t) => t.textContent),
        }));
        const where = `${file} ${model.name}`;
        assert.equal(drawn.nodes, visible.nodes.length, `${where}: nodes`);
        assert.equal(drawn.edges, visible.edges.length, `${where}: edges`);
        assert.deepEqual(drawn.labels.sort(), visible.edges.map((e) => e.label).sort(), `${where}: labels`);
        summary.push(`${where}: ${drawn.nodes} nodes, ${drawn.edges} edges`);
      }
    }
    assert.ok(summary.length >= 20, `models drawn: ${summary.length}`);
    assert.deepEqual(errors, []);
  });

  it('a click on the residual network’s add node posts its line; the cursor’s line lights its layers', async () => {
    const result = analyze('residualBlock.ts');
    const graph = graphOf(result);
    await show(graph);
    // A tall model starts readable from the top; Fit shows all of it.
    await page.click('button[aria-label="Fit the whole graph in the view (0)"]');
    await page.click('.mg-canvas [data-id="(output 1)"]');
    await page.click('.mg-canvas [data-id="add_1"]');
    const add = result.models[0]!.layers.find((l) => l.name === 'add_1')!;
    const reveals = (await posted()).filter((m) => m.type === 'reveal');
    assert.deepEqual(reveals.at(-1), { type: 'reveal', line: add.line, column: add.column });
    assert.equal(await page.getAttribute('.mg-canvas [data-id="add_1"]', 'class').then((c) => c?.includes('selected')), true);
    await send({ type: 'cursor', line: add.line });
    const current = await page.evaluate(() =>
      [...document.querySelectorAll('.mg-canvas .node.current')].map((g) => g.getAttribute('data-id')),
    );
    // Both blocks' add layers are made on the helper's line.
    assert.deepEqual(current.sort(), ['add_1', 'add_2']);
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'residual-dark.png') });
  });

  it('an edit that keeps the structure keeps every position; one that adds a layer lays out again', async () => {
    const file = path.join(EXAMPLES, 'mnistConvnet.ts');
    const text = fs.readFileSync(file, 'utf8');
    await show(graphOf(analyze('mnistConvnet.ts', text)));
    const before = await positions();
    const edited = graphOf(analyze('mnistConvnet.ts', text.replace('filters: 64', 'filters: 48')));
    await show(edited);
    assert.deepEqual(await positions(), before);
    const texts = await page.evaluate(() => [...document.querySelectorAll('.mg-canvas .node .cost')].map((t) => t.textContent));
    const conv = edited.nodes.find((n) => n.type === 'Conv2D' && n.params !== 320)!;
    assert.ok(
      texts.some((t) => t?.startsWith(`${conv.params!.toLocaleString('en-US')} params`)),
      texts.join(' | '),
    );
    const added = text.replace(/(model\.add\(tf\.layers\.flatten\(\)\);)/, 'model.add(tf.layers.dropout({ rate: 0.25 }));\n$1');
    assert.notEqual(added, text, 'the example has a flatten layer to insert before');
    await show(graphOf(analyze('mnistConvnet.ts', added)));
    const after = await positions();
    assert.equal(Object.keys(after).length, Object.keys(before).length + 1);
  });

  it('folds and opens a model used as a layer', async () => {
    const graph = graphOf(analyze('denseAutoencoder.ts'), 'autoencoder');
    await show(graph);
    const count = () => page.evaluate(() => document.querySelectorAll('.mg-canvas .node, .mg-canvas .group').length);
    const open = await count();
    assert.equal(await page.locator('.mg-canvas .group').count(), 2);
    await page.screenshot({ path: path.join(SHOTS, 'autoencoder-dark.png') });
    const before = await version();
    await page.click('.mg-canvas [data-toggle="encoder"]');
    await page.waitForFunction((v) => Number(document.getElementById('model-graph')!.dataset['graphVersion']) > v, before);
    assert.equal(await count(), open - 2, 'the encoder’s two layers are folded into it');
    assert.equal(await page.locator('.mg-canvas .node.folded[data-id="encoder"]').count(), 1);
  });

  it('shows a shape error in red with its message, and the graph around it', async () => {
    const result = analyze('broken/residualWithoutProjection.ts');
    await show(graphOf(result));
    const error = result.diagnostics.find((d) => d.severity === 'error')!;
    assert.equal(await page.locator('.mg-canvas .node.has-error').count(), 1);
    const banner = await page.textContent('.mg-notes .mg-error');
    assert.ok(banner?.includes(`line ${error.line}`) && banner.includes(error.message.slice(0, 40)), banner ?? '');
    assert.ok((await page.locator('.mg-canvas .edge.unknown').count()) > 0);
    for (const kind of ['light', 'hc-dark', 'hc-light'] as const) {
      await page.evaluate((k) => (window as unknown as { graphTest: { theme(k: string): void } }).graphTest.theme(k), kind);
      await page.screenshot({ path: path.join(SHOTS, `broken-${kind}.png`) });
    }
    await page.evaluate(() => (window as unknown as { graphTest: { theme(k: string): void } }).graphTest.theme('dark'));
    await page.screenshot({ path: path.join(SHOTS, 'broken-dark.png') });
  });

  it('finds layers by name or type', async () => {
    await show(graphOf(analyze('mnistConvnet.ts')));
    await page.fill('.mg-search', 'conv');
    assert.equal(await page.locator('.mg-canvas .node.match').count(), 3);
    await page.press('.mg-search', 'Enter');
    assert.equal(await page.locator('.mg-canvas .node.match.selected').count(), 1);
    await page.fill('.mg-search', 'no such layer');
    assert.equal(await page.locator('.mg-canvas .node.match').count(), 0);
    await page.press('.mg-search', 'Escape');
  });

  it('exports an SVG holding every node and edge, and a PNG', async () => {
    const graph = graphOf(analyze('residualBlock.ts'));
    await show(graph);
    await clearPosted();
    await page.click('button[aria-label="Export the graph as an SVG file"]');
    await page.waitForFunction(() => (window as unknown as { graphTest: { posted: unknown[] } }).graphTest.posted.length > 0);
    const svg = (await posted()).find((m) => m.type === 'export');
    assert.ok(svg && svg.type === 'export' && svg.format === 'svg' && svg.fileName === 'resnet.svg');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        names: [...doc.querySelectorAll('.node .name')].map((t) => t.textContent),
        groups: [...doc.querySelectorAll('.group .header')].map((t) => t.textContent),
        edges: doc.querySelectorAll('.edge path').length,
        fill: doc.querySelector('.node .body')?.getAttribute('style') ?? '',
      };
    }, svg.data);
    assert.equal(parsed.error, null);
    // Every layer as a node, every group (the two residual blocks) with its header.
    assert.deepEqual(
      parsed.names.sort(),
      graph.nodes
        .filter((n) => n.kind !== 'block')
        .map((n) => n.name)
        .sort(),
    );
    // A header is the longest of name · line · params, name · params, name that fits its box.
    assert.equal(parsed.groups.length, 2);
    assert.ok(
      ['residualBlock() · line 37 · 4,640 params', 'residualBlock() · 4,640 params', 'residualBlock()'].includes(
        parsed.groups[0]!,
      ),
      String(parsed.groups[0]),
    );
    assert.equal(parsed.groups[1], 'residualBlock() · line 39 · 14,432 params');
    const overflowing = await page.evaluate(() =>
      [...document.querySelectorAll<SVGGElement>('.group')].flatMap((g) => {
        const header = g.querySelector<SVGTextElement>('.header')!;
        const width = Number(g.querySelector('.body')!.getAttribute('width'));
        return Number(header.getAttribute('x')) + header.getComputedTextLength() > width ? [header.textContent] : [];
      }),
    );
    assert.deepEqual(overflowing, [], 'every group header fits inside its box');
    assert.equal(parsed.edges, graph.edges.length);
    assert.match(parsed.fill, /fill:\s*rgb/, 'theme colours are written into the file');
    await clearPosted();
    await page.click('button[aria-label="Export the graph as a PNG image"]');
    await page.waitForFunction(() => (window as unknown as { graphTest: { posted: unknown[] } }).graphTest.posted.length > 0);
    const png = (await posted()).find((m) => m.type === 'export');
    assert.ok(png && png.type === 'export' && png.format === 'png');
    const bytes = Buffer.from(png.data, 'base64');
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.ok(bytes.length > 5000, `PNG of ${bytes.length} bytes`);
  });

  it('the Table view: one row per layer as model.summary() prints it, totals, a click reveals the line', async () => {
    const result = analyze('mnistConvnet.ts');
    const model = result.models[0]!;
    await show(graphOf(result));
    await page.click('button[aria-label^="Show the model as a summary table"]');
    const rows = await page.evaluate(() =>
      [...document.querySelectorAll('.mg-table tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent)),
    );
    assert.deepEqual(
      rows,
      model.layers.map((l) => [
        `${l.name} (${l.type})`,
        formatShape(l.outputShape),
        l.params!.toLocaleString('en-US'),
        l.macs!.toLocaleString('en-US'),
      ]),
    );
    const foot = await page.textContent('.mg-table tfoot');
    assert.ok(foot?.includes('Total params: 93,322') && foot.includes('Total mult-adds (per sample): 2,794,240'), foot ?? '');
    await clearPosted();
    await page.click('.mg-table tbody tr:nth-child(3)');
    assert.deepEqual((await posted()).at(-1), { type: 'reveal', line: model.layers[2]!.line, column: model.layers[2]!.column });
    await page.screenshot({ path: path.join(SHOTS, 'table-dark.png') });
    await page.click('button[aria-label="Show the model as a graph"]');
    assert.equal(await page.locator('.mg-table-view').isHidden(), true);
  });

  it('a saved model that cannot be read: the message and Open as Text', async () => {
    await send({ type: 'empty', message: 'model.json: This is a TensorFlow.js graph model', openAsText: true });
    await clearPosted();
    await page.click('.mg-notes button', { timeout: 10_000 });
    assert.deepEqual(await posted(), [{ type: 'openAsText' }]);
  });

  it('a saved InceptionV3 (model.json, 311 layers nested): drawn folded, opened on demand', async () => {
    const file = path.join(
      ROOT,
      'test/fixtures/savedModels/nickmparry__TFJS_InceptionV3_BoneAge__inceptionv3-boneage/model.json',
    );
    const reading = analyzeSavedModel(file, fs.readFileSync(file, 'utf8'));
    assert.ok(!('error' in reading));
    const graph = buildModelGraph(reading.model, reading.result.models, reading.result.diagnostics, 'model.json');
    assert.ok(graph.nodes.length > 300);
    const folded = visibleGraph(graph, initialFolds(graph));
    await show(graph);
    assert.equal(await page.locator('.mg-canvas .node, .mg-canvas .group').count(), folded.nodes.length);
    assert.equal(await page.locator('.mg-canvas .node.folded').count(), 1, 'the nested InceptionV3 is one folded node');
    await page.screenshot({ path: path.join(SHOTS, 'saved-inception-folded.png') });
    const before = await version();
    await page.click('.mg-canvas [data-toggle]');
    await page.waitForFunction((v) => Number(document.getElementById('model-graph')!.dataset['graphVersion']) > v, before, {
      timeout: 60_000,
    });
    assert.ok((await page.locator('.mg-canvas .node').count()) > 300);
  });

  it('says so when the file has no model any more', async () => {
    await send({ type: 'empty', message: 'No model in m.ts any more' });
    assert.equal(await page.textContent('.mg-status'), 'No model in m.ts any more');
    assert.equal(await page.locator('.mg-canvas .node').count(), 0);
    assert.deepEqual(errors, []);
  });
});
