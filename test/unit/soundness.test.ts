/**
 * The soundness rule (ARCHITECTURE.md, "Never a wrong number"): code the analysis cannot decide
 * on makes what it could change unknown. Each case is a pattern met in real code, run with the
 * real tfjs through a driver that passes the arguments a program would; the analysis must
 * report every model tfjs builds, never show a number tfjs does not compute, and never raise
 * an error tfjs does not.
 */
import * as assert from 'node:assert/strict';
import * as path from 'path';
import { analyzeSource } from '../../src/analysis/analyze';
import type { AnalysisResult, ModelResult } from '../../src/analysis/types';
import { assertSoundAgainstTfjs } from '../support/soundCompare';

const TF = "import * as tf from '@tensorflow/tfjs';\n";

interface Case {
  name: string;
  source: string;
  /** Calls the file's builders as its program would (appended to the file for tfjs only). */
  driver?: string;
  /** Stand-ins for the file's relative imports, for tfjs only. */
  modules?: Record<string, string>;
  check?: (r: AnalysisResult) => void;
  /** tfjs lets an error through (a zero-size output) that the analysis reports. */
  silentError?: boolean;
}

function modelAt(r: AnalysisResult, line: number): ModelResult {
  const m = r.models.find((x) => x.line === line);
  assert.ok(m, `no model at line ${line}: ${r.models.map((x) => x.line).join(', ')}`);
  return m;
}

const CASES: Case[] = [
  {
    name: 'a switch on an unknown option: the model is incomplete, nothing after it is guessed',
    source: `${TF}export function build(rnnType: string, units = 8) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 4, inputShape: [10, 3] }));
  switch (rnnType) {
    case 'SimpleRNN': model.add(tf.layers.simpleRNN({ units })); break;
    case 'LSTM': model.add(tf.layers.lstm({ units })); break;
  }
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}`,
    driver: "build('LSTM');",
    check: (r) => {
      const m = modelAt(r, 3);
      assert.match(m.incomplete ?? '', /switch \(rnnType\)` on line 5/);
      assert.equal(m.totalParams, null);
      assert.equal(m.layers[m.layers.length - 1]!.outputShape, null);
    },
  },
  {
    name: 'Array.isArray of an unknown value is unknown: the loop over it is not run once',
    source: `${TF}export function build(sizes: number | number[]) {
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [10, 3] }));
  if (!Array.isArray(sizes)) sizes = [sizes];
  for (const s of sizes) model.add(tf.layers.lstm({ units: s, returnSequences: true }));
  model.add(tf.layers.dense({ units: 2 }));
  return model;
}`,
    driver: 'build([4, 6]);',
    check: (r) => {
      const m = modelAt(r, 3);
      assert.ok(m.incomplete, 'incomplete');
      assert.ok(!m.layers.some((l) => l.type === 'LSTM'), 'no LSTM guessed');
    },
  },
  {
    name: 'an unknown if: its layers are not guessed, the variables it assigns are unknown after it',
    source: `${TF}export function build(deep: boolean) {
  let width = 8;
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 16, inputShape: [4] }));
  if (deep) {
    width = 32;
    model.add(tf.layers.dense({ units: 16 }));
  }
  model.add(tf.layers.dense({ units: width }));
  return model;
}`,
    driver: 'build(true);',
    check: (r) => {
      const m = modelAt(r, 4);
      assert.ok(m.incomplete);
      assert.equal(m.layers.length, 2);
      assert.equal(m.layers[1]!.params, null);
    },
  },
  {
    name: 'a model whose inputs come from a parameter has unknown totals, never 0',
    source: `${TF}export function autoencoder(encoder: tf.LayersModel, decoder: tf.LayersModel) {
  const out = decoder.apply(encoder.outputs) as tf.SymbolicTensor;
  return tf.model({ inputs: encoder.inputs, outputs: out });
}
export function parts() {
  const i = tf.input({ shape: [8] });
  const enc = tf.model({ inputs: i, outputs: tf.layers.dense({ units: 2 }).apply(i) as tf.SymbolicTensor });
  const j = tf.input({ shape: [2] });
  const dec = tf.model({ inputs: j, outputs: tf.layers.dense({ units: 8 }).apply(j) as tf.SymbolicTensor });
  return autoencoder(enc, dec);
}`,
    check: (r) => {
      const m = modelAt(r, 4);
      assert.notEqual(m.totalParams, 0);
    },
  },
  {
    name: 'a model built in a class: constructor, fields, methods, this, extends, static',
    source: `${TF}class Base {
  static defaultUnits = 24;
  protected hidden: number;
  constructor(readonly inputDim: number) { this.hidden = Base.defaultUnits; }
  get outputs(): number { return 3; }
}
class Agent extends Base {
  model: tf.Sequential;
  constructor(inputDim: number, private readonly actions: number) {
    super(inputDim);
    this.model = this.build();
  }
  build(): tf.Sequential {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: this.hidden, inputShape: [this.inputDim], activation: 'relu' }));
    m.add(tf.layers.dense({ units: this.actions + this.outputs }));
    return m;
  }
}
const agent = new Agent(5, 2);
export const model = agent.model;`,
    check: (r) => {
      const m = modelAt(r, 15);
      assert.equal(m.totalParams, 24 * 5 + 24 + 24 * 5 + 5);
      assert.equal(m.incomplete, undefined);
    },
  },
  {
    name: 'a class never instantiated is still analysed (its model reported, sizes unknown)',
    source: `${TF}export class Net {
  model = tf.sequential();
  constructor(private size: number) {
    this.model.add(tf.layers.dense({ units: 10, inputShape: [this.size] }));
    this.model.add(tf.layers.dense({ units: 1 }));
  }
}`,
    driver: 'new Net(7);',
    check: (r) => {
      const m = modelAt(r, 3);
      assert.equal(m.layers.length, 2);
    },
  },
  {
    name: "a class never instantiated: its constructor's defaults are not what the program passes (unknown)",
    source: `${TF}export class TextModel {
  private hidden: number;
  constructor(private vocab: number = 5000, private dim = 16, hidden?: number) {
    this.hidden = hidden || 8;
  }
  build() {
    const m = tf.sequential();
    m.add(tf.layers.embedding({ inputDim: this.vocab, outputDim: this.dim, inputLength: 10 }));
    m.add(tf.layers.flatten());
    m.add(tf.layers.dense({ units: this.hidden }));
    return m;
  }
}`,
    driver: 'new TextModel(10000, 32, 49).build();',
    check: (r) => {
      const m = modelAt(r, 8);
      assert.deepEqual(
        m.layers.map((l) => l.params),
        [null, null, null],
      );
      // The input shape needs only inputLength; the output waits on outputDim (`dim`).
      assert.match(
        r.diagnostics.map((d) => d.message).join('\n'),
        /parameter `dim` of `TextModel.constructor`, whose value no call in this file gives/,
      );
    },
  },
  {
    name: 'initial states spread into the inputs list, returnState destructured with holes',
    source: `${TF}const encoderInputs = tf.input({ shape: [null, 20] });
