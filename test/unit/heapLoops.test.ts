/**
 * The WASM loops of the training kernels (webview/training/loops/): the committed binary is
 * heapLoops.wat as it stands, and it loads on the plain memory tfjs's SIMD build has and works on
 * it in place.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { heapLoopsOn } from '../../webview/training/loops/heapLoops';

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

  it('says clearly when there is no memory to work on', () => {
    assert.throws(() => heapLoopsOn(undefined), /WASM backend's memory is not reachable/);
  });
});
