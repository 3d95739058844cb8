import * as assert from 'node:assert/strict';
import type { AnalysisResult, ModelResult } from '../../src/analysis/types';
import { formatJson, formatModelTable, formatSummary, hasErrorDiagnostics, toJsonSummary } from '../../src/cliFormat';
import { layerResult } from '../support/results';

const layer = layerResult;

function smallModel(): ModelResult {
  return {
    name: 'model',
    kind: 'sequential',
    line: 3,
    column: 7,
    training: {},
    layers: [
      layer({
        name: 'conv2d_1',
        type: 'Conv2D',
        line: 4,
        column: 11,
        useLine: 4,
        inputShape: [null, 28, 28, 1],
        outputShape: [null, 26, 26, 32],
        params: 320,
        trainableParams: 320,
        formula: '3×3×1×32 + 32',
        macs: 194688,
        outputBytes: 86528,
      }),
      layer({
        name: 'flatten_1',
        type: 'Flatten',
        line: 5,
        column: 11,
        useLine: 5,
        inputShape: [null, 26, 26, 32],
        outputShape: [null, 21632],
        macs: 0,
        outputBytes: 86528,
      }),
    ],
    inputShapes: [[null, 28, 28, 1]],
    outputShapes: [[null, 21632]],
    totalParams: 320,
    trainableParams: 320,
    nonTrainableParams: 0,
    totalMacs: 194688,
    paramBytes: 1280,
  };
}

function resultWith(models: ModelResult[], diagnostics: AnalysisResult['diagnostics'] = []): AnalysisResult {
  return { file: 'src/mnist.ts', models, diagnostics, importsTfjs: true };
}