const encoder = tf.layers.lstm({ units: 32, returnState: true });
const [, stateH, stateC] = encoder.apply(encoderInputs) as tf.SymbolicTensor[];
const encoderStates = [stateH, stateC];
const decoderInputs = tf.input({ shape: [null, 30] });
const decoderLstm = tf.layers.lstm({ units: 32, returnSequences: true, returnState: true });
const [decoderOutputs, ] = decoderLstm.apply([decoderInputs, ...encoderStates]) as tf.SymbolicTensor[];
const out = tf.layers.dense({ units: 30, activation: 'softmax' }).apply(decoderOutputs!) as tf.SymbolicTensor;
export const model = tf.model({ inputs: [encoderInputs, decoderInputs], outputs: out });`,
    check: (r) => {
      const m = modelAt(r, 10);
      assert.equal(m.totalParams, 6784 + 8064 + 990);
    },
  },
  {
    name: 'an embedding whose inputLength is a parameter: unknown, not an error',
    source: `${TF}export function build(vocab: number, len: number) {
  const m = tf.sequential();
  m.add(tf.layers.embedding({ inputDim: vocab, outputDim: 8, inputLength: len }));
  m.add(tf.layers.flatten());
  m.add(tf.layers.dense({ units: 1 }));
  return m;
}`,
    driver: 'build(100, 12);',
    check: (r) => {
      // The reason names the option the input shape waits on (inputLength), not the first unknown one.
      assert.match(
        r.diagnostics.map((d) => d.message).join('\n'),
        /for the input shape of `embedding_1`, `inputLength` is not known statically \(it depends on the parameter `len`/,
      );
    },
  },
  {
    name: 'a try whose catch builds another model: the catch may run, so what it assigns is unknown',
    source: `${TF}declare function loadSaved(): tf.Sequential;
