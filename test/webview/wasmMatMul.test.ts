/**
 * The WASM backend's BatchMatMul with transposed operands (webview/training/wasmMatMulKernel.ts,
 * installed by registerWasmTrainingKernels) against tfjs's CPU backend, in Node: every
 * transpose combination, batched and broadcast operands, a Dense layer's gradients, and no
 * tensor left behind.
 */
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { isWrappedKernel, registerWasmTrainingKernels } from '../../webview/training/wasmKernels';
import { input, same } from './support/wasmCompare';

describe('WASM BatchMatMul with transposes (vs the CPU backend)', function () {
  this.timeout(60_000);

  before(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
    await tf.ready();
  });

  after(async () => {
    await tf.setBackend('cpu');
  });

  it('is installed once over the backend’s own product', () => {
    const kernel = tf.getKernel('BatchMatMul', 'wasm');
    assert.ok(kernel && isWrappedKernel(kernel.kernelFunc), 'the wrapper is the registered BatchMatMul');
    assert.ok(!registerWasmTrainingKernels().includes('BatchMatMul'), 'registering again does not wrap it twice');
  });

  for (const [transposeA, transposeB] of [
    [false, false],
    [true, false],
    [false, true],
    [true, true],
  ] as const) {
    it(`matches on rank 2 and rank 3 (broadcast batch), transposeA ${transposeA}, transposeB ${transposeB}`, async () => {
      const a2 = input(transposeA ? [7, 5] : [5, 7], 1);
      const b2 = input(transposeB ? [3, 7] : [7, 3], 2);
      const a3 = input(transposeA ? [4, 6, 5] : [4, 5, 6], 3);
      const b3 = input(transposeB ? [1, 2, 6] : [1, 6, 2], 4);
      await same('rank 2', () => [tf.matMul(a2, b2, transposeA, transposeB)]);
      await same('rank 3', () => [tf.matMul(a3, b3, transposeA, transposeB)]);
      tf.dispose([a2, b2, a3, b3]);
    });
  }

  it('gives a Dense layer’s gradients and frees its transposed copies', async () => {
    const x = input([16, 40], 5);
    const w = input([40, 24], 6);
    const dy = input([16, 24], 7);
    const gradients = (): tf.Tensor[] => {
      const g = tf.grads((xv: tf.Tensor, wv: tf.Tensor) => tf.sum(tf.mul(tf.sigmoid(tf.matMul(xv, wv)), dy)));
      return g([x, w]);
    };
    await same('dense gradients', gradients);
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    tf.dispose(tf.tidy(gradients));
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    tf.dispose([x, w, dy]);
  });
});
