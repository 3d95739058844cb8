/**
 * What the static evaluator does where tfjs has nothing to say: unknown values and their
 * reasons, model names, import styles, control flow. Shapes themselves are checked against
 * the real tfjs in fixtures.test.ts and layerProperty.test.ts.
 */
import * as assert from 'assert';
import { analyzeSource } from '../../src/analysis/analyze';
import type { AnalysisResult, ModelResult } from '../../src/analysis/types';

function analyze(text: string): AnalysisResult {
  return analyzeSource('model.ts', text);
}

function only(r: AnalysisResult): ModelResult {
  assert.strictEqual(r.models.length, 1, JSON.stringify(r.models.map((m) => m.name)));
  return r.models[0]!;
}

const TF = "import * as tf from '@tensorflow/tfjs';\n";

describe('static evaluation', () => {
  it('says once that models made with a tfjs it cannot know are not shown; not for other libraries', () => {
    const r = analyze(`import { loadTf } from './loader';
import mongoose from 'mongoose';
const tfx = loadTf(process.env.GPU);
export function build(n: number) {
  const m = tfx.sequential();
  m.add(tfx.layers.dense({ units: 4, inputShape: [n] }));
  return m;
}
export const User = mongoose.model('User', {});
`);
    assert.deepStrictEqual(r.models, []);
    const infos = r.diagnostics.filter((d) => d.severity === 'info');
    assert.strictEqual(infos.length, 1, JSON.stringify(infos));
    assert.strictEqual(infos[0]!.line, 5);
    assert.match(
      infos[0]!.message,
      /^`tfx` here looks like TensorFlow\.js but is not known statically \(.*loadTf.*\): the models and layers made with it are not shown\.$/,
    );
    assert.deepStrictEqual(
      analyze(`import mongoose from 'mongoose';\nexport const U = mongoose.model('U', {});\n`).diagnostics,
      [],
    );
  });

  it('follows constants, arithmetic and for loops', () => {
    const r = analyze(`${TF}const IMG = 28;
const widths = [64, 32];
const m = tf.sequential();
m.add(tf.layers.flatten({ inputShape: [IMG, IMG, 1] }));
for (const w of widths) m.add(tf.layers.dense({ units: w * 2 }));
for (let i = 0; i < 3; i++) { m.add(tf.layers.dense({ units: 10 - i })); }
`);
    const m = only(r);
    assert.deepStrictEqual(
      m.layers.map((l) => l.outputShape),
      [
        [null, 784],
        [null, 128],
        [null, 64],
        [null, 10],
        [null, 9],
        [null, 8],
      ],
    );
    assert.strictEqual(m.name, 'm');
    assert.deepStrictEqual(r.diagnostics, []);
  });

  it("copies a layer's options when it is created, as tfjs does", () => {
    const r = analyze(`${TF}const opts = { units: 4, inputShape: [3] };
const first = tf.layers.dense(opts);
opts.units = 8;
const m = tf.sequential();
m.add(first);
m.add(tf.layers.dense({ units: 2 }));`);
    assert.deepStrictEqual(
      only(r).layers.map((l) => l.outputShape),
      [
        [null, 4],
        [null, 2],
      ],
    );
  });

  it('names models after their variable or the function that returns them', () => {
    const r = analyze(`${TF}export function makeEncoder(dim = 32) {
  return tf.sequential({ layers: [tf.layers.dense({ units: dim, inputShape: [784] })] });
}
export const makeDecoder = (dim = 32) => tf.sequential({ layers: [tf.layers.dense({ units: 784, inputShape: [dim] })] });
const autoencoder = tf.sequential();
autoencoder.add(makeEncoder());
autoencoder.add(makeDecoder());
`);
    assert.deepStrictEqual(
      r.models.map((m) => m.name),
      ['makeEncoder', 'makeDecoder', 'autoencoder'],
    );
    assert.strictEqual(r.models[2]!.totalParams, 784 * 32 + 32 + 32 * 784 + 784);
    assert.deepStrictEqual(
      r.models[2]!.layers.map((l) => l.type),
      ['Sequential', 'Sequential'],
    );
  });

  it('understands named imports and require of tfjs-layers', () => {
    const a = analyze(`import { layers, sequential } from '@tensorflow/tfjs';
const m = sequential(); m.add(layers.dense({ units: 4, inputDim: 3 }));`);
    assert.strictEqual(only(a).totalParams, 16);
    assert.strictEqual(a.importsTfjs, true);
    const b = analyze(`const tfl = require('@tensorflow/tfjs-layers');
const m = tfl.sequential({ layers: [tfl.layers.dense({ units: 2, inputShape: [5] })] });`);
    assert.strictEqual(only(b).totalParams, 12);
    assert.strictEqual(analyze('const x = 1;').importsTfjs, false);
  });

  it('makes shapes unknown after a custom layer, with an info diagnostic saying why', () => {
    const r = analyze(`${TF}class Sampling extends tf.layers.Layer {}
const m = tf.sequential();
m.add(tf.layers.dense({ units: 8, inputShape: [4] }));
m.add(new Sampling());
m.add(tf.layers.dense({ units: 2 }));`);
    const m = only(r);
    assert.deepStrictEqual(
      m.layers.map((l) => l.outputShape),
      [[null, 8], null, null],
    );
    assert.strictEqual(m.totalParams, null);
    assert.match(m.layers[2]!.unknownReason!, /Sampling/);
    const info = r.diagnostics.filter((d) => d.severity === 'info');
    assert.strictEqual(info.length, 1);
    assert.strictEqual(info[0]!.line, 5);
    assert.match(info[0]!.message, /custom layer class/);
    assert.ok(!r.diagnostics.some((d) => d.severity === 'error'));
  });

  it('never guesses a shape from a value it cannot know', () => {
    const r = analyze(`${TF}import { readFileSync } from 'fs';
const cfg = JSON.parse(readFileSync('cfg.json', 'utf8'));
const m = tf.sequential();
m.add(tf.layers.dense({ units: cfg.units, inputShape: [10] }));
m.add(tf.layers.dense({ units: 1 }));`);
    const m = only(r);
    assert.deepStrictEqual(
      m.layers.map((l) => l.outputShape),
      [null, null],
    );
    const info = r.diagnostics.filter((d) => d.severity === 'info');
    assert.strictEqual(info.length, 1);
    assert.strictEqual(info[0]!.line, 5);
  });

  it('counts trainable parameters after model.trainable = false, as tfjs does (GAN)', () => {
    const r = analyze(`${TF}const g = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [2] })] });
const d = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [8] })] });
d.trainable = false;
const gan = tf.sequential(); gan.add(g); gan.add(d);`);
    const gan = r.models.find((m) => m.name === 'gan')!;
    assert.strictEqual(gan.totalParams, 24 + 9);
    assert.strictEqual(gan.trainableParams, 24);
    assert.strictEqual(gan.nonTrainableParams, 9);
  });

  it('skips a branch whose condition is unknown and says so', () => {
    const r = analyze(`${TF}export function build(useBn: boolean) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 4, inputShape: [3] }));
  if (useBn) m.add(tf.layers.batchNormalization());
  return m;
}`);
    assert.strictEqual(only(r).layers.length, 1);
    assert.ok(r.diagnostics.some((d) => d.severity === 'info' && d.line === 5 && /condition/.test(d.message)));
  });

  it('follows break, continue, return, switch and finally as JavaScript does', () => {
    const r = analyze(`${TF}function widthFor(kind: string): number {
  switch (kind) {
    case 'wide': return 64;
    case 'narrow':
    case 'thin': { const w = 8; return w; }
    default: break;
  }
  return 16;
}
function firstOver(limit: number, list: number[]): number {
  for (const x of list) {
    if (x <= limit) continue;
    return x;
  }
  return -1;
}
function withFinally(): number {
  try { return 5; } finally { const ignored = 1; }
}
const m = tf.sequential();
m.add(tf.layers.dense({ units: widthFor('wide'), inputShape: [3] }));
m.add(tf.layers.dense({ units: widthFor('thin') }));
m.add(tf.layers.dense({ units: widthFor('other') }));
m.add(tf.layers.dense({ units: firstOver(10, [4, 12, 20]) }));
m.add(tf.layers.dense({ units: withFinally() }));
for (let i = 1; i < 100; i++) {
  if (i % 2 === 0) continue;
  if (i > 5) break;
  m.add(tf.layers.dense({ units: i }));
}
let n = 0;
while (true) { n++; if (n === 3) break; }
do { m.add(tf.layers.dense({ units: n })); n--; } while (n > 2);
outer: for (const a of [1, 2]) { for (const b of [7, 9]) { if (b === 9) continue outer; m.add(tf.layers.dense({ units: a * b })); } }
`);
    const units = only(r).layers.map((l) => (l.outputShape as number[])[1]);
    assert.deepStrictEqual(units, [64, 8, 16, 12, 5, 1, 3, 5, 3, 7, 14]);
    assert.deepStrictEqual(r.diagnostics, []);
  });

  it('terminates on endless loops and deep recursion', () => {
    const r = analyze(`${TF}function f(n: number): number { return f(n + 1); }
f(0);
let i = 0; while (true) { i++; }
const m = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });`);
    assert.ok(r.diagnostics.some((d) => /loop is not evaluated/.test(d.message)));
    assert.strictEqual(only(r).totalParams, 2);
  });

  it('reports a misspelt layer factory as an error, and a custom layer class as unknown', () => {
    const r = analyze(`${TF}const m = tf.sequential();
m.add(tf.layers.dence({ units: 4, inputShape: [3] }));
class Mystery extends tf.layers.Layer {}
const c = new Mystery({});`);
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    assert.equal(errors.length, 1);
    assert.strictEqual(errors[0]!.line, 3);
    assert.match(errors[0]!.message, /dence.*does not exist/);
  });
});
