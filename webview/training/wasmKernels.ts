/**
 * Gradient kernels for the 'wasm' backend, so that convnets, depthwise/separable convnets and
 * embeddings train there.
 *
 * Missing in tfjs-backend-wasm 4.22 (checked with `tf.getKernel(name, 'wasm')`; the seed
 * convnet fails with "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"):
 * - `Conv2DBackpropFilter` (filter gradient of conv1d / conv2d / conv2dTranspose): im2col in JS,
 *   read from and written to the backend's heap (NHWC or NCHW, strides, same/valid/explicit
 *   padding, dilations), then the backend's own BatchMatMul: dW[K, Co] = patchesᵀ[K, M] · dy[M, Co]
 *   with K = fh·fw·Ci and M = batch·outH·outW (chunked over the batch to bound memory).
 * - `DepthwiseConv2dNativeBackpropFilter` / `DepthwiseConv2dNativeBackpropInput`
 *   (depthwiseConv2d, separableConv2d): direct loops in JS.
 * - `UnsortedSegmentSum` (the gradient of gather, i.e. of embedding layers): a JS loop.
 *
 * Present but slow (naive C++ loops; 158 ms and 40 ms of a 377 ms convnet batch of 32, where
 * the whole forward pass takes 30 ms), replaced:
 * - `Conv2DBackpropInput`: cols[M, K] = dy[M, Co] · Wᵀ[Co, K] on BatchMatMul, then col2im in JS.
 * - `MaxPoolGrad`: one JS pass that routes each window's gradient to its first maximum.
 * BatchMatMul's transposeA/B options are a slow path, so the layouts are chosen to need none;
 * the JS loops work on views of the heap (no copies) in cache-friendly orders.
 *
 * No DOM here: a Node test checks every kernel against the CPU backend's.
 */
import * as tf from '@tensorflow/tfjs';
import type { DataType, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

type TypedArray = Float32Array | Int32Array | Uint8Array;
type Conv2DInfo = ReturnType<typeof tf.backend_util.computeConv2DInfo>;
type Padding = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

/** The part of tfjs-backend-wasm's `BackendWasm` these kernels use. */
interface WasmBackendLike {
  readSync(dataId: object): unknown;
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): TypedArray;
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
}

/** Patch matrices above this many floats are built one batch chunk at a time (16 MB). */
const MAX_PATCH_ELEMENTS = 4 * 1024 * 1024;

