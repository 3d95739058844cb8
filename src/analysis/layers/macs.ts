/**
 * Per-layer cost: multiply-accumulates per sample in the forward pass, with the convention
 * torchinfo uses for "Mult-Adds": a convolution costs outH·outW·Cout·kh·kw·Cin (a transposed
 * one inH·inW·Cin·Cout·kh·kw, a depthwise one outH·outW·Cin·multiplier·kh·kw), a dense layer
 * in·units at each position it is applied; recurrent layers their matrix products per time
 * step × time steps; biases, activations, element-wise ops (merges, normalisation, noise),
 * pooling, lookups (embedding) and shape changes count 0. Unknown (null) when a size it needs
 * is not known, or for a layer whose cost is not modelled (ConvLSTM2D, Dot, custom layers).
 */
import type { LayerConfig, LayerRef } from './layerSpec';
import type { OutputShape, Shape } from '../types';

const FREE = new Set([
  'InputLayer',
  'Flatten',
  'Reshape',
  'Permute',
  'RepeatVector',
  'Masking',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'Softmax',
  'ELU',
  'PReLU',
  'ThresholdedReLU',
  'Dropout',
  'SpatialDropout1D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'UpSampling2D',
  'ZeroPadding2D',
  'Cropping2D',
  'MaxPooling1D',
  'MaxPooling2D',
  'MaxPooling3D',
  'AveragePooling1D',
  'AveragePooling2D',
  'AveragePooling3D',
  'GlobalMaxPooling1D',
  'GlobalMaxPooling2D',
  'GlobalAveragePooling1D',
  'GlobalAveragePooling2D',
  'Add',
  'Multiply',
  'Average',
  'Maximum',
  'Minimum',
  'Concatenate',
  'BatchNormalization',
  'LayerNormalization',
  'Embedding',
  'Rescaling',
  'Resizing',
  'CenterCrop',
  'CategoryEncoding',
  'RandomWidth',
]);

/** Matrix products of one recurrent step, per unit count and input features. */
const GATES: Record<string, number> = { SimpleRNN: 1, LSTM: 4, GRU: 3, SimpleRNNCell: 1, LSTMCell: 4, GRUCell: 3 };

function known(dims: readonly (number | null)[]): number | null {
  let n = 1;
  for (const d of dims) {
    if (d === null) return null;
    n *= d;
  }
  return n;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function kernel(config: LayerConfig, rank: number): number | null {
  const k = config['kernelSize'];
  if (typeof k === 'number') return k ** rank;
  return Array.isArray(k) && k.length === rank ? known(k.map(num)) : null;
}

function isList(s: OutputShape): s is Shape[] {
  return s.length > 0 && Array.isArray(s[0]);
}

/** Channels-last unless `dataFormat: 'channelsFirst'`: the channel count and the spatial sizes. */
function channels(config: LayerConfig, shape: Shape): { c: number | null; spatial: (number | null)[] } {
  const first = config['dataFormat'] === 'channelsFirst';
  return first
    ? { c: shape[1] ?? null, spatial: shape.slice(2) }
    : { c: shape[shape.length - 1] ?? null, spatial: shape.slice(1, -1) };
}

/** Mult-adds of one step of a recurrent layer (or cell) with `units` on `features` inputs. */
function stepMacs(className: string, config: LayerConfig, features: number | null): number | null {
  const gates = GATES[className];
  const units = num(config['units']);
  if (gates === undefined || units === null || features === null) return null;
  return gates * (features * units + units * units);
}

/** Multiply-accumulates per sample of one layer applied to `input`, giving `output`. */
export function layerMacs(className: string, config: LayerConfig, input: OutputShape, output: OutputShape): number | null {
  if (FREE.has(className)) return 0;
  if (isList(input) || isList(output)) {
    // Only recurrent layers (initial states) get a list here.
    if (!(className in GATES) || !isList(input)) return null;
    input = input[0]!;
    output = isList(output) ? output[0]! : output;
  }
  const inShape = input as Shape;
  const outShape = output as Shape;
  switch (className) {
    case 'Dense': {
      const units = num(config['units']);
      const positions = known(outShape.slice(1, -1));
      const features = inShape[inShape.length - 1] ?? null;
      return units === null || positions === null || features === null ? null : positions * features * units;
    }
    case 'Conv1D':
    case 'Conv2D':
    case 'Conv3D': {
      const rank = inShape.length - 2;
      const k = kernel(config, rank);
      const cin = channels(config, inShape).c;
      const out = channels(config, outShape);
      const positions = known(out.spatial);
      return k === null || cin === null || out.c === null || positions === null ? null : positions * out.c * k * cin;
    }
    case 'Conv2DTranspose':
    case 'Conv3DTranspose': {
      const rank = inShape.length - 2;
      const k = kernel(config, rank);
      const inp = channels(config, inShape);
      const cout = channels(config, outShape).c;
      const positions = known(inp.spatial);
      return k === null || inp.c === null || cout === null || positions === null ? null : positions * inp.c * cout * k;
    }
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      const k = kernel(config, 2);
      const cin = channels(config, inShape).c;
      const out = channels(config, outShape);
      const positions = known(out.spatial);
      const multiplier = config['depthMultiplier'] === undefined ? 1 : num(config['depthMultiplier']);
      if (k === null || cin === null || positions === null || multiplier === null || out.c === null) return null;
      const depthwise = positions * cin * multiplier * k;
      return className === 'DepthwiseConv2D' ? depthwise : depthwise + positions * cin * multiplier * out.c;
    }
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU': {
      const steps = inShape[1] ?? null;
      const step = stepMacs(className, config, inShape[2] ?? null);
      return steps === null || step === null ? null : steps * step;
    }
    case 'Bidirectional': {
      const inner = config['layer'] as LayerRef | undefined;
      if (!inner || typeof inner !== 'object' || !('spec' in inner)) return null;
      const one = layerMacs(inner.spec.className, inner.config, input, output);
      return one === null ? null : 2 * one;
    }
    case 'TimeDistributed': {
      const inner = config['layer'] as LayerRef | undefined;
      if (!inner || typeof inner !== 'object' || !('spec' in inner)) return null;
      const steps = inShape[1] ?? null;
      const one = layerMacs(
        inner.spec.className,
        inner.config,
        [inShape[0] ?? null, ...inShape.slice(2)],
        [outShape[0] ?? null, ...outShape.slice(2)],
      );
      return steps === null || one === null ? null : steps * one;
    }
    default:
      return null;
  }
}

/** Float32 output elements × 4 bytes per sample; null when a size is not known. */
export function outputBytes(output: OutputShape | null): number | null {
  if (output === null) return null;
  const shapes = isList(output) ? output : [output as Shape];
  let total = 0;
  for (const s of shapes) {
    const n = known(s.slice(1));
    if (n === null) return null;
    total += n * 4;
  }
  return total;
}
