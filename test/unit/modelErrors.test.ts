/**
 * Train on a model with an error diagnostic: which errors stop which model (the real analysis
 * of the broken examples and fixtures), and the refusal that names the line.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { analyzeSource } from '../../src/analysis/analyze';
import type { AnalysisResult, ModelResult } from '../../src/analysis/types';
import { errorRefusal, modelErrors, revealLabel } from '../../src/host/training/modelErrors';
import { modelLineRanges, parseSource } from '../../src/host/training/sourceModels';

const ROOT = path.join(__dirname, '..', '..');

function analyze(
  relative: string,
  text = readFileSync(path.join(ROOT, relative), 'utf8'),
): { result: AnalysisResult; errorsOf: (name: string) => ReturnType<typeof modelErrors> } {
  const file = path.join(ROOT, relative);
  const result = analyzeSource(file, text);
  const ranges = modelLineRanges(parseSource(file, text), result.models);
  const errorsOf = (name: string): ReturnType<typeof modelErrors> => {
    const model = result.models.find((m) => m.name === name);
    assert.ok(model, `no model ${name}`);
    return modelErrors(model, result.models, result.diagnostics, ranges[result.models.indexOf(model)]);
  };
  return { result, errorsOf };
}

const modelNamed = (result: AnalysisResult, name: string): ModelResult => result.models.find((m) => m.name === name)!;

describe('modelErrors: the errors that stop a model from training', () => {
  it('a conv stack that shrinks to nothing: the error on the 4th conv2d’s line (23), in the refusal with its message', () => {
    const { result, errorsOf } = analyze('examples/broken/convStackShrinksToZero.ts');
    const errors = errorsOf('tooDeep');
    assert.equal(errors.length, 1);
    assert.equal(errors[0]!.line, 23);
    const text = errorRefusal(modelNamed(result, 'tooDeep'), errors);
    assert.match(text, /^Model Lens: fix the error on line 23 to train "tooDeep": Negative dimension size in conv2d/);
    assert.doesNotMatch(text, /unknown to the analysis/);
    assert.equal(revealLabel(errors[0]!), 'Go to Line 23');
  });

  it('an error inside a helper function the model calls (residual block, line 8) belongs to the model', () => {
    const { errorsOf } = analyze('examples/broken/residualWithoutProjection.ts');
    const errors = errorsOf('buildNet');
    assert.deepEqual(
      errors.map((e) => [e.line, e.column]),
      [[8, 26]],
    );
  });

  it('stacked LSTM without returnSequences, a first layer without inputShape, a disconnected graph', () => {
    assert.deepEqual(
      analyze('examples/broken/stackedLstmWithoutReturnSequences.ts')
        .errorsOf('deepLstm')
        .map((e) => e.line),
      [16],
    );
    assert.deepEqual(
      analyze('test/fixtures/broken/noInputShape.ts')
        .errorsOf('model')
        .map((e) => e.line),
      [6],
    );
    assert.deepEqual(
      analyze('test/fixtures/broken/graphDisconnected.ts')
        .errorsOf('matcher')
        .map((e) => e.line),
      [11],
    );
  });

  it('only the broken model of a file is refused: encoder and decoder train, the Sequential that stacks them does not', () => {
    const { errorsOf } = analyze('test/fixtures/broken/sequentialMultiOutput.ts');
    assert.deepEqual(errorsOf('encoder'), []);
    assert.deepEqual(errorsOf('decoder'), []);
    assert.deepEqual(
      errorsOf('vae').map((e) => e.line),
      [14],
    );
  });

  it('a model without errors in a file with an error elsewhere is not refused; the broken one is, and counts its errors', () => {
    const text = [
      "import * as tf from '@tensorflow/tfjs';",
      'export const good = tf.sequential();',
      'good.add(tf.layers.dense({ units: 4, inputShape: [3] }));',
      'export const bad = tf.sequential();',
      'bad.add(tf.layers.conv2d({ filters: 2, kernelSize: 5, inputShape: [3, 3, 1] }));',
      'bad.add(tf.layers.dense({ units: 2, activityRegularizer: tf.regularizers.l2() }));',
      '',
    ].join('\n');
    const { result, errorsOf } = analyze('test/fixtures/inline.ts', text);
    assert.deepEqual(errorsOf('good'), []);
    const errors = errorsOf('bad');
    assert.deepEqual(
      errors.map((e) => e.line),
      [5, 6],
      'the error that breaks the shapes first; infos are left out',
    );
    assert.match(
      errorRefusal(modelNamed(result, 'bad'), errors),
      /^Model Lens: fix the error on line 5 to train "bad" \(and 1 more error\): Negative dimension/,
    );
  });

  it('models of the examples that train have no errors', () => {
    for (const file of ['examples/mnistConvnet.ts', 'examples/lstm.ts', 'examples/variationalAutoencoder.ts']) {
      const { result, errorsOf } = analyze(file);
      for (const model of result.models) assert.deepEqual(errorsOf(model.name), [], `${file}: ${model.name}`);
    }
  });
});
