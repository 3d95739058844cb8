/**
 * The WASM training kernels (wasmKernels.ts) written as direct loops over views of the backend's
 * heap: max pooling's gradient, the depthwise convolution gradients, and UnsortedSegmentSum
 * (the gradient of gather, i.e. of embedding layers).
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { address, heapLoops } from './loops/heapLoops';
import { as4D, output, read } from './wasmHeap';
import type { Conv2DInfo, KernelArgs, Padding, Rounding } from './wasmHeap';

export function maxPoolGrad({ inputs, backend, attrs }: KernelArgs<'dy' | 'input' | 'output'>): TensorInfo {
  const { input } = inputs;
  const info = tf.backend_util.computePool2DInfo(
    as4D(input.shape),
    attrs['filterSize'] as number | [number, number],
    attrs['strides'] as number | [number, number],
    1,
    attrs['pad'] as Padding,
    attrs['dimRoundingMode'] as Rounding,
  );
  const out = backend.makeOutput([...input.shape], 'float32');
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, batchSize: B } = info;
  // Per channel, the first tap of each window equal to the pooled maximum gets the gradient
  // (the first maximum, as the CPU backend routes it).
  heapLoops(backend).maxPoolGrad(
    address(backend, out),
    address(backend, input),
    address(backend, inputs.output),
    address(backend, inputs.dy),
    ...[B, H, W, C, OH, OW, info.effectiveFilterHeight, info.effectiveFilterWidth],
    ...[info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left],
  );
  return out;
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

export function depthwiseBackpropFilter({ inputs, backend, attrs }: KernelArgs<'x' | 'dy'>): TensorInfo {
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

export function depthwiseBackpropInput({ inputs, backend, attrs }: KernelArgs<'dy' | 'filter'>): TensorInfo {
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

export function unsortedSegmentSum({ inputs, backend, attrs }: KernelArgs<'x' | 'segmentIds'>): TensorInfo {
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
