/**
 * Self-test of the tfjs oracle (test/support/oracle.ts), so that the fixture
 * comparison stands on tested ground.
 */
import * as assert from 'node:assert/strict';
import * as os from 'os';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { runOracle } from '../support/oracle';

const FIXTURES = path.resolve(__dirname, '..', 'fixtures');
const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
/** Virtual source files (the text is passed in; nothing is written there). */
const virtual = (name: string): string => path.join(os.tmpdir(), 'model-lens-oracle-selftest', name);

describe('oracle (real tfjs on a fixture)', function () {
  it('reads the MNIST convnet: lines, shapes, 93,322 params', function () {
    const r = runOracle(path.join(EXAMPLES, 'mnistConvnet.ts'));
    assert.deepEqual(r.errors, []);
    assert.equal(r.models.length, 1);
    const m = r.models[0];
    assert.equal(m.line, 5);
    assert.equal(m.className, 'Sequential');
    assert.equal(m.kind, 'sequential');
    assert.deepEqual(
      m.layers.map((l) => [l.line, l.type, l.outputShape, l.params, l.trainableParams]),
      [
        [6, 'Conv2D', [null, 26, 26, 32], 320, 320],
        [7, 'MaxPooling2D', [null, 13, 13, 32], 0, 0],
        [8, 'Conv2D', [null, 11, 11, 64], 18496, 18496],
        [9, 'MaxPooling2D', [null, 5, 5, 64], 0, 0],
        [10, 'Conv2D', [null, 3, 3, 64], 36928, 36928],
        [11, 'Flatten', [null, 576], 0, 0],
        [12, 'Dense', [null, 64], 36928, 36928],
        [13, 'Dense', [null, 10], 650, 650],
      ],
    );
    assert.equal(m.totalParams, 93322);
    assert.equal(m.trainableParams, 93322);
    assert.equal(m.nonTrainableParams, 0);
    assert.ok(
      r.output.some((line) => line.includes('Total params: 93322')),
      'model.summary() output is captured',
    );
    assert.ok(r.ms < 20000, `oracle took ${r.ms} ms`);
  });

  it('puts lines on the factory identifier, across multi-line calls and import styles', function () {
    const text = [
      "import { layers, sequential, input, model } from '@tensorflow/tfjs';", // 1
      "import * as tf from '@tensorflow/tfjs';", // 2
      "import * as tfl from '@tensorflow/tfjs-layers';", // 3
      '', // 4
      'export function build() {', // 5
      '  const seq =', // 6
      '    sequential({', // 7
      '      layers: [', // 8
      '        layers.dense({', // 9
      '          units: 4,', // 10
      '          inputShape: [3],', // 11
      '        }),', // 12
      '        tf', // 13
      '          .layers', // 14
      '          .dense({ units: 2 }),', // 15
      '      ],', // 16
      '    });', // 17
      '  const x = input({ shape: [3] });', // 18
      '  const h = tfl.layers.dense({ units: 4 })', // 19
      '    .apply(x) as tf.SymbolicTensor;', // 20
      '  const fn = tf.', // 21
      '    model({ inputs: x, outputs: h });', // 22
      '  return [seq, fn];', // 23
      '}', // 24
    ].join('\n');
    const r = runOracle(virtual('positions.ts'), { text });
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.called, ['build']);
    assert.deepEqual(
      r.models.map((m) => [m.line, m.kind, m.layers.map((l) => [l.line, l.type])]),
      [
        [
          7,
          'sequential',
          [
            [9, 'Dense'],
            [15, 'Dense'],
          ],
        ],
        [
          22,
          'functional',
          [
            [18, 'InputLayer'],
            [19, 'Dense'],
          ],
        ],
      ],
    );
  });

  it('calls exported zero-argument functions the file does not call, and dedupes models by line', function () {
    const text = [
      "import * as tf from '@tensorflow/tfjs';", // 1
      'export function make(units = 3) {', // 2
      '  const m = tf.sequential();', // 3
      '  m.add(tf.layers.dense({ units, inputShape: [2] }));', // 4
      '  return m;', // 5
      '}', // 6
      'export function helper(x: tf.SymbolicTensor) {', // 7
      '  return tf.layers.dense({ units: 1 }).apply(x);', // 8
      '}', // 9
      'export const twice = () => [make(), make(5)];', // 10
      'const topLevel = make(7);', // 11
      'export { topLevel };', // 12
    ].join('\n');
    const r = runOracle(virtual('calls.ts'), { text });
    assert.deepEqual(r.errors, []);
    // make() is called by the file itself, helper needs an argument.
    assert.deepEqual(r.called, ['twice']);
    assert.equal(r.models.length, 1, 'three make() calls, one creation line');
    assert.equal(r.models[0].line, 3);
    assert.deepEqual(r.models[0].layers[0].outputShape, [null, 7], 'the first model created at that line is kept');
  });

  it('attributes a thrown tfjs error to the innermost fixture line', function () {
    const r = runOracle(path.join(EXAMPLES, 'broken', 'residualWithoutProjection.ts'));
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].line, 8);
    assert.equal(r.errors[0].silent, false);
    assert.match(r.errors[0].message, /Operands could not be broadcast together with shapes/);
  });

  it('flags silent zero-size outputs and bad reshapes, once, on the layer that causes them', function () {
    const pool = runOracle(path.join(FIXTURES, 'broken', 'poolToZero.ts'));
    assert.deepEqual(
      pool.errors.map((e) => [e.line, e.silent]),
      [[10, true]],
    );
    assert.deepEqual(pool.models[0].layers[4].outputShape, [null, 0, 0, 16]);
    const reshape = runOracle(path.join(FIXTURES, 'broken', 'reshapeMismatch.ts'));
    assert.deepEqual(
      reshape.errors.map((e) => [e.line, e.silent]),
      [[8, true]],
    );
  });

  it('mirrors tfjs quirks: nested one-layer Sequential, InputLayer kept by Sequential', function () {
    const lin = runOracle(path.join(FIXTURES, 'models', 'linearAutoencoder.ts'));
    assert.deepEqual(
      lin.models[2].layers.map((l) => [l.type, l.line, l.outputShape, l.params]),
      [
        ['Sequential', 12, [null, 2], 8],
        ['Sequential', 13, [null, 3], 9],
      ],
    );
    const norm = runOracle(path.join(FIXTURES, 'models', 'normalization.ts'));
    assert.equal(norm.models[0].layers[0].type, 'InputLayer');
    assert.equal(norm.models[0].nonTrainableParams, 192);
  });

  it('is quick on VGG16 (138M params) and disposes what it creates', function () {
    const before = tf.memory().numTensors;
    const r = runOracle(path.join(FIXTURES, 'models', 'vgg16.ts'));
    assert.equal(r.models[0].totalParams, 138357544);
    assert.ok(r.ms < 10000, `VGG16 took ${r.ms} ms`);
    assert.equal(tf.memory().numTensors, before, 'tensors leaked');
  });
});
