/**
 * The fused recurrent layers on the WASM backend (tfjs-backend-wasm in Node), where the per-step
 * products run on the backend's own BatchMatMul (fusedRnn/wasmProducts.ts): output and gradients
 * equal tfjs-layers' own layer on the same backend to 1e-5.
 */
import * as assert from 'assert';
import * as tf from '@tensorflow/tfjs';
import { checkCase } from './support/fusedRnnCases';
import { wasmProducts } from '../../webview/training/fusedRnn/wasmProducts';

describe('fused recurrent layers on the WASM backend', () => {
  before(async function () {
    // Imported here, not at the top: the import registers the backend for every test file of the run.
    // (In Node it finds its .wasm files beside itself; another file may have started it already.)
    await import('@tensorflow/tfjs-backend-wasm');
    assert.ok(await tf.setBackend('wasm'), 'the wasm backend did not start');
  });

  // The backend stays registered (another file may use it); the tests after this one run on the CPU.
  after(async () => {
    await tf.setBackend('cpu');
  });

  it('multiplies on the backend', () => {
    const products = wasmProducts();
    assert.ok(products !== null);
    const product = products(Float64Array.from([1, 2, 3, 4, 5, 6]), 2, 3);
    const out = new Float64Array([10, 10, 10, 0, 0, 0]);
    product.multiply(Float64Array.from([1, -1, 0.5, 2]), 2, out, true);
    product.dispose();
    assert.deepStrictEqual(Array.from(out), [7, 7, 7, 8.5, 11, 13.5]);
  });

  let seed = 900;
  for (const kind of ['LSTM', 'GRU', 'SimpleRNN'] as const) {
    for (const returnSequences of [true, false]) {
      const goBackwards = !returnSequences;
      const s = (seed += 10);
      it(`${kind} returnSequences ${returnSequences}, goBackwards ${goBackwards}`, () => {
        checkCase({ kind, units: 12, returnSequences, goBackwards, useBias: true }, s);
        checkCase({ kind, units: 5, returnSequences, goBackwards: !goBackwards, useBias: false }, s + 5);
      });
    }
  }
});
