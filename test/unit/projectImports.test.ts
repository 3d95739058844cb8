/**
 * Imports across a project's files: every import form reads the imported module with the same
 * evaluator (in-memory projects here), and what cannot be read is unknown with the reason.
 * Two cases also run with the real tfjs, the imported module given to it as it is on disk.
 */
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { analyzeSource } from '../../src/analysis/analyze';
import { createModuleHost } from '../../src/analysis/project/moduleResolver';
import type { AnalysisResult, ModelResult } from '../../src/analysis/types';
import { assertSoundAgainstTfjs } from '../support/soundCompare';

const TF = "import * as tf from '@tensorflow/tfjs';\n";

/** Analyses `/p/<main>` of an in-memory project. */
function analyzeProject(files: Record<string, string>, main = 'src/main.ts'): AnalysisResult {
  const abs = new Map(Object.entries(files).map(([k, v]) => [`/p/${k}`, v]));
  const dirs = new Set<string>();
  for (const f of abs.keys()) for (let d = path.posix.dirname(f); d !== '/'; d = path.posix.dirname(d)) dirs.add(d);
  const host = createModuleHost({
    fileExists: (f) => abs.has(f),
    readFile: (f) => abs.get(f),
    directoryExists: (d) => dirs.has(d) || d === '/',
  });
  return analyzeSource(`/p/${main}`, abs.get(`/p/${main}`)!, { modules: host });
}

function only(r: AnalysisResult): ModelResult {
  assert.equal(r.models.length, 1, `models: ${r.models.map((m) => m.line).join(', ')}`);
  return r.models[0]!;
}

const shapes = (m: ModelResult): unknown[] => m.layers.map((l) => l.outputShape);

