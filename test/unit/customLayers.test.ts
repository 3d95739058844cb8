/**
 * Custom layer classes (`class X extends tf.layers.Layer`): the analysis runs their `build`
 * (with `this.addWeight`) and `computeOutputShape` as tfjs does when the layer is first applied,
 * and uses `static className` as the type. Each case runs with the real tfjs as the oracle: no
 * number may differ from what tfjs computes, and where the code is evaluable the numbers must be
 * there, not unknown.
 */
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { analyzeSource } from '../../src/analysis/analyze';
import type { AnalysisResult, ModelResult } from '../../src/analysis/types';
import { assertSoundAgainstTfjs } from '../support/soundCompare';

const TF = "import * as tf from '@tensorflow/tfjs';\n";

/** A dense layer without bias written as tfjs's docs show a custom layer. */
const SCALE = `class Scale extends tf.layers.Layer {
  units: number;
  w: any;
  constructor(config: { units: number; name?: string; trainable?: boolean; inputShape?: number[] }) {
    super(config);
    this.units = config.units;
  }
  build(inputShape: any) {
    this.w = this.addWeight('w', [inputShape[inputShape.length - 1], this.units], 'float32', tf.initializers.ones());
    this.addWeight('shift', [this.units], 'float32', tf.initializers.zeros(), undefined, false);
    super.build(inputShape);
  }
  computeOutputShape(inputShape: any) {
    return [inputShape[0], this.units];
  }
  call(x: any) {
    return tf.tidy(() => tf.matMul(Array.isArray(x) ? x[0] : x, this.w.read()));
  }
  static get className() {
    return 'Scale';
  }
}
tf.serialization.registerClass(Scale);
`;

interface Case {
  name: string;
  source: string;
  driver?: string;
  check: (r: AnalysisResult) => void;
}

function modelAt(r: AnalysisResult, line: number): ModelResult {
  const m = r.models.find((x) => x.line === line);
  assert.ok(m, `no model at line ${line}: ${r.models.map((x) => x.line).join(', ')}`);
  return m;
}

/** The line of the first occurrence of `text` in `source` (1-based). */
function lineOf(source: string, text: string): number {
  const i = source.indexOf(text);
  assert.ok(i >= 0, `"${text}" is in the source`);
  return source.slice(0, i).split('\n').length;
}

function exact(m: ModelResult): void {
  assert.equal(m.incomplete, undefined);
  assert.notEqual(m.totalParams, null, 'the total is known');
  for (const l of m.layers) assert.notEqual(l.outputShape, null, `${l.name}'s shape is known`);
}

