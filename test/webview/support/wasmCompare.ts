/**
 * What the WASM kernel tests share (wasmKernels.test.ts, wasmMatMul.test.ts): the same
 * computation run on tfjs's CPU backend and on WASM, compared value by value, with inputs that
 * are deterministic on both.
 */
import * as assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import * as tf from '@tensorflow/tfjs';

// The kernels' products run on relaxed SIMD as in Chromium (Node 20 has it behind this flag;
// the plain-SIMD product is checked in test/unit/heapLoops.test.ts).
setFlagsFromString('--experimental-wasm-relaxed-simd');

export type Run = () => tf.Tensor | tf.Tensor[];

/** Runs `f` on a backend and returns the values (and shapes) of its result. */
export async function on(backend: 'cpu' | 'wasm', f: Run): Promise<{ shape: number[]; values: Float32Array }[]> {
  await tf.setBackend(backend);
  const out = tf.tidy(f);
  const list = Array.isArray(out) ? out : [out];
  const result = await Promise.all(list.map(async (t) => ({ shape: t.shape, values: Float32Array.from(await t.data()) })));
  tf.dispose(list);
  return result;
}

/** Every value within `tolerance` of the largest expected magnitude. */
export function assertClose(actual: Float32Array, expected: Float32Array, what: string, tolerance = 1e-4): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 1e-6;
  for (const v of expected) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!);
    if (diff > tolerance * scale) assert.fail(`${what}[${i}]: wasm ${actual[i]} vs cpu ${expected[i]} (scale ${scale})`);
  }
}

/** `f` gives the same shapes and values on WASM as on the CPU backend. */
export async function same(what: string, f: Run, tolerance?: number): Promise<void> {
  const expected = await on('cpu', f);
  const actual = await on('wasm', f);
  expected.forEach((e, i) => {
    assert.deepEqual(actual[i]!.shape, e.shape, `${what}: shape`);
    assertClose(actual[i]!.values, e.values, what, tolerance);
  });
}

/** Deterministic inputs in [-0.5, 0.5) (the same on both backends). */
export function input(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    values[i] = s / 2147483648 - 0.5;
  }
  return tf.tensor(values, shape);
}
