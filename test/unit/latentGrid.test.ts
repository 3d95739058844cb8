/**
 * The generative views' pure parts: the latent traversal grid (webview/probes/latentGrid.ts),
 * nearest neighbours in latent space (nearestNeighbours.ts), and the decoder rebuilt from an
 * autoencoder's code layer (decoderModel.ts), which must decode exactly as the whole model does.
 */
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { ActivationProbe } from '../../webview/probes/activationModel';
import { decodeCodes, decoderFor } from '../../webview/probes/decoderModel';
import { codeStats, latentGrid, linspace, quantileRange, widestDims } from '../../webview/probes/latentGrid';
import { guessBottleneck } from '../../webview/probes/latentProbe';
import { nearestNeighbours } from '../../webview/probes/nearestNeighbours';

describe('latent grid', () => {
  it('spans dimension x across and y downwards from its top, the others held at the base', () => {
    const g = latentGrid([9, 8, 7], 0, 2, [-1, 1], [0, 4], 3, 5);
    assert.deepStrictEqual(g.xs, [-1, -0.5, 0, 0.5, 1]);
    assert.deepStrictEqual(g.ys, [4, 2, 0]);
    assert.strictEqual(g.codes.length, 3 * 5 * 3);
    const code = (r: number, c: number): number[] => Array.from(g.codes.subarray((r * 5 + c) * 3, (r * 5 + c + 1) * 3));
    assert.deepStrictEqual(code(0, 0), [-1, 8, 4]);
    assert.deepStrictEqual(code(0, 4), [1, 8, 4]);
    assert.deepStrictEqual(code(2, 2), [0, 8, 0]);
    const all = new Set(Array.from({ length: 15 }, (_, i) => code(Math.floor(i / 5), i % 5).join(',')));
    assert.strictEqual(all.size, 15, 'every cell a different code');
  });

  it('picks the two dimensions that vary most, and their central range', () => {
    // 101 codes: dim 0 constant 5, dim 1 = i / 100 (0…1), dim 2 = 10 i / 100 (0…10).
    const n = 101;
    const values = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) values.set([5, i / 100, i / 10], i * 3);
    const { mean, variance } = codeStats(values, n, 3);
    assert.ok(Math.abs(mean[0]! - 5) < 1e-9 && Math.abs(mean[2]! - 5) < 1e-5);
    assert.deepStrictEqual(widestDims(variance), [2, 1]);
    const [lo, hi] = quantileRange(values, n, 3, 2);
    assert.ok(Math.abs(lo - 0.5) < 1e-5 && Math.abs(hi - 9.5) < 1e-5, `${lo}…${hi}`);
    const [clo, chi] = quantileRange(values, n, 3, 0);
    assert.ok(clo < 5 && chi > 5, 'a constant dimension still spans a range around its value');
  });

  it('linspace includes both ends', () => {
    assert.deepStrictEqual(linspace(2, 4, 3), [2, 3, 4]);
    assert.deepStrictEqual(linspace(2, 4, 1), [3]);
  });
});

describe('nearest neighbours in latent space', () => {
  it('returns the k closest rows, sorted by distance, without the query', () => {
    // Points on a line at 0, 10, 3, -1, 7, 2.5 (2-D codes with y = 0).
    const xs = [0, 10, 3, -1, 7, 2.5];
    const codes = new Float32Array(xs.flatMap((x) => [x, 0]));
    const found = nearestNeighbours(codes, xs.length, 2, 0, 3);
    assert.deepStrictEqual(
      found.map((f) => f.row),
      [3, 5, 2],
    );
    assert.deepStrictEqual(
      found.map((f) => f.distance),
      [1, 2.5, 3],
    );
    assert.strictEqual(nearestNeighbours(codes, xs.length, 2, 1, 10).length, 5, 'at most n − 1');
  });

  it('breaks ties by row and measures Euclidean distance in every dimension', () => {
    const codes = new Float32Array([0, 0, 0, 3, 4, 0, 0, 0, 5, 0, 5, 0]);
    const found = nearestNeighbours(codes, 4, 3, 0, 3);
    assert.deepStrictEqual(
      found.map((f) => [f.row, f.distance]),
      [
        [1, 5],
        [2, 5],
        [3, 5],
      ],
    );
  });
});

describe('decoder rebuilt from the code layer', () => {
  it('decodes a code exactly as the whole autoencoder does, through a nested decoder model', async () => {
    const input = tf.input({ shape: [6] });
    const hidden = tf.layers.dense({ units: 4, activation: 'relu' }).apply(input) as tf.SymbolicTensor;
    const code = tf.layers.dense({ units: 2, name: 'z_mean' }).apply(hidden) as tf.SymbolicTensor;
    const decoder = tf.sequential({
      name: 'decoder',
      layers: [
        tf.layers.dense({ units: 5, activation: 'relu', inputShape: [2] }),
        tf.layers.dense({ units: 6, activation: 'sigmoid' }),
      ],
    });
    const model = tf.model({ inputs: input, outputs: decoder.apply(code) as tf.SymbolicTensor });
    const entry = guessBottleneck(ActivationProbe.for(tf, model), model)!;
    assert.strictEqual(entry.path, 'z_mean');
    const rebuilt = decoderFor(tf, model, entry);
    assert.ok(rebuilt !== null);
    const x = tf.randomNormal([3, 6], 0, 1, 'float32', 1);
    const codes = tf.model({ inputs: input, outputs: code }).predict(x) as tf.Tensor;
    const whole = (model.predict(x) as tf.Tensor).dataSync();
    const { values, size } = await decodeCodes(tf, rebuilt, codes.dataSync() as Float32Array, 3, [2]);
    assert.strictEqual(size, 6);
    values.forEach((v, i) => assert.ok(Math.abs(v - whole[i]!) < 1e-6, `value ${i}: ${v} vs ${whole[i]}`));
    tf.dispose([x, codes]);
  });

  it('has no decoder when the output also depends on the input past the code (a skip connection)', () => {
    const input = tf.input({ shape: [4] });
    const code = tf.layers.dense({ units: 2, name: 'code' }).apply(input) as tf.SymbolicTensor;
    const up = tf.layers.dense({ units: 4 }).apply(code) as tf.SymbolicTensor;
    const out = tf.layers.add().apply([up, input]) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    const entry = guessBottleneck(ActivationProbe.for(tf, model), model)!;
    assert.strictEqual(entry.path, 'code');
    assert.strictEqual(decoderFor(tf, model, entry), null);
  });
});
