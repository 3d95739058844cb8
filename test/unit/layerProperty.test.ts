/**
 * Property test: the layer table's pure arithmetic agrees EXACTLY with tfjs-layers.
 *
 * For every supported factory, seeded random VALID configs and input shapes are built with the
 * real `tf.layers.X(config)` and applied to `tf.input({batchShape})`; output shapes and weight
 * counts must match the table's `outputShape`/`params`. Invalid inputs tfjs rejects must make
 * the table throw ShapeError, as must the zero/negative sizes tfjs lets through.
 *
 * Layers added after the shared generators (test/unit/support/layerGen*.ts) have theirs here:
 * the preprocessing layers, convLstm2d, and `rnn`, whose `cell` is a tfjs cell instance (or a
 * stack of them) and so needs its own runner.
 */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { allLayerSpecs, findLayerSpec } from '../../src/analysis/layers/layerTable';
import { ShapeError, UnknownValue, UnresolvedError } from '../../src/analysis/layers/layerSpec';
import type { LayerConfig, LayerRef } from '../../src/analysis/layers/layerSpec';
import type { OutputShape, Shape } from '../../src/analysis/types';
import { GENERATORS, Rng } from './support/layerGen';
import type { LayerCase, PlainConfig } from './support/layerGen';
import { STRICTER_THAN_TFJS, TFJS_REJECTS } from './support/layerGenInvalid';
import {
  describeCase,
  evalFormula,
  disposeProbedLayer,
  ourConfig,
  ourInput,
  runOurs,
  runTf,
  specOf,
  tfFactory,
} from './support/layerGenTf';
import type { TfOutcome } from './support/layerGenTf';

// ---------------------------------------------------------------------------------------------
// Cases whose `cell` is a tfjs cell: built fresh for tfjs and as LayerRefs for the table.

/** A cell for `rnn`'s `cell`: a factory and its options; `cells` for stackedRNNCells. */
interface CellDesc {
  factory: string;
  config: PlainConfig;
  cells?: CellDesc[];
}

/** An `rnn` case; the same CellDesc object twice means the same cell instance twice. */
interface CellCase extends LayerCase {
  cell: CellDesc | CellDesc[];
}

function isCellCase(c: LayerCase): c is CellCase {
  return (c as Partial<CellCase>).cell !== undefined;
}

function cellTree<T>(cell: CellDesc | CellDesc[], make: (factory: string, config: PlainConfig) => T): T | T[] {
  const made = new Map<CellDesc, T>();
  const one = (d: CellDesc): T => {
    let v = made.get(d);
    if (v === undefined) {
      const config = structuredClone(d.config);
      if (d.cells) config.cells = d.cells.map(one);
      v = make(d.factory, config);
      made.set(d, v);
    }
    return v;
  };
  return Array.isArray(cell) ? cell.map(one) : one(cell);
}

function ourCellTree(cell: CellDesc | CellDesc[]): LayerRef | LayerRef[] {
  return cellTree(cell, (factory, config): LayerRef => ({
    kind: 'layerRef',
    spec: findLayerSpec(factory)!,
    config: config as LayerConfig,
  }));
}

function size(shape: readonly (number | null)[]): number {
  return shape.reduce<number>((a, b) => a * (b as number), 1);
}

/** runTf for a CellCase: `tf.layers.rnn` with tfjs cells, applied to `tf.input`s. */
function runTfCells(c: CellCase): TfOutcome {
  let layer: tf.layers.Layer;
  try {
    const config = { ...structuredClone(c.config), cell: cellTree(c.cell, (f, cfg) => tfFactory(f)!(cfg)) };
    layer = tf.layers.rnn(config as unknown as Parameters<typeof tf.layers.rnn>[0]);
  } catch (e) {
    return { kind: 'constructError', message: (e as Error).message };
  }
  try {
    layer.setFastWeightInitDuringBuild(true);
    const inputs = c.inputs.map((s) => tf.input({ batchShape: s }));
    const out = layer.apply(c.asList ? inputs : inputs[0]) as tf.SymbolicTensor | tf.SymbolicTensor[];
    return {
      kind: 'ok',
      shape: Array.isArray(out) ? out.map((o) => o.shape) : out.shape,
      trainable: layer.trainableWeights.reduce((a, w) => a + size(w.shape), 0),
      nonTrainable: layer.nonTrainableWeights.reduce((a, w) => a + size(w.shape), 0),
      count: layer.countParams(),
      className: layer.getClassName(),
      batchInputShape: null,
    };
  } catch (e) {
    return { kind: 'applyError', message: (e as Error).message };
  } finally {
    disposeProbedLayer(layer);
  }
}

function configOf(c: LayerCase): LayerConfig {
  return isCellCase(c) ? { ...(structuredClone(c.config) as LayerConfig), cell: ourCellTree(c.cell) } : ourConfig(c);
}

/**
 * tfjs's outcome, with its "unknown" sizes as null (randomWidth writes -1 and leaves one unset).
 * The inputs are copied: CenterCrop and CategoryEncoding write their output into the input shape.
 */
