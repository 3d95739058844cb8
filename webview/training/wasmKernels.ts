/**
 * Training kernels for the 'wasm' backend, so that convnets, depthwise/separable convnets and
 * embeddings train there, and train fast.
 *
 * Missing in tfjs-backend-wasm 4.22 (checked with `tf.getKernel(name, 'wasm')`; the MNIST
 * convnet fails with "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"):
 * - `Conv2DBackpropFilter` (filter gradient of conv1d / conv2d / conv2dTranspose): im2col rows
 *   on the backend's heap (NHWC or NCHW, strides, same/valid/explicit padding, dilations), then
 *   dW[K, Co] = patchesᵀ · dy on gemm.wat, the patches read transposed through strides, with
 *   K = fh·fw·Ci (chunked over the batch to bound memory).
 * - `DepthwiseConv2dNativeBackpropFilter` / `DepthwiseConv2dNativeBackpropInput`
 *   (depthwiseConv2d, separableConv2d): one pass over the output positions in WASM
 *   (loops/depthwise.wat), four channels at a time.
 * - `UnsortedSegmentSum` (the gradient of gather, i.e. of embedding layers): a JS loop.
 *
 * Present but slower than ours, replaced (the backend's kernel kept for what ours do not take):
 * - `Conv2DBackpropInput` (naive C++ loops): cols[M, K] = dy[M, Co] · Wᵀ[Co, K], then col2im.
 * - `MaxPoolGrad` (naive loops): one SIMD pass that routes each window's gradient to its first maximum.
 * - `BatchMatMul`: every float32 product on gemm.wat (loops/gemm.wat: register tiles, k chunks,
 *   fused multiply-adds where relaxed SIMD is there), faster than XNNPACK's here, and the
 *   backend runs transposed operands (every Dense layer's gradients) in naive loops
 *   (wasmMatMulKernel.ts, wasmGemm.ts).
 * - `Conv2D` (NHWC float32 with patches of 32 floats or more): im2col rows · W on gemm.wat.
 * - `Sum` over leading axes (every bias gradient): one pass of row additions (wasmSumKernel.ts).
 * Their loops work on the heap in place in cache-friendly orders: the products and the data
 * movement of the convolutions, pooling and sums run in WASM (loops/*.wat, where SIMD moves
 * several floats per instruction; JS loops over typed arrays were most of a convnet step), the
 * segment sums in JS.
 *
 * No DOM here: a test checks every kernel against the CPU backend's. This file registers them;
 * wasmConvKernels.ts holds the convolutions, wasmLoopKernels.ts the kernels written as loops,
 * wasmHeap.ts the access to the backend's heap they share.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { conv2DBackpropFilter, conv2DBackpropInput, heapConv2D } from './wasmConvKernels';
import { depthwiseBackpropFilter, depthwiseBackpropInput, maxPoolGrad, unsortedSegmentSum } from './wasmLoopKernels';
import { fastTransposeMatMul } from './wasmMatMulKernel';
import { leadingAxesSum } from './wasmSumKernel';

/** The kernels this module provides for 'wasm', and why. */
export const WASM_TRAINING_KERNELS = {
  /** Not in tfjs-backend-wasm 4.22 at all. */
  missing: [
    'Conv2DBackpropFilter',
    'DepthwiseConv2dNativeBackpropFilter',
    'DepthwiseConv2dNativeBackpropInput',
    'UnsortedSegmentSum',
  ],
  /** Present, but slower than ours (naive loops, or XNNPACK's products for BatchMatMul and Conv2D). */
  faster: ['Conv2DBackpropInput', 'MaxPoolGrad', 'BatchMatMul', 'Sum', 'Conv2D'],
} as const;

/**
 * Registers the missing gradient kernels for 'wasm' and, unless `replaceSlow` is false, swaps
 * the slow built-in ones for the implementations here. Returns the names it installed.
 * Idempotent; may run before the backend is initialised.
 */
export function registerWasmTrainingKernels(options: { replaceSlow?: boolean } = {}): string[] {
  const functions: Record<string, (args: never) => TensorInfo> = {
    Conv2DBackpropFilter: conv2DBackpropFilter,
    DepthwiseConv2dNativeBackpropFilter: depthwiseBackpropFilter,
    DepthwiseConv2dNativeBackpropInput: depthwiseBackpropInput,
    UnsortedSegmentSum: unsortedSegmentSum,
    Conv2DBackpropInput: conv2DBackpropInput,
    MaxPoolGrad: maxPoolGrad,
  };
  const installed: string[] = [];
  // These three keep the backend's own kernel for what they do not take: they wrap it.
  if (options.replaceSlow !== false) {
    for (const [kernelName, wrap] of Object.entries(WRAPPERS))
      if (wrapBackendKernel(kernelName, wrap)) installed.push(kernelName);
  }
  for (const [kernelName, fn] of Object.entries(functions)) {
    const kernelFunc = fn as unknown as KernelFunc;
    const existing = tf.getKernel(kernelName, 'wasm') as { kernelFunc: KernelFunc } | undefined;
    if (existing === undefined) {
      tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc } satisfies KernelConfig);
      installed.push(kernelName);
    } else if (existing.kernelFunc !== kernelFunc && options.replaceSlow !== false && isFaster(kernelName)) {
      // registerKernel would replace it too, but logs a warning; the registry hands out the
      // config object itself, so swapping its function keeps the backend's setup intact.
      existing.kernelFunc = kernelFunc;
      installed.push(kernelName);
    }
  }
  return installed;
}

/**
 * The backend's kernels wrapped rather than replaced: BatchMatMul (other dtypes and broadcasts),
 * Conv2D (NCHW, other dtypes, small patches) and Sum (all but sums over leading axes).
 */
const WRAPPERS: Record<string, (original: KernelFunc) => KernelFunc> = {
  BatchMatMul: fastTransposeMatMul,
  Conv2D: heapConv2D,
  Sum: leadingAxesSum,
};

/** The wrappers installed, so that registering again does not wrap a wrapper. */
const WRAPPED = new WeakSet<KernelFunc>();

/** Whether `kernelFunc` is one of this module's wrappers of a backend kernel. */
export function isWrappedKernel(kernelFunc: KernelFunc): boolean {
  return WRAPPED.has(kernelFunc);
}

/** Wraps the backend's `kernelName` once; false when it is missing or wrapped already. */
function wrapBackendKernel(kernelName: string, wrap: (original: KernelFunc) => KernelFunc): boolean {
  const kernel = tf.getKernel(kernelName, 'wasm') as { kernelFunc: KernelFunc } | undefined;
  if (kernel === undefined || WRAPPED.has(kernel.kernelFunc)) return false;
  kernel.kernelFunc = wrap(kernel.kernelFunc);
  WRAPPED.add(kernel.kernelFunc);
  return true;
}

function isFaster(name: string): boolean {
  return (WASM_TRAINING_KERNELS.faster as readonly string[]).includes(name);
}
