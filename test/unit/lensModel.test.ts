import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { formatModelTable } from '../../src/cliFormat';
import type { AnalysisResult, LayerResult, ModelResult } from '../../src/analysis/types';
import {
  NEXT_CALL_SITE_COMMAND_ID,
  SET_ASSUMPTION_COMMAND_ID,
  SHOW_GRAPH_COMMAND_ID,
  TRAIN_COMMAND_ID,
  computeLenses,
  hoverMarkdownAt,
  layerHoverMarkdown,
  layerLensTitle,
  modelHoverMarkdown,
  modelLensTitle,
} from '../../src/host/lensModel';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeSource } from '../../src/analysis/analyze';
import { layerResult } from '../support/results';

const URI = 'file:///work/mnist.ts';

/** Layers of the tests sit at column 3 unless told. */
function layer(overrides: Partial<LayerResult> & Pick<LayerResult, 'name' | 'type' | 'line'>): LayerResult {
  return layerResult({ column: 3, ...overrides });
}

const conv = layer({
  name: 'conv2d_1',
  type: 'Conv2D',
  line: 4,
  column: 11,
  inputShape: [null, 28, 28, 1],
  outputShape: [null, 26, 26, 32],
  params: 320,
  trainableParams: 320,
  formula: '3×3×1×32 + 32',
});

const dense = layer({
  name: 'dense_1',
  type: 'Dense',
  line: 6,
  column: 11,
  inputShape: [null, 21632],
  outputShape: [null, 10],
  params: 216330,
  trainableParams: 216330,
  formula: '21632×10 + 10',
});

function sequential(layers: LayerResult[], overrides: Partial<ModelResult> = {}): ModelResult {
  return {
    name: 'model',
    kind: 'sequential',
    line: 3,
    column: 7,
    training: {},
    layers,
    inputShapes: [[null, 28, 28, 1]],
    outputShapes: [[null, 10]],
    totalParams: 93322,
    trainableParams: 93322,
    nonTrainableParams: 0,
    ...overrides,
  };
}

function result(models: ModelResult[]): AnalysisResult {
  return { file: '/work/mnist.ts', models, diagnostics: [], importsTfjs: true };
}

