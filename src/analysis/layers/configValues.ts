/**
 * Reading a layer's (evaluated) config the way tfjs-layers reads its `args`: known values,
 * typed options, tuple options (`normalizeArray`), data format, padding, activations, wrapped
 * layers, and turning a config parser's ConfigProblem into issues.
 */
import { UnknownValue, UnresolvedError } from './layerSpec';
import type { ConfigIssue, ConfigValue, LayerConfig, LayerRef } from './layerSpec';

export type DataFormat = 'channelsLast' | 'channelsFirst';
export type PaddingMode = 'valid' | 'same' | 'causal';

/**
 * The config is invalid in a way tfjs rejects when the layer is constructed (or in a way that
 * makes every later shape meaningless). `configIssues` reports it as an error; `outputShape`
 * and `params` throw it so the shape becomes "unknown" instead of reporting the problem twice.
 */
export class ConfigProblem extends UnresolvedError {}

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
export function optionValue(config: LayerConfig, key: string): Exclude<ConfigValue, UnknownValue | null> | undefined {
  const v = config[key];
  if (v === undefined || v === null) return undefined;
  requireKnown(v, key);
  return v as Exclude<ConfigValue, UnknownValue | null>;
}

/** Whether the key is present with a value (known or not) other than undefined/null. */
export function hasOption(config: LayerConfig, key: string): boolean {
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
  const v = optionValue(config, key);
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
  const v = optionValue(config, key);
  if (v === undefined) return undefined;
  if (typeof v !== 'number') throw new ConfigProblem(`${layer}: \`${key}\` must be a number, but got ${describeValue(v)}.`);
  return v;
}

/** A boolean option; tfjs tests these with `== null ? default : value` and JS truthiness. */
export function bool(config: LayerConfig, key: string, def: boolean): boolean {
  const v = optionValue(config, key);
  if (v === undefined) return def;
  return Boolean(v);
}

export function optString(config: LayerConfig, key: string, layer: string): string | undefined {
  const v = optionValue(config, key);
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
  const v = optionValue(config, key);
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
  const v = optionValue(config, 'dataFormat');
  if (v === undefined) return 'channelsLast';
  if (v === 'channelsLast' || v === 'channelsFirst') return v;
  throw new ConfigProblem(`${layer}: \`dataFormat\` must be 'channelsLast' or 'channelsFirst', but got ${describeValue(v)}.`);
}

export function paddingMode(
  config: LayerConfig,
  layer: string,
  allowed: readonly PaddingMode[] = ['valid', 'same', 'causal'],
): PaddingMode {
  const v = optionValue(config, 'padding');
  if (v === undefined) return 'valid';
  if (typeof v === 'string' && (allowed as readonly string[]).includes(v)) return v as PaddingMode;
  throw new ConfigProblem(`${layer}: \`padding\` must be ${orList(allowed.map((p) => `'${p}'`))}, but got ${describeValue(v)}.`);
}

export function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

/** Activation identifiers tfjs-layers 4.x knows (its serialization class names). */
export const ACTIVATIONS: readonly string[] = [
  'elu',
  'selu',
  'relu',
  'relu6',
  'linear',
  'sigmoid',
  'hardSigmoid',
  'softplus',
  'softsign',
  'tanh',
  'softmax',
  'logSoftmax',
  'gelu',
  'gelu_new',
  'mish',
  'swish',
];

const ACTIVATION_HINTS: Record<string, string> = {
  hard_sigmoid: 'hardSigmoid',
  log_softmax: 'logSoftmax',
  leakyrelu: 'use the tf.layers.leakyReLU() layer',
  leaky_relu: 'use the tf.layers.leakyReLU() layer',
  prelu: 'use the tf.layers.prelu() layer',
  gelunew: 'gelu_new',
};

const ACTIVATION_SET: ReadonlySet<string> = new Set(ACTIVATIONS);

/** Checks an activation option; throws ConfigProblem for a name tfjs does not know. */
export function checkActivation(config: LayerConfig, key: string, layer: string): void {
  const v = config[key];
  if (typeof v !== 'string') return; // absent, unknown, or an object we cannot check
  if (ACTIVATION_SET.has(v)) return;
  const lower = v.toLowerCase();
  const exact = ACTIVATIONS.find((a) => a.toLowerCase() === lower);
  const hint = exact !== undefined ? `'${exact}'` : (ACTIVATION_HINTS[lower.replace(/-/g, '_')] ?? ACTIVATION_HINTS[lower]);
  const suggestion =
    hint === undefined
      ? ''
      : hint.startsWith('use')
        ? ` (${hint})`
        : ` (did you mean ${hint.startsWith("'") ? hint : `'${hint}'`}?)`;
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
