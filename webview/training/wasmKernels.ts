/**
 * Gradient kernels for the 'wasm' backend, so that convnets, depthwise/separable convnets and
 * embeddings train there.
 *
 * Missing in tfjs-backend-wasm 4.22 (checked with `tf.getKernel(name, 'wasm')`; the MNIST
 * convnet fails with "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"):
 * - `Conv2DBackpropFilter` (filter gradient of conv1d / conv2d / conv2dTranspose): im2col,
 *   read from and written to the backend's heap (NHWC or NCHW, strides, same/valid/explicit
 *   padding, dilations), then the backend's own BatchMatMul: dW[K, Co] = patchesᵀ[K, M] · dy[M, Co]
 *   with K = fh·fw·Ci and M = batch·outH·outW (chunked over the batch to bound memory).
 * - `DepthwiseConv2dNativeBackpropFilter` / `DepthwiseConv2dNativeBackpropInput`
 *   (depthwiseConv2d, separableConv2d): direct loops in JS.
 * - `UnsortedSegmentSum` (the gradient of gather, i.e. of embedding layers): a JS loop.
 *
 * Present but slow (naive C++ loops that take most of a convnet batch's time, far more than
 * the forward pass), replaced:
 * - `Conv2DBackpropInput`: cols[M, K] = dy[M, Co] · Wᵀ[Co, K] on BatchMatMul, then col2im.
 * - `MaxPoolGrad`: one SIMD pass that routes each window's gradient to its first maximum.
 * - `BatchMatMul` with `transposeA` / `transposeB` (every Dense layer's gradients): the operand is
 *   transposed first and the product runs on the backend's fast path (wasmMatMulKernel.ts).
 * - `Sum` over leading axes (every bias gradient): one pass of row additions (wasmSumKernel.ts).
 * Their loops work on the heap in place (no copies) in cache-friendly orders: the data movement
 * of the convolutions, pooling and sums runs in WASM (loops/heapLoops.wat, where SIMD moves
 * several floats per instruction; JS loops over typed arrays were most of a convnet step), the
 * depthwise and segment loops in JS.
 *
 * No DOM here: a test checks every kernel against the CPU backend's. This file registers them;
 * wasmConvKernels.ts holds the convolution gradients on BatchMatMul, wasmLoopKernels.ts the
 * ones written as loops, wasmHeap.ts the access to the backend's heap they share.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { conv2DBackpropFilter, conv2DBackpropInput } from './wasmConvKernels';
import { depthwiseBackpropFilter, depthwiseBackpropInput, maxPoolGrad, unsortedSegmentSum } from './wasmLoopKernels';
import { fastTransposeMatMul, isFastTransposeMatMul } from './wasmMatMulKernel';
import { isLeadingAxesSum, leadingAxesSum } from './wasmSumKernel';

/** The kernels this module provides for 'wasm', and why. */
export const WASM_TRAINING_KERNELS = {
  /** Not in tfjs-backend-wasm 4.22 at all. */
  missing: [
    'Conv2DBackpropFilter',
    'DepthwiseConv2dNativeBackpropFilter',
    'DepthwiseConv2dNativeBackpropInput',
    'UnsortedSegmentSum',
  ],
  /** Present, but naive loops: much slower than the forward pass they belong to (BatchMatMul: its transposes). */
  faster: ['Conv2DBackpropInput', 'MaxPoolGrad', 'BatchMatMul', 'Sum'],
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
  // BatchMatMul keeps the backend's own product for the untransposed case: it wraps it.
  const product = tf.getKernel('BatchMatMul', 'wasm') as { kernelFunc: KernelFunc } | undefined;
  if (product !== undefined && !isFastTransposeMatMul(product.kernelFunc) && options.replaceSlow !== false) {
    product.kernelFunc = fastTransposeMatMul(product.kernelFunc);
    installed.push('BatchMatMul');
  }
  // Sum likewise keeps the backend's own kernel for all but sums over leading axes.
  const sum = tf.getKernel('Sum', 'wasm') as { kernelFunc: KernelFunc } | undefined;
  if (sum !== undefined && !isLeadingAxesSum(sum.kernelFunc) && options.replaceSlow !== false) {
    sum.kernelFunc = leadingAxesSum(sum.kernelFunc);
    installed.push('Sum');
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

function isFaster(name: string): boolean {
  return (WASM_TRAINING_KERNELS.faster as readonly string[]).includes(name);
}