describe('lensModel', () => {
  it('an empty Sequential shows no count: tfjs throws when asked to count it', () => {
    const source = "import * as tf from '@tensorflow/tfjs';\nconst model = tf.sequential();\nexport { model };\n";
    const [model] = analyzeSource('/work/empty.ts', source).models;
    assert.throws(() => tf.sequential().countParams(), /model is empty/);
    assert.equal(model!.totalParams, null);
    assert.equal(model!.totalMacs, null);
    assert.equal(modelLensTitle(model!), 'Sequential · no layers yet (tfjs cannot build an empty model)');
    assert.match(formatModelTable(model!), /^No layers yet: tfjs cannot build \(or count\) an empty Sequential model$/m);
  });

  it('says on the Train lens which error to fix first', () => {
    const broken = sequential([conv, dense], { totalParams: null });
    const r: AnalysisResult = {
      ...result([broken]),
      diagnostics: [{ line: 6, column: 11, endLine: 6, endColumn: 16, severity: 'error', message: 'bad' }],
    };
    const train = computeLenses(r, URI).find((l) => l.command?.id === TRAIN_COMMAND_ID);
    assert.equal(train?.title, '▶ Train (fix line 6 first)');
    assert.equal(computeLenses(result([broken]), URI).find((l) => l.command?.id === TRAIN_COMMAND_ID)?.title, '▶ Train');
  });

  describe('builders shown for a call in another file', () => {
    it('says which call, and switches when there are several', () => {
      const shown = sequential([conv], { callSite: { label: 'src/train.js:6', function: 'createModel', index: 1, count: 3 } });
      assert.match(modelLensTitle(shown), / · for src\/train\.js:6$/);
      const next = computeLenses(result([shown]), URI).find((l) => l.command?.id === NEXT_CALL_SITE_COMMAND_ID);
      assert.equal(next?.title, 'Show for another call (2 of 3)');
      assert.deepEqual(next?.command?.args, [URI, 'createModel']);
      const single = sequential([conv], { callSite: { label: 'src/train.js:6', function: 'createModel', index: 0, count: 1 } });
      assert.equal(
        computeLenses(result([single]), URI).find((l) => l.command?.id === NEXT_CALL_SITE_COMMAND_ID),
        undefined,
      );
    });
  });

  describe('values the user states', () => {
    it('offers to set the parameters a model needs, and says what it assumes', () => {
      const open = sequential([layer({ name: 'dense_1', type: 'Dense', line: 4, outputShape: null, params: null })], {
        totalParams: null,
        openParameters: ['createModel.h', 'createModel.w'],
      });
      const lenses = computeLenses(result([open]), URI);
      const set = lenses.find((l) => l.command?.id === SET_ASSUMPTION_COMMAND_ID);
      assert.equal(set?.title, 'Set values for h, w…');
      assert.deepEqual(set?.command?.args, [URI, ['createModel.h', 'createModel.w']]);
      assert.match(modelHoverMarkdown(open), /\[Set values for h, w…\]\(command:modelLens\.setAssumption\?/);

      const assumed = sequential([conv], {
        assumptions: [
          { key: 'createModel.h', value: 9 },
          { key: 'createModel.shape', value: [28, 28, 1] },
        ],
      });
      assert.match(modelLensTitle(assumed), / · assuming h = 9, shape = \[28,28,1\]$/);
      const change = computeLenses(result([assumed]), URI).find((l) => l.command?.id === SET_ASSUMPTION_COMMAND_ID);
      assert.equal(change?.title, 'Change assumed values…');
      assert.deepEqual(change?.command?.args, [URI, ['createModel.h', 'createModel.shape']]);
    });
  });

  describe('titles', () => {
    it('layer: shape · params', () => {
      assert.equal(layerLensTitle(conv), '(None, 26, 26, 32) · 320 params');
      assert.equal(layerLensTitle(dense), '(None, 10) · 216,330 params');
    });

    it('layer with unknown shape: ? · unknown: <reason>', () => {
      const unknown = layer({ name: 'd', type: 'Dense', line: 1, params: null, unknownReason: 'units is not a constant' });
      assert.equal(layerLensTitle(unknown), '? · unknown: units is not a constant');
      assert.equal(layerLensTitle({ ...unknown, unknownReason: undefined }), '? · unknown');
    });

    it('model: kind · params (trainable)', () => {
      assert.equal(modelLensTitle(sequential([])), 'Sequential · 93,322 params (93,322 trainable)');
      assert.equal(
        modelLensTitle(sequential([], { kind: 'functional', totalParams: 1000, trainableParams: 900 })),
        'Functional · 1,000 params (900 trainable)',
      );
      assert.equal(
        modelLensTitle(sequential([conv, dense], { totalParams: null, trainableParams: null })),
        'Sequential · ? params',
      );
    });

    it('model: an incomplete model says where its layers are not known', () => {
      const incomplete = 'layers added inside the `switch (rnnType)` on line 41 are not known';
      const m = sequential([], { totalParams: null, trainableParams: null, nonTrainableParams: null, incomplete });
      assert.equal(modelLensTitle(m), `Sequential · ? params · incomplete: ${incomplete}`);
      assert.match(modelHoverMarkdown(m), /Incomplete: layers added inside the \\`switch \(rnnType\)\\` on line 41/);
    });
  });

  describe('computeLenses', () => {
    it('puts an info lens, a Train lens and a Graph lens above each model and one lens above each layer', () => {
      const lenses = computeLenses(result([sequential([conv, dense])]), URI);
      assert.deepEqual(lenses, [
        { line: 3, column: 7, title: 'Sequential · 93,322 params (93,322 trainable)' },
        {
          line: 3,
          column: 7,
          title: '▶ Train',
          command: { id: TRAIN_COMMAND_ID, args: [URI, 'model', 3] },
        },
        { line: 3, column: 7, title: '⎇ Graph', command: { id: SHOW_GRAPH_COMMAND_ID, args: [URI, 'model', 3] } },
        { line: 4, column: 11, title: '(None, 26, 26, 32) · 320 params' },
        { line: 6, column: 11, title: '(None, 10) · 216,330 params' },
      ]);
      assert.equal(TRAIN_COMMAND_ID, 'modelLens.trainModel');
    });

    it('labels functional models', () => {
      const lenses = computeLenses(result([sequential([], { kind: 'functional', name: 'net', line: 9 })]), URI);
      assert.match(lenses[0].title, /^Functional · /);
      assert.deepEqual(lenses[1].command, { id: TRAIN_COMMAND_ID, args: [URI, 'net', 9] });
    });

    it('joins layers on the same line with " | "', () => {
      const a = layer({ name: 'a', type: 'Dense', line: 5, column: 20, outputShape: [null, 4], params: 20 });
      const b = layer({ name: 'b', type: 'Dense', line: 5, column: 8, outputShape: [null, 2], params: 10 });
      const lenses = computeLenses(result([sequential([a, b])]), URI);
      assert.deepEqual(lenses[3], { line: 5, column: 8, title: '(None, 4) · 20 params | (None, 2) · 10 params' });
      assert.equal(lenses.length, 4);
    });

    it('counts identical layers on one line (a loop, a helper) instead of repeating them', () => {
      const loop = [8, 8, 8, 4].map((units, i) =>
        layer({ name: `dense_${i}`, type: 'Dense', line: 7, outputShape: [null, units], params: units * 9 }),
      );
      const lens = computeLenses(result([sequential(loop)]), URI)[3];
      assert.equal(lens.title, '(None, 8) · 72 params ×3 | (None, 4) · 36 params');
    });

    it('caps a line with many distinct layers', () => {
      const many = Array.from({ length: 10 }, (_, i) =>
        layer({ name: `dense_${i}`, type: 'Dense', line: 7, outputShape: [null, i + 1], params: 72 }),
      );
      const lens = computeLenses(result([sequential(many)]), URI)[3];
      assert.equal(lens.title.split(' | ').length, 7);
      assert.match(lens.title, /^\(None, 1\) · 72 params \| /);
      assert.match(lens.title, /… \+4 more$/);
    });

    it('skips nested-model layer entries (the nested model has its own lens)', () => {
      const inner = sequential([dense], { name: 'encoder', line: 2, column: 1 });
      const nested = layer({
        name: 'encoder',
        type: 'Sequential',
        line: 2,
        useLine: 12,
        outputShape: [null, 10],
        params: 216330,
      });
      const outer = sequential([nested], { name: 'outer', line: 11, column: 1 });
      const lenses = computeLenses(result([inner, outer]), URI);
      assert.deepEqual(
        lenses.map((l) => [l.line, l.title]),
        [
          [2, 'Sequential · 93,322 params (93,322 trainable)'],
          [2, '▶ Train'],
          [2, '⎇ Graph'],
          [6, '(None, 10) · 216,330 params'],
          [11, 'Sequential · 93,322 params (93,322 trainable)'],
          [11, '▶ Train'],
          [11, '⎇ Graph'],
        ],
      );
    });

    it('shows a layer shared by two models once', () => {
      const lenses = computeLenses(
        result([sequential([dense], { name: 'a', line: 1 }), sequential([dense], { name: 'b', line: 2 })]),
        URI,
      );
      assert.equal(lenses.filter((l) => l.line === dense.line).length, 1);
    });

    it('returns nothing for a file without models', () => {
      assert.deepEqual(computeLenses(result([]), URI), []);
    });
  });

  describe('hovers', () => {
    it('layer hover: name, shapes in → out, formula', () => {
      const md = layerHoverMarkdown(conv);
      assert.ok(md.includes('**conv2d_1** (Conv2D)'), md);
      assert.ok(md.includes('(None, 28, 28, 1) → (None, 26, 26, 32)'), md);
      assert.ok(md.includes('3×3×1×32 + 32 = 320'), md);
      assert.doesNotMatch(md, /Non-trainable/);
    });

    it('layer hover: trainable split when some weights are non-trainable', () => {
      const bn = layer({
        name: 'batch_normalization_1',
        type: 'BatchNormalization',
        line: 8,
        inputShape: [null, 26, 26, 32],
        outputShape: [null, 26, 26, 32],
        params: 128,
        trainableParams: 64,
        formula: '4×32',
      });
      const md = layerHoverMarkdown(bn);
      assert.ok(md.includes('4×32 = 128'), md);
      assert.ok(md.includes('Trainable: 64 · Non-trainable: 64'), md);
    });

    it('layer hover: unknown shape and params', () => {
      const md = layerHoverMarkdown(
        layer({
          name: 'd',
          type: 'Dense',
          line: 1,
          params: null,
          trainableParams: null,
          formula: null,
          unknownReason: 'units is not a constant',
        }),
      );
      assert.ok(md.includes('? → ?'), md);
      assert.ok(md.includes('units is not a constant'), md);
      assert.ok(md.includes('Parameters: unknown'), md);
    });

    it('layer hover of a layer with a shape error: the input shape it got, and the error itself', () => {
      const analyze = (file: string): AnalysisResult => {
        const full = path.resolve(__dirname, '..', '..', 'examples', 'broken', file);
        return analyzeSource(full, readFileSync(full, 'utf8'));
      };
      // The second LSTM gets the first one's last state, (None, 64), not a sequence.
      const lstm = analyze('stackedLstmWithoutReturnSequences.ts');
      const hover = hoverMarkdownAt(lstm, 16) ?? '';
      assert.match(hover, /^\*\*lstm_2\*\* \(LSTM\)/);
      assert.ok(hover.includes('`(None, 64) → ?`'), hover);
      assert.ok(hover.includes('Output shape unknown: lstm expects a 3D input'), hover);
      assert.ok(hover.includes('expected ndim=3, found ndim=2'), hover);
      // The layer after it has no input shape to show: it names the layer with the error.
      const dense = hoverMarkdownAt(lstm, 17) ?? '';
      assert.ok(dense.includes('`? → ?`'), dense);
      assert.ok(dense.includes('Output shape unknown: \\`lstm_2\\` has a shape error'), dense);
      // A layer of several inputs lists them: the unprojected shortcut's add.
      const residual = analyze('residualWithoutProjection.ts');
      const add = residual.models[0]!.layers.find((l) => l.name === 'add_2')!;
      assert.deepEqual(add.inputShape, [
        [null, 32, 32, 32],
        [null, 32, 32, 64],
      ]);
      assert.equal(add.outputShape, null);
      assert.ok(layerHoverMarkdown(add).includes('`[(None, 32, 32, 32), (None, 32, 32, 64)] → ?`'));
      assert.match(layerHoverMarkdown(add), /sizes 32 and 64 differ/);
    });

    it('hoverMarkdownAt finds layers by creation or use line, and models by their line', () => {
      const applied = { ...dense, useLine: 9 };
      const r = result([sequential([conv, applied])]);
      assert.ok(hoverMarkdownAt(r, 4)?.includes('**conv2d_1**'));
      assert.ok(hoverMarkdownAt(r, 6)?.includes('**dense_1**'));
      assert.ok(hoverMarkdownAt(r, 9)?.includes('**dense_1**'));
      assert.match(hoverMarkdownAt(r, 3) ?? '', /^\*\*model\*\* \(Sequential\) · 93,322 params · 2 layers/);
      assert.ok(hoverMarkdownAt(r, 3)?.includes('(None, 28, 28, 1) → (None, 10)'));
      assert.equal(hoverMarkdownAt(r, 5), null);
    });
  });
});
