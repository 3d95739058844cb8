import * as assert from 'node:assert/strict';
import { idxDataset, isGzip, parseIdx } from '../../src/data/idx';

/** An IDX file: 00 00 type rank, big-endian dims, then the values. */
function idx(type: number, dims: number[], values: number[], bytesPer = 1): Uint8Array {
  const header = 4 + 4 * dims.length;
  const bytes = new Uint8Array(header + values.length * bytesPer);
  const view = new DataView(bytes.buffer);
  bytes[2] = type;
  bytes[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  values.forEach((v, i) => {
    if (type === 0x08) view.setUint8(header + i, v);
    else if (type === 0x0d) view.setFloat32(header + 4 * i, v, false);
    else if (type === 0x0b) view.setInt16(header + 2 * i, v, false);
  });
  return bytes;
}

const images = idx(0x08, [3, 2, 2], [0, 255, 51, 102, 255, 0, 0, 0, 1, 2, 3, 4]);
const labels = idx(0x08, [3], [1, 0, 2]);

describe('IDX data', () => {
  it('parses ubyte images (big-endian dims)', () => {
    const parsed = parseIdx(images, 'train-images-idx3-ubyte');
    assert.equal(parsed.type, 'ubyte');
    assert.deepEqual(parsed.dims, [3, 2, 2]);
    assert.deepEqual([...parsed.data.slice(0, 4)], [0, 255, 51, 102]);
  });

  it('parses float and short data', () => {
    const floats = parseIdx(idx(0x0d, [2], [1.5, -2.25], 4), 'f.idx');
    assert.equal(floats.type, 'float');
    assert.deepEqual([...floats.data], [1.5, -2.25]);
    const shorts = parseIdx(idx(0x0b, [2], [-300, 300], 2), 's.idx');
    assert.deepEqual([...shorts.data], [-300, 300]);
  });

  it('caps the number of samples read', () => {
    const parsed = parseIdx(images, 'i', 2);
    assert.deepEqual(parsed.dims, [2, 2, 2]);
    assert.equal(parsed.data.length, 8);
  });

  it('bad magic: names the file and what it starts with', () => {
    const zip = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]);
    assert.throws(() => parseIdx(zip, 'data/digits.zip'), {
      message:
        'data/digits.zip: not an IDX file: it starts with 50 4b 03 04; IDX files start with 00 00, a type byte (08 ubyte, 09 byte, 0b short, 0c int, 0d float, 0e double) and the number of dimensions.',
    });
    assert.throws(() => parseIdx(new Uint8Array([0, 0, 0x42, 1]), 'x.idx'), /x.idx: not an IDX file: it starts with 00 00 42 01/);
    assert.throws(() => parseIdx(new Uint8Array([]), 'empty.idx'), /empty.idx: not an IDX file: it starts with \(nothing\)/);
    assert.throws(() => parseIdx(new Uint8Array([0x1f, 0x8b, 8, 0]), 'a.gz'), {
      message: 'a.gz: the file is gzip-compressed; decompress it first.',
    });
    assert.equal(isGzip(new Uint8Array([0x1f, 0x8b])), true);
  });

  it('truncated: the header against the bytes that follow', () => {
    assert.throws(() => parseIdx(images.subarray(0, images.length - 3), 'data/train-images'), {
      message: 'data/train-images: truncated: the header describes 3×2×2 ubyte values (12 bytes) but only 9 bytes follow it.',
    });
    assert.throws(() => parseIdx(images.subarray(0, 9), 'h.idx'), {
      message: 'h.idx: truncated: the header announces 3 dimensions but the file ends after 9 bytes.',
    });
  });

  it('images + labels → a classifier dataset (ubyte scaled to 0–1, one-hot labels)', () => {
    const d = idxDataset(parseIdx(images, 'imgs'), parseIdx(labels, 'lbls'), {
      inputShape: [2, 2, 1],
      outputShape: [3],
      softmaxClasses: 3,
    });
    assert.deepEqual(d.xsShape, [3, 2, 2, 1]);
    assert.deepEqual(d.ysShape, [3, 3]);
    assert.deepEqual(
      [...new Float32Array(d.xs)].slice(0, 4).map((v) => Math.round(v * 100) / 100),
      [0, 1, 0.2, 0.4],
    );
    assert.deepEqual([...new Float32Array(d.ys as ArrayBuffer)], [0, 1, 0, 1, 0, 0, 0, 0, 1]);
    assert.equal(d.sampleKind, 'image');
  });

  it('autoencoder: images only, no ys', () => {
    const d = idxDataset(parseIdx(images, 'imgs'), undefined, { inputShape: [4], outputShape: null });
    assert.deepEqual(d.xsShape, [3, 4]);
    assert.equal(d.ys, undefined);
  });

  it('mismatches name the files and the expected and found shapes', () => {
    assert.throws(() => idxDataset(parseIdx(images, 'data/imgs'), undefined, { inputShape: [28, 28, 1], outputShape: null }), {
      message:
        'data/imgs: the model expects samples of shape [28, 28, 1] (784 values), but the file holds 3 samples of 2×2 (4 values).',
    });
    assert.throws(
      () =>
        idxDataset(parseIdx(images, 'imgs'), parseIdx(idx(0x08, [2], [0, 1]), 'data/lbls'), {
          inputShape: [4],
          outputShape: [3],
          softmaxClasses: 3,
        }),
      { message: 'data/lbls: 2 labels for 3 images in imgs.' },
    );
    assert.throws(
      () =>
        idxDataset(parseIdx(images, 'imgs'), parseIdx(labels, 'data/lbls'), {
          inputShape: [4],
          outputShape: [2],
          softmaxClasses: 2,
        }),
      { message: "data/lbls: label 2 at index 2, but the model's softmax has 2 classes (0–1)." },
    );
    assert.throws(
      () => idxDataset(parseIdx(images, 'data/imgs'), undefined, { inputShape: [4], outputShape: [10], softmaxClasses: 10 }),
      {
        message:
          "data/imgs: no labels file was given, and the model's output [10] is not the image shape [4]; pick the matching labels file too.",
      },
    );
  });
});
