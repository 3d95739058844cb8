/**
 * The convolutions of the WASM training kernels (wasmKernels.ts) on gemm.wat's product: the
 * forward pass and the filter gradient from an im2col patch matrix, the input gradient through
 * col2im, chunked over the batch to bound memory.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { address, heapLoops } from './loops/heapLoops';
import type { ConvGeometry } from './loops/heapLoops';
import { as4D, view } from './wasmHeap';
import type { Conv2DInfo, KernelArgs, Padding, Rounding, WasmBackendLike } from './wasmHeap';

const FLOAT = 4;

/** Patch matrices above this many floats are built one batch chunk at a time (16 MB). */
const MAX_PATCH_ELEMENTS = 4 * 1024 * 1024;

/** Element strides of a rank-4 NHWC / NCHW tensor, as [batch, row, col, channel]. */
function layoutStrides(info: Conv2DInfo, which: 'in' | 'out'): [number, number, number, number] {
  const h = which === 'in' ? info.inHeight : info.outHeight;
  const w = which === 'in' ? info.inWidth : info.outWidth;
  const c = which === 'in' ? info.inChannels : info.outChannels;
  return info.dataFormat === 'channelsLast' ? [h * w * c, w * c, c, 1] : [c * h * w, w, 1, h * w];
}

/** Below this many floats per patch, XNNPACK's convolution is the faster one (e.g. 3×3 over one channel). */
const MIN_PATCH = 32;

/**
 * Conv2D as y[M, Co] = patches[M, K] · W[K, Co] (the filter's own layout) for float32 NHWC,
 * written straight into y; a 1×1 filter at stride 1 without padding multiplies x itself.
 * `original` (the backend's XNNPACK convolution) takes NCHW, other dtypes and small patches.
 */
export function heapConv2D(original: KernelFunc): KernelFunc {
  const kernelFunc: KernelFunc = (args) => {
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const backend = args.backend as unknown as WasmBackendLike;
    const info = convInfo(x.shape, as4D(filter.shape), args.attrs as NamedAttrMap);
    const K = info.filterHeight * info.filterWidth * info.inChannels;
    if (info.dataFormat !== 'channelsLast' || x.dtype !== 'float32' || filter.dtype !== 'float32') return original(args);
    if (K < MIN_PATCH) return original(args);
    const loops = heapLoops(backend);
    const CO = info.outChannels;
    const perSample = info.outHeight * info.outWidth;
    const y = backend.makeOutput([...info.outShape], 'float32');
    // A 1×1 filter at stride 1 without padding: x's rows are the patches already.
    const pointwise =
      K === info.inChannels &&
      info.strideHeight === 1 &&
      info.strideWidth === 1 &&
      info.padInfo.top + info.padInfo.left + info.padInfo.bottom + info.padInfo.right === 0;
    const chunk = pointwise ? info.batchSize : batchChunk(info.batchSize, K * perSample);
    for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
      const b1 = Math.min(info.batchSize, b0 + chunk);
      const M = (b1 - b0) * perSample;
      const rows = pointwise ? null : backend.makeOutput([M, K], 'float32');
      // Addresses after the allocation (an allocation may move the heap).
      const rowsAt = rows === null ? address(backend, x) + b0 * perSample * K * FLOAT : address(backend, rows);
      if (rows !== null) loops.im2colRows(rowsAt, address(backend, x), ...geometry(info, b0, b1));
      const yAt = address(backend, y) + b0 * perSample * CO * FLOAT;
      loops.gemm(yAt, rowsAt, address(backend, filter), M, K, CO, K * FLOAT, FLOAT, CO * FLOAT, CO * FLOAT, 0);
      if (rows !== null) backend.disposeData(rows.dataId);
    }
    return y;
  };
  return kernelFunc;
}

/** dy of samples [b0, b1) as a new [M, Co] tensor in NHWC order (for NCHW dy: transposed). */
function dyRows(backend: WasmBackendLike, dy: TensorInfo, info: Conv2DInfo, b0: number, b1: number): TensorInfo {
  const { outHeight: OH, outWidth: OW, outChannels: CO } = info;
  const rows = backend.makeOutput([(b1 - b0) * OH * OW, CO], 'float32');
  const src = view(backend, dy);
  const dst = view(backend, rows);
  let i = 0;
  for (let b = b0; b < b1; b++)
    for (let oh = 0; oh < OH; oh++)
      for (let ow = 0; ow < OW; ow++) for (let c = 0; c < CO; c++) dst[i++] = src[((b * CO + c) * OH + oh) * OW + ow]!;
  return rows;
}