function theirsOf(c0: LayerCase): TfOutcome {
  const c = { ...c0, inputs: c0.inputs.map((s) => s.slice()) };
  const t = isCellCase(c) ? runTfCells(c) : runTf(c);
  if (t.kind !== 'ok') return t;
  const unknown = (d: unknown): boolean => d === undefined || (c.factory === 'randomWidth' && d === -1);
  const norm = (s: Shape): Shape => s.map((d) => (unknown(d) ? null : d));
  const shape = t.shape.length > 0 && Array.isArray(t.shape[0]) ? (t.shape as Shape[]).map(norm) : norm(t.shape as Shape);
  return { ...t, shape };
}

function oursOf(c: LayerCase): ReturnType<typeof runOurs> {
  if (!isCellCase(c)) return runOurs(c);
  const spec = specOf(c);
  try {
    return { kind: 'ok', shape: spec.outputShape(configOf(c), ourInput(c)), params: spec.params(configOf(c), ourInput(c)) };
  } catch (e) {
    return { kind: 'error', error: e as Error };
  }
}

/** Config errors the table reports for the case's layer and for each of its cells. */
function configErrors(c: LayerCase): string[] {
  const config = configOf(c);
  const errors = (specOf(c).configIssues?.(config) ?? []).filter((x) => x.severity === 'error').map((x) => x.message);
  const visit = (ref: LayerRef): void => {
    errors.push(...(ref.spec.configIssues?.(ref.config) ?? []).filter((x) => x.severity === 'error').map((x) => x.message));
    if (Array.isArray(ref.config.cells)) (ref.config.cells as LayerRef[]).forEach(visit);
  };
  if (isCellCase(c)) [config.cell as LayerRef | LayerRef[]].flat().forEach(visit);
  return errors;
}

function describeAny(c: LayerCase): string {
  return isCellCase(c) ? `${describeCase(c)} cell=${JSON.stringify(c.cell)}` : describeCase(c);
}

// ---------------------------------------------------------------------------------------------
// Generators for the layers added after support/layerGen.ts

function put(config: PlainConfig, key: string, value: unknown): void {
  if (value !== undefined) config[key] = value;
}

function dims(r: Rng, n: number, nullP = 0.15, max = 6): (number | null)[] {
  return Array.from({ length: n }, () => (r.bool(nullP) ? null : r.int(1, max)));
}

function batchDim(r: Rng): number | null {
  return r.bool(0.8) ? null : r.int(1, 3);
}

/** An image, (batch, h, w, c), or rank 3, which tfjs's image ops take as one image. */
function image(r: Rng): Shape {
  return [batchDim(r), ...dims(r, r.pick([2, 3]))];
}

const GATE_CELLS = ['simpleRNNCell', 'lstmCell', 'gruCell'];

function gateCell(r: Rng, factory = r.pick(GATE_CELLS)): CellDesc {
  const config: PlainConfig = { units: r.int(1, 6) };
  put(config, 'useBias', r.pick([undefined, true, false]));
  put(config, 'activation', r.pick([undefined, 'tanh', 'relu']));
  if (factory !== 'simpleRNNCell') put(config, 'recurrentActivation', r.pick([undefined, 'sigmoid', 'hardSigmoid']));
  if (factory === 'lstmCell') put(config, 'unitForgetBias', r.pick([undefined, true, false]));
  if (factory === 'gruCell') put(config, 'resetAfter', r.pick([undefined, false]));
  if (r.bool(0.15)) config.trainable = false;
  return { factory, config };
}

function stack(r: Rng, first: CellDesc = gateCell(r), depth = 0): CellDesc {
  const cells = [first];
  for (let n = r.int(0, 2); n > 0; n--) cells.push(depth === 0 && r.bool(0.2) ? stack(r, gateCell(r), 1) : gateCell(r));
  const config: PlainConfig = {};
  if (r.bool(0.15)) config.trainable = false;
  return { factory: 'stackedRNNCells', config, cells: r.shuffle(cells) };
}

/** tfjs `cell.stateSize`: a stack lists its last cell's states first. */
function stateSizes(d: CellDesc | CellDesc[]): number[] {
  if (Array.isArray(d)) return d.slice().reverse().flatMap(stateSizes);
  if (d.cells) return stateSizes(d.cells);
  return new Array<number>(d.factory === 'lstmCell' ? 2 : 1).fill(d.config.units as number);
}

function rnnCase(r: Rng, cell: CellDesc | CellDesc[]): CellCase {
  const config: PlainConfig = {};
  for (const key of ['returnSequences', 'returnState', 'goBackwards', 'unroll'])
    put(config, key, r.pick([undefined, true, false]));
  if (r.bool(0.1)) config.stateful = true;
  const b = config.stateful ? r.int(1, 3) : batchDim(r);
  const x: Shape = [b, r.bool(0.2) ? null : r.int(1, 5), r.int(1, 5)];
  if (r.bool(0.2)) {
    const states: Shape[] = stateSizes(cell).map((d) => [b, d]);
    return { factory: 'rnn', config, cell, inputs: [x, ...states], asList: true };
  }
  return { factory: 'rnn', config, cell, inputs: [x], asList: false };
}

function genRnn(r: Rng): CellCase {
  const form = r.int(0, 3);
  if (form <= 1) return rnnCase(r, gateCell(r));
  if (form === 2) return rnnCase(r, stack(r).cells!);
  return rnnCase(r, stack(r));
}