function fresh(): tf.Sequential {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 3, inputShape: [2] }));
  return m;
}
export function get(): number {
  let units = 4;
  try { loadSaved(); } catch (e) { units = 9; }
  const m = tf.sequential();
  m.add(tf.layers.dense({ units, inputShape: [2] }));
  return fresh().countParams();
}`,
    check: (r) => {
      const m = modelAt(r, 11);
      assert.equal(m.layers[0]!.params, null);
    },
  },
  {
    name: 'a callback given to code not followed may change the model',
    source: `${TF}export function build(sizes: number[]) {
  const model = tf.sequential();
  model.add(tf.layers.dense({ units: 4, inputShape: [3] }));
  sizes.forEach((s) => model.add(tf.layers.dense({ units: s })));
  return model;
}`,
    driver: 'build([5, 6]);',
    check: (r) => assert.ok(modelAt(r, 3).incomplete),
  },
  {
    name: 'a function the file never calls may not change models made before it',
    source: `${TF}export const model = tf.sequential();
model.add(tf.layers.dense({ units: 4, inputShape: [3] }));
export function grow(units: number) {
  model.add(tf.layers.dense({ units }));
}`,
    check: (r) => {
      const m = modelAt(r, 2);
      assert.equal(m.layers.length, 1);
      assert.ok(m.incomplete);
    },
  },
  {
    name: 'an object spread from a parameter: its options are unknown, not defaults',
    source: `${TF}export function build(opts: object) {
  const cfg = { units: 4, useBias: true, ...opts };
  const m = tf.sequential();
  m.add(tf.layers.dense({ inputShape: [3], ...cfg }));
  return m;
}`,
    driver: 'build({ useBias: false });',
    check: (r) => assert.equal(modelAt(r, 4).layers[0]!.params, null),
  },
  {
    name: 'arrays and objects changed by undecided code are unknown however they are read',
    source: `${TF}export function build(extra: boolean) {
  const shape = [6];
  const sizes = [3, 4];
  const opts = { units: 2, nested: { useBias: true } };
  if (extra) {
    shape.push(2);
    sizes.push(5);
    opts.nested.useBias = false;
  }
  const x = tf.input({ shape });
  const [first] = sizes;
  const keys = Object.keys(opts.nested);
  const y = tf.layers.dense({ units: first! + keys.length, useBias: opts.nested.useBias }).apply(x) as tf.SymbolicTensor;
  const parts = [y, y];
  if (extra) parts.push(y);
  const z = tf.layers.concatenate().apply(parts) as tf.SymbolicTensor;
  return tf.model({ inputs: x, outputs: z });
}`,
    // Not taken at run time: the branch's evaluation (speculative) must not leave `shape` as [6, 2].
    driver: 'build(false);',
    check: (r) => {
      const m = modelAt(r, 18);
      assert.equal(m.totalParams, null);
      assert.ok(m.layers.every((l) => l.params === null || l.type === 'InputLayer'));
    },
  },
  {
    name: 'a write through a call inside an undecided branch leaves the object unknown, not as the branch left it',
    source: `${TF}export function build(extra: boolean) {
  const cfg = { shape: [6] };
  const getCfg = () => cfg;
  if (extra) getCfg().shape = [6, 2];
  const x = tf.input({ shape: getCfg().shape });
  return tf.model({ inputs: x, outputs: tf.layers.dense({ units: 2 }).apply(x) as tf.SymbolicTensor });
}`,
    driver: 'build(false);',
    check: (r) => assert.equal(modelAt(r, 7).totalParams, null),
  },
  {
    name: "a conv whose output shrinks to zero: the error, then tfjs's shapes and counts go on",
    source: `${TF}export const m = tf.sequential();
