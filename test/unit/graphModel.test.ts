import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeSource } from '../../src/analysis/analyze';
import type { AnalysisResult } from '../../src/analysis/types';
import { buildModelGraph } from '../../src/host/graph/graphModel';
import { findModel, modelAtLine } from '../../src/host/graph/graphTarget';
import { graphHtml } from '../../src/host/graph/graphHtml';
import { formatShape } from '../../src/shared/format';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');

function analyzeExample(file: string): AnalysisResult {
  const full = path.join(EXAMPLES, file);
  return analyzeSource(full, fs.readFileSync(full, 'utf8'));
}

function graphOf(file: string, modelName: string) {
  const result = analyzeExample(file);
  const model = result.models.find((m) => m.name === modelName);
  assert.ok(model, `${file} has a model ${modelName}: ${result.models.map((m) => m.name).join(', ')}`);
  return { result, model, graph: buildModelGraph(model, result.models, result.diagnostics, file) };
}

describe('Model Graph data (graphModel)', () => {
  it('a residual network: the Add nodes take the shortcut and the block, every edge labelled with its shape', () => {
    const { model, graph } = graphOf('residualBlock.ts', 'resnet');
    // Every layer (InputLayer included: a functional model lists it), one output node, and a
    // group for each call of the residualBlock helper.
    assert.equal(graph.nodes.filter((n) => n.kind === 'layer' || n.kind === 'input').length, model.layers.length);
    assert.equal(graph.nodes.length, model.layers.length + 1 + 2);
    assert.equal(graph.nodes.filter((n) => n.kind === 'input').length, 1);
    assert.deepEqual(
      graph.nodes.filter((n) => n.kind === 'output').map((n) => n.outputShape),
      ['(None, 10)'],
    );
    const adds = graph.nodes.filter((n) => n.type === 'Add');
    assert.equal(adds.length, 2);
    for (const add of adds) {
      const into = graph.edges.filter((e) => e.target === add.id);
      assert.equal(into.length, 2, `${add.name} takes two tensors`);
      const layer = model.layers.find((l) => l.name === add.name)!;
      assert.deepEqual(
        into.map((e) => e.label),
        (layer.inputShape as (number | null)[][]).map((s) => formatShape(s)),
      );
    }
    // One edge per tensor a layer takes, plus the output's.
    const taken = model.layers.reduce((n, l) => n + (l.inputs?.length ?? 0), 0);
    assert.equal(graph.edges.length, taken + 1);
    // The projection shortcut of the second block: a 1×1 conv fed by the max pooling.
    const pool = graph.nodes.find((n) => n.type === 'MaxPooling2D')!;
    const fromPool = graph.edges.filter((e) => e.source === pool.id).map((e) => e.target);
    assert.equal(fromPool.length, 2, 'the pooled tensor feeds the block and its shortcut');
    assert.ok(graph.edges.every((e) => e.label !== '?'));
    assert.match(graph.summary, /^Functional · 14 layers · [\d,]+ params · [\d,]+ mult-adds$/);
  });

  it('repeated blocks: the layers each call of a helper makes are a group, its totals theirs', () => {
    const { model, graph } = graphOf('residualBlock.ts', 'resnet');
    const blocks = graph.nodes.filter((n) => n.kind === 'block');
    assert.deepEqual(
      blocks.map((b) => [b.name, b.type, b.line]),
      [
        ['residualBlock()', 'line 37', 37],
        ['residualBlock()', 'line 39', 39],
      ],
    );
    for (const block of blocks) {
      const members = graph.nodes.filter((n) => n.parent === block.id);
      assert.deepEqual(
        members.map((m) => m.type),
        block.line === 37 ? ['Conv2D', 'Conv2D', 'Add', 'Activation'] : ['Conv2D', 'Conv2D', 'Conv2D', 'Add', 'Activation'],
      );
      assert.equal(
        block.params,
        members.reduce((n, m) => n + m.params!, 0),
      );
      assert.equal(
        block.macs,
        members.reduce((n, m) => n + m.macs!, 0),
      );
    }
    // Layers the builder makes itself are in no group.
    assert.equal(graph.nodes.find((n) => n.name === 'conv2d_1')!.parent, undefined);
    assert.equal(model.layers.filter((l) => l.block).length, 9);
    // A loop body that makes several layers: one group per pass.
    const looped = analyzeSource(
      'loop.ts',
      `import * as tf from '@tensorflow/tfjs';
const model = tf.sequential();
model.add(tf.layers.dense({ inputShape: [8], units: 8 }));
for (let i = 0; i < 3; i++) {
  model.add(tf.layers.dense({ units: 8 }));
  model.add(tf.layers.dropout({ rate: 0.1 }));
}
`,
    );
    const loopGraph = buildModelGraph(looped.models[0]!, looped.models, looped.diagnostics, 'loop.ts');
    const passes = loopGraph.nodes.filter((n) => n.kind === 'block');
    assert.deepEqual(
      passes.map((p) => `${p.name} · ${p.type}`),
      ['for loop · line 4', 'for loop · line 4', 'for loop · line 4'],
    );
    for (const p of passes) assert.equal(loopGraph.nodes.filter((n) => n.parent === p.id).length, 2);
  });

  it('a Sequential: its implicit input as a node, then a chain', () => {
    const { model, graph } = graphOf('mnistConvnet.ts', 'model');
    assert.equal(graph.nodes.length, model.layers.length + 2);
    assert.equal(graph.edges.length, model.layers.length + 1);
    assert.deepEqual(graph.nodes[0], {
      id: '(input)',
      kind: 'input',
      name: 'input',
      type: 'Input',
      params: null,
      macs: null,
      outputShape: '(None, 28, 28, 1)',
      line: model.line,
      column: model.column,
      useLine: model.line,
    });
    const conv = graph.nodes.find((n) => n.type === 'Conv2D')!;
    assert.equal(conv.params, 320);
    assert.equal(conv.macs, 194688);
    assert.equal(conv.formula, '3×3×1×32 + 32');
    const first = graph.edges.find((e) => e.source === '(input)')!;
    assert.equal(first.target, conv.id);
    assert.equal(first.label, '(None, 28, 28, 1)');
  });

  it('an autoencoder: the encoder and decoder it uses as layers are groups holding their own layers', () => {
    const { result, graph } = graphOf('denseAutoencoder.ts', 'autoencoder');
    const groups = graph.nodes.filter((n) => n.kind === 'model');
    assert.deepEqual(
      groups.map((g) => g.name),
      ['encoder', 'decoder'],
    );
    for (const group of groups) {
      const inner = result.models.find((m) => m.name === group.name)!;
      const children = graph.nodes.filter((n) => n.parent === group.id);
      assert.deepEqual(
        children.map((c) => c.name),
        inner.layers.map((l) => l.name),
      );
      // Inside the group the layers form a chain.
      assert.equal(graph.edges.filter((e) => e.source.startsWith(`${group.id}/`)).length, children.length - 1);
    }
    assert.ok(graph.edges.some((e) => e.source === 'encoder' && e.target === 'decoder' && e.label === '(None, 32)'));
  });

  it('a layer with a shape error: red with the message, the graph drawn around it, unknown shapes as ? with a reason', () => {
    const { result, graph } = graphOf('broken/residualWithoutProjection.ts', 'buildNet');
    const error = result.diagnostics.find((d) => d.severity === 'error')!;
    const bad = graph.nodes.filter((n) => n.error !== undefined);
    assert.equal(bad.length, 1);
    assert.equal(bad[0]!.type, 'Add');
    assert.equal(bad[0]!.error, error.message);
    assert.equal(bad[0]!.outputShape, '?');
    // Layers before the error keep their shapes; edges after it are unknown and say why.
    assert.ok(graph.nodes.filter((n) => n.kind === 'layer' && n.outputShape !== '?').length >= 3);
    const after = graph.edges.filter((e) => e.source === bad[0]!.id);
    assert.ok(after.length > 0);
    for (const e of after) {
      assert.equal(e.label, '?');
      assert.ok(e.reason && e.reason.length > 0, `edge ${e.id} says why its shape is unknown`);
    }
  });

  it('multi-input models: one input node per tf.input, the concatenate takes both', () => {
    const result = analyzeExample('multiInput.ts');
    const model = result.models.find((m) => m.kind === 'functional')!;
    const graph = buildModelGraph(model, result.models, result.diagnostics, 'multiInput.ts');
    const inputs = graph.nodes.filter((n) => n.kind === 'input');
    assert.equal(inputs.length, model.inputShapes!.length);
    assert.ok(inputs.length >= 2);
    const merge = graph.nodes.find((n) => n.type === 'Concatenate')!;
    assert.ok(graph.edges.filter((e) => e.target === merge.id).length >= 2);
  });

  it('node ids are the layer names: stable when an edit changes a number but not the structure', () => {
    const file = path.join(EXAMPLES, 'mnistConvnet.ts');
    const text = fs.readFileSync(file, 'utf8');
    const before = analyzeSource(file, text);
    const after = analyzeSource(file, text.replace('filters: 64', 'filters: 48'));
    assert.notEqual(after.models[0]!.totalParams, before.models[0]!.totalParams);
    const ids = (r: AnalysisResult) => buildModelGraph(r.models[0]!, r.models, r.diagnostics, 'm.ts').nodes.map((n) => n.id);
    assert.deepEqual(ids(after), ids(before));
  });

  it('finds its model again after an edit: same name nearest the old line, else the model at the cursor', () => {
    const models = analyzeExample('denseAutoencoder.ts').models;
    const encoder = models.find((m) => m.name === 'encoder')!;
    const decoder = models.find((m) => m.name === 'decoder')!;
    assert.equal(findModel(models, { name: 'encoder', line: encoder.line + 3 }), encoder);
    assert.equal(findModel(models, { name: 'renamed', line: decoder.line + 1 }), decoder);
    assert.equal(modelAtLine(models, 1), models[0]);
  });

  it('the page: the graph’s root, its script by nonce, workers and images from blobs allowed', () => {
    const html = graphHtml({
      cspSource: 'https://x.vscode-cdn.net',
      nonce: '0123456789abcdef0123',
      scriptUri: 'https://x.vscode-cdn.net/graph.js',
      styleUri: 'https://x.vscode-cdn.net/graph.css',
    });
    assert.match(html, /<main id="model-graph"/);
    assert.match(html, /<script type="module" nonce="0123456789abcdef0123" src="https:\/\/x\.vscode-cdn\.net\/graph\.js">/);
    assert.match(html, /worker-src blob:/);
    assert.match(html, /img-src [^;]*blob:/);
    assert.doesNotMatch(html, /model-lens-panel/);
  });
});
