/**
 * The denoising autoencoder's corruption (webview/probes/corruption.ts) in Node against real
 * tfjs: which models have corruption before the code that acts on the input, and the noisy
 * inputs it recomputes (seeded) against what tfjs's own layers do in training.
 */
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { ActivationProbe } from '../../webview/probes/activationModel';
import { corruptSample, datasetNoise, inputCorruption, type CorruptionStep } from '../../webview/probes/corruption';
import { guessBottleneck } from '../../webview/probes/latentProbe';

function planOf(model: tf.LayersModel): ReturnType<typeof inputCorruption> {
  const probe = ActivationProbe.for(tf, model);
  const code = guessBottleneck(probe, model);
  assert.ok(code);
  return inputCorruption(probe, code);
}

/** examples/denoisingAutoencoder.ts's Gaussian denoiser. */
function gaussianDenoiser(): tf.LayersModel {
  const m = tf.sequential();
  m.add(tf.layers.gaussianNoise({ stddev: 0.3, inputShape: [784] }));
  m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 32, activation: 'relu', name: 'codings' }));
  m.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  m.add(tf.layers.dense({ units: 784, activation: 'sigmoid' }));
  return m;
}

/** examples/denoisingAutoencoder.ts's dropout denoiser: 28×28×1 → flatten → dropout → code → reshape. */
function dropoutDenoiser(): tf.LayersModel {
  const image = tf.input({ shape: [28, 28, 1] });
  const flat = tf.layers.flatten().apply(image);
  const corrupted = tf.layers.dropout({ rate: 0.5 }).apply(flat);
  const code = tf.layers.dense({ units: 32, activation: 'relu', name: 'dropout_codings' }).apply(corrupted);
  const pixels = tf.layers.dense({ units: 784, activation: 'sigmoid' }).apply(code);
  const out = tf.layers.reshape({ targetShape: [28, 28, 1] }).apply(pixels) as tf.SymbolicTensor;
  return tf.model({ inputs: image, outputs: out });
}

function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s / a.length;
}

function std(a: ArrayLike<number>): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - m) ** 2;
  return Math.sqrt(s / a.length);
}

function step(className: string, shape: number[], extra: Partial<CorruptionStep> = {}): CorruptionStep {
  return { path: 'x', className, rate: 0, stddev: 0, shape, drawShape: shape, ...extra };
}

/** tfjs's own layer in training mode on `values` shaped [1, ...shape]. */
function tfjsTraining(layer: tf.layers.Layer, values: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(
    () => (layer.apply(tf.tensor(values, [1, ...shape]), { training: true }) as tf.Tensor).dataSync() as Float32Array,
  );
}

