/**
 * The convolution gradients of the WASM training kernels (wasmKernels.ts), on the backend's own
 * BatchMatMul: the filter gradient from an im2col patch matrix, the input gradient through
 * col2im, chunked over the batch to bound memory.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
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
    // Views after both allocations (an allocation may move the heap).
    im2colRows(view(backend, x), view(backend, rows), info, b0, b1);
    transposeTiled(view(backend, rows), view(backend, patches), M, K);
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

/** src [rows, cols] row-major → dst [cols, rows], in tiles that stay in the cache. */
function transposeTiled(src: Float32Array, dst: Float32Array, rows: number, cols: number): void {
  const T = 32;
  for (let r0 = 0; r0 < rows; r0 += T) {
    const r1 = Math.min(rows, r0 + T);
    for (let c0 = 0; c0 < cols; c0 += T) {
      const c1 = Math.min(cols, c0 + T);
      for (let r = r0; r < r1; r++) {
        const from = r * cols;
        for (let c = c0; c < c1; c++) dst[c * rows + r] = src[from + c]!;
      }
    }
  }
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
  const wT = backend.makeOutput([1, CO, K], 'float32');
  transposeInto(view(backend, filter), view(backend, wT), K, CO);
  const dx = backend.makeOutput([...inputShape], 'float32');
  view(backend, dx).fill(0);
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const b1 = Math.min(info.batchSize, b0 + chunk);
    const whole = b0 === 0 && b1 === info.batchSize && info.dataFormat === 'channelsLast';
    const rows = whole ? shareAs(backend, dy, [1, info.batchSize * perSample, CO]) : dyRows(backend, dy, info, b0, b1);
    const cols = matMul(backend, rows, wT);
    col2im(view(backend, cols), view(backend, dx), info, b0, b1);
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

/** src [rows, cols] row-major → dst [cols, rows]. */
function transposeInto(src: Float32Array, dst: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const from = r * cols;
    for (let c = 0; c < cols; c++) dst[c * rows + r] = src[from + c]!;
  }
}

/** Patches of samples [b0, b1) as an [M, K] matrix: row (b, oh, ow), column (kh, kw, ci); zeros in the padding. */
function im2colRows(x: Float32Array, patches: Float32Array, info: Conv2DInfo, b0: number, b1: number): void {
  const { outHeight: OH, outWidth: OW, inHeight: H, inWidth: W, inChannels: C, filterHeight: FH, filterWidth: FW } = info;
  const [sB, sH, sW, sC] = layoutStrides(info, 'in');
  const { strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = info;
  const { top, left } = info.padInfo;
  let out = 0;
  for (let b = b0; b < b1; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        for (let kh = 0; kh < FH; kh++) {
          const h = oh * SH + kh * DH - top;
          for (let kw = 0; kw < FW; kw++) {
            const w = ow * SW + kw * DW - left;
            if (h < 0 || h >= H || w < 0 || w >= W) {
              patches.fill(0, out, out + C);
              out += C;
              continue;
            }
            const base = b * sB + h * sH + w * sW;
            for (let c = 0; c < C; c++) patches[out++] = x[base + c * sC]!;
          }
        }
      }
    }
  }
}

/** Adds the [M, K] columns of samples [b0, b1) back onto their input positions in `dx`. */
function col2im(cols: Float32Array, dx: Float32Array, info: Conv2DInfo, b0: number, b1: number): void {
  const { outHeight: OH, outWidth: OW, inHeight: H, inWidth: W, inChannels: C, filterHeight: FH, filterWidth: FW } = info;
  const [sB, sH, sW, sC] = layoutStrides(info, 'in');
  const K = FH * FW * C;
  let row = 0;
  for (let b = b0; b < b1; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, row += K) {
        for (let kh = 0; kh < FH; kh++) {
          const h = oh * info.strideHeight + kh * info.dilationHeight - info.padInfo.top;
          if (h < 0 || h >= H) continue;
          for (let kw = 0; kw < FW; kw++) {
            const w = ow * info.strideWidth + kw * info.dilationWidth - info.padInfo.left;
            if (w < 0 || w >= W) continue;
            const to = b * sB + h * sH + w * sW;
            const from = row + (kh * FW + kw) * C;
            for (let c = 0; c < C; c++) dx[to + c * sC]! += cols[from + c]!;
          }
        }
      }
    }
  }
}
