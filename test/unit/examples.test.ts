/**
 * The demo workspace examples/ (what `npm start` opens), checked three ways:
 *
 * - examples/*.ts: `analyzeSource` finds at least one model and no error
 *   diagnostic; the real tfjs (the oracle) builds the file without error; and
 *   analyzer and tfjs agree on every model (lines, kind, layer types, lines,
 *   output shapes, params, totals).
 * - examples/broken/*.ts: the analyzer reports at least one error, tfjs throws
 *   (or the oracle flags a silent shape error), and each tfjs error line has an
 *   analyzer error.
 * - every example that exports `trainStep(model, batch, optimizer)`: one step,
 *   then a second, with the real tfjs in Node on a tiny random batch and Adam:
 *   the loss is a finite scalar, the weights move, and tf.memory().numTensors
 *   grows by exactly what the optimizers keep after step 1 (Adam's moments),
 *   and not at all from step 1 to step 2.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import { analyzeSource } from '../../src/analysis/analyze';
import { projectModuleHost } from '../../src/node/projectFiles';
import { ensureBackend, runOracle } from '../support/oracle';
import { describeDiagnostics, errorLines, projectModel } from '../support/modelComparison';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');

function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .sort();
}

/** The top-level examples, and the one whose sizes and block come from the files beside it. */
const validFiles = [...tsFiles(EXAMPLES), 'project/classifier.ts'];
const brokenFiles = tsFiles(path.join(EXAMPLES, 'broken')).map((f) => `broken/${f}`);

// ---- analyzer vs oracle (the comparable parts, as in fixtures.test.ts) -----------

// ---- trainStep ----------------------------------------------------------------

type Batch = { xs: tf.Tensor; ys: tf.Tensor };
type TrainStep = (model: tf.LayersModel, batch: Batch, optimizer: tf.Optimizer) => tf.Scalar;
type Exports = Record<string, unknown>;

interface TrainStepCase {
  /** Exported models to pass as `model`, one run each. */
  models: string[];
  /** Exported models whose trainable weights the caller's optimizer updates. */
  trained: (mod: Exports, model: tf.LayersModel) => tf.LayersModel[];
  /** Tensors the file's own optimizers keep after their first step (none by default). */
  ownState?: (mod: Exports) => number;
}

const asModel = (mod: Exports, name: string): tf.LayersModel => {
  const m = mod[name];
  assert.ok(m instanceof tf.LayersModel, `export ${name} is not a tfjs model`);
  return m;
};

/** Every example with a trainStep must be listed here. */
const TRAIN_STEPS: Record<string, TrainStepCase> = {
  'variationalAutoencoder.ts': {
    models: ['vae'],
    trained: (mod) => [asModel(mod, 'encoder'), asModel(mod, 'decoder')],
  },
  'gan.ts': {
    models: ['generator'],
    trained: (mod) => [asModel(mod, 'generator')],
    // Adam for the discriminator: accBeta1, accBeta2, and two moments per variable
    ownState: (mod) => 2 + 2 * asModel(mod, 'discriminator').trainableWeights.length,
  },
  'contractiveAutoencoder.ts': {
    models: ['contractive'],
    trained: (_mod, model) => [model],
  },
  'sparseAutoencoder.ts': {
    models: ['sparseL1', 'sparseKl'],
    trained: (_mod, model) => [model],
  },
};

/** Imports an example with tsx, fresh: the oracle disposes all tfjs variables after each run. */
function importFresh(file: string): Exports {
  const resolved = require.resolve(file);
  delete require.cache[resolved];
  return require(resolved) as Exports;
}

/** A random batch shaped like the model's input and output, 2 samples, values in 0..1. */
function randomBatch(model: tf.LayersModel): Batch {
  const shapeOf = (s: (number | null)[]) => [2, ...s.slice(1).map((d) => d ?? 8)];
  return {
    xs: tf.randomUniform(shapeOf(model.inputs[0]!.shape)),
    ys: tf.randomUniform(shapeOf(model.outputs[0]!.shape)),
  };
}

function distinctVariables(models: tf.LayersModel[]): number {
  return new Set(models.flatMap((m) => m.trainableWeights.map((w) => w.read().id))).size;
}

/** Runs two steps; returns the growth in tensors after step 1 and after step 2, and the losses. */
function twoSteps(step: TrainStep, model: tf.LayersModel, batch: Batch, optimizer: tf.Optimizer) {
  const before = tf.memory().numTensors;
  const losses: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < 2; i++) {
    const loss = step(model, batch, optimizer);
    assert.ok(loss instanceof tf.Tensor, 'trainStep must return a tensor');
    assert.equal(loss.rank, 0, `trainStep must return a scalar, got shape [${loss.shape.join(', ')}]`);
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
    counts.push(tf.memory().numTensors - before);
  }
  return { losses, growth1: counts[0]!, growth2: counts[1]! };
}

