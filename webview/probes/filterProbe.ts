/**
 * Finds every convolution kernel of a model (nested models and wrappers included) and reads it
 * back as [filter][channel][kh][kw], per input channel or averaged over them, with each
 * filter's max |w| for per-filter normalisation. One tidy and one readback per layer; only the
 * filters and channels that will be drawn are read.
 *
 * Kernel layouts in tfjs-layers:
 *   Conv1D [k, in, out] · Conv2D [kh, kw, in, out] · Conv2DTranspose [kh, kw, out, in]
 *   DepthwiseConv2D and SeparableConv2D's depthwise_kernel [kh, kw, in, depthMultiplier].
 */
import type * as tfjs from '@tensorflow/tfjs';
import { layerLabel } from './layerNames';
import { readInSteps } from './packedRead';

type TF = typeof tfjs;
type Layer = tfjs.layers.Layer;

export type KernelLayout = 'conv1d' | 'conv2d' | 'transpose' | 'depthwise';

interface VariableLike {
  name: string;
  shape: number[];
  read(): tfjs.Tensor;
}

export interface ConvKernel {
  layer: Layer;
  name: string;
  path: string;
  className: string;
  layout: KernelLayout;
  variable: VariableLike;
  /** The kernel's own shape, as tfjs stores it. */
  shape: number[];
  depth: number;
}

const LAYOUTS: Record<string, KernelLayout> = {
  Conv1D: 'conv1d',
  Conv2D: 'conv2d',
  Conv2DTranspose: 'transpose',
  DepthwiseConv2D: 'depthwise',
  SeparableConv2D: 'depthwise',
};

function kernelVariable(layer: Layer, layout: KernelLayout): VariableLike | undefined {
  const vars = (layer.weights ?? []) as unknown as VariableLike[];
  if (layout === 'depthwise') return vars.find((v) => v.name.endsWith('depthwise_kernel'));
  return vars.find((v) => /(^|\/)kernel(_\d+)?$/.test(v.name));
}

/** Every conv layer with a built kernel, depth-first through nested models and wrappers. */
export function convKernelsOf(model: { layers: Layer[] }, prefix = '', depth = 0): ConvKernel[] {
  const out: ConvKernel[] = [];
  for (const layer of model.layers) {
    const nested = layer as unknown as { layers?: Layer[]; layer?: Layer };
    if (Array.isArray(nested.layers)) {
      out.push(...convKernelsOf(nested as { layers: Layer[] }, `${prefix}${layerLabel(layer)}/`, depth + 1));
      continue;
    }
    // Wrappers (TimeDistributed) hold the conv layer in `.layer`.
    const inner = nested.layer && typeof nested.layer.getClassName === 'function' ? nested.layer : layer;
    const className = inner.getClassName();
    const layout = LAYOUTS[className];
    if (!layout) continue;
    const variable = kernelVariable(inner, layout);
    if (!variable) continue;
    const name = layerLabel(layer);
    out.push({
      layer,
      name,
      path: prefix + name,
      className: inner === layer ? className : `${layer.getClassName()}(${className})`,
      layout,
      variable,
      shape: [...variable.shape],
      depth,
    });
  }
  return out;
}

export type FilterMode = 'channels' | 'mean';

export interface FilterData {
  /** Filters and channels read (≤ the totals), tile height and width. */
  filters: number;
  channels: number;
  kh: number;
  kw: number;
  totalFilters: number;
  totalChannels: number;
  /** [filters][channels][kh][kw]. */
  values: Float32Array;
  /** max |w| of each filter over all its channels (or of the averaged filter). */
  maxAbs: Float32Array;
}

/** The kernel as [filters, channels, kh, kw] (a tensor; call inside tidy). */
function canonical(tf: TF, k: ConvKernel, kernel: tfjs.Tensor): tfjs.Tensor4D {
  const s = kernel.shape;
  switch (k.layout) {
    case 'conv1d': // [k, in, out] → [out, 1, in, k]: one tile per filter, a row per input channel
      return tf.expandDims(tf.transpose(kernel, [2, 1, 0]), 1) as tfjs.Tensor4D;
    case 'conv2d': // [kh, kw, in, out] → [out, in, kh, kw]
      return tf.transpose(kernel, [3, 2, 0, 1]) as tfjs.Tensor4D;
    case 'transpose': // [kh, kw, out, in] → [out, in, kh, kw]
      return tf.transpose(kernel, [2, 3, 0, 1]) as tfjs.Tensor4D;
    case 'depthwise': // [kh, kw, in, dm] → [in·dm, 1, kh, kw]
      return tf.reshape(tf.transpose(kernel, [2, 3, 0, 1]), [s[2]! * s[3]!, 1, s[0]!, s[1]!]) as tfjs.Tensor4D;
  }
}

type Dims = Omit<FilterData, 'values' | 'maxAbs'>;

/** One layer's shown values then its per-filter max |w|, flat (a tensor; call inside tidy). */
function packLayer(
  tf: TF,
  k: ConvKernel,
  mode: FilterMode,
  maxFilters: number,
  maxChannels: number,
): { packed: tfjs.Tensor; dims: Dims } {
  let f = canonical(tf, k, k.variable.read());
  const [F, C] = f.shape;
  // Conv1D already shows its input channels as the rows of one tile; depthwise has one channel.
  const channelsAxisUsed = k.layout !== 'conv1d' && k.layout !== 'depthwise';
  if (mode === 'mean' && channelsAxisUsed) f = tf.mean(f, 1, true) as tfjs.Tensor4D;
  if (mode === 'mean' && k.layout === 'conv1d') f = tf.mean(f, 2, true) as tfjs.Tensor4D; // a 1×k strip
  const maxAbs = tf.max(tf.abs(f), [1, 2, 3]); // over all channels, before slicing
  const nf = Math.min(F, maxFilters);
  const nc = Math.min(f.shape[1], maxChannels);
  const [, , kh, kw] = f.shape;
  const shown = tf.slice(f, [0, 0, 0, 0], [nf, nc, kh, kw]);
  const totalChannels = channelsAxisUsed ? C : k.layout === 'conv1d' ? (k.shape[1] ?? 1) : 1;
  const dims = { filters: nf, channels: nc, kh, kw, totalFilters: F, totalChannels };
  return { packed: tf.concat([tf.reshape(shown, [-1]), tf.slice(maxAbs, [0], [nf])]), dims };
}

/**
 * Reads the filters of every given layer (at most maxFilters × maxChannels tiles each): one
 * step per layer, one readback.
 */
export async function readFilters(
  tf: TF,
  kernels: readonly ConvKernel[],
  mode: FilterMode,
  maxFilters: number,
  maxChannels: number,
): Promise<FilterData[]> {
  if (kernels.length === 0) return [];
  const dims: Dims[] = [];
  const data = await readInSteps(tf, async (read) => {
    for (const k of kernels) {
      await read.add((parts) => {
        const layer = packLayer(tf, k, mode, maxFilters, maxChannels);
        dims.push(layer.dims);
        parts.push(layer.packed);
      });
    }
  });
  let offset = 0;
  return dims.map((d) => {
    const n = d.filters * d.channels * d.kh * d.kw;
    const values = data.subarray(offset, offset + n);
    const maxAbs = data.subarray(offset + n, offset + n + d.filters);
    offset += n + d.filters;
    return { ...d, values, maxAbs };
  });
}
