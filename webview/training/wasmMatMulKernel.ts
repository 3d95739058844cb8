/**
 * BatchMatMul for the WASM backend with its transposes done first: tfjs-backend-wasm runs
 * `transposeA` / `transposeB` products in naive loops, far slower than its plain product, and
 * every Dense layer's gradients ask for them (dW = xᵀ · dy, dx = dy · Wᵀ). Transposing the
 * operand with the backend's Transpose and multiplying on the fast path gives the same values.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import type { WasmBackendLike } from './wasmHeap';

/** Marks the functions made here, so registering again does not wrap a wrapper. */
const WRAPPED = new WeakSet<KernelFunc>();

export function isFastTransposeMatMul(kernelFunc: KernelFunc): boolean {
  return WRAPPED.has(kernelFunc);
}

/** `original` (the backend's BatchMatMul) with transposed operands made explicit first. */
export function fastTransposeMatMul(original: KernelFunc): KernelFunc {
  const kernelFunc: KernelFunc = (args) => {
    const attrs = args.attrs as NamedAttrMap & { transposeA?: boolean; transposeB?: boolean };
    if (!attrs.transposeA && !attrs.transposeB) return original(args);
    const backend = args.backend as unknown as WasmBackendLike;
    const inputs = args.inputs as { a: TensorInfo; b: TensorInfo };
    const a = attrs.transposeA ? swapLastTwo(args.backend as tf.KernelBackend, inputs.a) : inputs.a;
    const b = attrs.transposeB ? swapLastTwo(args.backend as tf.KernelBackend, inputs.b) : inputs.b;
    try {
      return original({ ...args, inputs: { a, b }, attrs: { ...attrs, transposeA: false, transposeB: false } });
    } finally {
      if (a !== inputs.a) backend.disposeData(a.dataId);
      if (b !== inputs.b) backend.disposeData(b.dataId);
    }
  };
  WRAPPED.add(kernelFunc);
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
