/**
 * `npm run bench:graph`: how fast the Model Graph draws, in headless Chromium (the graph test
 * page: the real page code and its ELK layout worker).
 *
 * (a) a 500-layer residual model (its loop makes 3 layers a pass, so it opens with each pass
 *     folded into a group): graph data from the analysis, then the page's layout (in its
 *     worker) and drawing, until drawn (goal < 1,000 ms); and with every group open (all 500
 *     layers drawn), after Open all;
 * (b) an edit to a 100-layer model that keeps its structure (a size changes): the update, with
 *     every position kept (goal < 150 ms);
 * (c) an edit to the same model that adds a layer: a fresh layout (goal < 150 ms).
 * Each is run `--runs=N` times (default 5) after one warm-up; prints the median and the worst.
 * A report, not a gate: exits 0 unless the page cannot run.
 *
 *   npm run bench:graph [-- --runs=5]
 */
import { analyzeSource } from '../src/analysis/analyze';
import { buildModelGraph } from '../src/host/graph/graphModel';
import type { HostToGraph, ModelGraph } from '../src/shared/graphMessages';
import { launch, serve } from '../test/webview/views/browser';

const RUNS = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice('--runs='.length) ?? 5);

/** A functional model of `blocks` residual blocks (dense, dense, add): 3 × blocks + 2 layers. */
function residualSource(blocks: number, units = 64, extraDropout = false): string {
  return `import * as tf from '@tensorflow/tfjs';
export function build() {
  const input = tf.input({ shape: [${units}] });
  let x = input as tf.SymbolicTensor;
  for (let i = 0; i < ${blocks}; i++) {
    const y = tf.layers.dense({ units: ${units}, activation: 'relu' }).apply(x) as tf.SymbolicTensor;
    const z = tf.layers.dense({ units: ${units} }).apply(y) as tf.SymbolicTensor;
    x = tf.layers.add().apply([x, z]) as tf.SymbolicTensor;
  }
  ${extraDropout ? 'x = tf.layers.dropout({ rate: 0.1 }).apply(x) as tf.SymbolicTensor;' : ''}
  const out = tf.layers.dense({ units: 10, activation: 'softmax' }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}
`;
}

function graphOf(source: string): { graph: ModelGraph; layers: number; hostMs: number } {
  const started = performance.now();
  const result = analyzeSource('bench.ts', source);
  const model = result.models[0];
  if (!model) throw new Error('the bench model was not analysed');
  const graph = buildModelGraph(model, result.models, result.diagnostics, 'bench.ts');
  return { graph, layers: model.layers.length, hostMs: performance.now() - started };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  const { buildPage } = await import('../test/webview/graph/buildPage.mjs');
  const server = await serve(await buildPage());
  const browser = await launch();
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(server.url);
    await page.waitForFunction(() => (window as unknown as { graphTest?: unknown }).graphTest !== undefined);

    /**
     * Posts `message` or clicks the button labelled `click`, and returns the ms from then to the
     * frame after the page's next draw (measured in the page).
     */
    const timed = (action: { message: HostToGraph } | { click: string }): Promise<number> =>
      page.evaluate(
        (act) =>
          new Promise<number>((resolve) => {
            const root = document.getElementById('model-graph')!;
            const before = Number(root.dataset['graphVersion'] ?? 0);
            const started = performance.now();
            const observer = new MutationObserver(() => {
              if (Number(root.dataset['graphVersion'] ?? 0) > before) {
                observer.disconnect();
                // The next frame: what the user sees.
                requestAnimationFrame(() => resolve(performance.now() - started));
              }
            });
            observer.observe(root, { attributes: true, attributeFilter: ['data-graph-version'] });
            if ('message' in act)
              (window as unknown as { graphTest: { send(m: HostToGraph): void } }).graphTest.send(act.message);
            else [...document.querySelectorAll('button')].find((b) => b.textContent === act.click)!.click();
          }),
        action,
      );
    const draw = (graph: ModelGraph): Promise<number> =>
      timed({ message: { type: 'graph', graph, models: [{ title: graph.title, line: graph.line }] } });
    const empty = (): Promise<unknown> =>
      page.evaluate(() =>
        (window as unknown as { graphTest: { send(m: HostToGraph): void } }).graphTest.send({ type: 'empty', message: '' }),
      );

    const big = graphOf(residualSource(166));
    const big2 = graphOf(residualSource(166, 64, true));
    const times: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      await empty();
      // Alternate two models so that no run can reuse the previous layout.
      const ms = await draw(i % 2 === 0 ? big.graph : big2.graph);
      if (i > 0) times.push(ms);
    }
    // Every group open: all the layers drawn.
    const openAll = (): Promise<number> => timed({ click: 'Open all' });
    const open: number[] = [];
    let drawnNodes = 0;
    for (let i = 0; i <= RUNS; i++) {
      await empty();
      await draw(i % 2 === 0 ? big.graph : big2.graph);
      const ms = await openAll();
      drawnNodes = await page.evaluate(() => document.querySelectorAll('.mg-canvas .node').length);
      if (i > 0) open.push(ms);
    }
    console.log(
      `graph (a) ${big.layers}-layer model (${big.graph.nodes.length} nodes, ${big.graph.edges.length} edges): ` +
        `laid out and drawn in ${median(times).toFixed(0)} ms median, ${Math.max(...times).toFixed(0)} ms worst (goal < 1000); ` +
        `analysis + graph data on the host ${big.hostMs.toFixed(0)} ms`,
    );
    console.log(
      `graph (a) the same with every group open (${drawnNodes} nodes drawn): laid out and drawn in ${median(open).toFixed(0)} ms median, ` +
        `${Math.max(...open).toFixed(0)} ms worst (goal < 1000)`,
    );

    const base = graphOf(residualSource(33, 64));
    const resized = graphOf(residualSource(33, 48));
    const grown = graphOf(residualSource(33, 64, true));
    const same: number[] = [];
    const changed: number[] = [];
    for (let i = 0; i <= RUNS; i++) {
      await draw(base.graph);
      const a = await draw(resized.graph);
      await draw(base.graph);
      const b = await draw(grown.graph);
      if (i > 0) {
        same.push(a);
        changed.push(b);
      }
    }
    console.log(
      `graph (b) edit of a ${base.layers}-layer model keeping its structure: updated in ${median(same).toFixed(1)} ms median, ` +
        `${Math.max(...same).toFixed(1)} ms worst (goal < 150; positions kept, no layout)`,
    );
    console.log(
      `graph (c) edit adding a layer to it: laid out again and drawn in ${median(changed).toFixed(0)} ms median, ` +
        `${Math.max(...changed).toFixed(0)} ms worst (goal < 150); analysis + graph data on the host ${grown.hostMs.toFixed(1)} ms`,
    );
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