m.add(tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 4, kernelSize: 3 }));
m.add(tf.layers.conv2d({ filters: 8, kernelSize: 3 }));
m.add(tf.layers.maxPooling2d({ poolSize: 2 }));
m.add(tf.layers.flatten());
m.add(tf.layers.dense({ units: 2 }));`,
    silentError: true,
    check: (r) => {
      const m = modelAt(r, 2);
      assert.equal(m.totalParams, 40 + 296 + 2);
      assert.deepEqual(
        r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.line),
        [4, 5],
      );
    },
  },
  {
    name: 'models built only inside the cases of an undecided switch are still reported',
    source: `${TF}export function build(kind: string) {
  switch (kind) {
    case 'wide':
      return tf.sequential({ layers: [tf.layers.dense({ units: 16, inputShape: [4] })] });
    case 'deep': {
      const m = tf.sequential();
      m.add(tf.layers.dense({ units: 8, inputShape: [4] }));
      m.add(tf.layers.dense({ units: 8 }));
      return m;
    }
    default:
      throw new Error(kind);
  }
}`,
    driver: "build('deep'); build('wide');",
    check: (r) => {
      assert.deepEqual(
        r.models.map((m) => m.line),
        [5, 7],
      );
      assert.deepEqual(
        modelAt(r, 7).layers.map((l) => l.params),
        [40, 72],
      );
    },
  },
  {
    name: 'a model built in a loop over an unknown list is reported, its first pass shown',
    source: `${TF}export function ensemble(inputs: number[]) {
  const out = [];
  for (let i = 0; i < inputs.length; i++) {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 2 + i, inputShape: [3] }));
    out.push(m);
  }
  return out;
}`,
    driver: 'ensemble([1, 2]);',
    check: (r) => {
      assert.deepEqual(
        modelAt(r, 5).layers.map((l) => l.outputShape),
        [[null, 2]],
      );
    },
  },
  {
    name: 'a first layer the analysis cannot read makes the next one unknown, not an error',
    source: `${TF}import { pixelNorm } from './customLayers';
export const m = tf.sequential();
m.add(pixelNorm({ inputShape: [4] }));
m.add(tf.layers.dense({ units: 2 }));`,
    modules: {
      './customLayers':
        "const tf = require('@tensorflow/tfjs'); module.exports = { pixelNorm: (c) => tf.layers.activation({ activation: 'linear', ...c }) };",
    },
    check: (r) => {
      assert.equal(modelAt(r, 3).layers[1]!.outputShape, null);
    },
  },
  {
    name: 'models built inside tf.tidy in a class never instantiated: tidy runs its function',
    source: `${TF}class Generator {
  private readonly nn = tf.sequential();
  init() {
    tf.tidy(() => this.build());
  }
  private build() {
    tf.tidy(() => {
      this.nn.add(tf.layers.dense({ units: 4, inputShape: [3] }));
      for (let i = 0; i < 2; i++) this.nn.add(tf.layers.dense({ units: 4 }));
    });
  }
}`,
    driver: 'new Generator().init();',
    check: (r) => {
      assert.deepEqual(
        modelAt(r, 3).layers.map((l) => l.params),
        [16, 20, 20],
      );
    },
  },
  {
    name: "a function never called that freezes a layer of an earlier model: that layer's counts are unknown",
    source: `${TF}export const m = tf.sequential();
m.add(tf.layers.dense({ units: 4, inputShape: [3] }));
m.add(tf.layers.dense({ units: 2 }));
export function freezeFirst() {
  m.layers[0]!.trainable = false;
}`,
    check: (r) => {
      const m = modelAt(r, 2);
      assert.deepEqual(
        m.layers.map((l) => l.params),
        [null, 10],
      );
      assert.equal(m.trainableParams, null);
    },
  },
  {
    name: "a model's and a layer's outputShape feed the next model, as tfjs gives them",
    source: `${TF}export const cnn = tf.sequential();
cnn.add(tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 4, kernelSize: 3 }));
const flat = tf.layers.flatten();
cnn.add(flat);
export const rnn = tf.sequential();
rnn.add(tf.layers.lstm({ units: 3, inputShape: [null, (cnn.layers[0]!.outputShape as number[])[2]!] }));
rnn.add(tf.layers.dense({ units: (cnn.outputShape as number[])[1]! / 72 + (flat.outputShape as number[])[1]! / 144 }));`,
    check: (r) => {
      assert.deepEqual(
        modelAt(r, 6).layers.map((l) => l.outputShape),
        [
          [null, 3],
          [null, 3],
        ],
      );
    },
  },
  {
    name: 'tfjs handed in by the caller (`module.exports = (tf) => ...`, no import): the parameter `tf` is read as tfjs',
    source: `const { HIDDEN } = { HIDDEN: 6 };
