/**
 * Property test: the layer table's pure arithmetic agrees EXACTLY with tfjs-layers.
 *
 * For every supported factory, seeded random VALID configs and input shapes are built with the
 * real `tf.layers.X(config)` and applied to `tf.input({batchShape})`; output shapes and weight
 * counts must match the table's `outputShape`/`params`. Invalid inputs tfjs rejects must make
 * the table throw ShapeError, as must the zero/negative sizes tfjs lets through.
 */
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { allLayerSpecs, findLayerSpec } from '../../src/analysis/layers/layerTable';
import { ShapeError, UnknownValue, UnresolvedError } from '../../src/analysis/layers/layerSpec';
import type { LayerConfig } from '../../src/analysis/layers/layerSpec';
import type { OutputShape } from '../../src/analysis/types';
import { GENERATORS, Rng } from './support/layerGen';
import type { LayerCase, PlainConfig } from './support/layerGen';
import { STRICTER_THAN_TFJS, TFJS_REJECTS } from './support/layerGenInvalid';
import {
  describeCase,
  evalFormula,
  ourConfig,
  ourInput,
  runOurs,
  runTf,
  specOf,
  tfFactory,
} from './support/layerGenTf';

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
    // eslint-disable-next-line no-console
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
      for (const spec of allLayerSpecs) assert.ok(GENERATORS[spec.factory], `no generator for ${spec.factory}`);
    });
  });

  describe(`random valid configs (${VALID_CASES_PER_LAYER} per layer) agree exactly`, () => {
    for (const spec of allLayerSpecs) {
      it(spec.factory, () => {
        const rng = new Rng(seedOf(spec.factory));
        const problems: string[] = [];
        let total = 0;
        for (let i = 0; i < VALID_CASES_PER_LAYER; i++) {
          const c = GENERATORS[spec.factory](rng);
          total++;
          casesRun++;
          const where = describeCase(c);
          const theirs = runTf(c);
          if (theirs.kind !== 'ok') {
            problems.push(`tfjs rejected a generated case (${theirs.kind}: ${theirs.message}): ${where}`);
            continue;
          }
          const ours = runOurs(c);
          if (ours.kind !== 'ok') {
            problems.push(`we threw ${ours.error.constructor.name}: ${ours.error.message}: ${where}`);
            continue;
          }
          try {
            assert.deepEqual(ours.shape, theirs.shape, 'output shape');
            assert.equal(spec.className, theirs.className, 'className');
            assert.equal(ours.params.trainable, theirs.trainable, 'trainable params');
            assert.equal(ours.params.nonTrainable, theirs.nonTrainable, 'non-trainable params');
            assert.equal(ours.params.trainable + ours.params.nonTrainable, theirs.count, 'countParams()');
            assert.equal(evalFormula(ours.params.formula), theirs.count, `formula ${ours.params.formula}`);
            assert.equal(ours.params.formula === '', theirs.count === 0, `formula '${ours.params.formula}' for ${theirs.count}`);
            assert.ok(!ours.params.formula.includes('*'), 'formula uses × for products');
            const errors = (spec.configIssues?.(ourConfig(c)) ?? []).filter((x) => x.severity === 'error');
            if (!c.allowConfigErrors) assert.deepEqual(errors, [], 'config issues');
            if (spec.impliedInputShape && theirs.batchInputShape && c.config.inputShape === undefined) {
              assert.deepEqual(spec.impliedInputShape(ourConfig(c)), theirs.batchInputShape.slice(1), 'impliedInputShape');
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
          if (ours.kind === 'ok') problems.push(`we accepted it (${JSON.stringify(ours.shape)}); tfjs: ${theirs.message}: ${where}`);
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
        (e: Error) => e instanceof ShapeError && e.message.includes('expected ndim=4, found ndim=3') && e.message.includes('(None, 28, 28)'),
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
    ];
    for (const [factory, config] of CASES) {
      it(`${factory}(${JSON.stringify(config)})`, () => {
        const c: LayerCase = { factory, config, inputs: [[null, 4]], asList: false };
        const theirs = runTf(c);
        assert.equal(theirs.kind, 'constructError', 'tfjs constructs it');
        const issues = specOf(c).configIssues?.(ourConfig(c)) ?? [];
        assert.ok(issues.some((x) => x.severity === 'error'), `no error issue (tfjs: ${theirs.kind === 'constructError' ? theirs.message : ''})`);
        assert.throws(
          () => specOf(c).outputShape(ourConfig(c), ourInput(c)),
          (e: Error) => e instanceof UnresolvedError && !(e instanceof ShapeError),
        );
      });
    }

    it('bidirectional with an invalid mergeMode', () => {
      const c: LayerCase = { factory: 'bidirectional', config: { mergeMode: 'max' }, inner: { factory: 'lstm', config: { units: 2 } }, inputs: [[null, 3, 2]], asList: false };
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
        ['concatenate', { axis: unknown }, [[null, 2], [null, 2]]],
      ];
      for (const [factory, config, input] of cases) {
        const spec = findLayerSpec(factory)!;
        assert.throws(() => spec.outputShape(config, input), (e: Error) => e instanceof UnresolvedError && !(e instanceof ShapeError), factory);
        assert.deepEqual(spec.configIssues?.(config) ?? [], [], factory);
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
    });
  });
});
