/**
 * What the WASM training kernels (wasmKernels.ts) share: the part of the backend they use, the
 * kernel arguments, and reading, viewing and writing tensors on the backend's heap.
 */
import * as tf from '@tensorflow/tfjs';
import type { DataType, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

export type TypedArray = Float32Array | Int32Array | Uint8Array;
export type Conv2DInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;
export type Padding = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
export type Rounding = 'floor' | 'round' | 'ceil' | undefined;

/** The part of tfjs-backend-wasm's `BackendWasm` these kernels use. */
export interface WasmBackendLike {
  readSync(dataId: object): unknown;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): TypedArray;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
}

export interface KernelArgs<I extends string> {
  inputs: Record<I, TensorInfo>;
  backend: WasmBackendLike;
  attrs: NamedAttrMap;
}

export function read(backend: WasmBackendLike, t: TensorInfo): TypedArray {
  return backend.readSync(t.dataId) as TypedArray;
}

export function output(backend: WasmBackendLike, shape: number[], dtype: DataType, values: TypedArray): TensorInfo {
  const out = backend.makeOutput(shape, dtype);
  backend.typedArrayFromHeap(out).set(values);
  return out;
}

/**
 * A float32 view of a tensor's data on the WASM heap: no copy, but only valid until the next
 * allocation on the backend (the heap may grow and move), so take views after allocating.
 */
export function view(backend: WasmBackendLike, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

export function as4D(shape: number[]): [number, number, number, number] {
  if (shape.length !== 4) throw new Error(`expected a rank-4 shape, got [${shape.join(', ')}]`);
  return [shape[0]!, shape[1]!, shape[2]!, shape[3]!];
}
