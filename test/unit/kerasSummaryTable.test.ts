/**
 * The Keras summary table of the MNIST convnet, hard-coded:
 *   Conv2D(32, (3,3), input_shape=(28,28,1)), MaxPooling2D((2,2)),
 *   Conv2D(64, (3,3)), MaxPooling2D((2,2)), Conv2D(64, (3,3)),
 *   Flatten(), Dense(64), Dense(10)
 * as Keras's `model.summary()` prints it, ending in "Total params: 93,322".
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeSource } from '../../src/analysis/analyze';
import { formatCount, formatShape } from '../../src/shared/format';
import type { Shape } from '../../src/analysis/types';

const CONVNET = path.resolve(__dirname, '..', '..', 'examples', 'mnistConvnet.ts');

interface SummaryRow {
  type: string;
  shape: Shape;
  /** The output shape column, as Keras prints it. */
  text: string;
  params: number;
}

const KERAS_TABLE: SummaryRow[] = [
  { type: 'Conv2D', shape: [null, 26, 26, 32], text: '(None, 26, 26, 32)', params: 320 }, // 32x3x3 + 32
  { type: 'MaxPooling2D', shape: [null, 13, 13, 32], text: '(None, 13, 13, 32)', params: 0 },
  { type: 'Conv2D', shape: [null, 11, 11, 64], text: '(None, 11, 11, 64)', params: 18496 }, // 32x64x3x3 + 64
  { type: 'MaxPooling2D', shape: [null, 5, 5, 64], text: '(None, 5, 5, 64)', params: 0 },
  { type: 'Conv2D', shape: [null, 3, 3, 64], text: '(None, 3, 3, 64)', params: 36928 }, // 64x64x3x3 + 64
  { type: 'Flatten', shape: [null, 576], text: '(None, 576)', params: 0 }, // 3x3x64
  { type: 'Dense', shape: [null, 64], text: '(None, 64)', params: 36928 }, // 576x64 + 64
  { type: 'Dense', shape: [null, 10], text: '(None, 10)', params: 650 }, // 64x10 + 10
];
const KERAS_TOTAL = 93322;
const KERAS_TOTAL_TEXT = '93,322';

describe('the MNIST convnet with the Keras summary table (93,322 params)', function () {
  it('the hard-coded table is self-consistent (sums to 93,322)', function () {
    assert.equal(
      KERAS_TABLE.reduce((s, r) => s + r.params, 0),
      KERAS_TOTAL,
    );
    // The parameter formulas.
    assert.equal(32 * 3 * 3 + 32, 320);
    assert.equal(32 * 64 * 3 * 3 + 64, 18496);
    assert.equal(64 * 64 * 3 * 3 + 64, 36928);
    assert.equal(3 * 3 * 64, 576);
    assert.equal(576 * 64 + 64, 36928);
    assert.equal(64 * 10 + 10, 650);
  });

  it('formatShape / formatCount print the Keras text of the table', function () {
    for (const row of KERAS_TABLE) assert.equal(formatShape(row.shape), row.text);
    assert.equal(formatCount(KERAS_TOTAL), KERAS_TOTAL_TEXT);
    for (const row of KERAS_TABLE) assert.equal(formatCount(row.params), row.params.toLocaleString('en-US'));
  });

  it('examples/mnistConvnet.ts analyses to the table', function () {
    const text = fs.readFileSync(CONVNET, 'utf8');
    const result = analyzeSource(CONVNET, text);
    assert.equal(result.models.length, 1, 'one model');
    const model = result.models[0];
    assert.equal(model.kind, 'sequential');
    assert.equal(model.name, 'model');
    assert.deepEqual(
      model.layers.map((l) => ({ type: l.type, shape: l.outputShape, params: l.params })),
      KERAS_TABLE.map((r) => ({ type: r.type, shape: r.shape, params: r.params })),
    );
    assert.deepEqual(
      model.layers.map((l) => formatShape(l.outputShape)),
      KERAS_TABLE.map((r) => r.text),
    );
    assert.equal(model.totalParams, KERAS_TOTAL);
    assert.equal(model.trainableParams, KERAS_TOTAL);
    assert.equal(model.nonTrainableParams, 0);
    assert.equal(formatCount(model.totalParams), KERAS_TOTAL_TEXT);
    assert.deepEqual(
      result.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
  });
});
