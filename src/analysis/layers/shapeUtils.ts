/**
 * Helpers shared by the layer table: reading (evaluated) config values the way tfjs-layers
 * reads its `args`, normalising tuple options, the conv length arithmetic of tfjs's
 * `conv_utils`, shape checks that mirror tfjs's `InputSpec`, and parameter formulas.
 */
import { formatShape, isShapeList } from '../../shared/format';
import type { Dim, OutputShape, Shape } from '../types';
import { ShapeError, UnknownValue, UnresolvedError } from './layerSpec';
import type { ConfigIssue, ConfigValue, LayerConfig, LayerRef, LayerSpec, ParamCount } from './layerSpec';

export type DataFormat = 'channelsLast' | 'channelsFirst';
export type PaddingMode = 'valid' | 'same' | 'causal';

/**
 * The config is invalid in a way tfjs rejects when the layer is constructed (or in a way that
 * makes every later shape meaningless). `configIssues` reports it as an error; `outputShape`
 * and `params` throw it so the shape becomes "unknown" instead of reporting the problem twice.
 */
export class ConfigProblem extends UnresolvedError {}

// ---------------------------------------------------------------------------------------------
// Reading config values

export function isUnknownValue(v: unknown): v is UnknownValue {
  return v instanceof UnknownValue;
}

export function isLayerRef(v: unknown): v is LayerRef {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    (v as { kind?: unknown }).kind === 'layerRef' &&
    (v as { spec?: unknown }).spec != null
  );
}

function unknownError(key: string, v: UnknownValue): UnresolvedError {
  return new UnresolvedError(`\`${key}\` is not known statically (${v.reason})`);
}

/** Throws UnresolvedError if `v` is, or contains, an UnknownValue. */
export function requireKnown(v: ConfigValue, key: string): void {
  if (v instanceof UnknownValue) throw unknownError(key, v);
  if (Array.isArray(v)) for (const e of v) requireKnown(e, key);
}

/** The value of `key`, fully known (deeply, for arrays); `undefined` when absent or null. */
export function opt(config: LayerConfig, key: string): Exclude<ConfigValue, UnknownValue | null> | undefined {
  const v = config[key];
  if (v === undefined || v === null) return undefined;
  requireKnown(v, key);
  return v as Exclude<ConfigValue, UnknownValue | null>;
}

/** Whether the key is present with a value (known or not) other than undefined/null. */
export function has(config: LayerConfig, key: string): boolean {
  return config[key] !== undefined && config[key] !== null;
}

export function describeValue(v: ConfigValue): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return `'${v}'`;
  if (v instanceof UnknownValue) return 'an unknown value';
  if (isLayerRef(v)) return 'a layer';
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

export function isPositiveInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v > 0;
}

/** A required positive integer (tfjs `assertPositiveInteger`). */
export function posInt(config: LayerConfig, key: string, layer: string, def?: number): number {
  const v = opt(config, key);
  if (v === undefined) {
    if (def !== undefined) return def;
    throw new ConfigProblem(`${layer} needs \`${key}\` (a positive integer).`);
  }
  if (!isPositiveInt(v)) {
    throw new ConfigProblem(`${layer}: \`${key}\` must be a positive integer, but got ${describeValue(v)}.`);
  }
  return v;
}