/** ConvLSTM2D options and an input that fits them (small: tfjs builds real weights). */
function genConvLstm(r: Rng, allowStateful = true): LayerCase {
  const config: PlainConfig = { filters: r.int(1, 4) };
  const kernel = [r.int(1, 3), r.int(1, 3)];
  config.kernelSize = kernel[0] === kernel[1] && r.bool() ? kernel[0] : kernel;
  let dilation = [1, 1];
  if (r.bool(0.4)) config.strides = r.bool() ? r.int(1, 3) : [r.int(1, 3), r.int(1, 3)];
  else if (r.bool(0.3)) {
    dilation = [r.int(1, 2), r.int(1, 2)];
    config.dilationRate = dilation;
  }
  const padding = r.pick([undefined, 'valid', 'same']);
  put(config, 'padding', padding);
  const cf = r.bool(0.3);
  if (cf || r.bool(0.3)) config.dataFormat = cf ? 'channelsFirst' : 'channelsLast';
  for (const key of ['returnSequences', 'returnState', 'useBias', 'goBackwards'])
    put(config, key, r.pick([undefined, true, false]));
  put(config, 'activation', r.pick([undefined, 'tanh', 'relu']));
  if (allowStateful && r.bool(0.1)) config.stateful = true;
  const spatial = kernel.map((k, i) =>
    r.bool(0.1) && !config.stateful ? null : (padding === 'same' ? 1 : k + (k - 1) * (dilation[i] - 1)) + r.int(0, 3),
  );
  const channels = r.int(1, 3);
  const b = config.stateful ? r.int(1, 2) : batchDim(r);
  const t = r.bool(0.2) ? null : r.int(1, 3);
  return {
    factory: 'convLstm2d',
    config,
    inputs: [cf ? [b, t, channels, ...spatial] : [b, t, ...spatial, channels]],
    asList: false,
  };
}

function genCategoryEncoding(r: Rng): LayerCase {
  const config: PlainConfig = { numTokens: r.int(1, 10) };
  const mode = r.pick([undefined, 'multiHot', 'count', 'oneHot', 'int']);
  put(config, 'outputMode', mode);
  const x: Shape = [batchDim(r), ...dims(r, mode === 'int' ? r.int(0, 3) : r.int(0, 1))];
  if (mode === 'oneHot' && x.length === 2) x[1] = r.pick([1, null]);
  return { factory: 'categoryEncoding', config, inputs: [x], asList: false };
}

function genRandomWidth(r: Rng): LayerCase {
  const lo = r.pick([-1, -0.5, -0.2, 0, 0.3]);
  const config: PlainConfig = { factor: r.bool() ? r.pick([0.1, 0.5, 1]) : [lo, lo + r.pick([0, 0.2, 1])] };
  put(config, 'interpolation', r.pick([undefined, 'bilinear', 'nearest']));
  put(config, 'seed', r.pick([undefined, 7]));
  return { factory: 'randomWidth', config, inputs: [image(r)], asList: false };
}

function single(factory: string, config: PlainConfig, input: Shape): LayerCase {
  return { factory, config, inputs: [input], asList: false };
}

const NEW_GENERATORS: Record<string, (r: Rng) => LayerCase> = {
  rnn: genRnn,
  simpleRNNCell: (r) =>
    r.bool(0.7) ? rnnCase(r, gateCell(r, 'simpleRNNCell')) : rnnCase(r, stack(r, gateCell(r, 'simpleRNNCell'))),
  lstmCell: (r) => (r.bool(0.7) ? rnnCase(r, gateCell(r, 'lstmCell')) : rnnCase(r, stack(r, gateCell(r, 'lstmCell')))),
  gruCell: (r) => (r.bool(0.7) ? rnnCase(r, gateCell(r, 'gruCell')) : rnnCase(r, stack(r, gateCell(r, 'gruCell')))),
  stackedRNNCells: (r) => rnnCase(r, stack(r)),
  convLstm2d: genConvLstm,
  // ConvLSTM2DCell runs only inside convLstm2d, which builds one from the same options.
  convLstm2dCell: genConvLstm,
  // bidirectional also wraps convLstm2d (the shared generator covers simpleRNN, lstm, gru).
  bidirectional: (r) => {
    if (!r.bool(0.2)) return GENERATORS.bidirectional(r);
    const inner = genConvLstm(r, false);
    const config: PlainConfig = {};
    put(config, 'mergeMode', r.pick([undefined, 'concat', 'sum', 'ave', null]));
    return {
      factory: 'bidirectional',
      config,
      inner: { factory: 'convLstm2d', config: inner.config },
      inputs: inner.inputs,
      asList: false,
    };
  },
  rescaling: (r) => {
    const config: PlainConfig = { scale: r.pick([1 / 255, 2, 0.5]) };
    put(config, 'offset', r.pick([undefined, 0, -1, 0.5]));
    return single('rescaling', config, [batchDim(r), ...dims(r, r.int(1, 4))]);
  },
  resizing: (r) => {
    const config: PlainConfig = { height: r.int(1, 8), width: r.int(1, 8) };
    put(config, 'interpolation', r.pick([undefined, 'bilinear', 'nearest']));
    put(config, 'cropToAspectRatio', r.pick([undefined, true, false]));
    return single('resizing', config, image(r));
  },
  centerCrop: (r) => single('centerCrop', { height: r.int(1, 8), width: r.int(1, 8) }, image(r)),
  categoryEncoding: genCategoryEncoding,
  randomWidth: genRandomWidth,
};

