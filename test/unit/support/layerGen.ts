/**
 * Seeded random generators of VALID layer configurations and input shapes, one per supported
 * `tf.layers` factory, for the property test that compares the layer table with tfjs.
 */
import type { Shape } from '../../../src/analysis/types';

export type PlainConfig = { [key: string]: unknown };

export interface LayerCase {
  factory: string;
  config: PlainConfig;
  /** For wrappers: the layer passed as `config.layer`. */
  inner?: { factory: string; config: PlainConfig };
  /** Input shapes, batch included. */
  inputs: Shape[];
  /** Apply to the list of inputs (merge layers, RNN initial states) instead of the first one. */
  asList: boolean;
  /** The config is valid for shapes but has a config issue we flag as an error (e.g. causal padding). */
  allowConfigErrors?: boolean;
}

/** mulberry32: small, fast, good enough for test data. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }
  bool(p = 0.5): boolean {
    return this.next() < p;
  }
  shuffle<T>(items: readonly T[]): T[] {
    const a = items.slice();
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
  }
}

/** Sets `key` unless the value is undefined (so "absent" is also exercised). */
function put(config: PlainConfig, key: string, value: unknown): void {
  if (value !== undefined) config[key] = value;
}

function batch(r: Rng): number | null {
  return r.bool(0.8) ? null : r.int(1, 3);
}

/** `n` (when all equal, sometimes) or the array. */
function tuple(r: Rng, values: number[]): number | number[] {
  return values.every((v) => v === values[0]) && r.bool() ? values[0] : values;
}

function randomShape(r: Rng, minRank: number, maxRank: number, nullP = 0.15, maxDim = 6): Shape {
  const rank = r.int(minRank, maxRank);
  const s: Shape = [batch(r)];
  for (let i = 1; i < rank; i++) s.push(r.bool(nullP) ? null : r.int(1, maxDim));
  return s;
}

function single(factory: string, config: PlainConfig, input: Shape, extra: Partial<LayerCase> = {}): LayerCase {
  return { factory, config, inputs: [input], asList: false, ...extra };
}

// ---------------------------------------------------------------------------------------------
// convolutions

type ConvKind = 'conv' | 'transpose' | 'separable' | 'depthwise';

function genConv(r: Rng, factory: string, rank: number, kind: ConvKind): LayerCase {
  const config: PlainConfig = {};
  if (kind !== 'depthwise') config.filters = r.int(1, 6);
  const kernel = Array.from({ length: rank }, () => r.int(1, rank === 3 ? 3 : 4));
  config.kernelSize = tuple(r, kernel);
  let strides = kernel.map(() => 1);
  if (r.bool(0.5)) {
    strides = kernel.map(() => r.int(1, 3));
    config.strides = tuple(r, strides);
  }
  let dilation = kernel.map(() => 1);
  const stridesOne = strides.every((s) => s === 1);
  if ((stridesOne || kind === 'transpose' || kind === 'depthwise') && r.bool(0.3)) {
    dilation = kernel.map(() => r.int(1, 3));
    config.dilationRate = tuple(r, dilation);
  }
  const paddings: (string | undefined)[] = [undefined, 'valid', 'same'];
  let padding = r.pick(paddings);
  let allowConfigErrors = false;
  if (factory === 'conv1d' && r.bool(0.1)) {
    padding = 'causal';
    allowConfigErrors = true;
  }
  put(config, 'padding', padding);
  const format = r.pick([undefined, 'channelsLast', 'channelsFirst']);
  put(config, 'dataFormat', format);
  put(config, 'useBias', r.pick([undefined, true, false]));
  put(config, 'activation', r.pick([undefined, 'relu', 'linear', 'tanh', 'sigmoid']));
  if (kind === 'separable' || kind === 'depthwise') put(config, 'depthMultiplier', r.pick([undefined, 1, 2, 3]));
  const channels = r.int(1, 5);
  const spatial = kernel.map((k, i) => {
    if (r.bool(0.1)) return null;
    const effective = kind === 'depthwise' ? k : k + (k - 1) * (dilation[i] - 1);
    const minSize = padding === 'same' || kind === 'transpose' ? 1 : effective;
    return minSize + r.int(0, rank === 3 ? 3 : 6);
  });
  const input: Shape = format === 'channelsFirst' ? [batch(r), channels, ...spatial] : [batch(r), ...spatial, channels];
  return single(factory, config, input, { allowConfigErrors });
}