export function optNumber(config: LayerConfig, key: string, layer: string): number | undefined {
  const v = opt(config, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw new ConfigProblem(`${layer}: \`${key}\` must be a number, but got ${describeValue(v)}.`);
  return v;
}

/** A boolean option; tfjs tests these with `== null ? default : value` and JS truthiness. */
export function bool(config: LayerConfig, key: string, def: boolean): boolean {
  const v = opt(config, key);
  if (v === undefined) return def;
  return Boolean(v);
}

export function optString(config: LayerConfig, key: string, layer: string): string | undefined {
  const v = opt(config, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new ConfigProblem(`${layer}: \`${key}\` must be a string, but got ${describeValue(v)}.`);
  return v;
}

/**
 * tfjs `normalizeArray`: a number is repeated `n` times, an array must have `n` integers.
 * Additionally every entry must be a positive integer (tfjs fails later, with a less clear
 * message, or silently computes NaN shapes otherwise).
 */
export function intTuple(config: LayerConfig, key: string, n: number, layer: string, def?: number): number[] {
  const v = opt(config, key);
  let out: number[];
  if (v === undefined) {
    if (def === undefined) throw new ConfigProblem(`${layer} needs \`${key}\`.`);
    out = new Array<number>(n).fill(def);
  } else if (typeof v === 'number') {
    out = new Array<number>(n).fill(v);
  } else if (Array.isArray(v)) {
    if (v.length !== n) {
      throw new ConfigProblem(
        `${layer}: \`${key}\` must be a number or an array of ${n} numbers, but got ${v.length} (${describeValue(v)}).`,
      );
    }
    out = v as number[];
  } else {
    throw new ConfigProblem(`${layer}: \`${key}\` must be a number or an array of ${n} numbers, but got ${describeValue(v)}.`);
  }
  for (const x of out) {
    if (!isPositiveInt(x)) {
      throw new ConfigProblem(`${layer}: \`${key}\` must contain positive integers, but got ${describeValue(v ?? def)}.`);
    }
  }
  return out;
}

export function dataFormat(config: LayerConfig, layer: string): DataFormat {
  const v = opt(config, 'dataFormat');
  if (v === undefined) return 'channelsLast';
  if (v === 'channelsLast' || v === 'channelsFirst') return v;
  throw new ConfigProblem(
    `${layer}: \`dataFormat\` must be 'channelsLast' or 'channelsFirst', but got ${describeValue(v)}.`,
  );
}

export function paddingMode(
  config: LayerConfig,
  layer: string,
  allowed: readonly PaddingMode[] = ['valid', 'same', 'causal'],
): PaddingMode {
  const v = opt(config, 'padding');
  if (v === undefined) return 'valid';
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as PaddingMode;
  throw new ConfigProblem(
    `${layer}: \`padding\` must be ${orList(allowed.map((p) => `'${p}'`))}, but got ${describeValue(v)}.`,
  );
}

export function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Activation identifiers tfjs-layers 4.x knows (its serialization class names). */
export const ACTIVATIONS: readonly string[] = [
  'elu', 'selu', 'relu', 'relu6', 'linear', 'sigmoid', 'hardSigmoid', 'softplus', 'softsign',
  'tanh', 'softmax', 'logSoftmax', 'gelu', 'gelu_new', 'mish', 'swish',
];

const ACTIVATION_HINTS: Record<string, string> = {
  hard_sigmoid: 'hardSigmoid',
  log_softmax: 'logSoftmax',
  leakyrelu: 'use the tf.layers.leakyReLU() layer',
  leaky_relu: 'use the tf.layers.leakyReLU() layer',
  prelu: 'use the tf.layers.prelu() layer',
  gelunew: 'gelu_new',
};

/** Checks an activation option; throws ConfigProblem for a name tfjs does not know. */
export function checkActivation(config: LayerConfig, key: string, layer: string): void {
  const v = config[key];
  if (typeof v !== 'string') return; // absent, unknown, or an object we cannot check
  if (ACTIVATIONS.includes(v)) return;
  const lower = v.toLowerCase();
  const exact = ACTIVATIONS.find((a) => a.toLowerCase() === lower);
  const hint = exact !== undefined ? `'${exact}'` : ACTIVATION_HINTS[lower.replace(/-/g, '_')] ?? ACTIVATION_HINTS[lower];
  const suggestion = hint === undefined ? '' : hint.startsWith('use') ? ` (${hint})` : ` (did you mean ${hint.startsWith("'") ? hint : `'${hint}'`}?)`;
  throw new ConfigProblem(
    `${layer}: unknown ${key} '${v}'${suggestion}. tfjs knows: ${ACTIVATIONS.map((a) => `'${a}'`).join(', ')}.`,
  );
}

export function layerRef(config: LayerConfig, key: string, layer: string): LayerRef {
  const v = config[key];
  if (v instanceof UnknownValue) throw unknownError(key, v);
  if (isLayerRef(v)) return v;
  if (v === undefined || v === null) throw new ConfigProblem(`${layer} needs \`${key}\` (the layer to wrap).`);
  throw new ConfigProblem(`${layer}: \`${key}\` must be a layer, e.g. tf.layers.lstm({units: 8}).`);
}

/**
 * Runs a config parser and turns its ConfigProblem into an error issue. Unknown values are not
 * problems: nothing is reported for them.
 */
export function issuesOf(parse: () => unknown, extra?: () => ConfigIssue[]): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  try {
    parse();
  } catch (e) {
    if (e instanceof ConfigProblem) issues.push({ severity: 'error', message: e.message });
    else if (!(e instanceof UnresolvedError)) throw e;
  }
  if (extra) {
    try {
      issues.push(...extra());
    } catch (e) {
      if (!(e instanceof UnresolvedError)) throw e;
    }
  }
  return issues;
}

// ---------------------------------------------------------------------------------------------
// Shapes

export function fmt(shape: OutputShape): string {
  return formatShape(shape);
}

/** The one input of a single-input layer. */
export function single(input: OutputShape, layer: string): Shape {
  if (isShapeList(input)) {
    if (input.length === 1) return input[0];
    throw new ShapeError(`${layer} expects a single input, but it received ${input.length} inputs ${fmt(input)}.`);
  }
  return input as Shape;
}

/** The inputs of a multi-input layer (a single shape becomes a list of one). */
export function list(input: OutputShape): Shape[] {
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
    `${layer} expects a ${ndim}D input${layout ? ` ${layout}` : ''}, but got a ${shape.length}D input ${fmt(shape)}` +
      ` (tfjs: "expected ndim=${ndim}, found ndim=${shape.length}").` +
      rankHint(shape, ndim, layout),
  );
}