describe('imports across the project', function () {
  it('ES named, default and namespace imports of constants, objects and functions', function () {
    const r = analyzeProject({
      'src/config.ts':
        'export const HIDDEN = 16;\nexport default { inputs: 8 };\nexport function twice(n: number) { return 2 * n; }\n',
      'src/main.ts': `${TF}import cfg, { HIDDEN as H, twice } from './config';
import * as all from './config';
const m = tf.sequential();
m.add(tf.layers.dense({ units: H, inputShape: [cfg.inputs] }));
m.add(tf.layers.dense({ units: twice(all.HIDDEN) }));`,
    });
    const m = only(r);
    assert.deepEqual(shapes(m), [
      [null, 16],
      [null, 32],
    ]);
    assert.equal(m.totalParams, 8 * 16 + 16 + 16 * 32 + 32);
    assert.deepEqual(r.dependencies, ['/p/src/config.ts']);
  });

  it('a builder from another file: its layers are shown where this file uses them', function () {
    const r = analyzeProject({
      'src/blocks.ts': `${TF}export function block(units: number) { return tf.layers.dense({ units, activation: 'relu' }); }
export function unusedHelper() { const x = tf.sequential(); x.add(tf.layers.dense({ units: 1 })); return x; }\n`,
      'src/main.ts': `${TF}import { block } from './blocks';
const m = tf.sequential();
m.add(tf.layers.dense({ units: 4, inputShape: [3] }));
m.add(block(5));`,
    });
    const m = only(r);
    assert.deepEqual(
      m.layers.map((l) => [l.line, l.outputShape, l.params]),
      [
        [4, [null, 4], 16],
        [5, [null, 5], 25],
      ],
    );
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
  });

  it('layers made and applied by imported helpers are shown at the calls that made them, as tfjs records them', function () {
    const r = analyzeProject({
      'src/blocks.ts': `${TF}export function convBlock(x: tf.SymbolicTensor, filters: number) {
  const y = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same' }).apply(x) as tf.SymbolicTensor;
  return tf.layers.maxPooling2d({ poolSize: 2 }).apply(y) as tf.SymbolicTensor;
}
export class Head {
  out: tf.SymbolicTensor;
  constructor(x: tf.SymbolicTensor) {
    this.out = tf.layers.dense({ units: 3 }).apply(tf.layers.flatten().apply(x)) as tf.SymbolicTensor;
  }
}\n`,
      'src/main.ts': `${TF}import { convBlock, Head } from './blocks';
const input = tf.input({ shape: [8, 8, 1] });
const a = convBlock(input, 4);
const b = convBlock(a, 8);
const head = new Head(b);
export const model = tf.model({ inputs: input, outputs: head.out });`,
    });
    const m = only(r);
    assert.deepEqual(
      m.layers.map((l) => [l.type, l.line]),
      [
        ['InputLayer', 3],
        ['Conv2D', 4],
        ['MaxPooling2D', 4],
        ['Conv2D', 5],
        ['MaxPooling2D', 5],
        ['Flatten', 6],
        ['Dense', 6],
      ],
    );
    assert.equal(m.totalParams, 4 * 9 + 4 + (4 * 9 * 8 + 8) + 2 * 2 * 8 * 3 + 3);
  });

  it('re-exports: `export { } from`, `export *`, `export * as`, a barrel index and `.js` written for `.ts`', function () {
    const r = analyzeProject({
      'src/lib/sizes.ts': 'export const A = 3;\nexport const B = 5;\nexport default 7;\n',
      'src/lib/more.ts': 'export const C = 11;\n',
      'src/lib/index.ts': "export * from './sizes.js';\nexport { C as D } from './more';\nexport * as more from './more';\n",
      'src/main.ts': `${TF}import { A, B, D, more } from './lib';
import * as lib from './lib/index.js';
const m = tf.sequential();
m.add(tf.layers.dense({ units: A + B + D + more.C, inputShape: [1] }));
m.add(tf.layers.dense({ units: (lib as any).default ?? 1 }));`,
    });
    assert.deepEqual(shapes(only(r)), [
      [null, 30],
      [null, 1],
    ]);
  });

  it('CommonJS: module.exports, exports.x, and require of an ES module', function () {
    const r = analyzeProject(
      {
        'src/sizes.js': 'const SIZE = 5;\nmodule.exports = { SIZE, build: (n) => n * 2 };\n',
        'src/extra.js': 'exports.EXTRA = 3;\n',
        'src/esm.ts': 'export default 4;\nexport const E = 6;\n',
        'src/main.js': `const tf = require('@tensorflow/tfjs');
const { SIZE, build } = require('./sizes');
const extra = require('./extra');
const esm = require('./esm');
const m = tf.sequential();
m.add(tf.layers.dense({ units: build(SIZE), inputShape: [extra.EXTRA] }));
m.add(tf.layers.dense({ units: esm.default + esm.E }));`,
      },
      'src/main.js',
    );
    assert.deepEqual(shapes(only(r)), [
      [null, 10],
      [null, 10],
    ]);
  });

  it('tsconfig paths and baseUrl, through `extends`', function () {
    const r = analyzeProject({
      'tsconfig.base.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@cfg/*": ["config/*"] } } }',
      'tsconfig.json': '{ "extends": "./tsconfig.base.json" }',
      'config/model.ts': 'export const UNITS = 12;\n',
      'src/main.ts': `${TF}import { UNITS } from '@cfg/model';
const m = tf.sequential();
m.add(tf.layers.dense({ units: UNITS, inputShape: [2] }));`,
    });
    assert.deepEqual(shapes(only(r)), [[null, 12]]);
  });

  it('a model built in another file, used as a layer here: nested, with its counts; its own lines are not listed here', function () {
    const r = analyzeProject({
      'src/encoder.ts': `${TF}export const encoder = tf.sequential();
encoder.add(tf.layers.dense({ units: 8, inputShape: [16] }));
encoder.add(tf.layers.dense({ units: 2 }));\n`,
      'src/main.ts': `${TF}import { encoder } from './encoder';
const auto = tf.sequential();
auto.add(encoder);
auto.add(tf.layers.dense({ units: 16 }));`,
    });
    const m = only(r);
    assert.equal(m.line, 3);
    assert.deepEqual(
      m.layers.map((l) => [l.type, l.line, l.outputShape, l.params]),
      [
        ['Sequential', 4, [null, 2], 136 + 18],
        ['Dense', 5, [null, 16], 48],
      ],
    );
  });

  it('what cannot be read is unknown with the reason: a missing file, a cycle, a package, a missing export', function () {
    const r = analyzeProject({
      'src/a.ts': "import { B } from './b';\nexport const A = 2;\nexport const fromB = B;\n",
      'src/b.ts': "import { fromB } from './a';\nexport const B = 3;\nexport const back = fromB;\n",
      'src/main.ts': `${TF}import { nothing } from './missing';
import { back, B } from './b';
import { A, notExported } from './a';
import _ from 'lodash';
const m = tf.sequential();
m.add(tf.layers.dense({ units: B + A, inputShape: [1] }));
m.add(tf.layers.dense({ units: nothing }));
const k = tf.sequential();
k.add(tf.layers.dense({ units: back, inputShape: [1] }));
const j = tf.sequential();
j.add(tf.layers.dense({ units: notExported ?? _, inputShape: [1] }));`,
    });
    const [m, k, j] = r.models;
    assert.deepEqual(shapes(m!), [[null, 5], null]);
    assert.match(m!.layers[1]!.unknownReason ?? '', /'\.\/missing' is not a file of the project/);
    assert.equal(k!.layers[0]!.outputShape, null);
    assert.match(k!.layers[0]!.unknownReason ?? '', /import cycle/);
    assert.match(j!.layers[0]!.unknownReason ?? '', /has no export `notExported`/);
    assert.deepEqual(
      r.diagnostics.filter((d) => d.severity === 'error'),
      [],
    );
  });

  it("an imported module's own problems are reported in its file, not in its importers", function () {
    const r = analyzeProject({
      'src/bad.ts': `${TF}export const bad = tf.sequential();
bad.add(tf.layers.dense({ units: 2 }));
export const N = 4;\n`,
      'src/main.ts': `${TF}import { N } from './bad';
const m = tf.sequential();
m.add(tf.layers.dense({ units: N, inputShape: [1] }));`,
    });
    assert.deepEqual(r.diagnostics, []);
    assert.deepEqual(shapes(only(r)), [[null, 4]]);
  });

  it('without a module host (or for a file that imports no tfjs itself) nothing changes', function () {
    const text = `${TF}import { N } from './n';\nconst m = tf.sequential();\nm.add(tf.layers.dense({ units: N, inputShape: [1] }));`;
    assert.equal(analyzeSource('/p/src/main.ts', text).models[0]!.layers[0]!.outputShape, null);
    const r = analyzeProject({
      'src/n.ts': `${TF}export const N = 1;\n`,
      'src/main.ts': "import { N } from './n';\nexport const twice = N * 2;\n",
    });
    assert.equal(r.importsTfjs, false);
  });

  describe('against the real tfjs (the imported module given to it as written)', function () {
    const builder =
      "const tf = require('@tensorflow/tfjs');\nconst HIDDEN = 6;\nfunction makeHead(units) { return tf.layers.dense({ units, activation: 'softmax' }); }\nmodule.exports = { HIDDEN, makeHead };\n";
    it('a CommonJS builder and constant used by an ES module', function () {
      const source = `${TF}import { HIDDEN, makeHead } from './builder';
export const m = tf.sequential();
m.add(tf.layers.dense({ units: HIDDEN, inputShape: [4] }));
m.add(makeHead(3));`;
      const dir = path.join(__dirname, '..', 'fixtures', 'project-imports');
      const file = path.join(dir, 'main.ts');
      const files = new Map([
        [file, source],
        [path.join(dir, 'builder.js'), builder],
      ]);
      const host = createModuleHost({ fileExists: (f) => files.has(f), readFile: (f) => files.get(f) });
      const analysis = analyzeSource(file, source, { modules: host });
      assert.deepEqual(shapes(only(analysis)), [
        [null, 6],
        [null, 3],
      ]);
      assertSoundAgainstTfjs(file, source, { modules: { './builder': builder } });
    });
  });
});
