/**
 * The WASM training kernels (wasmKernels.ts) written as direct loops over the backend's heap:
 * max pooling's gradient and the depthwise convolution gradients (WASM loops), and
 * UnsortedSegmentSum (the gradient of gather, i.e. of embedding layers; JS).
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { address, heapLoops } from './loops/heapLoops';
import type { DepthwiseGeometry } from './loops/heapLoops';
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
  const dw = backend.makeOutput([...info.filterShape], 'float32');
  heapLoops(backend).depthwiseFilterGrad(
    address(backend, dw),
    address(backend, x),
    address(backend, dy),
    ...depthwiseGeometry(info),
  );
  return dw;
}

export function depthwiseBackpropInput({ inputs, backend, attrs }: KernelArgs<'dy' | 'filter'>): TensorInfo {
  const { dy, filter } = inputs;
  const inputShape = attrs['inputShape'] as [number, number, number, number];
  const info = depthwiseInfo(inputShape, { ...attrs, filterShape: filter.shape });
  const dx = backend.makeOutput([...inputShape], 'float32');
  heapLoops(backend).depthwiseInputGrad(
    address(backend, dx),
    address(backend, filter),
    address(backend, dy),
    ...depthwiseGeometry(info),
  );
  return dx;
}

/** The depthwise loops' geometry of `info` (NHWC). */
function depthwiseGeometry(info: Conv2DInfo): DepthwiseGeometry {
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outChannels / info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
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
