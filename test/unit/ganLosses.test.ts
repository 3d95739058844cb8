/**
 * A GAN's two losses as the Samples view measures them (webview/probes/ganLosses.ts): the
 * discriminator found among the module's models, and the losses' values where they are known
 * in closed form: a discriminator that says ½ for everything puts both at ln 2 (the balance
 * point), one that says p puts the generator's at −ln p and the discriminator's at
 * (−ln p − ln(1 − p)) / 2.
 */
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import type { DatasetArrays } from '../../src/shared/messages';
import { findDiscriminator, measureGanLosses } from '../../webview/probes/ganLosses';

function generator(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({ units: 16, inputShape: [3], activation: 'sigmoid' }),
      tf.layers.reshape({ targetShape: [4, 4, 1] }),
    ],
  });
}

/** A discriminator whose output is sigmoid(bias) for every image. */
function constantDiscriminator(p: number): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [4, 4, 1] }),
      tf.layers.dense({
        units: 1,
        activation: 'sigmoid',
        kernelInitializer: 'zeros',
        biasInitializer: tf.initializers.constant({ value: Math.log(p / (1 - p)) }),
      }),
    ],
  });
}

const data: DatasetArrays = {
  id: 'mnist-generator',
  description: 'noise → images',
  xs: new Float32Array(10 * 3).fill(0.5),
  xsShape: [10, 3],
  ys: new Float32Array(10 * 16).map((_, i) => (i % 7) / 7),
  ysShape: [10, 4, 4, 1],
  sampleKind: 'vector',
};

describe('GAN losses', () => {
  it('finds the discriminator: takes the generator’s output, gives one value', () => {
    const g = generator();
    const d = constantDiscriminator(0.5);
    const other = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [16] })] });
    assert.strictEqual(findDiscriminator(g, [g, other, d]), d);
    assert.strictEqual(findDiscriminator(g, [g, other]), null);
    for (const m of [g, d, other]) m.dispose();
  });

  it('both losses are ln 2 when the discriminator says ½ for every image', async () => {
    const g = generator();
    const losses = await measureGanLosses(tf, g, [g, constantDiscriminator(0.5)], data);
    assert.ok(losses !== null);
    assert.ok(Math.abs(losses.generator - Math.LN2) < 1e-5, `generator ${losses.generator}`);
    assert.ok(Math.abs(losses.discriminator - Math.LN2) < 1e-5, `discriminator ${losses.discriminator}`);
    assert.strictEqual(losses.samples, 10);
  });

  it('follow the closed form for a discriminator that says p', async () => {
    const g = generator();
    const p = 0.8;
    const d = constantDiscriminator(p);
    const before = tf.memory().numTensors;
    const losses = await measureGanLosses(tf, g, [g, d], data);
    assert.strictEqual(tf.memory().numTensors, before, 'no tensors kept');
    assert.ok(losses !== null);
    assert.ok(Math.abs(losses.generator + Math.log(p)) < 1e-4, `generator ${losses.generator}`);
    assert.ok(
      Math.abs(losses.discriminator - (-Math.log(p) - Math.log(1 - p)) / 2) < 1e-4,
      `discriminator ${losses.discriminator}`,
    );
    assert.ok(Math.abs(losses.realScore - p) < 1e-5 && Math.abs(losses.fakeScore - p) < 1e-5);
  });

  it('is null without a discriminator or without real samples shaped like the output', async () => {
    const g = generator();
    assert.strictEqual(await measureGanLosses(tf, g, [g], data), null);
    const noImages: DatasetArrays = { ...data, ys: new Float32Array(10), ysShape: [10, 1] };
    assert.strictEqual(await measureGanLosses(tf, g, [g, constantDiscriminator(0.5)], noImages), null);
  });
});