// ---------------------------------------------------------------------------------------------
// pooling

function genPool(r: Rng, factory: string, rank: number): LayerCase {
  const config: PlainConfig = {};
  const pool = Array.from({ length: rank }, () => r.int(1, rank === 3 ? 3 : 4));
  if (r.bool(0.85)) config.poolSize = rank === 1 ? (r.bool() ? pool[0] : [pool[0]]) : tuple(r, pool);
  else pool.fill(2);
  if (r.bool(0.5)) {
    const strides = pool.map(() => r.int(1, 3));
    config.strides = rank === 1 ? (r.bool() ? strides[0] : [strides[0]]) : tuple(r, strides);
  }
  const padding = r.pick([undefined, 'valid', 'same', 'causal']);
  put(config, 'padding', padding);
  const format = rank === 1 ? undefined : r.pick([undefined, 'channelsLast', 'channelsFirst']);
  put(config, 'dataFormat', format);
  const spatial = pool.map((p) => (r.bool(0.1) ? null : (padding === 'same' ? 1 : p) + r.int(0, 6)));
  const channels = r.int(1, 5);
  const input: Shape = format === 'channelsFirst' ? [batch(r), channels, ...spatial] : [batch(r), ...spatial, channels];
  return single(factory, config, input);
}

function genGlobalPool(r: Rng, factory: string, rank: number): LayerCase {
  const config: PlainConfig = {};
  if (rank === 2) put(config, 'dataFormat', r.pick([undefined, 'channelsLast', 'channelsFirst']));
  return single(factory, config, randomShape(r, rank + 2, rank + 2));
}

// ---------------------------------------------------------------------------------------------
// core

function genDense(r: Rng): LayerCase {
  const config: PlainConfig = { units: r.int(1, 8) };
  put(config, 'useBias', r.pick([undefined, true, false]));
  put(config, 'activation', r.pick([undefined, 'relu', 'softmax', 'linear', 'gelu_new', 'logSoftmax']));
  const input = randomShape(r, 2, 4);
  input[input.length - 1] = r.int(1, 8);
  if (input.length === 2 && r.bool(0.3)) config.inputDim = input[1];
  return single('dense', config, input);
}

function genFlatten(r: Rng): LayerCase {
  return single('flatten', {}, randomShape(r, 3, 5, 0));
}

function factorize(r: Rng, n: number, parts: number): number[] {
  const out: number[] = [];
  let rest = n;
  for (let i = 0; i < parts - 1; i++) {
    const divisors = [];
    for (let d = 1; d <= rest; d++) if (rest % d === 0) divisors.push(d);
    const d = r.pick(divisors);
    out.push(d);
    rest /= d;
  }
  out.push(rest);
  return r.shuffle(out);
}

function genReshape(r: Rng): LayerCase {
  const input = randomShape(r, 2, 4, 0);
  const size = input.slice(1).reduce<number>((a, b) => a * (b as number), 1);
  const target: number[] = factorize(r, size, r.int(1, 3));
  if (r.bool(0.5)) target[r.int(0, target.length - 1)] = -1;
  if (r.bool(0.1)) input[r.int(1, input.length - 1)] = null;
  return single('reshape', { targetShape: target }, input);
}

function genPermute(r: Rng): LayerCase {
  const input = randomShape(r, 2, 5);
  const dims = r.shuffle(Array.from({ length: input.length - 1 }, (_v, i) => i + 1));
  return single('permute', { dims }, input);
}

function genRepeatVector(r: Rng): LayerCase {
  return single('repeatVector', { n: r.int(1, 5) }, randomShape(r, 2, 2));
}