const model = (tf: any) => {
  const actor = () =>
    tf.sequential({ layers: [tf.layers.dense({ units: HIDDEN, inputShape: [5] }), tf.layers.dense({ units: 2 })] });
  return { actor };
};
module.exports = model;`,
    driver: "model(require('@tensorflow/tfjs')).actor();",
    check: (r) => {
      assert.equal(modelAt(r, 4).totalParams, 5 * 6 + 6 + 6 * 2 + 2);
      assert.equal(r.importsTfjs, true);
      assert.match(r.diagnostics.map((d) => d.message).join('\n'), /`tf`, a parameter of `model` .* is read as TensorFlow.js/);
    },
  },
  {
    name: 'a model made in an undecided branch into a variable declared before it: shown with its layers, the variable unknown after',
    source: `${TF}export function build(load: boolean) {
  let model: tf.Sequential | null = null;
  let units = 3;
  if (load) {
    units = 5;
  } else {
    units = 4;
    model = tf.sequential();
    model.add(tf.layers.dense({ units, inputShape: [2] }));
    model.add(tf.layers.dense({ units: 1 }));
  }
  const head = tf.sequential();
  head.add(tf.layers.dense({ units, inputShape: [2] }));
  return [model, head];
}`,
    driver: 'build(false);',
    check: (r) => {
      const m = modelAt(r, 9);
      assert.deepEqual(
        m.layers.map((l) => [l.outputShape, l.params]),
        [
          [[null, 4], 12],
          [[null, 1], 5],
        ],
      );
      assert.equal(modelAt(r, 13).layers[0]!.outputShape, null);
    },
  },
  {
    name: '`sort` (with and without a comparator) and `Object.assign` as JavaScript runs them; an unknown source makes the target unknown',
    source: `${TF}const LABELS = ['b', 'c', 'a'].sort();
const sizes = [10, 3, 2].sort((a, b) => a - b);
const conf = Object.assign({ name: 'x' }, { units: 4 }, { extra: sizes[0] });
export const m = tf.sequential();
m.add(tf.layers.dense({ units: LABELS.length, inputShape: [conf.units + conf.extra] }));
m.add(tf.layers.dense({ units: LABELS[0] === 'a' ? sizes[2]! : 1 }));
export function build(extra: object) {
  const cfg = { units: 4 };
  Object.assign(cfg, extra);
  const n = tf.sequential();
  n.add(tf.layers.dense({ units: cfg.units, inputShape: [2] }));
  return n;
}`,
    driver: 'build({ units: 7 });',
    check: (r) => {
      assert.deepEqual(
        modelAt(r, 5).layers.map((l) => [l.outputShape, l.params]),
        [
          [[null, 3], 21],
          [[null, 10], 40],
        ],
      );
      assert.equal(modelAt(r, 11).layers[0]!.outputShape, null);
    },
  },
  {
    name: 'an embedding whose vocabulary size is read from data: its shape and the layers after it known, its counts not',
    source: `${TF}export function build(vocab: string[]) {
  const m = tf.sequential();
  m.add(tf.layers.embedding({ inputDim: vocab.length, outputDim: 8, inputLength: 20 }));
  m.add(tf.layers.lstm({ units: 6 }));
  m.add(tf.layers.dense({ units: vocab.length }));
  return m;
}`,
    driver: "build(['a', 'b', 'c']);",
    check: (r) => {
      const m = modelAt(r, 3);
      assert.deepEqual(
        m.layers.map((l) => [l.outputShape, l.params]),
        [
          [[null, 20, 8], null],
          [[null, 6], 4 * (8 + 6 + 1) * 6],
          [null, null],
        ],
      );
      assert.match(m.layers[0]!.paramsUnknownReason ?? '', /`inputDim` is not known statically/);
      assert.equal(m.totalParams, null);
    },
  },
  {
    name: "`in` on the file's own objects and arrays; on a parameter it stays undecided",
    source: `${TF}const opts = { hidden: 6, extra: undefined };
