/**
 * Shape maths for the layer table: single and multi inputs, rank checks that mirror tfjs's
 * `InputSpec`, the conv length arithmetic of tfjs's `conv_utils`, axes and layouts, and the
 * check that a kernel or pool window fits its input.
 */
import { formatShape, isShapeList } from '../../shared/format';
import type { Dim, OutputShape, Shape } from '../types';
import type { DataFormat, PaddingMode } from './configValues';
import { ShapeError } from './layerSpec';

/** The one input of a single-input layer. */
export function singleInput(input: OutputShape, layer: string): Shape {
  if (isShapeList(input)) {
    if (input.length === 1) return input[0];
    throw new ShapeError(`${layer} expects a single input, but it received ${input.length} inputs ${formatShape(input)}.`);
  }
  return input as Shape;
}

/** The inputs of a multi-input layer (a single shape becomes a list of one). */
export function inputList(input: OutputShape): Shape[] {
  return isShapeList(input) ? input : [input as Shape];
}

function rankHint(shape: Shape, ndim: number, layout?: string): string {
  if (layout && shape.length === ndim - 1 && /channels\)$/.test(layout)) {
    const dims = shape.slice(1).map((d) => (d === null ? 'null' : String(d)));
    return ` Did you forget the channels dimension? e.g. inputShape: [${[...dims, '1'].join(', ')}].`;
  }
  return '';
}

/** tfjs `InputSpec({ndim})`. `layout` describes the expected axes, e.g. `(batch, rows, cols, channels)`. */
export function expectRank(shape: Shape, ndim: number, layer: string, layout?: string): void {
  if (shape.length === ndim) return;
  throw new ShapeError(
    `${layer} expects a ${ndim}D input${layout ? ` ${layout}` : ''}, but got a ${shape.length}D input ${formatShape(shape)}` +
      ` (tfjs: "expected ndim=${ndim}, found ndim=${shape.length}").` +
      rankHint(shape, ndim, layout),
  );
}

/** tfjs `InputSpec({minNDim})`. */
export function expectMinRank(shape: Shape, min: number, layer: string, what?: string): void {
  if (shape.length >= min) return;
  throw new ShapeError(
    `${layer} expects an input with at least ${min} dimensions${what ? ` ${what}` : ''}, but got ${formatShape(shape)}` +
      ` (tfjs: "expected min_ndim=${min}, found ndim=${shape.length}").`,
  );
}

/** A dimension a weight is built from: it must be known. */
export function definedDim(d: Dim | undefined, layer: string, what: string, shape: Shape): number {
  if (d === null || d === undefined) {
    throw new ShapeError(
      `${layer}: the ${what} of the input must be known to create the weights, but the input is ${formatShape(shape)}.`,
    );
  }
  return d;
}

/** tfjs `conv_utils.convOutputLength`. */
export function convOutputLength(inputLength: Dim, filterSize: number, padding: PaddingMode, stride: number, dilation = 1): Dim {
  if (inputLength === null) return null;
  const dilatedFilterSize = filterSize + (filterSize - 1) * (dilation - 1);
  const outputLength = padding === 'same' ? inputLength : inputLength - dilatedFilterSize + 1;
  return Math.floor((outputLength + stride - 1) / stride);
}

/** tfjs `conv_utils.deconvLength` (only 'same' and 'valid'). */
export function deconvLength(dimSize: Dim, stride: number, kernelSize: number, padding: PaddingMode): Dim {
  if (dimSize === null) return null;
  if (padding === 'same') return dimSize * stride;
  return dimSize * stride + Math.max(kernelSize - stride, 0);
}

export function product(dims: readonly number[]): number {
  let p = 1;
  for (const d of dims) p *= d;
  return p;
}

export function spatialAxes(rank: number, format: DataFormat): number[] {
  const axes: number[] = [];
  for (let i = 0; i < rank; i++) axes.push(format === 'channelsFirst' ? i + 2 : i + 1);
  return axes;
}

export function channelAxis(shape: Shape, format: DataFormat): number {
  return format === 'channelsFirst' ? 1 : shape.length - 1;
}

/** Every layout `layoutOf` can answer, made once: rank 1–3 × channelsLast/channelsFirst. */
const LAYOUTS = [1, 2, 3].flatMap((rank) => {
  const sp = (rank === 1 ? ['steps'] : rank === 2 ? ['rows', 'cols'] : ['depth', 'rows', 'cols']).join(', ');
  return [`(batch, ${sp}, channels)`, `(batch, channels, ${sp})`];
});

/** The layout a conv/pooling input must have, for messages: `(batch, rows, cols, channels)`. */
export function layoutOf(rank: number, format: DataFormat): string {
  return LAYOUTS[(Math.min(Math.max(rank, 1), 3) - 1) * 2 + (format === 'channelsFirst' ? 1 : 0)]!;
}

/**
 * Keras rejects a convolution or pooling whose output would have a zero or negative
 * dimension; tfjs computes the shape anyway (and fails later, when the model runs).
 */
export function checkWindowFits(
  layer: string,
  what: 'kernel' | 'pool window',
  window: readonly number[],
  dilation: readonly number[] | undefined,
  padding: PaddingMode,
  inputSpatial: readonly Dim[],
  outSpatial: readonly Dim[],
  outShape: Shape,
): void {
  const bad = outSpatial.some((d) => d !== null && d <= 0);
  if (!bad) return;
  const negative = outSpatial.some((d) => d !== null && d < 0);
  const dilated = dilation !== undefined && dilation.some((d) => d !== 1);
  const eff = window.map((k, i) => k + (k - 1) * ((dilation?.[i] ?? 1) - 1));
  const inDims = inputSpatial.map((d) => (d === null ? 'None' : String(d))).join('×');
  const oneD = window.length === 1;
  const sized = oneD ? `${what} of size ${window[0]}` : `${window.join('×')} ${what}`;
  const desc = dilated ? `a ${sized} with dilation ${dilation!.join('×')} (spanning ${eff.join('×')})` : `a ${sized}`;
  const inText = oneD ? `an input of length ${inDims}` : `a ${inDims} input`;
  throw new ShapeError(
    `${negative ? 'Negative' : 'Zero'} dimension size in ${layer}: ${desc} does not fit ${inText} (padding '${padding}')` +
      ` — output would be ${formatShape(outShape)}. Use a smaller ${what}, padding 'same', or a larger input.`,
    negative ? undefined : outShape,
  );
}