function genInputLayer(r: Rng): LayerCase {
  const shape = randomShape(r, 2, 4).slice(1);
  const config: PlainConfig = {};
  if (r.bool()) {
    config.inputShape = shape;
    put(config, 'batchSize', r.pick([undefined, 1, 4]));
  } else {
    config.batchInputShape = [r.pick([null, 2]), ...shape];
  }
  return single('inputLayer', config, [null, ...shape]);
}

function genIdentity(factory: string, extra: (r: Rng) => PlainConfig, minRank = 2, maxRank = 4) {
  return (r: Rng): LayerCase => single(factory, extra(r), randomShape(r, minRank, maxRank));
}

function genPrelu(r: Rng): LayerCase {
  const input = randomShape(r, 2, 4, 0);
  const config: PlainConfig = {};
  if (r.bool(0.6)) {
    const axes = r.shuffle(Array.from({ length: input.length - 1 }, (_v, i) => i + 1)).slice(0, r.int(1, input.length - 1));
    config.sharedAxes = axes.length === 1 && r.bool() ? axes[0] : axes;
    for (const a of axes) if (r.bool(0.3)) input[a] = null;
  }
  return single('prelu', config, input);
}

// ---------------------------------------------------------------------------------------------
// spatial resizing

function genUpSampling(r: Rng): LayerCase {
  const config: PlainConfig = {};
  if (r.bool(0.7)) config.size = [r.int(1, 3), r.int(1, 3)];
  put(config, 'dataFormat', r.pick([undefined, 'channelsLast', 'channelsFirst']));
  put(config, 'interpolation', r.pick([undefined, 'nearest', 'bilinear']));
  return single('upSampling2d', config, randomShape(r, 4, 4));
}

function genPairs(r: Rng, max: number): unknown {
  const form = r.int(0, 2);
  if (form === 0) return r.int(0, max);
  if (form === 1) return [r.int(0, max), r.int(0, max)];
  return [
    [r.int(0, max), r.int(0, max)],
    [r.int(0, max), r.int(0, max)],
  ];
}

function totals(p: unknown): [number, number] {
  if (typeof p === 'number') return [2 * p, 2 * p];
  const a = p as (number | number[])[];
  if (typeof a[0] === 'number') return [2 * (a[0] as number), 2 * (a[1] as number)];
  const pp = a as number[][];
  return [pp[0][0] + pp[0][1], pp[1][0] + pp[1][1]];
}

function genZeroPadding(r: Rng): LayerCase {
  const config: PlainConfig = {};
  if (r.bool(0.8)) config.padding = genPairs(r, 3);
  put(config, 'dataFormat', r.pick([undefined, 'channelsLast', 'channelsFirst']));
  return single('zeroPadding2d', config, randomShape(r, 4, 4));
}

function genCropping(r: Rng): LayerCase {
  const cropping = genPairs(r, 3);
  const format = r.pick([undefined, 'channelsLast', 'channelsFirst']);
  const config: PlainConfig = { cropping };
  put(config, 'dataFormat', format);
  const [rows, cols] = totals(cropping);
  const c = r.int(1, 4);
  const h = rows + r.int(1, 5);
  const w = cols + r.int(1, 5);
  const input: Shape = format === 'channelsFirst' ? [batch(r), c, h, w] : [batch(r), h, w, c];
  return single('cropping2D', config, input);
}

// ---------------------------------------------------------------------------------------------
// recurrent and wrappers

function rnnConfig(r: Rng, factory: string, allowStateful: boolean): PlainConfig {
  const config: PlainConfig = { units: r.int(1, 6) };
  put(config, 'returnSequences', r.pick([undefined, true, false]));
  put(config, 'returnState', r.pick([undefined, true, false]));
  put(config, 'useBias', r.pick([undefined, true, false]));
  put(config, 'goBackwards', r.pick([undefined, true, false]));
  put(config, 'activation', r.pick([undefined, 'tanh', 'relu']));
  if (factory !== 'simpleRNN') put(config, 'recurrentActivation', r.pick([undefined, 'sigmoid', 'hardSigmoid']));
  if (factory === 'lstm') put(config, 'unitForgetBias', r.pick([undefined, true, false]));
  if (factory === 'gru') put(config, 'resetAfter', r.pick([undefined, false]));
  if (allowStateful && r.bool(0.1)) config.stateful = true;
  return config;
}

