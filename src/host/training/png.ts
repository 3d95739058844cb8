/**
 * A small PNG decoder for training images (node:zlib inflates; no native or npm dependency):
 * non-interlaced PNGs of any colour type, bit depths 1–16. Pixels come out as floats in 0–1,
 * converted to the channel count the model wants (1 grey, 3 RGB, 4 RGBA). No `vscode` import.
 */
import { inflateSync } from 'node:zlib';

export interface DecodedImage {
  width: number;
  height: number;
  /** RGBA, row-major, 0–1. */
  rgba: Float32Array;
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Samples per pixel by colour type: grey, RGB, palette, grey+alpha, RGBA. */
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export function isPng(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Decodes a PNG; errors name the file (`digits/3/img_12.png: interlaced PNGs are not supported.`). */
export function decodePng(bytes: Uint8Array, file: string): DecodedImage {
  if (!isPng(bytes)) throw new Error(`${file}: not a PNG file.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 8;
  let width = 0;
  let height = 0;
  let depth = 8;
  let colorType = 0;
  let interlace = 0;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const data: Uint8Array[] = [];
  let ended = false;
  while (offset + 8 <= bytes.length) {
    const length = view.getUint32(offset);
    const type = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
    const body = bytes.subarray(offset + 8, offset + 8 + length);
    if (body.length < length) throw new Error(`${file}: truncated PNG (the ${type} chunk is cut short).`);
    if (type === 'IHDR') {
      width = view.getUint32(offset + 8);
      height = view.getUint32(offset + 12);
      depth = body[8] ?? 8;
      colorType = body[9] ?? 0;
      interlace = body[12] ?? 0;
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') transparency = body;
    else if (type === 'IDAT') data.push(body);
    else if (type === 'IEND') {
      ended = true;
      break;
    }
    offset += 12 + length;
  }
  if (!ended) throw new Error(`${file}: truncated PNG (the file ends before its last chunk).`);
  const channels = CHANNELS[colorType];
  if (!width || !height || channels === undefined) throw new Error(`${file}: not a valid PNG (bad header).`);
  if (interlace !== 0) throw new Error(`${file}: interlaced PNGs are not supported; save it without interlacing.`);
  if (colorType === 3 && !palette) throw new Error(`${file}: not a valid PNG (palette missing).`);
  let raw: Uint8Array;
  try {
    raw = inflateSync(Buffer.concat(data));
  } catch {
    throw new Error(`${file}: the PNG's image data is corrupt.`);
  }
  const bitsPerPixel = channels * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel / 8);
  if (raw.length < height * (stride + 1)) throw new Error(`${file}: truncated PNG (image data too short).`);
  const pixels = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)] ?? 0;
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const row = pixels.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? pixels.subarray((y - 1) * stride, y * stride) : undefined;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? (row[x - bpp] ?? 0) : 0;
      const b = prev ? (prev[x] ?? 0) : 0;
      const c = prev && x >= bpp ? (prev[x - bpp] ?? 0) : 0;
      const v = src[x] ?? 0;
      row[x] =
        (filter === 1
          ? v + a
          : filter === 2
            ? v + b
            : filter === 3
              ? v + ((a + b) >> 1)
              : filter === 4
                ? v + paeth(a, b, c)
                : v) & 0xff;
    }
  }
  const max = (1 << depth) - 1;
  const sample = (y: number, i: number): number => {
    // The i-th sample of row y, at any bit depth.
    if (depth === 8) return pixels[y * stride + i] ?? 0;
    if (depth === 16) return ((pixels[y * stride + 2 * i] ?? 0) << 8) | (pixels[y * stride + 2 * i + 1] ?? 0);
    const bit = i * depth;
    const byte = pixels[y * stride + (bit >> 3)] ?? 0;
    return (byte >> (8 - depth - (bit & 7))) & max;
  };
  const rgba = new Float32Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 4;
      if (colorType === 3) {
        const index = sample(y, x);
        rgba[o] = (palette?.[index * 3] ?? 0) / 255;
        rgba[o + 1] = (palette?.[index * 3 + 1] ?? 0) / 255;
        rgba[o + 2] = (palette?.[index * 3 + 2] ?? 0) / 255;
        rgba[o + 3] = (transparency?.[index] ?? 255) / 255;
        continue;
      }
      const s = (k: number): number => sample(y, x * channels + k) / max;
      const grey = colorType === 0 || colorType === 4;
      rgba[o] = s(0);
      rgba[o + 1] = grey ? s(0) : s(1);
      rgba[o + 2] = grey ? s(0) : s(2);
      rgba[o + 3] = colorType === 4 ? s(1) : colorType === 6 ? s(3) : 1;
    }
  }
  return { width, height, rgba };
}

/** The image's pixels with `channels` values each: 1 = luminance, 3 = RGB, 4 = RGBA. */
export function toChannels(image: DecodedImage, channels: number): Float32Array {
  const n = image.width * image.height;
  const out = new Float32Array(n * channels);
  for (let i = 0; i < n; i++) {
    const r = image.rgba[i * 4] ?? 0;
    const g = image.rgba[i * 4 + 1] ?? 0;
    const b = image.rgba[i * 4 + 2] ?? 0;
    if (channels === 1) out[i] = 0.299 * r + 0.587 * g + 0.114 * b;
    else for (let c = 0; c < channels; c++) out[i * channels + c] = image.rgba[i * 4 + c] ?? 0;
  }
  return out;
}
