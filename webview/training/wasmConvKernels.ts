/**
 * The convolution gradients of the WASM training kernels (wasmKernels.ts), on the backend's own
 * BatchMatMul: the filter gradient from an im2col patch matrix, the input gradient through
 * col2im, chunked over the batch to bound memory.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { address, heapLoops } from './loops/heapLoops';
import type { ConvGeometry } from './loops/heapLoops';
import { as4D, matMul, output, shareAs, view } from './wasmHeap';
import type { Conv2DInfo, KernelArgs, Padding, Rounding, WasmBackendLike } from './wasmHeap';

/** Patch matrices above this many floats are built one batch chunk at a time (16 MB). */
const MAX_PATCH_ELEMENTS = 4 * 1024 * 1024;

/** Element strides of a rank-4 NHWC / NCHW tensor, as [batch, row, col, channel]. */
function layoutStrides(info: Conv2DInfo, which: 'in' | 'out'): [number, number, number, number] {
  const h = which === 'in' ? info.inHeight : info.outHeight;
  const w = which === 'in' ? info.inWidth : info.outWidth;
  const c = which === 'in' ? info.inChannels : info.outChannels;
  return info.dataFormat === 'channelsLast' ? [h * w * c, w * c, c, 1] : [c * h * w, w, 1, h * w];
}

/** dy of samples [b0, b1) as a new [1, M, Co] tensor (NHWC: one copy; NCHW: transposed). */
function dyRows(backend: WasmBackendLike, dy: TensorInfo, info: Conv2DInfo, b0: number, b1: number): TensorInfo {
  const { outHeight: OH, outWidth: OW, outChannels: CO } = info;
  const perSample = OH * OW * CO;
  const rows = backend.makeOutput([1, (b1 - b0) * OH * OW, CO], 'float32');
  const src = view(backend, dy);
  const dst = view(backend, rows);
  if (info.dataFormat === 'channelsLast') {
    dst.set(src.subarray(b0 * perSample, b1 * perSample));
  } else {
    let i = 0;
    for (let b = b0; b < b1; b++)
      for (let oh = 0; oh < OH; oh++)
        for (let ow = 0; ow < OW; ow++) for (let c = 0; c < CO; c++) dst[i++] = src[((b * CO + c) * OH + oh) * OW + ow]!;
  }
  return rows;
}

/**
 * dW[K, Co] = patchesᵀ[K, M] · dy[M, Co] on the backend's fast path (no transposed operands; the
 * right operand, which the backend packs on every call, is the small dy). The patch matrix is
 * built a row per output position, reading each position's channels where they lie together in
 * NHWC, then transposed in cache-sized tiles: building [K, M] directly reads x with a stride in
 * its innermost loop and walks all of x once per filter tap. NHWC dy is used in place, and the
 * product comes out in the filter layout [fh, fw, Ci, Co]. Batch chunks bound the patch
 * matrices' memory; their products are summed.
 */
export function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs<'x' | 'dy'>): TensorInfo {
  const { x, dy } = inputs;
  const filterShape = attrs['filterShape'] as [number, number, number, number];
  const info = convInfo(x.shape, filterShape, attrs);
  const loops = heapLoops(backend);
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  const CO = info.outChannels;
  const perSample = info.outHeight * info.outWidth;
  // Two patch matrices live at once (rows, then transposed).
  const chunk = batchChunk(info.batchSize, 2 * K * perSample);
  let dw: Float32Array | null = null;
  let result: TensorInfo | null = null;
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const b1 = Math.min(info.batchSize, b0 + chunk);
    const M = (b1 - b0) * perSample;
    const rows = backend.makeOutput([1, M, K], 'float32');
    const patches = backend.makeOutput([1, K, M], 'float32');
    // Addresses after both allocations (an allocation may move the heap).
    loops.im2colRows(address(backend, rows), address(backend, x), ...geometry(info, b0, b1));
    loops.transpose(address(backend, patches), address(backend, rows), M, K);
    backend.disposeData(rows.dataId);
    const whole = b0 === 0 && b1 === info.batchSize && info.dataFormat === 'channelsLast';
    const dyMatrix = whole ? shareAs(backend, dy, [1, M, CO]) : dyRows(backend, dy, info, b0, b1);
    const product = matMul(backend, patches, dyMatrix);
    backend.disposeData(patches.dataId);
    backend.disposeData(dyMatrix.dataId);
    if (whole) {
      result = product;
      break;
    }
    const values = view(backend, product);
    if (dw === null) dw = new Float32Array(values);
    else for (let i = 0; i < dw.length; i++) dw[i]! += values[i]!;
    backend.disposeData(product.dataId);
  }
  if (result !== null) {
    result.shape = [...filterShape];
    return result;
  }
  return output(backend, [...filterShape], 'float32', dw!);
}

/** dx = col2im(dy[M, Co] · Wᵀ[Co, K]), the columns scattered back onto their input positions. */
export function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs<'dy' | 'filter'>): TensorInfo {
  const { dy, filter } = inputs;
  const inputShape = attrs['inputShape'] as [number, number, number, number];
  const info = convInfo(inputShape, as4D(filter.shape), attrs);
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  const CO = info.outChannels;
  const perSample = info.outHeight * info.outWidth;
  const chunk = batchChunk(info.batchSize, K * perSample);
  const loops = heapLoops(backend);
  const wT = backend.makeOutput([1, CO, K], 'float32');
  const dx = backend.makeOutput([...inputShape], 'float32');
  loops.transpose(address(backend, wT), address(backend, filter), K, CO);
  view(backend, dx).fill(0);
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const b1 = Math.min(info.batchSize, b0 + chunk);
    const whole = b0 === 0 && b1 === info.batchSize && info.dataFormat === 'channelsLast';
    const rows = whole ? shareAs(backend, dy, [1, info.batchSize * perSample, CO]) : dyRows(backend, dy, info, b0, b1);
    const cols = matMul(backend, rows, wT);
    loops.col2im(address(backend, cols), address(backend, dx), ...geometry(info, b0, b1));
    backend.disposeData(rows.dataId);
    backend.disposeData(cols.dataId);
  }
  backend.disposeData(wT.dataId);
  return dx;
}

function convInfo(inShape: number[], filterShape: [number, number, number, number], attrs: NamedAttrMap): Conv2DInfo {
  const dataFormat = (attrs['dataFormat'] as 'NHWC' | 'NCHW' | undefined) ?? 'NHWC';
  return tf.backend_util.computeConv2DInfo(
    as4D(inShape),
    filterShape,
    attrs['strides'] as number | [number, number],
    (attrs['dilations'] as number | [number, number] | undefined) ?? 1,
    attrs['pad'] as Padding,
    attrs['dimRoundingMode'] as Rounding,
    false,
    tf.backend_util.convertConv2DDataFormat(dataFormat),
  );
}

/** How many samples go into one patch matrix of `perSampleElements` floats each. */
function batchChunk(batchSize: number, perSampleElements: number): number {
  return Math.max(1, Math.min(batchSize, Math.floor(MAX_PATCH_ELEMENTS / Math.max(1, perSampleElements))));
}

/** The patch loops' geometry of `info` for samples [b0, b1). */
function geometry(info: Conv2DInfo, b0: number, b1: number): ConvGeometry {
  const [sB, sH, sW, sC] = layoutStrides(info, 'in');
  return [
    b0,
    b1,
    info.outHeight,
    info.outWidth,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
    sB,
    sH,
    sW,
    sC,
  ];
}