describe('examples/: the demo workspace', function () {
  before(ensureBackend);

  it('has model files and broken files', function () {
    assert.ok(validFiles.length >= 15, `examples/*.ts: ${validFiles.join(', ')}`);
    assert.ok(brokenFiles.length >= 2, `examples/broken/*.ts: ${brokenFiles.join(', ')}`);
  });

  for (const file of validFiles) {
    it(`${file}: analyses without errors and agrees with tfjs`, function () {
      const full = path.join(EXAMPLES, file);
      const text = fs.readFileSync(full, 'utf8');
      const analyzed = analyzeSource(full, text, { modules: projectModuleHost() });
      const errs = analyzed.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
      assert.deepEqual(errs, [], `unexpected diagnostics:\n${describeDiagnostics(analyzed)}`);
      assert.ok(analyzed.models.length > 0, 'the analyzer found no model');

      const oracle = runOracle(full, { text });
      assert.deepEqual(oracle.errors, [], `tfjs cannot build ${file}: ${JSON.stringify(oracle.errors)}`);
      const models = [...analyzed.models].sort((a, b) => a.line - b.line);
      assert.deepEqual(
        models.map((m) => m.line),
        oracle.models.map((m) => m.line),
        'model creation lines (analyzer vs tfjs)',
      );
      models.forEach((m, i) => {
        assert.deepEqual(
          projectModel(m),
          projectModel(oracle.models[i]!),
          `model "${m.name}" (line ${m.line}): analyzer (actual) vs tfjs (expected)`,
        );
      });
    });
  }

  for (const file of brokenFiles) {
    it(`${file}: the analyzer and tfjs both reject it`, function () {
      const full = path.join(EXAMPLES, file);
      const text = fs.readFileSync(full, 'utf8');
      const analyzed = analyzeSource(full, text);
      const lines = errorLines(analyzed);
      assert.ok(lines.length > 0, `no error diagnostic for a broken example:\n${describeDiagnostics(analyzed)}`);

      const oracle = runOracle(full, { text });
      assert.ok(oracle.errors.length > 0, `${file} is meant to be broken, but tfjs (and the oracle's checks) accept it`);
      for (const err of oracle.errors) {
        assert.ok(err.line !== null, `tfjs error without a line in ${file}: ${err.message}`);
        assert.ok(
          lines.includes(err.line),
          `expected an error diagnostic on line ${err.line} (tfjs${err.silent ? ', silent' : ''}: ${err.message});` +
            ` the analyzer reported:\n${describeDiagnostics(analyzed)}`,
        );
      }
    });
  }

  const withTrainStep = validFiles.filter((f) =>
    /export\s+(?:async\s+)?function\s+trainStep\b/.test(fs.readFileSync(path.join(EXAMPLES, f), 'utf8')),
  );

  it('every example with a trainStep has a test case below (and vice versa)', function () {
    assert.deepEqual(withTrainStep, Object.keys(TRAIN_STEPS).sort());
  });

  for (const file of withTrainStep) {
    const spec = TRAIN_STEPS[file];
    for (const name of spec?.models ?? []) {
      it(`${file}: trainStep(${name}) trains, returns a finite loss and leaks no tensors`, function () {
        if (!spec) return;
        const mod = importFresh(path.join(EXAMPLES, file));
        const step = mod['trainStep'] as TrainStep;
        assert.equal(typeof step, 'function');
        const model = asModel(mod, name);
        const batch = randomBatch(model);
        const own = spec.ownState?.(mod) ?? 0;
        const trained = distinctVariables(spec.trained(mod, model));

        const weightsBefore = model.getWeights().map((w) => w.dataSync().slice());
        // Adam keeps two moments per variable it updates, created on its first step
        // (its two beta accumulators already exist): that, plus the file's own
        // optimizers' state, is all that may stay behind.
        const adam = tf.train.adam(0.001);
        const { losses, growth1, growth2 } = twoSteps(step, model, batch, adam);
        for (const loss of losses) assert.ok(Number.isFinite(loss), `loss ${loss} is not finite`);
        assert.equal(growth1, 2 * trained + own, 'tensors kept after step 1 (optimizer state)');
        assert.equal(growth2, growth1, 'tensors leaked by step 2');
        const moved = model.getWeights().some((w, i) => {
          const now = w.dataSync();
          const was = weightsBefore[i]!;
          return now.some((v, k) => v !== was[k]);
        });
        assert.ok(moved, 'the weights of the model did not change');

        adam.dispose();
        tf.dispose([batch.xs, batch.ys]);
        for (const value of Object.values(mod)) {
          if (value instanceof tf.LayersModel) {
            try {
              value.dispose();
            } catch {
              // already disposed through an enclosing model
            }
          }
        }
      });
    }
  }
});