describe('denoising corruption', () => {
  it('finds the corruption before the code that acts on the input (Sequential, and after a Flatten)', () => {
    const gaussian = planOf(gaussianDenoiser());
    assert.ok(gaussian);
    assert.strictEqual(gaussian.reason, null);
    assert.deepStrictEqual(
      gaussian.steps.map((s) => [s.className, s.stddev, s.shape]),
      [['GaussianNoise', 0.3, [784]]],
    );
    const dropout = planOf(dropoutDenoiser());
    assert.ok(dropout);
    assert.deepStrictEqual(
      dropout.steps.map((s) => [s.className, s.rate, s.shape]),
      [['Dropout', 0.5, [784]]],
    );
  });

  it('none for a plain autoencoder or dropout after the code; a reason for dropout on a hidden layer', () => {
    const plain = tf.sequential({
      layers: [
        tf.layers.dense({ units: 16, inputShape: [64], name: 'codings' }),
        tf.layers.dropout({ rate: 0.3 }),
        tf.layers.dense({ units: 64 }),
      ],
    });
    assert.strictEqual(planOf(plain), null, 'dropout after the code is no input corruption');
    const hidden = tf.sequential({
      layers: [
        tf.layers.dense({ units: 32, inputShape: [64], name: 'hidden' }),
        tf.layers.dropout({ rate: 0.3, name: 'hidden_dropout' }),
        tf.layers.dense({ units: 8, name: 'codings' }),
        tf.layers.dense({ units: 64 }),
      ],
    });
    assert.deepStrictEqual(planOf(hidden), {
      steps: [],
      reason: 'Dropout (hidden_dropout) corrupts a hidden layer, not the input: its noise is not drawn here',
    });
    const idle = tf.sequential({
      layers: [
        tf.layers.dropout({ rate: 0, inputShape: [8] }),
        tf.layers.dense({ units: 2, name: 'codings' }),
        tf.layers.dense({ units: 8 }),
      ],
    });
    assert.strictEqual(planOf(idle), null, 'a rate of 0 corrupts nothing (tfjs skips it)');
  });

  it('the panel’s own input noise (a dataset’s inputNoise) is a Gaussian step on the flat sample', () => {
    const ds = { id: 'd', description: '', xs: new Float32Array(2 * 784), xsShape: [2, 28, 28, 1], sampleKind: 'image' as const };
    assert.deepStrictEqual(datasetNoise(ds), []);
    assert.deepStrictEqual(datasetNoise({ ...ds, inputNoise: 0 }), []);
    const [step] = datasetNoise({ ...ds, inputNoise: 0.2 });
    assert.deepStrictEqual(step && [step.className, step.stddev, step.shape, step.drawShape], [
      'GaussianNoise',
      0.2,
      [784],
      [784],
    ]);
  });

  it('the same seed gives the same noisy input; another sample gets other noise', () => {
    const clean = Float32Array.from({ length: 784 }, (_, i) => (i % 7) / 7);
    const steps = [step('GaussianNoise', [784], { stddev: 0.3 })];
    assert.deepStrictEqual(corruptSample(clean, steps, 5), corruptSample(clean, steps, 5));
    assert.notDeepStrictEqual(corruptSample(clean, steps, 5), corruptSample(clean, steps, 6));
  });

  it('GaussianNoise and GaussianDropout: the noise tfjs adds in training (mean and spread)', () => {
    const n = 20000;
    const clean = Float32Array.from({ length: n }, (_, i) => 0.2 + (i % 5) * 0.1);
    const noisy = corruptSample(clean, [step('GaussianNoise', [n], { stddev: 0.3 })], 1);
    const ours = noisy.map((v, i) => v - clean[i]!);
    const theirs = tfjsTraining(tf.layers.gaussianNoise({ stddev: 0.3 }), clean, [n]).map((v, i) => v - clean[i]!);
    assert.ok(Math.abs(mean(ours)) < 0.01 && Math.abs(mean(theirs)) < 0.01);
    assert.ok(Math.abs(std(ours) - 0.3) < 0.01, `std ${std(ours)}`);
    assert.ok(Math.abs(std(ours) - std(theirs)) < 0.01, `ours ${std(ours)} vs tfjs ${std(theirs)}`);
    const ones = new Float32Array(n).fill(1);
    const gd = corruptSample(ones, [step('GaussianDropout', [n], { rate: 0.2 })], 2);
    const gdTf = tfjsTraining(tf.layers.gaussianDropout({ rate: 0.2 }), ones, [n]);
    assert.ok(Math.abs(mean(gd) - 1) < 0.01 && Math.abs(std(gd) - Math.sqrt(0.2 / 0.8)) < 0.01, `std ${std(gd)}`);
    assert.ok(Math.abs(std(gd) - std(gdTf)) < 0.015, `ours ${std(gd)} vs tfjs ${std(gdTf)}`);
  });

  it('Dropout: zeros at the rate, kept values scaled by 1 / (1 − rate), as tfjs', () => {
    const n = 20000;
    const clean = Float32Array.from({ length: n }, (_, i) => 0.1 + (i % 9) * 0.1);
    const ours = corruptSample(clean, [step('Dropout', [n], { rate: 0.5 })], 3);
    const theirs = tfjsTraining(tf.layers.dropout({ rate: 0.5 }), clean, [n]);
    const zeros = (a: Float32Array): number => a.filter((v) => v === 0).length / a.length;
    assert.ok(Math.abs(zeros(ours) - 0.5) < 0.02 && Math.abs(zeros(theirs) - 0.5) < 0.02, `${zeros(ours)} ${zeros(theirs)}`);
    ours.forEach((v, i) => {
      if (v !== 0) assert.ok(Math.abs(v - 2 * clean[i]!) < 1e-6);
    });
    theirs.forEach((v, i) => {
      if (v !== 0) assert.ok(Math.abs(v - 2 * clean[i]!) < 1e-6);
    });
  });

  it('SpatialDropout1D drops whole channels; AlphaDropout keeps the affine a·x + b of tfjs', () => {
    const clean = new Float32Array(50 * 40).fill(1);
    const spatial = corruptSample(clean, [step('SpatialDropout1D', [50, 40], { rate: 0.5, drawShape: [1, 40] })], 4);
    for (let c = 0; c < 40; c++) {
      const column = Array.from({ length: 50 }, (_, t) => spatial[t * 40 + c]!);
      assert.ok(
        column.every((v) => v === column[0]),
        `channel ${c} dropped or kept as a whole`,
      );
    }
    const values = new Set(Array.from(spatial));
    assert.deepStrictEqual([...values].sort(), [0, 2]);
    const rate = 0.2;
    const ours = new Set(Array.from(corruptSample(clean, [step('AlphaDropout', [2000], { rate })], 5)).map((v) => v.toFixed(5)));
    const theirs = new Set(Array.from(tfjsTraining(tf.layers.alphaDropout({ rate }), clean, [2000])).map((v) => v.toFixed(5)));
    assert.deepStrictEqual([...ours].sort(), [...theirs].sort(), 'the same two values: kept and dropped');
    assert.strictEqual(ours.size, 2);
  });
});