/** The kernels this module provides for 'wasm', and why. */
export const WASM_TRAINING_KERNELS = {
  /** Not in tfjs-backend-wasm 4.22 at all. */
  missing: [
    'Conv2DBackpropFilter',
    'DepthwiseConv2dNativeBackpropFilter',
    'DepthwiseConv2dNativeBackpropInput',
    'UnsortedSegmentSum',
  ],
  /** Present, but naive loops: 10–20× slower than the forward pass they belong to. */
  faster: ['Conv2DBackpropInput', 'MaxPoolGrad'],
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

interface KernelArgs<I extends string> {
  inputs: Record<I, TensorInfo>;
  backend: WasmBackendLike;
  attrs: NamedAttrMap;
}

function read(backend: WasmBackendLike, t: TensorInfo): TypedArray {
  return backend.readSync(t.dataId) as TypedArray;
}

function output(backend: WasmBackendLike, shape: number[], dtype: DataType, values: TypedArray): TensorInfo {
  const out = backend.makeOutput(shape, dtype);
  backend.typedArrayFromHeap(out).set(values);
  return out;
}

/**
 * A float32 view of a tensor's data on the WASM heap: no copy, but only valid until the next
 * allocation on the backend (the heap may grow and move), so take views after allocating.
 */
function view(backend: WasmBackendLike, t: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** `t`'s data under another shape (shared, like the backend's Reshape). */
function shareAs(backend: WasmBackendLike, t: TensorInfo, shape: number[]): TensorInfo {
  backend.incRef(t.dataId);
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

function as4D(shape: number[]): [number, number, number, number] {
  if (shape.length !== 4) throw new Error(`expected a rank-4 shape, got [${shape.join(', ')}]`);
  return [shape[0]!, shape[1]!, shape[2]!, shape[3]!];
}

/** Element strides of a rank-4 NHWC / NCHW tensor, as [batch, row, col, channel]. */
function layoutStrides(info: Conv2DInfo, which: 'in' | 'out'): [number, number, number, number] {
  const h = which === 'in' ? info.inHeight : info.outHeight;
  const w = which === 'in' ? info.inWidth : info.outWidth;
  const c = which === 'in' ? info.inChannels : info.outChannels;
  return info.dataFormat === 'channelsLast' ? [h * w * c, w * c, c, 1] : [c * h * w, w, 1, h * w];
}

/** a[1, M, K] · b[1, K, N] on the backend's BatchMatMul (no transposes: its fast path). */
function matMul(backend: WasmBackendLike, a: TensorInfo, b: TensorInfo): TensorInfo {
  const kernel = tf.getKernel('BatchMatMul', 'wasm');
  if (kernel === undefined) throw new Error('BatchMatMul is not registered for the wasm backend');
  return kernel.kernelFunc({
    inputs: { a, b },
    backend: backend as unknown as tf.KernelBackend,
    attrs: { transposeA: false, transposeB: false },
  }) as TensorInfo;
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
 * dW[K, Co] = patchesᵀ[K, M] · dy[M, Co]. The patch matrix is written straight into the heap in
 * the [K, M] layout (rows read x with a stride, writes are sequential) and NHWC dy is used in
 * place, so the filter layout [fh, fw, Ci, Co] comes out of the product with no transposes.
 */
function conv2DBackpropFilter({ inputs, backend, attrs }: KernelArgs<'x' | 'dy'>): TensorInfo {
  const { x, dy } = inputs;
  const filterShape = attrs['filterShape'] as [number, number, number, number];
  const info = convInfo(x.shape, filterShape, attrs);
  const K = info.filterHeight * info.filterWidth * info.inChannels;
  const CO = info.outChannels;
  const perSample = info.outHeight * info.outWidth;
  const chunk = batchChunk(info.batchSize, K * perSample);
  if (chunk >= info.batchSize && info.dataFormat === 'channelsLast') {
    const M = info.batchSize * perSample;
    const patches = backend.makeOutput([1, K, M], 'float32');
    im2colT(view(backend, x), view(backend, patches), info, 0, info.batchSize);
    const dyMatrix = shareAs(backend, dy, [1, M, CO]);
    const product = matMul(backend, patches, dyMatrix);
    backend.disposeData(patches.dataId);
    backend.disposeData(dyMatrix.dataId);
    product.shape = [...filterShape];
    return product;
  }
  // NCHW, or a patch matrix too large for one go: batch chunks, summed here.
  const dw = new Float32Array(K * CO);
  for (let b0 = 0; b0 < info.batchSize; b0 += chunk) {
    const b1 = Math.min(info.batchSize, b0 + chunk);
    const patches = backend.makeOutput([1, K, (b1 - b0) * perSample], 'float32');
    im2colT(view(backend, x), view(backend, patches), info, b0, b1);
    const rows = dyRows(backend, dy, info, b0, b1);
    const product = matMul(backend, patches, rows);
    const values = view(backend, product);
    for (let i = 0; i < dw.length; i++) dw[i]! += values[i]!;
    for (const t of [patches, rows, product]) backend.disposeData(t.dataId);
  }
  return output(backend, [...filterShape], 'float32', dw);
}

/** dx = col2im(dy[M, Co] · Wᵀ[Co, K]), the columns scattered back onto their input positions. */
function conv2DBackpropInput({ inputs, backend, attrs }: KernelArgs<'dy' | 'filter'>): TensorInfo {
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

function maxPoolGrad({ inputs, backend, attrs }: KernelArgs<'dy' | 'input' | 'output'>): TensorInfo {
  const { dy, input } = inputs;
  const info = tf.backend_util.computePool2DInfo(
    as4D(input.shape),
    attrs['filterSize'] as number | [number, number],
    attrs['strides'] as number | [number, number],
    1,
    attrs['pad'] as Padding,
    attrs['dimRoundingMode'] as Rounding,
  );
  const out = backend.makeOutput([...input.shape], 'float32');
  const xs = view(backend, input);
  const dys = view(backend, dy);
  const dx = view(backend, out);
  dx.fill(0);
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW } = info;
  for (let b = 0; b < info.batchSize; b++) {
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * info.strideHeight - info.padInfo.top;
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * info.strideWidth - info.padInfo.left;
        const dyBase = ((b * OH + oh) * OW + ow) * C;
        for (let c = 0; c < C; c++) {
          // The first maximum of the window gets the gradient (as the CPU backend does).
          let best = -1;
          let bestValue = Number.NEGATIVE_INFINITY;
          for (let kh = 0; kh < info.effectiveFilterHeight; kh += info.dilationHeight) {
            const h = h0 + kh;
            if (h < 0 || h >= H) continue;
            for (let kw = 0; kw < info.effectiveFilterWidth; kw += info.dilationWidth) {
              const w = w0 + kw;
              if (w < 0 || w >= W) continue;
              const i = ((b * H + h) * W + w) * C + c;
              const v = xs[i]!;
              if (best < 0 || v > bestValue) {
                bestValue = v;
                best = i;
              }
            }
          }
          if (best >= 0) dx[best]! += dys[dyBase + c]!;
        }
      }
    }
  }
  return out;
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

/** Patches of samples [b0, b1) as a [K, M] matrix: row (kh, kw, ci), column (b, oh, ow); zeros in the padding. */
function im2colT(x: Float32Array, patches: Float32Array, info: Conv2DInfo, b0: number, b1: number): void {
  const { outHeight: OH, outWidth: OW, inHeight: H, inWidth: W, inChannels: C, filterHeight: FH, filterWidth: FW } = info;
  const [sB, sH, sW, sC] = layoutStrides(info, 'in');
  const { strideHeight: SH, strideWidth: SW, dilationHeight: DH, dilationWidth: DW } = info;
  const { top, left } = info.padInfo;
  let out = 0;
  for (let kh = 0; kh < FH; kh++) {
    for (let kw = 0; kw < FW; kw++) {
      for (let c = 0; c < C; c++) {
        for (let b = b0; b < b1; b++) {
          for (let oh = 0; oh < OH; oh++) {
            const h = oh * SH + kh * DH - top;
            if (h < 0 || h >= H) {
              patches.fill(0, out, out + OW);
              out += OW;
              continue;
            }
            const base = b * sB + h * sH + c * sC;
            for (let ow = 0; ow < OW; ow++) {
              const w = ow * SW + kw * DW - left;
              patches[out++] = w >= 0 && w < W ? x[base + w * sW]! : 0;
            }
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

function depthwiseInfo(inShape: number[], attrs: NamedAttrMap): Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(
    as4D(inShape),
    attrs['filterShape'] as [number, number, number, number],
    attrs['strides'] as number | [number, number],
    (attrs['dilations'] as number | [number, number] | undefined) ?? 1,
    attrs['pad'] as Padding,
    attrs['dimRoundingMode'] as Rounding,
    true,
  );
}

function depthwiseBackpropFilter({ inputs, backend, attrs }: KernelArgs<'x' | 'dy'>): TensorInfo {
  const { x, dy } = inputs;
  const info = depthwiseInfo(x.shape, attrs);
  const xs = read(backend, x);
  const dys = read(backend, dy);
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CO } = info;
  const mult = CO / C;
  const dw = new Float32Array(info.filterHeight * info.filterWidth * C * mult);
  for (let kh = 0; kh < info.filterHeight; kh++) {
    for (let kw = 0; kw < info.filterWidth; kw++) {
      const wBase = (kh * info.filterWidth + kw) * C * mult;
      for (let b = 0; b < info.batchSize; b++) {
        for (let oh = 0; oh < OH; oh++) {
          const h = oh * info.strideHeight + kh * info.dilationHeight - info.padInfo.top;
          if (h < 0 || h >= H) continue;
          for (let ow = 0; ow < OW; ow++) {
            const w = ow * info.strideWidth + kw * info.dilationWidth - info.padInfo.left;
            if (w < 0 || w >= W) continue;
            const xBase = ((b * H + h) * W + w) * C;
            const dyBase = ((b * OH + oh) * OW + ow) * CO;
            for (let c = 0; c < C; c++) {
              const xv = xs[xBase + c]!;
              for (let q = 0; q < mult; q++) dw[wBase + c * mult + q]! += xv * dys[dyBase + c * mult + q]!;
            }
          }
        }
      }
    }
  }
  return output(backend, info.filterShape, 'float32', dw);
}

function depthwiseBackpropInput({ inputs, backend, attrs }: KernelArgs<'dy' | 'filter'>): TensorInfo {
  const { dy, filter } = inputs;
  const inputShape = attrs['inputShape'] as [number, number, number, number];
  const info = depthwiseInfo(inputShape, { ...attrs, filterShape: filter.shape });
  const dys = read(backend, dy);
  const ws = read(backend, filter);
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, outChannels: CO } = info;
  const mult = CO / C;
  const dx = new Float32Array(info.batchSize * H * W * C);
  for (let b = 0; b < info.batchSize; b++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const dyBase = ((b * OH + oh) * OW + ow) * CO;
        for (let kh = 0; kh < info.filterHeight; kh++) {
          const h = oh * info.strideHeight + kh * info.dilationHeight - info.padInfo.top;
          if (h < 0 || h >= H) continue;
          for (let kw = 0; kw < info.filterWidth; kw++) {
            const w = ow * info.strideWidth + kw * info.dilationWidth - info.padInfo.left;
            if (w < 0 || w >= W) continue;
            const xBase = ((b * H + h) * W + w) * C;
            const wBase = (kh * info.filterWidth + kw) * C * mult;
            for (let c = 0; c < C; c++) {
              let sum = 0;
              for (let q = 0; q < mult; q++) sum += dys[dyBase + c * mult + q]! * ws[wBase + c * mult + q]!;
              dx[xBase + c]! += sum;
            }
          }
        }
      }
    }
  }
  return output(backend, [...inputShape], 'float32', dx);
}

function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs<'x' | 'segmentIds'>): TensorInfo {
  const { x, segmentIds } = inputs;
  const numSegments = attrs['numSegments'] as number;
  const ids = read(backend, segmentIds);
  const values = read(backend, x);
  const n = ids.length;
  const inner = n === 0 ? 0 : values.length / n;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  for (let i = 0; i < n; i++) {
    const segment = ids[i]!;
    if (segment < 0 || segment >= numSegments) continue;
    const from = i * inner;
    const to = segment * inner;
    for (let j = 0; j < inner; j++) out[to + j]! += values[from + j]!;
  }
  return output(backend, outShape, x.dtype === 'int32' ? 'int32' : 'float32', out);
}