/** tfjs `InputSpec({minNDim})`. */
export function expectMinRank(shape: Shape, min: number, layer: string, what?: string): void {
  if (shape.length >= min) return;
  throw new ShapeError(
    `${layer} expects an input with at least ${min} dimensions${what ? ` ${what}` : ''}, but got ${fmt(shape)}` +
      ` (tfjs: "expected min_ndim=${min}, found ndim=${shape.length}").`,
  );
}

/** A dimension a weight is built from: it must be known. */
export function definedDim(d: Dim | undefined, layer: string, what: string, shape: Shape): number {
  if (d === null || d === undefined) {
    throw new ShapeError(`${layer}: the ${what} of the input must be known to create the weights, but the input is ${fmt(shape)}.`);
  }
  return d;
}

/** tfjs `conv_utils.convOutputLength`. */
export function convOutputLength(
  inputLength: Dim,
  filterSize: number,
  padding: PaddingMode,
  stride: number,
  dilation = 1,
): Dim {
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
  const desc = dilated
    ? `a ${sized} with dilation ${dilation!.join('×')} (spanning ${eff.join('×')})`
    : `a ${sized}`;
  const inText = oneD ? `an input of length ${inDims}` : `a ${inDims} input`;
  throw new ShapeError(
    `${negative ? 'Negative' : 'Zero'} dimension size in ${layer}: ${desc} does not fit ${inText} (padding '${padding}')` +
      ` — output would be ${fmt(outShape)}. Use a smaller ${what}, padding 'same', or a larger input.`,
    negative ? undefined : outShape,
  );
}

// ---------------------------------------------------------------------------------------------
// Parameters

/** One weight: its shape and how to print it in the formula. */
export interface Weight {
  shape: readonly number[];
  trainable: boolean;
  /** Defaults to the shape joined with ×. */
  term?: string;
}

export function term(shape: readonly number[]): string {
  return shape.join('×');
}

export function weight(shape: readonly number[], trainable = true, termText?: string): Weight {
  return { shape, trainable, term: termText };
}

/** Sums weights into a ParamCount; `formula` overrides the default `a×b + c` rendering. */
export function paramsOf(weights: readonly Weight[], formula?: string): ParamCount {
  let trainable = 0;
  let nonTrainable = 0;
  for (const w of weights) {
    const n = product(w.shape);
    if (w.trainable) trainable += n;
    else nonTrainable += n;
  }
  const text = formula ?? weights.map((w) => w.term ?? term(w.shape)).join(' + ');
  return { trainable, nonTrainable, formula: text };
}

export function noParams(): ParamCount {
  return { trainable: 0, nonTrainable: 0, formula: '' };
}

/** Wraps a formula in parentheses when it is a sum, for use as a factor. */
export function asFactor(formula: string): string {
  return formula.includes('+') ? `(${formula})` : formula;
}

// ---------------------------------------------------------------------------------------------
// Spec builders

export interface IdentityOptions {
  aliases?: readonly string[];
  /** Parses the config, throwing ConfigProblem/UnresolvedError. */
  parse?: (config: LayerConfig) => unknown;
  /** Extra (non-error) issues. */
  extraIssues?: (config: LayerConfig) => ConfigIssue[];
  /** Required input rank (tfjs InputSpec ndim) and its layout description. */
  ndim?: number;
  layout?: string;
  /** The output shape from (a copy of) the input shape, throwing like a spec; the input shape itself when absent. */
  shape?: (config: LayerConfig, input: Shape) => Shape;
}

/** A layer that has no weights; its output shape is its input shape unless `options.shape` says otherwise. */
export function identitySpec(factory: string, className: string, options: IdentityOptions = {}): LayerSpec {
  const parse = options.parse ?? ((): void => undefined);
  const outputShape = (config: LayerConfig, input: OutputShape): Shape => {
    parse(config);
    const shape = single(input, factory);
    if (options.ndim !== undefined) expectRank(shape, options.ndim, factory, options.layout);
    return options.shape ? options.shape(config, shape.slice()) : shape.slice();
  };
  return {
    factory,
    aliases: options.aliases,
    className,
    inputKind: 'single',
    outputShape,
    params(config, input) {
      outputShape(config, input);
      return noParams();
    },
    configIssues(config) {
      return issuesOf(() => parse(config), options.extraIssues && (() => options.extraIssues!(config)));
    },
  };
}