export function build(params: object) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 'hidden' in opts ? opts.hidden : 2, inputShape: ['extra' in opts ? 3 : 1] }));
  m.add(tf.layers.dense({ units: 'missing' in opts || 1 in [5] ? 4 : 5 }));
  m.add(tf.layers.dense({ units: 'units' in params ? 7 : 8 }));
  return m;
}`,
    driver: 'build({ units: 1 });',
    check: (r) => {
      assert.deepEqual(
        modelAt(r, 4).layers.map((l) => l.outputShape),
        [[null, 6], [null, 5], null],
      );
    },
  },
  {
    name: 'a field changed under an undecided condition: that field unknown, the others and fields assigned after it known; static builders shown',
    source: `${TF}export class Agent {
  n: number;
  seed = 0;
  index = new Map<string, number>();
  model: tf.Sequential;
  other: tf.Sequential;
  constructor(n: number) {
    this.n = n;
    this.setSeed();
    const words: string[] = JSON.parse('["a", "b"]');
    words.forEach((w, i) => {
      this.index.set(w, i);
    });
    this.model = tf.sequential();
    this.model.add(tf.layers.dense({ units: 4, inputShape: [this.n] }));
    this.other = tf.sequential();
    this.other.add(tf.layers.dense({ units: 2, inputShape: [this.n + this.seed] }));
  }
  setSeed() {
    if (Math.random() > 2) this.seed = 5;
  }
  static build() {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 5, inputShape: [2] }));
    return m;
  }
}
export const agent = new Agent(3);`,
    driver: 'Agent.build();',
    check: (r) => {
      assert.deepEqual(
        [15, 17, 24].map((line) => modelAt(r, line).layers.map((l) => [l.outputShape, l.params])),
        [[[[null, 4], 16]], [[null, null]], [[[null, 5], 15]]],
      );
      assert.equal(modelAt(r, 15).totalParams, 16);
    },
  },
  {
    name: 'an object given to code the analysis does not follow: unknown, but a member assigned after it is known',
    source: `${TF}export function build() {
  const cfg: Record<string, number> = { units: 3 };
  Reflect.ownKeys(cfg);
  cfg.units = 4;
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: cfg.units!, inputShape: [2] }));
  m.add(tf.layers.dense({ units: cfg.other ?? 2 }));
  return m;
}`,
    driver: 'build();',
    check: (r) => {
      assert.deepEqual(
        modelAt(r, 6).layers.map((l) => l.outputShape),
        [[null, 4], null],
      );
    },
  },
  {
    name: "an argument a call in the file leaves out is undefined (JavaScript), not unknown; an uncalled builder's stays unknown",
    source: `${TF}function build(n: number, extra: number) {
  let units = 4;
  if (extra !== undefined) units = extra;
  const m = tf.sequential();
  m.add(tf.layers.dense({ units, inputShape: [n] }));
  return m;
}
export const model = build(3);
export function other(n: number, extra: number) {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: extra ?? 2, inputShape: [n ?? 1] }));
  return m;
}`,
    driver: 'other(2, 5);',
    check: (r) => {
      assert.deepEqual(modelAt(r, 5).layers[0]!.outputShape, [null, 4]);
      assert.equal(modelAt(r, 11).layers[0]!.outputShape, null);
    },
  },
  {
    name: '`this.m = this.m.bind(this)` in a constructor changes nothing the analysis knows',
    source: `${TF}export class Net {
  units = 6;
  model: tf.Sequential;
  constructor() {
    this.build = this.build.bind(this);
    this.model = this.build();
  }
  build() {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: this.units, inputShape: [2] }));
    return m;
  }
}
export const net = new Net();`,
    check: (r) => {
      assert.equal(modelAt(r, 10).totalParams, 2 * 6 + 6);
    },
  },
  {
    name: 'string methods on known strings (`toLowerCase`, `split`, `padStart`) as JavaScript runs them',
    source: `${TF}const KIND = 'Dense_Relu';