function genRnn(r: Rng, factory: string): LayerCase {
  const config = rnnConfig(r, factory, true);
  const b = config.stateful ? r.int(1, 3) : batch(r);
  const x: Shape = [b, r.bool(0.2) ? null : r.int(1, 5), r.int(1, 5)];
  if (!config.stateful && r.bool(0.15)) {
    const units = config.units as number;
    const states: Shape[] = Array.from({ length: factory === 'lstm' ? 2 : 1 }, () => [b, units]);
    return { factory, config, inputs: [x, ...states], asList: true };
  }
  return single(factory, config, x);
}

function genBidirectional(r: Rng): LayerCase {
  const innerFactory = r.pick(['simpleRNN', 'lstm', 'gru']);
  const innerConfig = rnnConfig(r, innerFactory, false);
  const config: PlainConfig = {};
  const mode = r.pick(['default', 'concat', 'sum', 'mul', 'ave', null]);
  if (mode !== 'default') config.mergeMode = mode;
  const x: Shape = [batch(r), r.bool(0.2) ? null : r.int(1, 5), r.int(1, 5)];
  const inner = { factory: innerFactory, config: innerConfig };
  if (r.bool(0.15)) {
    // initial states: the forward layer's, then the backward layer's
    const units = innerConfig.units as number;
    const states: Shape[] = Array.from({ length: innerFactory === 'lstm' ? 4 : 2 }, () => [x[0], units]);
    return { factory: 'bidirectional', config, inner, inputs: [x, ...states], asList: true };
  }
  return { factory: 'bidirectional', config, inner, inputs: [x], asList: false };
}

/** Inner layers timeDistributed is tested with, and their generators. */
const TIME_DISTRIBUTED_INNER: [string, (r: Rng) => LayerCase][] = [
  ['dense', genDense],
  ['conv2d', (r) => genConv(r, 'conv2d', 2, 'conv')],
  ['conv1d', (r) => genConv(r, 'conv1d', 1, 'conv')],
  ['maxPooling2d', (r) => genPool(r, 'maxPooling2d', 2)],
  ['flatten', genFlatten],
  ['dropout', genIdentity('dropout', (r) => ({ rate: r.pick([0.1, 0.5]) }))],
  ['batchNormalization', (r) => genBatchNorm(r)],
  ['globalAveragePooling1d', (r) => genGlobalPool(r, 'globalAveragePooling1d', 1)],
];

function genTimeDistributed(r: Rng): LayerCase {
  const [, gen] = r.pick(TIME_DISTRIBUTED_INNER);
  let inner = gen(r);
  while (inner.allowConfigErrors) inner = gen(r);
  const child = inner.inputs[0];
  const x: Shape = [child[0], r.bool(0.2) ? null : r.int(1, 4), ...child.slice(1)];
  return {
    factory: 'timeDistributed',
    config: {},
    inner: { factory: inner.factory, config: inner.config },
    inputs: [x],
    asList: false,
  };
}

// ---------------------------------------------------------------------------------------------
// merge

function genElementwise(r: Rng, factory: string): LayerCase {
  const base = randomShape(r, 2, 4, 0).slice(1);
  const n = r.int(2, 4);
  const fixedBatch = r.bool(0.2) ? r.int(1, 3) : null;
  const inputs: Shape[] = [];
  for (let i = 0; i < n; i++) {
    let dims = base.map((d) => (r.bool(0.15) ? 1 : r.bool(0.1) ? null : d));
    if (r.bool(0.15)) dims = dims.slice(r.int(0, dims.length - 1));
    inputs.push([fixedBatch !== null && r.bool(0.7) ? fixedBatch : null, ...dims]);
  }
  return { factory, config: {}, inputs, asList: true };
}

