import * as assert from 'node:assert/strict';
import { generateForecast, generatePointCloud, generateRandom, generateSineClasses } from '../../src/data/syntheticDatasets';
import { builtinCorpus, generateCbow, generateSkipGrams, generateTokenSequences } from '../../src/data/textDatasets';
import { seededRandom } from '../../src/shared/random';
import type { DatasetPayload } from '../../src/shared/messages';

function floats(buffer: ArrayBuffer | undefined): Float32Array {
  assert.ok(buffer, 'buffer present');
  return new Float32Array(buffer);
}

function checkSizes(d: DatasetPayload): void {
  assert.equal(
    floats(d.xs).length,
    d.xsShape.reduce((a, b) => a * b, 1),
    'xs size matches xsShape',
  );
  if (d.ys)
    assert.equal(
      floats(d.ys).length,
      (d.ysShape ?? []).reduce((a, b) => a * b, 1),
      'ys size matches ysShape',
    );
  if (d.labels) assert.equal(new Int32Array(d.labels).length, d.xsShape[0]);
  assert.ok(floats(d.xs).every(Number.isFinite), 'xs finite');
}

describe('built-in data: synthetic datasets and the text corpus', () => {
  it('seededRandom is deterministic and in [0, 1)', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const xs = Array.from({ length: 1000 }, () => a());
    assert.deepEqual(
      xs,
      Array.from({ length: 1000 }, () => b()),
    );
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.notDeepEqual(xs.slice(0, 5), Array.from({ length: 5 }, seededRandom(43)));
  });

  describe('noisy sines', () => {
    it('forecast: [n, timesteps, features] → next k steps of channel 0', () => {
      const d = generateForecast({ count: 64, timesteps: 10, features: 1, ysShape: [3] });
      assert.deepEqual(d.xsShape, [64, 10, 1]);
      assert.deepEqual(d.ysShape, [64, 3]);
      assert.equal(d.sampleKind, 'sequence');
      checkSizes(d);
      assert.match(d.description, /next 3 steps/);
    });

    it('forecast: the targets continue the (clean) input sine', () => {
      const d = generateForecast({ count: 8, timesteps: 30, features: 1, ysShape: [1], noise: 0 });
      const xs = floats(d.xs);
      const ys = floats(d.ys);
      for (let i = 0; i < 8; i++) {
        const last = xs[i * 30 + 29] ?? 0;
        assert.ok(Math.abs((ys[i] ?? 0) - last) < 0.8, `sample ${i}: target ${ys[i]} near last value ${last}`);
      }
    });

    it('forecast: [k] equal to features = next step of every channel; [t, f] = t steps of f channels', () => {
      assert.deepEqual(generateForecast({ count: 4, timesteps: 30, features: 4, ysShape: [4] }).ysShape, [4, 4]);
      assert.deepEqual(generateForecast({ count: 4, timesteps: 30, features: 4, ysShape: [7] }).ysShape, [4, 7]);
      const seq = generateForecast({ count: 4, timesteps: 10, features: 1, ysShape: [3, 1] });
      assert.deepEqual(seq.ysShape, [4, 3, 1]);
      checkSizes(seq);
      assert.throws(
        () => generateForecast({ count: 4, timesteps: 10, features: 1, ysShape: [3, 2] }),
        /2 channels but the input only 1/,
      );
    });

    it('is deterministic for a seed and differs across seeds', () => {
      const a = generateForecast({ count: 16, timesteps: 10, features: 2, ysShape: [1], seed: 7 });
      const b = generateForecast({ count: 16, timesteps: 10, features: 2, ysShape: [1], seed: 7 });
      const c = generateForecast({ count: 16, timesteps: 10, features: 2, ysShape: [1], seed: 8 });
      assert.deepEqual(floats(a.xs), floats(b.xs));
      assert.deepEqual(floats(a.ys), floats(b.ys));
      assert.notDeepEqual(floats(a.xs), floats(c.xs));
    });

    it('classes: one-hot frequency bands, balanced; 1 class = sigmoid labels', () => {
      const d = generateSineClasses({ count: 90, timesteps: 120, features: 32, classes: 3 });
      assert.deepEqual(d.xsShape, [90, 120, 32]);
      assert.deepEqual(d.ysShape, [90, 3]);
      checkSizes(d);
      const labels = new Int32Array(d.labels as ArrayBuffer);
      assert.deepEqual(
        [0, 1, 2].map((c) => labels.filter((l) => l === c).length),
        [30, 30, 30],
      );
      const ys = floats(d.ys);
      for (let i = 0; i < 90; i++) assert.equal(ys[i * 3 + (labels[i] ?? 0)], 1);
      const binary = generateSineClasses({ count: 10, timesteps: 20, features: 1, classes: 1 });
      assert.deepEqual(binary.ysShape, [10, 1]);
      assert.deepEqual([...floats(binary.ys)], [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]);
    });
  });

  it('point cloud: [n, 3] near a plane (the smallest principal component is small)', () => {
    const d = generatePointCloud({ count: 500, dims: 3 });
    assert.deepEqual(d.xsShape, [500, 3]);
    assert.equal(d.ys, undefined, 'autoencoder data has no ys');
    checkSizes(d);
    // The normal of the plane: (u × v); distances to the plane are ~ noise.
    const xs = floats(d.xs);
    const mean = [0, 1, 2].map((k) => xs.filter((_, i) => i % 3 === k).reduce((a, b) => a + b, 0) / 500);
    const cov = [0, 1, 2].map((a) =>
      [0, 1, 2].map((b) => {
        let s = 0;
        for (let i = 0; i < 500; i++) s += ((xs[i * 3 + a] ?? 0) - (mean[a] ?? 0)) * ((xs[i * 3 + b] ?? 0) - (mean[b] ?? 0));
        return s / 500;
      }),
    );
    const trace = (cov[0]?.[0] ?? 0) + (cov[1]?.[1] ?? 0) + (cov[2]?.[2] ?? 0);
    const det = (m: number[][]): number =>
      m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
      m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
      m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
    // det = λ1·λ2·λ3 with λ3 ≈ noise² = 0.01: tiny relative to trace³.
    assert.ok(det(cov) / Math.pow(trace, 3) < 0.01, `points lie near a plane (det/trace³ = ${det(cov) / Math.pow(trace, 3)})`);
    assert.deepEqual(
      floats(generatePointCloud({ count: 10, dims: 3 }).xs),
      floats(generatePointCloud({ count: 10, dims: 3 }).xs),
    );
  });

  describe('text', () => {
    it('built-in corpus: ids within the vocabulary cap, 0 = padding, 1 = unknown', () => {
      const corpus = builtinCorpus(50);
      assert.equal(corpus.vocabulary.size, 50);
      assert.ok(corpus.sentences.flat().every((id) => id >= 1 && id < 50));
      assert.ok(corpus.sentences.flat().includes(1), 'rare words map to the unknown id');
      const full = builtinCorpus();
      assert.ok(full.vocabulary.size > 150, `vocabulary ${full.vocabulary.size}`);
      assert.equal(full.vocabulary.words[0], '<pad>');
      assert.equal(full.vocabulary.words[2], 'the', 'most frequent word first');
    });

    it('sequences: [n, length] ids padded in front, sentiment labels for a sigmoid', () => {
      const corpus = builtinCorpus(10000, { kind: 'binary' });
      const d = generateTokenSequences(corpus, { count: 40, length: 120, target: { kind: 'binary' } });
      assert.deepEqual(d.xsShape, [40, 120]);
      assert.deepEqual(d.ysShape, [40, 1]);
      assert.equal(d.sampleKind, 'tokens');
      checkSizes(d);
      const xs = floats(d.xs);
      assert.equal(xs[0], 0, 'padding in front');
      assert.notEqual(xs[119], 0, 'words at the end');
      assert.ok(xs.every((v) => Number.isInteger(v) && v >= 0 && v < corpus.vocabulary.size));
      const topics = generateTokenSequences(builtinCorpus(2000, { kind: 'onehot', classes: 3 }), {
        count: 30,
        length: 50,
        target: { kind: 'onehot', classes: 3 },
      });
      assert.deepEqual(topics.ysShape, [30, 3]);
    });

    it('sequences: a classifier on an unlabelled corpus is refused', () => {
      assert.throws(
        () => generateTokenSequences(builtinCorpus(100), { count: 4, length: 8, target: { kind: 'binary' } }),
        /the model is a classifier but the text has no labels; write one example per line as "label<TAB>text"/,
      );
    });

    it('skip-gram: [n, 2] (target, context) with 1/0 labels, half negative', () => {
      const d = generateSkipGrams(builtinCorpus(4096), { window: 2, negatives: 1 });
      assert.equal(d.xsShape[1], 2);
      assert.deepEqual(d.ysShape, [d.xsShape[0], 1]);
      checkSizes(d);
      const ys = floats(d.ys);
      assert.equal(ys.filter((y) => y === 1).length * 2, ys.length);
      assert.deepEqual(floats(d.xs), floats(generateSkipGrams(builtinCorpus(4096), { window: 2, negatives: 1 }).xs));
    });

    it('CBOW: [n, 2·window] context ids → one-hot centre word over the softmax classes', () => {
      const d = generateCbow(builtinCorpus(2000), { window: 2, classes: 2000 });
      assert.equal(d.xsShape[1], 4);
      assert.deepEqual(d.ysShape, [d.xsShape[0], 2000]);
      checkSizes(d);
      const ys = floats(d.ys);
      for (let i = 0; i < 5; i++)
        assert.equal(
          ys.subarray(i * 2000, (i + 1) * 2000).reduce((a, b) => a + b, 0),
          1,
        );
    });
  });

  it('random: fits any shape; one-hot, binary, real or no targets; token ids for embeddings', () => {
    const onehot = generateRandom({ count: 20, xsShape: [28, 28, 1], target: { kind: 'onehot', classes: 10 } });
    assert.deepEqual(onehot.ysShape, [20, 10]);
    checkSizes(onehot);
    const ae = generateRandom({ count: 20, xsShape: [784], target: { kind: 'none' } });
    assert.equal(ae.ys, undefined);
    const real = generateRandom({ count: 20, xsShape: [30, 4], target: { kind: 'real', shape: [7] } });
    assert.deepEqual(real.ysShape, [20, 7]);
    const tokens = generateRandom({ count: 20, xsShape: [120], target: { kind: 'binary' }, vocabularySize: 100 });
    assert.ok(floats(tokens.xs).every((v) => Number.isInteger(v) && v >= 0 && v < 100));
    assert.equal(tokens.sampleKind, 'tokens');
  });

  it('random rows with word ids in some columns only (an Embedding beside numeric inputs)', () => {
    const d = generateRandom({ count: 50, xsShape: [7], target: { kind: 'binary' }, vocabularySize: 30, tokenColumns: [[0, 5]] });
    const xs = floats(d.xs);
    for (let r = 0; r < 50; r++) {
      for (let c = 0; c < 5; c++) {
        const v = xs[r * 7 + c]!;
        assert.ok(Number.isInteger(v) && v >= 0 && v < 30, `row ${r} column ${c}: ${v} is not a word id`);
      }
    }
    const numbers = Array.from({ length: 50 }, (_, r) => [xs[r * 7 + 5]!, xs[r * 7 + 6]!]).flat();
    assert.ok(numbers.some((v) => !Number.isInteger(v)) && numbers.some((v) => v < 0), 'the other columns hold Gaussian numbers');
    assert.equal(d.sampleKind, 'vector');
  });
});