const SIZES = '3,4,5'.split(',');
export const m = tf.sequential();
m.add(tf.layers.dense({ units: KIND.toLowerCase().startsWith('dense') ? SIZES.length : 1, inputShape: [2] }));
m.add(tf.layers.dense({ units: '7'.padStart(3, '0').length + Number(SIZES[1]) }));`,
    check: (r) => {
      assert.deepEqual(
        modelAt(r, 4).layers.map((l) => l.outputShape),
        [
          [null, 3],
          [null, 7],
        ],
      );
    },
  },
  {
    name: 'a primitive `instanceof` anything is false; reading a layer (`countParams`, `getClassName`) changes nothing; `tf[name]()` is said',
    source: `${TF}export function build(a: number | tf.Sequential, kind: string) {
  let m: tf.Sequential;
  if (a instanceof tf.Sequential) m = a;
  else {
    m = tf.sequential();
    m.add(tf.layers.dense({ units: 4, inputShape: [a] }));
  }
  for (const l of m.layers) console.log(l.getClassName(), l.countParams(), kind);
  return m;
}
export const built = build(3, 'sequential');
export function pick(kind: string) {
  return (tf as unknown as Record<string, () => tf.Sequential>)[kind]!();
}`,
    check: (r) => {
      assert.equal(modelAt(r, 6).totalParams, 16);
      assert.match(
        r.diagnostics.map((d) => d.message).join('\n'),
        /calls a TensorFlow.js function whose name is not known statically/,
      );
    },
  },
  {
    name: "a custom layer's `this.trainable = false` under an undecided condition: its counts unknown, not the layer as it was",
    source: `${TF}class Scale extends tf.layers.Layer {
  static className = 'Scale';
  w!: tf.LayerVariable;
  constructor() {
    super({});
  }
  build(s: tf.Shape | tf.Shape[]) {
    this.w = this.addWeight('w', [(s as number[])[1]!], 'float32', tf.initializers.ones());
  }
  freeze() {
    if (Date.now() > 0) this.trainable = false;
  }
  call(x: tf.Tensor | tf.Tensor[]) {
    return x;
  }
}
const s = new Scale();
const input = tf.input({ shape: [4] });
const out = s.apply(input) as tf.SymbolicTensor;
s.freeze();
export const m = tf.model({ inputs: input, outputs: out });`,
    check: (r) => {
      assert.equal(modelAt(r, 22).trainableParams, null);
    },
  },
  {
    name: "tfjs as Node's ES modules hand out a CommonJS package: `ns.default` and a default import",
    source: `import * as tfn from '@tensorflow/tfjs';
import tfd from '@tensorflow/tfjs';
const tf = tfn.default;
const input = tf.input({ shape: [6] });
const out = tfd.layers.dense({ units: 2 }).apply(tf.layers.dense({ units: 3 }).apply(input)) as tf.SymbolicTensor;
export const m = tf.model({ inputs: input, outputs: out });
export const s = tfd.sequential({ layers: [tfn.default.layers.dense({ units: 5, inputShape: [2] })] });`,
    check: (r) => {
      assert.equal(modelAt(r, 6).totalParams, 6 * 3 + 3 + 3 * 2 + 2);
      assert.equal(modelAt(r, 7).totalParams, 15);
    },
  },
  {
    name: "danfo.js's `tf` is tfjs (`const tf = dfd.tf`); its other exports stay unknown",
    source: `const dfd = require('danfojs-node');
const tf = dfd.tf;
function getModel() {
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [11], units: 16 }));
  model.add(tf.layers.dense({ units: 1 }));
  return model;
}
const frame = dfd.readCSV('sales.csv');
export const m = getModel();
export { frame };`,
    modules: { 'danfojs-node': "module.exports = { tf: require('@tensorflow/tfjs'), readCSV() { return null; } };" },
    check: (r) => {
      assert.equal(modelAt(r, 4).totalParams, 11 * 16 + 16 + 17);
    },
  },
  {
    name: 'methods written as class fields (`generator = () => {…}`) of a class the file never instantiates still run',
    source: `${TF}export default class Gan {
  size = 3;
  generator = () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 4, inputShape: [this.size] }));
    return m;
  };
}`,
    driver: 'new Gan().generator();',
    check: (r) => {
      assert.equal(modelAt(r, 5).totalParams, 16);
    },
  },
  {
    name: "a try that only loads tfjs (`try { return require('@tensorflow/tfjs') } catch {…}`): its catch never runs",
    source: `function loadTensorFlow() {
  try {
    return require('@tensorflow/tfjs');
  } catch {
    return require('./vendor/tf.min.js');
  }
}
const tf = loadTensorFlow();
let node;
try {
  node = require('@tensorflow/tfjs-node');
} catch {
  node = null;
}
export const m = tf.sequential({ layers: [tf.layers.dense({ units: 3, inputShape: [2] })] });
export const n = node.sequential({ layers: [node.layers.dense({ units: 1, inputShape: [4] })] });`,
    modules: {
      './vendor/tf.min.js': 'module.exports = {};',
      '@tensorflow/tfjs-node': "module.exports = require('@tensorflow/tfjs');",
    },
    check: (r) => {
      assert.equal(modelAt(r, 15).totalParams, 9);
      assert.equal(modelAt(r, 16).totalParams, 5);
      // A catch that does more than fall back (here: computes a size) may still run: undecided.
      const other = analyzeSource(
        path.join(__dirname, 'catch.js'),
        "const tf = require('@tensorflow/tfjs');\nlet gpu, units = 4;\ntry { gpu = require('@tensorflow/tfjs-node-gpu'); } catch (e) {\n  units = String(e).length;\n}\nconst m = tf.sequential();\nm.add(tf.layers.dense({ units, inputShape: [2] }));\n",
      );
      assert.equal(other.models[0]!.layers[0]!.outputShape, null);
    },
  },
  {
    name: "the page's tfjs through its global objects (`const tf = globalThis.tf`, `window.tf`)",
    source: `import './page';
