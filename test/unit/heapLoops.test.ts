/**
 * The WASM loops of the training kernels (webview/training/loops/): the committed binaries are
 * heapLoops.wat and gemm.wat as they stand, they load on the plain memory tfjs's SIMD build has
 * and work on it in place, and gemm's product, with relaxed SIMD and without, equals a plain sum
 * of products on the shapes its tiles and chunks have edges at.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { hasRelaxedSimd, heapLoopsOn } from '../../webview/training/loops/heapLoops';

// Node 20 has relaxed SIMD behind this flag (Chromium and Node 22+ by default); set before the
// first module is compiled.
setFlagsFromString('--experimental-wasm-relaxed-simd');

const root = path.resolve(__dirname, '..', '..');

/** WebAssembly.Memory (the root project's types have no DOM library). */
const Memory = (
  globalThis as unknown as {
    WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBufferLike } };
  }
).WebAssembly.Memory;

describe('heap loops (WASM)', () => {
  it('heapLoopsBinary.ts is heapLoops.wat compiled (run scripts/buildHeapLoops.mjs after editing the .wat)', async () => {
    const { heapLoopsSource } = (await import(path.join(root, 'scripts', 'buildHeapLoops.mjs'))) as {
      heapLoopsSource(): Promise<string>;
    };
    const committed = readFileSync(path.join(root, 'webview', 'training', 'loops', 'heapLoopsBinary.ts'), 'utf8');
    assert.equal(committed, await heapLoopsSource());
  });

  it("loads on the memory of tfjs's SIMD build and works on it in place", () => {
    const memory = new Memory({ initial: 2 });
    const loops = heapLoopsOn(memory);
    assert.equal(heapLoopsOn(memory), loops, 'one instance per memory');
    const heap = new Float32Array(memory.buffer);
    // src [3, 5] at float 16, its transpose at float 64, its column sums at float 128
    const src = Array.from({ length: 15 }, (_, i) => i + 1);
    heap.set(src, 16);
    loops.transpose(64 * 4, 16 * 4, 3, 5);
    const expected = Array.from({ length: 15 }, (_, i) => src[(i % 3) * 5 + Math.floor(i / 3)]);
    assert.deepEqual(Array.from(heap.subarray(64, 79)), expected);
    heap.fill(7, 128, 133);
    loops.sumRows(128 * 4, 16 * 4, 3, 5);
    assert.deepEqual(Array.from(heap.subarray(128, 133)), [18, 21, 24, 27, 30]);
  });

  for (const relaxed of [true, false]) {
    it(`gemm equals a plain sum of products (${relaxed ? 'relaxed SIMD' : 'plain SIMD'})`, () => {
      assert.equal(hasRelaxedSimd(), true, 'this Node runs relaxed SIMD with the flag');
      const memory = new Memory({ initial: 64 });
      const loops = heapLoopsOn(memory, relaxed);
      assert.equal(loops.relaxedSimd, relaxed);
      const heap = new Float32Array(memory.buffer);
      let seed = 7;
      const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
      // [M, K, N]: one float; tile edges in every dimension; k over two chunks of 512; no k.
      const shapes = [
        [1, 1, 1],
        [4, 8, 8],
        [5, 7, 3],
        [9, 13, 17],
        [6, 1100, 10],
        [3, 0, 5],
        [2, 3, 12],
      ] as const;
      for (const [M, K, N] of shapes) {
        for (const transposeA of [false, true]) {
          for (const add of [0, 1] as const) {
            const ldc = N + 3; // C's rows padded: the padding must stay as it was
            const [A, B, C] = [0, 200_000, 400_000];
            const a = Array.from({ length: M * K }, random);
            const b = Array.from({ length: K * N }, random);
            const before = Array.from({ length: M * ldc + 8 }, random);
            heap.set(transposeA ? Array.from({ length: M * K }, (_, i) => a[(i % M) * K + Math.floor(i / M)]!) : a, A);
            heap.set(b, B);
            heap.set(before, C);
            const [sAm, sAk] = transposeA ? [4, M * 4] : [K * 4, 4];
            loops.gemm(C * 4, A * 4, B * 4, M, K, N, sAm, sAk, N * 4, ldc * 4, add);
            const label = `M ${M}, K ${K}, N ${N}, transposeA ${transposeA}, add ${add}`;
            for (let i = 0; i < before.length; i++) {
              const [m, n] = [Math.floor(i / ldc), i % ldc];
              if (m >= M || n >= N) {
                assert.equal(
                  heap[C + i],
                  Math.fround(before[i]!),
                  `${label}: C[${m}, ${n}] is outside the product and was written`,
                );
                continue;
              }
              let sum = add ? Math.fround(before[i]!) : 0;
              for (let k = 0; k < K; k++) sum += a[m * K + k]! * b[k * N + n]!;
              assert.ok(
                Math.abs(heap[C + i]! - sum) <= 1e-5 * (1 + K),
                `${label}: C[${m}, ${n}] = ${heap[C + i]}, expected ${sum}`,
              );
            }
          }
        }
      }
    });
  }

  it('says clearly when there is no memory to work on', () => {
    assert.throws(() => heapLoopsOn(undefined), /WASM backend's memory is not reachable/);
  });
});