/** One generator per factory in the layer table. */
const ALL_GENERATORS: Record<string, (r: Rng) => LayerCase> = { ...GENERATORS, ...NEW_GENERATORS };

const VALID_CASES_PER_LAYER = 200;
const INVALID_CASES_PER_KIND = 6;

function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

function failWith(title: string, problems: string[], total: number): void {
  if (problems.length === 0) return;
  assert.fail(`${title}: ${problems.length} of ${total} cases disagree. First ones:\n  ${problems.slice(0, 5).join('\n  ')}`);
}

function hasNonPositive(shape: OutputShape): boolean {
  return (shape as unknown[]).flat().some((d) => typeof d === 'number' && d <= 0);
}

let casesRun = 0;
let prevProd = false;

describe('layer table vs tfjs-layers', function () {
  this.timeout(120_000);

  before(async () => {
    prevProd = tf.env().getBool('PROD');
    tf.env().set('PROD', true); // silences tfjs's "Hi, looks like you are running in Node.js" notice
    await tf.setBackend('cpu');
  });

  after(() => {
    tf.env().set('PROD', prevProd);
    if (process.env.LAYER_PROPERTY_VERBOSE) console.log(`layer property test: ${casesRun} cases`);
  });

  describe('names', () => {
    it('every factory and alias exists in tf.layers and resolves to its spec', () => {
      for (const spec of allLayerSpecs) {
        for (const name of [spec.factory, ...(spec.aliases ?? [])]) {
          assert.ok(tfFactory(name), `tf.layers.${name} does not exist`);
          assert.equal(findLayerSpec(name), spec);
        }
      }
      assert.equal(findLayerSpec('noSuchLayer'), undefined);
      assert.equal(findLayerSpec('toString'), undefined);
    });

    it('has a generator for every spec (so every layer is property-tested)', () => {
      for (const spec of allLayerSpecs) assert.ok(ALL_GENERATORS[spec.factory], `no generator for ${spec.factory}`);
    });
  });

  describe(`random valid configs (${VALID_CASES_PER_LAYER} per layer) agree exactly`, () => {
    for (const spec of allLayerSpecs) {
      it(spec.factory, () => {
        const rng = new Rng(seedOf(spec.factory));
        const problems: string[] = [];
        let total = 0;
        for (let i = 0; i < VALID_CASES_PER_LAYER; i++) {
          // A cell's generator makes `rnn` cases: the case's own spec is the one compared.
          const c = ALL_GENERATORS[spec.factory](rng);
          const caseSpec = specOf(c);
          total++;
          casesRun++;
          const where = describeAny(c);
          const theirs = theirsOf(c);
          if (theirs.kind !== 'ok') {
            problems.push(`tfjs rejected a generated case (${theirs.kind}: ${theirs.message}): ${where}`);
            continue;
          }
          const ours = oursOf(c);
          if (ours.kind !== 'ok') {
            problems.push(`we threw ${ours.error.constructor.name}: ${ours.error.message}: ${where}`);
            continue;
          }
          try {
            assert.deepEqual(ours.shape, theirs.shape, 'output shape');
            assert.equal(caseSpec.className, theirs.className, 'className');
            assert.equal(ours.params.trainable, theirs.trainable, 'trainable params');
            assert.equal(ours.params.nonTrainable, theirs.nonTrainable, 'non-trainable params');
            assert.equal(ours.params.trainable + ours.params.nonTrainable, theirs.count, 'countParams()');
            assert.equal(evalFormula(ours.params.formula), theirs.count, `formula ${ours.params.formula}`);
            assert.equal(ours.params.formula === '', theirs.count === 0, `formula '${ours.params.formula}' for ${theirs.count}`);
            assert.ok(!ours.params.formula.includes('*'), 'formula uses × for products');
            if (!c.allowConfigErrors) assert.deepEqual(configErrors(c), [], 'config issues');
            if (caseSpec.impliedInputShape && theirs.batchInputShape && c.config.inputShape === undefined) {
              assert.deepEqual(caseSpec.impliedInputShape(ourConfig(c)), theirs.batchInputShape.slice(1), 'impliedInputShape');
            }
          } catch (e) {
            const ex = e as assert.AssertionError;
            problems.push(
              `${ex.message.split('\n')[0]}: ours ${JSON.stringify(ours.shape)} ${JSON.stringify(ours.params)}, ` +
                `tfjs ${JSON.stringify(theirs)}: ${where}`,
            );
          }
        }
        failWith(spec.factory, problems, total);
      });
    }
  });

  describe('invalid inputs that tfjs rejects make the table throw ShapeError', () => {
    for (const kind of TFJS_REJECTS) {
      it(kind.name, () => {
        const rng = new Rng(seedOf(kind.name));
        const problems: string[] = [];
        for (let i = 0; i < INVALID_CASES_PER_KIND; i++) {
          const c = kind.gen(rng);
          casesRun++;
          const where = describeCase(c);
          const theirs = runTf(c);
          if (theirs.kind !== 'applyError') {
            problems.push(`tfjs did not reject it when applied (${theirs.kind}): ${where}`);
            continue;
          }
          const ours = runOurs(c);
          if (ours.kind === 'ok')
            problems.push(`we accepted it (${JSON.stringify(ours.shape)}); tfjs: ${theirs.message}: ${where}`);
          else if (!(ours.error instanceof ShapeError)) {
            problems.push(`we threw ${ours.error.constructor.name} (${ours.error.message}), not ShapeError: ${where}`);
          }
        }
        failWith(kind.name, problems, INVALID_CASES_PER_KIND);
      });
    }
  });

  describe('sizes tfjs lets through but Keras rejects make the table throw ShapeError', () => {
    for (const kind of STRICTER_THAN_TFJS) {
      it(kind.name, () => {
        const rng = new Rng(seedOf(kind.name));
        const problems: string[] = [];
        for (let i = 0; i < INVALID_CASES_PER_KIND; i++) {
          const c = kind.gen(rng);
          casesRun++;
          const where = describeCase(c);
          const theirs = runTf(c);
          if (theirs.kind !== 'ok') problems.push(`tfjs now rejects it (${theirs.kind}: ${theirs.message}): ${where}`);
          else if (kind.tfjs === 'nonPositiveDim' && !hasNonPositive(theirs.shape)) {
            problems.push(`tfjs gave ${JSON.stringify(theirs.shape)}, with no zero/negative size: ${where}`);
          }
          const ours = runOurs(c);
          if (ours.kind === 'ok') problems.push(`we accepted it (${JSON.stringify(ours.shape)}): ${where}`);
          else if (!(ours.error instanceof ShapeError)) {
            problems.push(`we threw ${ours.error.constructor.name} (${ours.error.message}), not ShapeError: ${where}`);
          } else if (kind.tfjs === 'nonPositiveDim' && !/dimension size|leaves nothing/.test(ours.error.message)) {
            problems.push(`unexpected message "${ours.error.message}": ${where}`);
          }
        }
        failWith(kind.name, problems, INVALID_CASES_PER_KIND);
      });
    }

    it('explains a negative size with the kernel, the input and the would-be output', () => {
      const spec = findLayerSpec('conv2d')!;
      assert.throws(
        () => spec.outputShape({ filters: 8, kernelSize: 5 }, [null, 3, 3, 1]),
        (e: Error) =>
          e instanceof ShapeError &&
          e.message.includes('Negative dimension size') &&
          e.message.includes('5×5 kernel does not fit a 3×3 input') &&
          e.message.includes("(padding 'valid')") &&
          e.message.includes('(None, -1, -1, 8)'),
      );
    });

    it('explains a wrong input rank like tfjs does', () => {
      assert.throws(
        () => findLayerSpec('conv2d')!.outputShape({ filters: 8, kernelSize: 3 }, [null, 28, 28]),
        (e: Error) =>
          e instanceof ShapeError && e.message.includes('expected ndim=4, found ndim=3') && e.message.includes('(None, 28, 28)'),
      );
    });

    it('keeps an unknown size unknown where tfjs cropping2D computes a negative one', () => {
      const c: LayerCase = { factory: 'cropping2D', config: { cropping: 1 }, inputs: [[null, null, 5, 1]], asList: false };
      const theirs = runTf(c);
      assert.equal(theirs.kind, 'ok');
      if (theirs.kind === 'ok') assert.deepEqual(theirs.shape, [null, -2, 3, 1]);
      const ours = runOurs(c);
      assert.equal(ours.kind, 'ok');
      if (ours.kind === 'ok') assert.deepEqual(ours.shape, [null, null, 3, 1]);
    });
  });

  describe('configs tfjs rejects when the layer is constructed', () => {
    const CASES: [string, PlainConfig][] = [
      ['dense', {}],
      ['dense', { units: 0 }],
      ['dense', { units: 2.5 }],
      ['dense', { units: 4, activation: 'hard_sigmoid' }],
      ['dense', { units: 4, activation: 'leakyRelu' }],
      ['conv2d', { filters: 0, kernelSize: 3 }],
      ['conv2d', { filters: 4, kernelSize: 3, padding: 'full' }],
      ['conv2d', { filters: 4, kernelSize: [3] }],
      ['conv2d', { filters: 4, kernelSize: 3, dataFormat: 'NHWC' }],
      ['conv1d', { filters: 4, kernelSize: [3, 3] }],
      ['conv3d', { filters: 4, kernelSize: [3, 3] }],
      ['conv2dTranspose', { filters: 4, kernelSize: 3, padding: 'causal' }],
      ['separableConv2d', { filters: 4, kernelSize: 3, kernelInitializer: 'ones' }],
      ['separableConv2d', { kernelSize: 3 }],
      ['maxPooling2d', { poolSize: 2, strides: [1, 2, 3] }],
      ['maxPooling1d', { poolSize: [2, 2] }],
      ['maxPooling2d', { poolSize: 0 }],
      ['gru', { units: 4, resetAfter: true }],
      ['lstm', { units: -1 }],
      ['simpleRNN', { units: 3, activation: 'leaky_relu' }],
      ['elu', { alpha: 0.5 }],
      ['embedding', { outputDim: 3 }],
      ['embedding', { inputDim: 10, outputDim: 0 }],
      ['permute', { dims: [0, 1] }],
      ['permute', { dims: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }],
      ['permute', {}],
      ['upSampling2d', { interpolation: 'cubic' }],
      ['upSampling2d', { dataFormat: 'nchw' }],
      ['zeroPadding2d', { padding: [1, 2, 3] }],
      ['inputLayer', {}],
      ['inputLayer', { inputShape: [4], batchInputShape: [null, 4] }],
      ['inputLayer', { batchInputShape: [null, 4], batchSize: 2 }],
      ['prelu', { sharedAxes: 'all' }],
      ['layerNormalization', { axis: 1.5 }],
      ['rnn', {}],
      ['lstmCell', { units: 0 }],
      ['gruCell', { units: 2, resetAfter: true }],
      ['simpleRNNCell', { units: 3, activation: 'leaky_relu' }],
      ['convLstm2dCell', { filters: 2 }],
      ['convLstm2d', { kernelSize: 3 }],
      ['convLstm2d', { filters: 2, kernelSize: [3, 3, 3] }],
      ['convLstm2d', { filters: 2, kernelSize: 3, padding: 'full' }],
      ['convLstm2d', { filters: 2, kernelSize: 3, unroll: true }],
      ['resizing', { height: 2, width: 2, interpolation: 'cubic' }],
      ['randomWidth', { factor: 0 }],
      ['randomWidth', { factor: [0.5, 0.1] }],
      ['randomWidth', { factor: [-2, 0] }],
      ['randomWidth', { factor: [0.1] }],
    ];
    for (const [factory, config] of CASES) {
      it(`${factory}(${JSON.stringify(config)})`, () => {
        const c: LayerCase = { factory, config, inputs: [[null, 4]], asList: false };
        const theirs = runTf(c);
        assert.equal(theirs.kind, 'constructError', 'tfjs constructs it');
        const issues = specOf(c).configIssues?.(ourConfig(c)) ?? [];
        assert.ok(
          issues.some((x) => x.severity === 'error'),
          `no error issue (tfjs: ${theirs.kind === 'constructError' ? theirs.message : ''})`,
        );
        assert.throws(
          () => specOf(c).outputShape(ourConfig(c), ourInput(c)),
          (e: Error) => e instanceof UnresolvedError && !(e instanceof ShapeError),
        );
      });
    }

    it('bidirectional with an invalid mergeMode', () => {
      const c: LayerCase = {
        factory: 'bidirectional',
        config: { mergeMode: 'max' },
        inner: { factory: 'lstm', config: { units: 2 } },
        inputs: [[null, 3, 2]],
        asList: false,
      };
      assert.equal(runTf(c).kind, 'constructError');
      assert.ok(specOf(c).configIssues!(ourConfig(c)).some((x) => x.severity === 'error'));
    });
  });

  describe('values the evaluator could not resolve', () => {
    it('make outputShape throw UnresolvedError, and are not config errors', () => {
      const unknown = new UnknownValue('a function parameter');
      const cases: [string, LayerConfig, OutputShape][] = [
        ['dense', { units: unknown }, [null, 4]],
        ['conv2d', { filters: 4, kernelSize: [3, unknown] }, [null, 8, 8, 1]],
        ['reshape', { targetShape: unknown }, [null, 4]],
        ['bidirectional', { layer: unknown }, [null, 3, 2]],
        [
          'concatenate',
          { axis: unknown },
          [
            [null, 2],
            [null, 2],
          ],
        ],
      ];
      for (const [factory, config, input] of cases) {
        const spec = findLayerSpec(factory)!;
        assert.throws(
          () => spec.outputShape(config, input),
          (e: Error) => e instanceof UnresolvedError && !(e instanceof ShapeError),
          factory,
        );
        assert.deepEqual(spec.configIssues?.(config) ?? [], [], factory);
      }
    });

    it('make the newer layers unknown too, with no config error', () => {
      const unknown = new UnknownValue('a function parameter');
      const lstm = ourCellTree({ factory: 'lstmCell', config: { units: 2 } });
      const cases: [string, LayerConfig, OutputShape][] = [
        ['rnn', { cell: unknown }, [null, 3, 2]],
        ['rnn', { cell: [lstm as LayerRef, unknown] }, [null, 3, 2]],
        ['rnn', { cell: ourCellTree({ factory: 'lstmCell', config: { units: unknown } as PlainConfig }) }, [null, 3, 2]],
        ['stackedRNNCells', { cells: unknown }, [null, 2]],
        ['convLstm2d', { filters: unknown, kernelSize: 3 }, [null, 2, 5, 5, 1]],
        ['resizing', { height: unknown, width: 2 }, [null, 4, 4, 3]],
        ['categoryEncoding', { numTokens: unknown }, [null, 2]],
        ['randomWidth', { factor: unknown }, [null, 4, 4, 3]],
      ];
      for (const [factory, config, input] of cases) {
        const spec = findLayerSpec(factory)!;
        assert.throws(
          () => spec.outputShape(config, input),
          (e: Error) => e instanceof UnresolvedError && !(e instanceof ShapeError),
          factory,
        );
        assert.deepEqual(
          (spec.configIssues?.(config) ?? []).filter((x) => x.severity === 'error'),
          [],
          factory,
        );
      }
    });

    it('do not hide a bad activation or padding name', () => {
      const unknown = new UnknownValue('a function parameter');
      const dense = findLayerSpec('dense')!.configIssues!({ units: unknown, activation: 'hard_sigmoid' });
      assert.ok(dense.some((x) => x.severity === 'error' && x.message.includes("'hardSigmoid'")));
      const conv = findLayerSpec('conv2d')!.configIssues!({ filters: unknown, kernelSize: 3, padding: 'full' });
      assert.ok(conv.some((x) => x.severity === 'error' && x.message.includes('padding')));
    });
  });

  describe('formulas', () => {
    it('read like the weight shapes', () => {
      assert.equal(findLayerSpec('conv2d')!.params({ filters: 32, kernelSize: 3 }, [null, 28, 28, 1]).formula, '3×3×1×32 + 32');
      assert.equal(findLayerSpec('dense')!.params({ units: 64 }, [null, 576]).formula, '576×64 + 64');
      assert.equal(findLayerSpec('lstm')!.params({ units: 8 }, [null, 5, 3]).formula, '4×(3×8 + 8×8 + 8)');
      assert.equal(findLayerSpec('flatten')!.params({}, [null, 2, 3]).formula, '');
      const bn = findLayerSpec('batchNormalization')!.params({}, [null, 10, 16]);
      assert.deepEqual(bn, { trainable: 32, nonTrainable: 32, formula: '2×16 + 2×16' });
      const stacked = ourCellTree([
        { factory: 'lstmCell', config: { units: 8 } },
        { factory: 'simpleRNNCell', config: { units: 4, trainable: false } },
      ]);
      assert.deepEqual(findLayerSpec('rnn')!.params({ cell: stacked }, [null, 5, 3]), {
        trainable: 384,
        nonTrainable: 52,
        formula: '4×(3×8 + 8×8 + 8) + 8×4 + 4×4 + 4',
      });
      assert.equal(
        findLayerSpec('convLstm2d')!.params({ filters: 8, kernelSize: 3 }, [null, 4, 9, 9, 2]).formula,
        '4×(3×3×2×8 + 3×3×8×8 + 8)',
      );
    });
  });

  describe('rnn cells, convLstm2d and preprocessing beyond valid configs', () => {
    const cell = (factory: string, units: number): CellDesc => ({ factory, config: { units } });
    const rnn = (c: CellDesc | CellDesc[], inputs: Shape[], config: PlainConfig = {}): CellCase => ({
      factory: 'rnn',
      config,
      cell: c,
      inputs,
      asList: inputs.length > 1,
    });
    const plain = (factory: string, config: PlainConfig, ...inputs: Shape[]): LayerCase => ({
      factory,
      config,
      inputs,
      asList: inputs.length > 1,
    });
    const twice = cell('lstmCell', 4);
    const convLstm = { filters: 3, kernelSize: 2 };

    const TFJS_REJECTS_NEW: [string, LayerCase][] = [
      ['rnn on a 4D input', rnn(cell('lstmCell', 4), [[null, 5, 3, 2]])],
      ['rnn with unknown features', rnn(cell('gruCell', 4), [[null, 5, null]])],
      [
        'rnn with one initial state for an lstmCell',
        rnn(cell('lstmCell', 4), [
          [null, 5, 3],
          [null, 4],
        ]),
      ],
      [
        "rnn with a stack's states first cell first",
        rnn(
          [cell('lstmCell', 4), cell('gruCell', 2)],
          [
            [null, 5, 3],
            [null, 4],
            [null, 4],
            [null, 2],
          ],
        ),
      ],
      ['a stateful rnn without a batch size', rnn(cell('simpleRNNCell', 4), [[null, 5, 3]], { stateful: true })],
      ['the same cell twice in a stack', rnn([twice, twice], [[null, 5, 4]])],
      ['convLstm2d on a 4D input', plain('convLstm2d', convLstm, [null, 8, 8, 2])],
      ['convLstm2d with unknown channels', plain('convLstm2d', convLstm, [null, 5, 8, 8, null])],
      ['convLstm2d with initial states', plain('convLstm2d', convLstm, [null, 5, 8, 8, 2], [null, 7, 7, 3], [null, 7, 7, 3])],
      ['a stateful convLstm2d with unknown rows', plain('convLstm2d', { ...convLstm, stateful: true }, [2, 5, null, 8, 2])],
    ];
    for (const [name, c] of TFJS_REJECTS_NEW) {
      it(`tfjs rejects ${name}, and the table throws ShapeError`, () => {
        const theirs = theirsOf(c);
        assert.equal(theirs.kind, 'applyError', `tfjs: ${JSON.stringify(theirs)}`);
        const ours = oursOf(c);
        assert.ok(
          ours.kind === 'error' && ours.error instanceof ShapeError,
          ours.kind === 'error' ? ours.error.message : 'accepted',
        );
      });
    }

    const CANNOT_RUN: [string, LayerCase][] = [
      ['resizing on a 2D input', plain('resizing', { height: 2, width: 2 }, [null, 10])],
      ['resizing on a 5D input', plain('resizing', { height: 2, width: 2 }, [null, 2, 8, 8, 3])],
      ['centerCrop on a 2D input', plain('centerCrop', { height: 2, width: 2 }, [null, 10])],
      ['randomWidth on a 5D input', plain('randomWidth', { factor: 0.2 }, [null, 2, 8, 8, 3])],
      ['categoryEncoding on a 3D input', plain('categoryEncoding', { numTokens: 4 }, [null, 2, 3])],
      ["categoryEncoding 'oneHot' on (batch, 3)", plain('categoryEncoding', { numTokens: 4, outputMode: 'oneHot' }, [null, 3])],
      ['an lstmCell applied on its own', plain('lstmCell', { units: 4 }, [null, 3])],
      ['a simpleRNNCell applied on its own', plain('simpleRNNCell', { units: 4 }, [null, 3])],
      [
        'convLstm2d whose kernel is larger than the input',
        plain('convLstm2d', { filters: 2, kernelSize: 4 }, [null, 3, 2, 8, 2]),
      ],
    ];
    for (const [name, c] of CANNOT_RUN) {
      it(`tfjs builds ${name} but cannot run it; the table throws ShapeError`, () => {
        assert.equal(theirsOf(c).kind, 'ok');
        const ours = oursOf(c);
        assert.ok(
          ours.kind === 'error' && ours.error instanceof ShapeError,
          ours.kind === 'error' ? ours.error.message : 'accepted',
        );
      });
    }

    const CONFIG_ERRORS: [string, LayerCase, 'constructError' | 'ok'][] = [
      ['rnn with a dense layer as its cell', rnn({ factory: 'dense', config: { units: 3 } }, [[null, 5, 3]]), 'constructError'],
      ['rnn with a convLstm2dCell', rnn({ factory: 'convLstm2dCell', config: convLstm }, [[null, 5, 3]]), 'ok'],
      ['rnn with an empty list of cells', rnn([], [[null, 5, 3]]), 'ok'],
      ['rescaling without scale', plain('rescaling', {}, [null, 4]), 'ok'],
      ['resizing without height', plain('resizing', { width: 3 }, [null, 4, 4, 3]), 'ok'],
      ['categoryEncoding without numTokens', plain('categoryEncoding', {}, [null, 4]), 'ok'],
      ["categoryEncoding with outputMode 'foo'", plain('categoryEncoding', { numTokens: 3, outputMode: 'foo' }, [null, 4]), 'ok'],
    ];
    for (const [name, c, tfjs] of CONFIG_ERRORS) {
      it(`${name} is a config error (tfjs: ${tfjs})`, () => {
        assert.equal(theirsOf(c).kind, tfjs);
        assert.ok(configErrors(c).length > 0, 'no config error');
        assert.throws(
          () => specOf(c).outputShape(configOf(c), ourInput(c)),
          (e: Error) => e instanceof UnresolvedError && !(e instanceof ShapeError),
        );
      });
    }

    it("convLstm2d padding 'causal': tfjs builds it, conv2d cannot run it; shapes as 'valid'", () => {
      const c = plain('convLstm2d', { ...convLstm, padding: 'causal' }, [null, 5, 8, 8, 2]);
      const theirs = theirsOf(c);
      const ours = oursOf(c);
      assert.ok(theirs.kind === 'ok' && ours.kind === 'ok');
      assert.deepEqual(ours.shape, theirs.shape);
      assert.ok(configErrors(c).some((m) => m.includes('causal')));
    });

    it('bidirectional cannot wrap rnn: tfjs fails to copy its cell', () => {
      assert.throws(
        () => tf.layers.bidirectional({ layer: tf.layers.rnn({ cell: tf.layers.lstmCell({ units: 2 }) }) }),
        /Improper config format/,
      );
      const layer: LayerRef = {
        kind: 'layerRef',
        spec: findLayerSpec('rnn')!,
        config: { cell: ourCellTree(cell('lstmCell', 2)) },
      };
      assert.ok(findLayerSpec('bidirectional')!.configIssues!({ layer }).some((x) => x.severity === 'error'));
    });

    it('resizing and randomWidth keep the shapes tfjs builds on, and warn that they drop the batch axis', () => {
      for (const [factory, config] of [
        ['resizing', { height: 5, width: 7 }],
        ['randomWidth', { factor: 0.2 }],
      ] as const) {
        const c = plain(factory, config, [null, 10, 12, 3]);
        const theirs = theirsOf(c);
        const ours = oursOf(c);
        assert.ok(theirs.kind === 'ok' && ours.kind === 'ok');
        assert.deepEqual(ours.shape, theirs.shape);
        assert.equal(ours.shape.length, 3);
        assert.ok(
          findLayerSpec(factory)!.configIssues!(config).some((x) => x.severity === 'warning' && x.message.includes('batch axis')),
        );
      }
    });

    it('the rnn generators cover stacks, nested stacks, initial states, returnState, stateful and frozen cells', () => {
      const seen = new Set<string>();
      const walk = (d: CellDesc, depth: number): void => {
        if (d.cells) seen.add(depth > 0 ? 'nested stack' : 'stackedRNNCells');
        if (d.config.trainable === false) seen.add('trainable: false');
        d.cells?.forEach((x) => walk(x, depth + 1));
      };
      const rng = new Rng(seedOf('rnn coverage'));
      for (let i = 0; i < VALID_CASES_PER_LAYER; i++) {
        const c = NEW_GENERATORS.rnn(rng) as CellCase;
        if (Array.isArray(c.cell)) seen.add('cell list');
        [c.cell].flat().forEach((d) => walk(d, 0));
        if (c.asList) seen.add('initial states');
        if (c.config.returnState) seen.add('returnState');
        if (c.config.stateful) seen.add('stateful');
      }
      const all = [
        'cell list',
        'stackedRNNCells',
        'nested stack',
        'trainable: false',
        'initial states',
        'returnState',
        'stateful',
      ];
      assert.deepEqual(
        all.filter((k) => !seen.has(k)),
        [],
      );
    });
  });
});