const tf = globalThis.tf;
export function build() {
  const m = tf.sequential();
  m.add(tf.layers.dense({ units: 4, inputShape: [3] }));
  return m;
}
build();
export const w = window.tf.sequential({ layers: [window.tf.layers.dense({ units: 1, inputShape: [2] })] });`,
    modules: { './page': "globalThis.tf = require('@tensorflow/tfjs'); globalThis.window = globalThis;" },
    check: (r) => {
      assert.equal(modelAt(r, 4).totalParams, 16);
      assert.equal(modelAt(r, 9).totalParams, 3);
    },
  },
  {
    name: 'a class extending tf.Sequential: no model guessed, and the file says why none is shown',
    source: `${TF}class Net extends tf.Sequential {
  constructor(units: number) {
    super();
    this.add(tf.layers.dense({ units, inputShape: [3] }));
  }
}
export const net = new Net(4);
export const plain = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [2] })] });`,
    check: (r) => {
      assert.deepEqual(
        r.models.map((m) => m.line),
        [9],
      );
      const info = r.diagnostics.find((d) => d.severity === 'info');
      assert.equal(info?.line, 2);
      assert.match(info!.message, /^`Net` extends tfjs's `Sequential`: the analysis does not build models made by subclassing/);
    },
  },
];

describe('soundness: code the analysis cannot decide on', function () {
  for (const c of CASES) {
    it(c.name, function () {
      const file = path.join(__dirname, '..', 'fixtures', `soundness-${CASES.indexOf(c)}.ts`);
      const analysis = assertSoundAgainstTfjs(file, c.source, {
        driver: c.driver,
        modules: c.modules,
        allowErrors: c.silentError,
      });
      c.check?.(analysis);
    });
  }

  it('a React component (.tsx, JSX) building its model in an effect: read and checked as the other files', function () {
    const file = path.join(__dirname, '..', 'fixtures', 'soundness-react.tsx');
    const analysis = assertSoundAgainstTfjs(
      file,
      `${TF}import { useEffect } from 'react';
export function Trainer({ units }: { units: number }) {
  useEffect(() => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ units: 4, inputShape: [3] }));
    m.add(tf.layers.dense({ units }));
  }, [units]);
  return <div className="trainer">{units} units</div>;
}`,
      { driver: 'Trainer({ units: 2 });', modules: { react: 'module.exports = { useEffect: (f) => f() };' } },
    );
    const m = modelAt(analysis, 5);
    assert.deepEqual(m.layers[0]!.outputShape, [null, 4]);
  });

  it('nesting 3,000 calls deep gives a diagnostic, not a crash', function () {
    const depth = 3000;
    const text = `${TF}const m = tf.sequential();\n${'m.add('.repeat(depth)}tf.layers.dense({ units: 1, inputShape: [1] })${')'.repeat(depth)};\n`;
    const r = analyzeSource('deep.ts', text);
    assert.ok(r.diagnostics.length > 0);
    assert.ok(r.diagnostics.every((d) => d.severity !== 'error' || /nested|deep/.test(d.message)));
  });
});