function genConcatenate(r: Rng): LayerCase {
  const base = randomShape(r, 2, 4);
  const rank = base.length;
  const config: PlainConfig = {};
  let axis = -1;
  if (r.bool(0.7)) {
    const k = r.int(1, rank - 1);
    axis = r.bool() ? k : k - rank;
    config.axis = axis;
  }
  const a = axis < 0 ? rank + axis : axis;
  const n = r.int(2, 4);
  const inputs: Shape[] = [];
  for (let i = 0; i < n; i++) {
    const s = base.slice();
    s[a] = r.bool(0.1) ? null : r.int(1, 5);
    inputs.push(s);
  }
  return { factory: 'concatenate', config, inputs, asList: true };
}

function genDot(r: Rng): LayerCase {
  const r1 = r.int(2, 3);
  const r2 = r.int(2, 3);
  const config: PlainConfig = {};
  let a1: number;
  let a2: number;
  const form = r.int(0, 2);
  if (form === 0) {
    // a single positive axis valid for both
    const a = r.int(1, Math.min(r1, r2) - 1);
    config.axes = a;
    a1 = a;
    a2 = a;
  } else if (form === 1) {
    const a = -r.int(1, Math.min(r1, r2) - 1);
    config.axes = a;
    a1 = a + r1;
    a2 = a + r2;
  } else {
    a1 = r.int(1, r1 - 1);
    a2 = r.int(1, r2 - 1);
    config.axes = r.bool() ? [a1, a2] : [a1 - r1, a2 - r2];
  }
  put(config, 'normalize', r.pick([undefined, true, false]));
  const shared = r.bool(0.1) ? null : r.int(1, 5);
  const b = batch(r);
  const s1: Shape = [b, ...Array.from({ length: r1 - 1 }, () => r.int(1, 5))];
  const s2: Shape = [b, ...Array.from({ length: r2 - 1 }, () => r.int(1, 5))];
  s1[a1] = shared;
  s2[a2] = shared;
  return { factory: 'dot', config, inputs: [s1, s2], asList: true };
}

// ---------------------------------------------------------------------------------------------
// normalization, embedding

function genBatchNorm(r: Rng): LayerCase {
  const input = randomShape(r, 2, 4);
  const config: PlainConfig = {};
  let axis = input.length - 1;
  if (r.bool(0.5)) {
    axis = r.int(1, input.length - 1);
    config.axis = r.bool() ? axis : axis - input.length;
  }
  if (input[axis] === null) input[axis] = r.int(1, 6);
  put(config, 'center', r.pick([undefined, true, false]));
  put(config, 'scale', r.pick([undefined, true, false]));
  put(config, 'momentum', r.pick([undefined, 0.9]));
  return single('batchNormalization', config, input);
}

function genLayerNorm(r: Rng): LayerCase {
  const input = randomShape(r, 2, 4);
  const config: PlainConfig = {};
  let axes = [input.length - 1];
  if (r.bool(0.6)) {
    axes = r.shuffle(Array.from({ length: input.length - 1 }, (_v, i) => i + 1)).slice(0, r.int(1, input.length - 1));
    const written = axes.map((a) => (r.bool() ? a : a - input.length));
    config.axis = written.length === 1 && r.bool() ? written[0] : written;
  }
  for (const a of axes) if (input[a] === null) input[a] = r.int(1, 6);
  put(config, 'center', r.pick([undefined, true, false]));
  put(config, 'scale', r.pick([undefined, true, false]));
  return single('layerNormalization', config, input);
}

function genEmbedding(r: Rng): LayerCase {
  const config: PlainConfig = { inputDim: r.int(1, 30), outputDim: r.int(1, 6) };
  const input = randomShape(r, 2, 3, 0.2, 8);
  const form = r.int(0, 2);
  if (form === 1 && input.length === 2) config.inputLength = input[1] ?? r.int(1, 5);
  else if (form === 2) config.inputLength = input.slice(1).map((d) => (d === null || r.bool(0.3) ? null : d));
  put(config, 'maskZero', r.pick([undefined, true, false]));
  return single('embedding', config, input);
}

// ---------------------------------------------------------------------------------------------

const rate = (r: Rng): PlainConfig => ({ rate: r.pick([0, 0.1, 0.25, 0.5]) });