describe('cliFormat', () => {
  describe('formatModelTable', () => {
    it("prints a 2-layer model like Keras model.summary(), with torchinfo's Mult-Adds column", () => {
      const expected = [
        'Model: "model" (Sequential, line 3)',
        '__________________________________________________________________________',
        ' Layer (type)                Output Shape              Param #   Mult-Adds',
        '==========================================================================',
        ' conv2d_1 (Conv2D)           (None, 26, 26, 32)        320       194,688',
        ' flatten_1 (Flatten)         (None, 21632)             0         0',
        '==========================================================================',
        'Total params: 320',
        'Trainable params: 320',
        'Non-trainable params: 0',
        'Total mult-adds (per sample): 194,688',
        '__________________________________________________________________________',
      ].join('\n');
      assert.equal(formatModelTable(smallModel()), expected);
    });

    it('widens the columns for long names and shapes, keeping two spaces between columns', () => {
      const model: ModelResult = {
        ...smallModel(),
        name: 'encoder',
        kind: 'functional',
        line: 12,
        layers: [
          layer({
            name: 'a_really_long_layer_name',
            type: 'BatchNormalization',
            outputShape: [null, 1024, 1024, 1024, 3],
            params: 1234567,
            trainableParams: 1234567,
          }),
        ],
        totalParams: 1234567,
        trainableParams: 1234567,
      };
      const lines = formatModelTable(model).split('\n');
      assert.equal(lines[0], 'Model: "encoder" (Functional, line 12)');
      const row = lines[4];
      const name = ' a_really_long_layer_name (BatchNormalization)';
      const shape = '(None, 1024, 1024, 1024, 3)';
      assert.equal(row, `${name}  ${shape}  1234567   ?`);
      const width = lines[1].length;
      assert.equal(width, name.length + 2 + shape.length + 2 + 10 + 9);
      assert.equal(lines[3], '='.repeat(width));
      assert.equal(lines[2].indexOf('Output Shape'), name.length + 2);
      assert.equal(lines[6], 'Total params: 1,234,567');
    });

    it('shows unknown shapes and counts as ?', () => {
      const model: ModelResult = {
        ...smallModel(),
        layers: [layer({ name: 'dense_1', type: 'Dense', params: null, trainableParams: null })],
        totalParams: null,
        trainableParams: null,
        nonTrainableParams: null,
      };
      const lines = formatModelTable(model).split('\n');
      assert.equal(lines[4], ' dense_1 (Dense)             ?                         ?         ?');
      assert.deepEqual(lines.slice(6, 9), ['Total params: ?', 'Trainable params: ?', 'Non-trainable params: ?']);
    });

    it('prints several outputs as a list', () => {
      const model: ModelResult = {
        ...smallModel(),
        layers: [
          layer({
            name: 'lstm_1',
            type: 'LSTM',
            outputShape: [
              [null, 8],
              [null, 8],
            ],
          }),
        ],
      };
      assert.match(formatModelTable(model), /^ lstm_1 \(LSTM\) +\[\(None, 8\), \(None, 8\)\] +0 +\?$/m);
    });
  });

  describe('formatSummary', () => {
    it('prints tables separated by a blank line, then sorted diagnostics', () => {
      const second: ModelResult = { ...smallModel(), name: 'other', line: 20 };
      const text = formatSummary(
        resultWith(
          [smallModel(), second],
          [
            { line: 9, column: 3, endLine: 9, endColumn: 8, severity: 'warning', message: 'later' },
            { line: 5, column: 1, endLine: 5, endColumn: 4, severity: 'error', message: 'bad shape' },
          ],
        ),
      );
      const blocks = text.split('\n\n');
      assert.equal(blocks.length, 3);
      assert.equal(blocks[0], formatModelTable(smallModel()));
      assert.equal(blocks[1], formatModelTable(second));
      assert.equal(blocks[2], 'src/mnist.ts:5:1: error: bad shape\nsrc/mnist.ts:9:3: warning: later\n');
    });

    it('names the file as given and says when there are no models', () => {
      assert.equal(formatSummary(resultWith([]), 'mnist.ts'), 'No TensorFlow.js models found in mnist.ts.\n');
      assert.match(formatSummary({ ...resultWith([]), importsTfjs: false }), /does not import @tensorflow\/tfjs/);
    });
  });

  it('hasErrorDiagnostics looks only at errors', () => {
    const d = { line: 1, column: 1, endLine: 1, endColumn: 2, message: 'm' };
    assert.equal(hasErrorDiagnostics(resultWith([], [{ ...d, severity: 'warning' }])), false);
    assert.equal(hasErrorDiagnostics(resultWith([], [{ ...d, severity: 'info' }])), false);
    assert.equal(hasErrorDiagnostics(resultWith([], [{ ...d, severity: 'error' }])), true);
  });

  describe('JSON projection', () => {
    const diagnostic = {
      line: 5,
      column: 1,
      endLine: 5,
      endColumn: 4,
      severity: 'error' as const,
      message: 'bad shape',
    };

    it('has exactly the public keys, internal fields dropped', () => {
      const json = toJsonSummary(resultWith([smallModel()], [diagnostic]));
      assert.deepEqual(Object.keys(json), ['file', 'models', 'diagnostics']);
      assert.deepEqual(Object.keys(json.models[0]), [
        'name',
        'line',
        'kind',
        'layers',
        'totalParams',
        'trainableParams',
        'nonTrainableParams',
        'totalMacs',
        'paramBytes',
        'incomplete',
      ]);
      assert.deepEqual(Object.keys(json.models[0].layers[0]), [
        'name',
        'type',
        'line',
        'outputShape',
        'params',
        'trainableParams',
        'macs',
        'outputBytes',
      ]);
      assert.deepEqual(Object.keys(json.diagnostics[0]), ['line', 'column', 'severity', 'message']);
    });

    it('round-trips through JSON text with the expected values', () => {
      const parsed: unknown = JSON.parse(formatJson(resultWith([smallModel()], [diagnostic])));
      assert.deepEqual(parsed, {
        file: 'src/mnist.ts',
        models: [
          {
            name: 'model',
            line: 3,
            kind: 'sequential',
            layers: [
              {
                name: 'conv2d_1',
                type: 'Conv2D',
                line: 4,
                outputShape: [null, 26, 26, 32],
                params: 320,
                trainableParams: 320,
                macs: 194688,
                outputBytes: 86528,
              },
              {
                name: 'flatten_1',
                type: 'Flatten',
                line: 5,
                outputShape: [null, 21632],
                params: 0,
                trainableParams: 0,
                macs: 0,
                outputBytes: 86528,
              },
            ],
            totalParams: 320,
            trainableParams: 320,
            nonTrainableParams: 0,
            totalMacs: 194688,
            paramBytes: 1280,
            incomplete: null,
          },
        ],
        diagnostics: [{ line: 5, column: 1, severity: 'error', message: 'bad shape' }],
      });
    });

    it('prints shapes on one line and is otherwise JSON.stringify(…, 2)', () => {
      const model = smallModel();
      model.layers[1].outputShape = [
        [null, 8],
        [null, 4],
      ];
      const r = resultWith([model, { ...smallModel(), layers: [] }], [diagnostic]);
      const text = formatJson(r);
      assert.ok(text.endsWith('}\n'));
      assert.ok(text.includes('"outputShape": [null, 26, 26, 32],'), text);
      assert.ok(text.includes('"outputShape": [[null, 8], [null, 4]],'), text);
      assert.ok(text.includes('"layers": [],'), text);
      const compact = (s: string) => s.replace(/\s+/g, '');
      assert.equal(compact(text), compact(JSON.stringify(toJsonSummary(r), null, 2)));
      assert.deepEqual(JSON.parse(text), toJsonSummary(r));
      assert.equal(formatJson(resultWith([])), '{\n  "file": "src/mnist.ts",\n  "models": [],\n  "diagnostics": []\n}\n');
    });

    it('keeps unknowns as null and copies shapes', () => {
      const model = smallModel();
      model.layers[0].outputShape = null;
      model.layers[1].outputShape = [
        [null, 8],
        [null, 4],
      ];
      model.layers[1].params = null;
      const json = toJsonSummary(resultWith([model]));
      assert.equal(json.models[0].layers[0].outputShape, null);
      assert.deepEqual(json.models[0].layers[1].outputShape, [
        [null, 8],
        [null, 4],
      ]);
      assert.notEqual(json.models[0].layers[1].outputShape, model.layers[1].outputShape);
      assert.ok(formatJson(resultWith([model])).includes('"params": null'));
    });
  });
});