/** Where the rows of dy for samples from b0 lie: NHWC dy in place, else `copy` (dyRows). */
function dyRowsAt(backend: WasmBackendLike, dy: TensorInfo, copy: TensorInfo | null, info: Conv2DInfo, b0: number): number {
  if (copy !== null) return address(backend, copy);
  return address(backend, dy) + b0 * info.outHeight * info.outWidth * info.outChannels * FLOAT;
}

/**
 * dW[K, Co] = Σ over output positions of patch(position)ᵀ · dy(position), by gemm.wat: the patch
 * matrix is built a row per output position (reading each position's channels where they lie
 * together in NHWC), and the product reads it transposed through strides, so it is never copied
 * again; NHWC dy is used in place, and the product lands in the filter layout [fh, fw, Ci, Co].
 * Batch chunks bound the patch matrix's memory; each adds its product to dW.
 */
export function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs<'x' | 'dy'>): TensorInfo {
  const { x, dy } = inputs;
  const filterShape = attrs['filterShape'] as [number, number, number, number];
  const info = convInfo(x.shape, filterShape, attrs);
  const loops = heapLoops(backend);
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  const CO = info.outChannels;
  const perSample = info.outHeight * info.outWidth;
  const nhwc = info.dataFormat === 'channelsLast';
  const chunk = batchChunk(info.batchSize, K * perSample);
  const dw = backend.makeOutput([...filterShape], 'float32');
  if (info.batchSize === 0) view(backend, dw).fill(0);
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const b1 = Math.min(info.batchSize, b0 + chunk);
    const M = (b1 - b0) * perSample;
    const rows = backend.makeOutput([M, K], 'float32');
    const dyMatrix = nhwc ? null : dyRows(backend, dy, info, b0, b1);
    // Addresses after the allocations (an allocation may move the heap).
    const rowsAt = address(backend, rows);
    loops.im2colRows(rowsAt, address(backend, x), ...geometry(info, b0, b1));
    const dyAt = dyRowsAt(backend, dy, dyMatrix, info, b0);
    // C = dW [K, Co], summed over the M positions: A(k, m) = rows[m, k].
    loops.gemm(address(backend, dw), rowsAt, dyAt, K, M, CO, FLOAT, K * FLOAT, CO * FLOAT, CO * FLOAT, b0 === 0 ? 0 : 1);
    backend.disposeData(rows.dataId);
    if (dyMatrix !== null) backend.disposeData(dyMatrix.dataId);
  }
  return dw;
}

/** dx = col2im(dy[M, Co] · Wᵀ[Co, K]), the columns scattered back onto their input positions. */
export function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs<'dy' | 'filter'>): TensorInfo {
  const { dy, filter } = inputs;
  const inputShape = attrs['inputShape'] as [number, number, number, number];
  const info = convInfo(inputShape, as4D(filter.shape), attrs);
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  const CO = info.outChannels;
  const perSample = info.outHeight * info.outWidth;
  const nhwc = info.dataFormat === 'channelsLast';
  const chunk = batchChunk(info.batchSize, K * perSample);
  const loops = heapLoops(backend);
  const wT = backend.makeOutput([CO, K], 'float32');
  const dx = backend.makeOutput([...inputShape], 'float32');
  loops.transpose(address(backend, wT), address(backend, filter), K, CO);
  view(backend, dx).fill(0);
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const b1 = Math.min(info.batchSize, b0 + chunk);
    const M = (b1 - b0) * perSample;
    const cols = backend.makeOutput([M, K], 'float32');
    const dyMatrix = nhwc ? null : dyRows(backend, dy, info, b0, b1);
    const colsAt = address(backend, cols);
    const dyAt = dyRowsAt(backend, dy, dyMatrix, info, b0);
    loops.gemm(colsAt, dyAt, address(backend, wT), M, CO, K, CO * FLOAT, FLOAT, K * FLOAT, K * FLOAT, 0);
    loops.col2im(colsAt, address(backend, dx), ...geometry(info, b0, b1));
    backend.disposeData(cols.dataId);
    if (dyMatrix !== null) backend.disposeData(dyMatrix.dataId);
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