/** One generator per factory in the layer table. */
export const GENERATORS: Record<string, (r: Rng) => LayerCase> = {
  inputLayer: genInputLayer,
  dense: genDense,
  flatten: genFlatten,
  reshape: genReshape,
  permute: genPermute,
  repeatVector: genRepeatVector,
  masking: genIdentity('masking', (r) => (r.bool() ? { maskValue: r.pick([0, -1]) } : {})),
  activation: genIdentity('activation', (r) => ({ activation: r.pick(['relu', 'softmax', 'tanh', 'selu', 'mish', 'swish']) })),
  reLU: genIdentity('reLU', (r) => (r.bool() ? { maxValue: r.pick([1, 6]) } : {})),
  leakyReLU: genIdentity('leakyReLU', (r) => (r.bool() ? { alpha: r.pick([0.1, 0.3]) } : {})),
  softmax: genIdentity('softmax', (r) => (r.bool() ? { axis: r.pick([-1, 1]) } : {})),
  elu: genIdentity('elu', (r) => (r.bool() ? { alpha: 1 } : {})),
  prelu: genPrelu,
  thresholdedReLU: genIdentity('thresholdedReLU', (r) => (r.bool() ? { theta: r.pick([0.5, 1]) } : {})),
  dropout: genIdentity('dropout', rate),
  spatialDropout1d: genIdentity('spatialDropout1d', rate, 3, 3),
  gaussianNoise: genIdentity('gaussianNoise', (r) => ({ stddev: r.pick([0.1, 1]) })),
  gaussianDropout: genIdentity('gaussianDropout', rate),
  alphaDropout: genIdentity('alphaDropout', rate),
  conv1d: (r) => genConv(r, 'conv1d', 1, 'conv'),
  conv2d: (r) => genConv(r, 'conv2d', 2, 'conv'),
  conv3d: (r) => genConv(r, 'conv3d', 3, 'conv'),
  conv2dTranspose: (r) => genConv(r, 'conv2dTranspose', 2, 'transpose'),
  conv3dTranspose: (r) => genConv(r, 'conv3dTranspose', 3, 'transpose'),
  separableConv2d: (r) => genConv(r, 'separableConv2d', 2, 'separable'),
  depthwiseConv2d: (r) => genConv(r, 'depthwiseConv2d', 2, 'depthwise'),
  upSampling2d: genUpSampling,
  zeroPadding2d: genZeroPadding,
  cropping2D: genCropping,
  maxPooling1d: (r) => genPool(r, 'maxPooling1d', 1),
  maxPooling2d: (r) => genPool(r, 'maxPooling2d', 2),
  maxPooling3d: (r) => genPool(r, 'maxPooling3d', 3),
  averagePooling1d: (r) => genPool(r, 'averagePooling1d', 1),
  averagePooling2d: (r) => genPool(r, 'averagePooling2d', 2),
  averagePooling3d: (r) => genPool(r, 'averagePooling3d', 3),
  globalMaxPooling1d: (r) => genGlobalPool(r, 'globalMaxPooling1d', 1),
  globalMaxPooling2d: (r) => genGlobalPool(r, 'globalMaxPooling2d', 2),
  globalAveragePooling1d: (r) => genGlobalPool(r, 'globalAveragePooling1d', 1),
  globalAveragePooling2d: (r) => genGlobalPool(r, 'globalAveragePooling2d', 2),
  simpleRNN: (r) => genRnn(r, 'simpleRNN'),
  lstm: (r) => genRnn(r, 'lstm'),
  gru: (r) => genRnn(r, 'gru'),
  bidirectional: genBidirectional,
  timeDistributed: genTimeDistributed,
  add: (r) => genElementwise(r, 'add'),
  multiply: (r) => genElementwise(r, 'multiply'),
  average: (r) => genElementwise(r, 'average'),
  maximum: (r) => genElementwise(r, 'maximum'),
  minimum: (r) => genElementwise(r, 'minimum'),
  concatenate: genConcatenate,
  dot: genDot,
  batchNormalization: genBatchNorm,
  layerNormalization: genLayerNorm,
  embedding: genEmbedding,
};