const CASES: Case[] = [
  {
    name: "build with addWeight and computeOutputShape: tfjs's shapes, counts and type, in Sequential and functional models",
    source: `${TF}${SCALE}
export const m = tf.sequential();
m.add(tf.layers.dense({ units: 4, inputShape: [3] }));
m.add(new Scale({ units: 5 }));
m.add(new Scale({ units: 2, name: 'frozen', trainable: false }));
const x = tf.input({ shape: [6] });
const y = new Scale({ units: 7 }).apply(x) as tf.SymbolicTensor;
export const f = tf.model({ inputs: x, outputs: y });`,
    check: (r) => {
      const src = r.models[0]!;
      exact(src);
      assert.deepEqual(
        src.layers.map((l) => [l.type, l.outputShape, l.params]),
        [
          ['Dense', [null, 4], 16],
          ['Scale', [null, 5], 25],
          ['Scale', [null, 2], 12],
        ],
      );
      assert.equal(src.layers[2]!.name, 'frozen');
      assert.equal(src.trainableParams, 16 + 20);
      const f = r.models[1]!;
      exact(f);
      assert.equal(f.totalParams, 6 * 7 + 7);
    },
  },
  {
    name: 'a class with only `static className` is the identity, with no weights',
    source: `${TF}class Ident extends tf.layers.Layer {
  static className = 'Ident';
  call(x: any) { return x; }
}
export const m = tf.sequential();
m.add(tf.layers.dense({ units: 3, inputShape: [2] }));
m.add(new Ident({}));
m.add(tf.layers.dense({ units: 1 }));`,
    check: (r) => {
      const m = r.models[0]!;
      exact(m);
      assert.deepEqual(
        m.layers.map((l) => l.params),
        [9, 0, 4],
      );
      assert.equal(m.layers[1]!.type, 'Ident');
    },
  },
  {
    name: 'a custom layer first in a Sequential takes its inputShape from super(config)',
    source: `${TF}${SCALE}
export const m = tf.sequential();
m.add(new Scale({ units: 3, inputShape: [8] }));
m.add(tf.layers.dense({ units: 1 }));`,
    check: (r) => {
      const m = r.models[0]!;
      exact(m);
      assert.deepEqual(m.layers[0]!.outputShape, [null, 3]);
      assert.equal(m.totalParams, 8 * 3 + 3 + 4);
    },
  },
  {
    name: "a base class of the user's builds, a subclass computes the shape and names the type",
    source: `${TF}class Base extends tf.layers.Layer {
  size: number;
  constructor(cfg: { size: number }) {
    super({});
    this.size = cfg.size;
  }
  build(s: any) {
    this.addWeight('k', [s[1], this.size], undefined, tf.initializers.glorotUniform({}));
  }
}
class Proj extends Base {
  static get className() { return 'Proj'; }
  constructor(size: number) { super({ size }); }
  computeOutputShape(s: any) { return [s[0], this.size]; }
}
export const m = tf.sequential();
m.add(tf.layers.dense({ units: 4, inputShape: [3] }));
m.add(new Proj(6));`,
    check: (r) => {
      const m = r.models[0]!;
      exact(m);
      assert.deepEqual(m.layers[1]!.outputShape, [null, 6]);
      assert.equal(m.layers[1]!.params, 24);
      assert.equal(m.layers[1]!.type, 'Proj');
    },
  },
  {
    name: 'several inputs and several outputs, in a functional model',
    source: `${TF}class Pair extends tf.layers.Layer {
  static className = 'Pair';
  computeOutputShape(shapes: any) { return [shapes[0], shapes[1]]; }
  call(xs: any) { return xs; }
}
const a = tf.input({ shape: [4] });
const b = tf.input({ shape: [2] });
const [p, q] = new Pair({}).apply([a, b]) as tf.SymbolicTensor[];
const out = tf.layers.concatenate().apply([tf.layers.dense({ units: 3 }).apply(p) as tf.SymbolicTensor, q]) as tf.SymbolicTensor;
export const m = tf.model({ inputs: [a, b], outputs: out });`,
    check: (r) => {
      const m = r.models[0]!;
      exact(m);
      assert.deepEqual(m.outputShapes, [[null, 5]]);
      assert.equal(m.totalParams, 15);
    },
  },
  {
    name: "a weight added under a condition the analysis cannot decide: the layer's count is unknown, its shape is not",
    source: `${TF}class MaybeBias extends tf.layers.Layer {
  useBias: boolean;
  constructor(cfg: { useBias: boolean }) {
    super({});
    this.useBias = cfg.useBias;
  }
  build(s: any) {
    this.addWeight('k', [s[1], s[1]], 'float32', tf.initializers.ones());
    if (this.useBias) this.addWeight('b', [s[1]], 'float32', tf.initializers.zeros());
  }
  static get className() { return 'MaybeBias'; }
}
export function build(useBias: boolean) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 4, inputShape: [3] }));
  m.add(new MaybeBias({ useBias }));
  return m;
}`,
    driver: 'build(true);',
    check: (r) => {
      const m = r.models[0]!;
      assert.deepEqual(m.layers[1]!.outputShape, [null, 4]);
      assert.equal(m.layers[1]!.params, null);
      assert.equal(m.totalParams, null);
      assert.match(
        m.layers[1]!.paramsUnknownReason ?? '',
        /weights of `maybe_bias_1` are not known statically: .*`if \(this\.useBias\)`/,
      );
    },
  },
  {
    name: 'a computeOutputShape that reads a value the analysis does not know: unknown from there, no error',
    source: `${TF}export function build(width: number) {
  class Widen extends tf.layers.Layer {
    static className = 'Widen';
    computeOutputShape(s: any) { return [s[0], width]; }
  }
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 4, inputShape: [3] }));
  m.add(new Widen({}));
  m.add(tf.layers.dense({ units: 2 }));
  return m;
}`,
    driver: 'build(5);',
    check: (r) => {
      const m = r.models[0]!;
      assert.equal(m.layers[1]!.outputShape, null);
      assert.equal(m.totalParams, null);
      assert.ok(!r.diagnostics.some((d) => d.severity === 'error'));
    },
  },
  {
    name: '`this.trainable = false` in the constructor moves the weights to non-trainable',
    source: `${TF}${SCALE}
class FrozenScale extends Scale {
  constructor(units: number) {
    super({ units });
    this.trainable = false;
  }
  static get className() { return 'FrozenScale'; }
}
export const m = tf.sequential();
m.add(tf.layers.dense({ units: 4, inputShape: [3] }));
m.add(new FrozenScale(2));`,
    check: (r) => {
      const m = r.models[0]!;
      exact(m);
      assert.equal(m.trainableParams, 16);
      assert.equal(m.nonTrainableParams, 10);
    },
  },
  {
    name: 'a getClassName() override names and types the layer, as tfjs calls it',
    source: `${TF}class SamplingLayer extends tf.layers.Layer {
  constructor() { super({}); }
  computeOutputShape(inputShape: any) { return inputShape[0]; }
  getClassName() { return 'SamplingLayer'; }
}
const mu = tf.input({ shape: [3] });
const sigma = tf.input({ shape: [3] });
const z = new SamplingLayer().apply([mu, sigma]) as tf.SymbolicTensor;
export const m = tf.model({ inputs: [mu, sigma], outputs: tf.layers.dense({ units: 2 }).apply(z) as tf.SymbolicTensor });`,
    check: (r) => {
      const m = r.models[0]!;
      exact(m);
      assert.equal(m.layers[2]!.type, 'SamplingLayer');
      assert.equal(m.layers[2]!.name, 'sampling_layer_1');
    },
  },
];

describe('custom layer classes', function () {
  for (const c of CASES) {
    it(c.name, function () {
      const file = path.join(__dirname, '..', 'fixtures', `customLayer-${CASES.indexOf(c)}.ts`);
      c.check(assertSoundAgainstTfjs(file, c.source, { driver: c.driver }));
    });
  }

  it("a class extending tfjs's RNN, or one without a static className, stays unknown with the reason", function () {
    const source = `${TF}class MyRnn extends tf.layers.RNN {}
class NoName extends tf.layers.Layer {}
export const a = new MyRnn({ cell: tf.layers.lstmCell({ units: 2 }) });
const b = new NoName({ name: 'n' });
export const m = tf.sequential();
m.add(tf.layers.dense({ units: 4, inputShape: [3] }));
m.add(b);`;
    const r = analyzeSource('unknownCustom.ts', source);
    const m = modelAt(r, lineOf(source, 'tf.sequential'));
    assert.equal(m.layers[1]!.outputShape, null);
    assert.match(m.layers[1]!.unknownReason ?? '', /className/);
    assert.equal(m.totalParams, null);
    assert.ok(!r.diagnostics.some((d) => d.severity === 'error'));
  });
});
