// Converts the `mnist` package's digit JSON files (21 MB of decimal text) into the compact
// binary the extension ships: dist/data/mnist-10k.bin (7.9 MB, uint8 pixels + labels).
// The layout is documented (and read) in src/data/mnist.ts.
//   node scripts/prepareMnist.mjs [outFile]
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const CLASSES = 10;
const HEADER_BYTES = 8 + 4 * 4 + 4 * CLASSES;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Writes the binary (skipped when it is newer than the JSON files, unless `force`).
 * @param {{ outFile?: string, jsonDir?: string, force?: boolean, quiet?: boolean }} [options]
 * @returns {string} the file written (or already up to date)
 */
export function prepareMnist(options = {}) {
  const outFile = options.outFile ?? path.join(root, 'dist', 'data', 'mnist-10k.bin');
  const jsonDir =
    options.jsonDir ?? path.join(path.dirname(createRequire(import.meta.url).resolve('mnist/package.json')), 'src', 'digits');
  const sources = Array.from({ length: CLASSES }, (_, d) => path.join(jsonDir, `${d}.json`));
  if (!options.force && isNewer(outFile, sources)) return outFile;

  const digits = sources.map((file, d) => {
    const data = JSON.parse(readFileSync(file, 'utf8')).data;
    if (!Array.isArray(data) || data.length % PIXELS !== 0) throw new Error(`${file}: expected { data: [784·n numbers] }`);
    const pixels = new Uint8Array(data.length);
    for (let i = 0; i < data.length; i++) {
      const level = Math.round(data[i] * 255);
      if (!(level >= 0 && level <= 255)) throw new Error(`${file}: value ${data[i]} outside 0..1 (digit ${d})`);
      pixels[i] = level;
    }
    return pixels;
  });
  const counts = digits.map((p) => p.length / PIXELS);
  const count = counts.reduce((a, b) => a + b, 0);
  const bytes = new Uint8Array(HEADER_BYTES + count + count * PIXELS);
  const view = new DataView(bytes.buffer);
  bytes.set(new TextEncoder().encode('MNIST10K'), 0);
  view.setUint32(8, 1, true);
  view.setUint32(12, count, true);
  view.setUint32(16, SIDE, true);
  view.setUint32(20, SIDE, true);
  counts.forEach((n, d) => view.setUint32(24 + 4 * d, n, true));
  let offset = HEADER_BYTES;
  counts.forEach((n, d) => {
    bytes.fill(d, offset, offset + n);
    offset += n;
  });
  for (const pixels of digits) {
    bytes.set(pixels, offset);
    offset += pixels.length;
  }
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, bytes);
  if (!options.quiet)
    console.log(`[mnist] ${path.relative(process.cwd(), outFile)}: ${count} digits, ${(bytes.length / 1e6).toFixed(1)} MB`);
  return outFile;
}

function isNewer(file, sources) {
  try {
    const built = statSync(file).mtimeMs;
    return sources.every((s) => statSync(s).mtimeMs <= built);
  } catch {
    return false;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  prepareMnist({ outFile: process.argv[2] ? path.resolve(process.argv[2]) : undefined, force: true });
}
