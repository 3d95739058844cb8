/**
 * BatchMatMul for the WASM backend on gemm.wat (wasmGemm.ts): faster than the backend's XNNPACK
 * product, and tfjs-backend-wasm runs `transposeA` / `transposeB` products in naive loops, far
 * slower still, while every Dense layer's gradients ask for them (dW = xᵀ · dy, dx = dy · Wᵀ).
 * Products it does not take (other dtypes, other broadcasting) go to the backend's own kernel,
 * their transposes made explicit first with the backend's Transpose.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { heapMatMul } from './wasmGemm';
import type { WasmBackendLike } from './wasmHeap';

/** Products on gemm.wat, `original` (the backend's BatchMatMul) for the rest. */
export function fastTransposeMatMul(original: KernelFunc): KernelFunc {
  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs as NamedAttrMap & { transposeA?: boolean; transposeB?: boolean };
    const backend = args.backend as unknown as WasmBackendLike;
    const inputs = args.inputs as { a: TensorInfo; b: TensorInfo };
    const product = heapMatMul(backend, inputs.a, inputs.b, attrs.transposeA === true, attrs.transposeB === true);
    if (product !== null) return product;
    if (!attrs.transposeA && !attrs.transposeB) return original(args);
    const a = attrs.transposeA ? swapLastTwo(args.backend as tf.KernelBackend, inputs.a) : inputs.a;
    const b = attrs.transposeB ? swapLastTwo(args.backend as tf.KernelBackend, inputs.b) : inputs.b;
    try {
      return original({ ...args, inputs: { a, b }, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      if (a !== inputs.a) backend.disposeData(a.dataId);
      if (b !== inputs.b) backend.disposeData(b.dataId);
    }
  };
  return kernelFunc;
}

/** `t` with its last two dimensions swapped, by the backend's Transpose (a new tensor). */
function swapLastTwo(backend: tf.KernelBackend, t: TensorInfo): TensorInfo {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (transpose === undefined) throw new Error('Transpose is not registered for the wasm backend');
  const rank = t.shape.length;
  const perm = [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
  return transpose.kernelFunc({ inputs: { x: t }, backend, attrs: { perm } }) as TensorInfo;
}
