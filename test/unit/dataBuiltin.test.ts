import * as assert from 'node:assert/strict';
import { builtinDataset, mnistGeneratorData } from '../../src/data/builtinDataset';
import type { DataChoice } from '../../src/data/dataSpecs';
import { loadMnist } from '../../src/data/mnist';

describe('built-in datasets (the choices that need no file)', () => {
  it('a generator’s data: standard normal noise in, the same MNIST digits as the autoencoder data out', () => {
    const data = mnistGeneratorData({ count: 500, noiseShape: [100], outputShape: [28, 28, 1] });
    assert.deepEqual(data.xsShape, [500, 100]);
    assert.deepEqual(data.ysShape, [500, 28, 28, 1]);
    const xs = new Float32Array(data.xs);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    assert.ok(Math.abs(mean) < 0.02, `noise mean ${mean}`);
    assert.ok(Math.abs(variance - 1) < 0.03, `noise variance ${variance}`);
    const digits = loadMnist({ count: 500, layout: 'vector', targets: 'none' });
    assert.deepEqual(new Float32Array(data.ys!), new Float32Array(digits.xs));
    assert.deepEqual(new Int32Array(data.labels!), new Int32Array(digits.labels!));
    // Deterministic: the same noise every time.
    assert.deepEqual(new Float32Array(mnistGeneratorData({ count: 500, noiseShape: [100], outputShape: [784] }).xs), xs);
  });

  it('builds every built-in source and leaves the user’s files to the host', () => {
    const choice = (spec: DataChoice['spec']): DataChoice => ({ id: spec.source, label: '', detail: '', spec });
    const images = builtinDataset(choice({ source: 'mnist', layout: 'image', inputShape: [28, 28], target: 'onehot' }), 64);
    assert.deepEqual(images?.xsShape, [64, 28, 28]);
    assert.deepEqual(images?.ysShape, [64, 10]);
    const noisy = builtinDataset(
      { ...choice({ source: 'mnist', layout: 'vector', inputShape: [784], target: 'autoencoder' }), inputNoise: 0.2 },
      64,
    );
    assert.equal(noisy?.inputNoise, 0.2);
    assert.equal(noisy?.ys, undefined, 'an autoencoder’s targets are its inputs');
    assert.deepEqual(
      builtinDataset(choice({ source: 'mnist-generator', noiseShape: [8], outputShape: [784] }), 32)?.xsShape,
      [32, 8],
    );
    assert.deepEqual(builtinDataset(choice({ source: 'point-cloud', dims: 3 }))?.xsShape, [1000, 3]);
    assert.deepEqual(builtinDataset(choice({ source: 'skip-gram', vocabularySize: 500 }))?.xsShape.slice(1), [2]);
    assert.equal(builtinDataset(choice({ source: 'csv', files: { inputShape: [4], outputShape: [1] } })), null);
  });
});
