import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { defaultJsonDir, loadMnist, mnistOrder, readMnistBinary, readMnistJson } from '../../src/data/mnist';
import type { DatasetPayload } from '../../src/shared/messages';

interface PrepareModule {
  prepareMnist(options: { outFile: string; force?: boolean; quiet?: boolean }): string;
}

describe('MNIST dataset (src/data/mnist.ts)', () => {
  let dir: string;
  let binaryPath: string;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'model-lens-mnist-'));
    binaryPath = path.join(dir, 'mnist-10k.bin');
    // A dynamic import written so TypeScript (CommonJS output) keeps it an import of the .mjs.
    const url = pathToFileURL(path.join(__dirname, '..', '..', 'scripts', 'prepareMnist.mjs')).href;
    const load = new Function('u', 'return import(u)') as (u: string) => Promise<PrepareModule>;
    (await load(url)).prepareMnist({ outFile: binaryPath, force: true, quiet: true });
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const floats = (b: ArrayBuffer | undefined): Float32Array => new Float32Array(b ?? new ArrayBuffer(0));
  const ints = (b: ArrayBuffer | undefined): Int32Array => new Int32Array(b ?? new ArrayBuffer(0));

  it('holds the 10,000 digits of the mnist package (binary and JSON agree byte for byte)', () => {
    const jsonDir = defaultJsonDir();
    assert.ok(jsonDir, 'the mnist package is installed');
    const fromBinary = readMnistBinary(binaryPath);
    const fromJson = readMnistJson(jsonDir);
    assert.deepEqual(
      fromBinary.map((d) => d.samples),
      [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978],
    );
    assert.equal(
      fromBinary.reduce((a, d) => a + d.samples, 0),
      10_000,
    );
    for (let d = 0; d < 10; d++)
      assert.ok(Buffer.from(fromBinary[d]!.pixels).equals(Buffer.from(fromJson[d]!.pixels)), `digit ${d}`);
  });

  it('images: [n, 28, 28, 1] in 0..1, one-hot ys matching the labels, balanced', () => {
    const p = loadMnist({ count: 500, layout: 'image', targets: 'oneHot', binaryPath });
    assert.deepEqual(p.xsShape, [500, 28, 28, 1]);
    assert.deepEqual(p.ysShape, [500, 10]);
    assert.equal(p.sampleKind, 'image');
    const xs = floats(p.xs);
    const ys = floats(p.ys);
    const labels = ints(p.labels);
    assert.equal(xs.length, 500 * 784);
    let min = Infinity;
    let max = -Infinity;
    for (const v of xs) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assert.equal(min, 0);
    assert.ok(max <= 1 && max > 0.99, `max ${max}`);
    const perLabel = new Array<number>(10).fill(0);
    for (let i = 0; i < 500; i++) {
      const row = Array.from(ys.subarray(i * 10, i * 10 + 10));
      assert.equal(
        row.reduce((a, b) => a + b, 0),
        1,
        `row ${i} sums to 1`,
      );
      assert.equal(row.indexOf(1), labels[i], `row ${i} is the one-hot of its label`);
      perLabel[labels[i]!]!++;
    }
    assert.deepEqual(perLabel, new Array(10).fill(50));
    // Round-robin order: every prefix of 10 holds each digit once.
    assert.deepEqual(Array.from(labels.subarray(0, 20)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('vectors for autoencoders: [n, 784], no ys, labels kept, counts not divisible by 10 spread evenly', () => {
    const p = loadMnist({ count: 1003, layout: 'vector', targets: 'none', binaryPath, inputNoise: 0.3 });
    assert.deepEqual(p.xsShape, [1003, 784]);
    assert.equal(p.ys, undefined);
    assert.equal(p.ysShape, undefined);
    assert.equal(p.inputNoise, 0.3);
    assert.equal(p.sampleKind, 'vector');
    const counts = new Array<number>(10).fill(0);
    for (const l of ints(p.labels)) counts[l]!++;
    assert.deepEqual(counts, [101, 101, 101, 100, 100, 100, 100, 100, 100, 100]);
  });

  it('is deterministic, and the binary and JSON paths give identical payloads', () => {
    const a = loadMnist({ count: 300, layout: 'image', targets: 'oneHot', binaryPath });
    const b = loadMnist({ count: 300, layout: 'image', targets: 'oneHot', binaryPath });
    const c = loadMnist({ count: 300, layout: 'image', targets: 'oneHot', source: 'json' });
    const same = (x: DatasetPayload, y: DatasetPayload): void => {
      assert.ok(Buffer.from(x.xs).equals(Buffer.from(y.xs)));
      assert.ok(Buffer.from(x.ys!).equals(Buffer.from(y.ys!)));
      assert.ok(Buffer.from(x.labels!).equals(Buffer.from(y.labels!)));
      assert.equal(x.description, y.description);
    };
    same(a, b);
    same(a, c);
  });

  it('takes every digit when asked for all 10,000 (imbalanced classes run out one by one)', () => {
    const order = mnistOrder([3, 1, 2], 6);
    assert.deepEqual(order, [
      [0, 0],
      [1, 0],
      [2, 0],
      [0, 1],
      [2, 1],
      [0, 2],
    ]);
    const all = loadMnist({ count: 10_000, layout: 'vector', targets: 'oneHot', binaryPath });
    assert.equal(all.xsShape[0], 10_000);
    assert.throws(() => loadMnist({ count: 10_001, layout: 'vector', targets: 'oneHot', binaryPath }), /1 to 10000/);
    assert.throws(() => loadMnist({ count: 0, layout: 'vector', targets: 'oneHot', binaryPath }), /1 to 10000/);
  });
});
