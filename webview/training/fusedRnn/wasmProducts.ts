/**
 * The fused recurrences' per-step products on the WASM backend's BatchMatMul (XNNPACK, SIMD),
 * called directly on the backend's heap, without the engine's bookkeeping per call: the weight
 * matrix is uploaded once per pass, each step writes its rows into a heap tensor, multiplies, and
 * reads the result back. Heap views are taken right after each allocation (the heap may move).
 */
import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from '../wasmHeap';
import type { ProductFactory } from './products';

/** A product factory on the current backend when it is WASM with its BatchMatMul, else null. */
export function wasmProducts(): ProductFactory | null {
  if (tf.getBackend() !== 'wasm') return null;
  const kernel = tf.getKernel('BatchMatMul', 'wasm');
  if (kernel === undefined) return null;
  const backend = tf.backend() as unknown as WasmBackendLike;
  const attrs = { transposeA: false, transposeB: false };
  const allocate = (shape: number[], values: Float64Array): TensorInfo => {
    const info = backend.makeOutput(shape, 'float32');
    backend.typedArrayFromHeap(info).set(values);
    return info;
  };
  return (w, k, n) => {
    let weights: TensorInfo | null = allocate([1, k, n], w);
    return {
      multiply(a, rows, out, accumulate) {
        if (weights === null) throw new Error('the product was disposed');
        const input = allocate([1, rows, k], a.subarray(0, rows * k));
        const product = kernel.kernelFunc({
          inputs: { a: input, b: weights },
          backend: backend as unknown as tf.KernelBackend,
          attrs,
        }) as TensorInfo;
        const values = backend.typedArrayFromHeap(product);
        const size = rows * n;
        if (accumulate) for (let i = 0; i < size; i++) out[i] += values[i]!;
        else for (let i = 0; i < size; i++) out[i] = values[i]!;
        backend.disposeData(input.dataId);
        backend.disposeData(product.dataId);
      },
      dispose() {
        if (weights !== null) backend.disposeData(weights.dataId);
        weights = null;
      },
    };
  };
}
