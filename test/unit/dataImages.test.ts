import * as assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { decodePng, isPng, toChannels } from '../../src/host/training/png';

function crcless(type: string, body: Uint8Array): Buffer {
  // The decoder does not check CRCs: zeros are fine here.
  const out = Buffer.alloc(12 + body.length);
  out.writeUInt32BE(body.length, 0);
  out.write(type, 4, 'latin1');
  Buffer.from(body).copy(out, 8);
  return out;
}

/** A PNG with the given colour type and 8-bit depth; rows are filtered with `filter`. */
function png(
  width: number,
  height: number,
  colorType: number,
  channels: number,
  pixels: number[],
  filter = 0,
  extra: Buffer[] = [],
  interlace = 0,
): Uint8Array {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8;
  header[9] = colorType;
  header[12] = interlace;
  const stride = width * channels;
  const raw = Buffer.alloc(height * (stride + 1));
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const value = pixels[y * stride + x] ?? 0;
      // Filter 1 (Sub): store the difference from the byte one pixel to the left.
      const left = filter === 1 && x >= channels ? (pixels[y * stride + x - channels] ?? 0) : 0;
      raw[y * (stride + 1) + 1 + x] = (value - left) & 0xff;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    crcless('IHDR', header),
    ...extra,
    crcless('IDAT', deflateSync(raw)),
    crcless('IEND', new Uint8Array()),
  ]);
}

describe('image data (PNG)', () => {
  it('decodes greyscale and RGB, with the Sub filter', () => {
    const grey = decodePng(png(2, 2, 0, 1, [0, 255, 128, 64]), 'g.png');
    assert.equal(grey.width, 2);
    assert.deepEqual(
      [...toChannels(grey, 1)].map((v) => Math.round(v * 255)),
      [0, 255, 128, 64],
    );
    const rgb = decodePng(png(2, 1, 2, 3, [255, 0, 0, 10, 20, 30], 1), 'c.png');
    assert.deepEqual(
      [...toChannels(rgb, 3)].map((v) => Math.round(v * 255)),
      [255, 0, 0, 10, 20, 30],
    );
    assert.deepEqual(
      [...toChannels(rgb, 4)].map((v) => Math.round(v * 255)),
      [255, 0, 0, 255, 10, 20, 30, 255],
    );
    assert.equal(Math.round((toChannels(rgb, 1)[0] ?? 0) * 1000), 299, 'luminance of pure red');
  });

  it('decodes palette images', () => {
    const palette = crcless('PLTE', new Uint8Array([0, 0, 0, 255, 255, 255]));
    const image = decodePng(png(2, 1, 3, 1, [1, 0], 0, [palette]), 'p.png');
    assert.deepEqual(
      [...toChannels(image, 1)].map((v) => Math.round(v)),
      [1, 0],
    );
  });

  it('errors name the file', () => {
    assert.equal(isPng(new Uint8Array([1, 2, 3])), false);
    assert.throws(() => decodePng(new Uint8Array([0xff, 0xd8, 0xff]), 'cats/1.jpg'), { message: 'cats/1.jpg: not a PNG file.' });
    assert.throws(() => decodePng(png(2, 2, 0, 1, [0, 0, 0, 0], 0, [], 1), 'i.png'), {
      message: 'i.png: interlaced PNGs are not supported; save it without interlacing.',
    });
    const whole = png(4, 4, 0, 1, new Array(16).fill(7));
    assert.throws(() => decodePng(whole.subarray(0, 40), 'cut.png'), /cut.png: truncated PNG/);
  });
});
