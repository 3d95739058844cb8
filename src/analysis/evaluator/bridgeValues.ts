/**
 * Plain data from evaluated values: the layer config a spec reads, the training settings of
 * `compile`/`fit` calls, tfjs's snake_case layer names.
 */
import { UnknownValue } from '../layers/layerSpec';
import type { ConfigValue, LayerConfig } from '../layers/layerSpec';
import { LayerInstance, SymTensor } from '../graph/layerGraph';
import type { TrainingHints } from '../types';
import { FuncValue, NsValue, OpaqueValue, isPlainObject } from './values';
import type { Value } from './values';

const snakeCache = new Map<string, string>();
export function toSnakeCase(name: string): string {
  let s = snakeCache.get(name);
  if (s === undefined) {
    s = name
      .replace(/(.)([A-Z][a-z0-9]+)/g, '$1_$2')
      .replace(/([a-z])([A-Z])/g, '$1_$2')
      .toLowerCase();
    snakeCache.set(name, s);
  }
  return s;
}

export function compileHints(cfg: Value, line: number): TrainingHints {
  const h: TrainingHints = { compileLine: line };
  if (!isPlainObject(cfg)) return h;
  const opt = cfg['optimizer'];
  if (typeof opt === 'string') h.optimizer = opt;
  else if (opt instanceof OpaqueValue) {
    const m = /^tf\.train\.(\w+)$/.exec(opt.what);
    if (m) {
      h.optimizer = m[1]!;
      if (typeof opt.args[0] === 'number') h.learningRate = opt.args[0];
    }
  }
  const loss = cfg['loss'];
  if (typeof loss === 'string') h.loss = loss;
  else if (loss instanceof NsValue && loss.path[0] === 'losses' && loss.path.length === 2) h.loss = loss.path[1]!;
  else if (loss instanceof FuncValue) h.customLoss = true;
  const metrics = cfg['metrics'];
  const list = Array.isArray(metrics) ? metrics : typeof metrics === 'string' ? [metrics] : [];
  const names = list.filter((m): m is string => typeof m === 'string');
  if (names.length > 0) h.metrics = names;
  return h;
}

export function fitHints(args: Value[], line: number): TrainingHints {
  const h: TrainingHints = { fitLine: line };
  const cfg = args[2];
  if (!isPlainObject(cfg)) return h;
  for (const key of ['epochs', 'batchSize', 'validationSplit'] as const) {
    const v = cfg[key];
    if (typeof v === 'number') h[key] = v;
  }
  // tfjs validates on `validationData` whenever it is given and not empty (then `validationSplit`
  // is ignored); null, undefined or `[]` leave the split in charge.
  const data = cfg['validationData'];
  if (data !== undefined && data !== null && !(Array.isArray(data) && data.length === 0)) h.validationData = true;
  return h;
}

export function isConfigObject(v: ConfigValue): v is LayerConfig {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof UnknownValue) && !(v instanceof LayerInstance)
  );
}

/** True when `v` holds only primitives, plain arrays and plain objects (the usual options literal). */
/** What makes a value's contents unknown (tainted by undecided code, or open from a spread): the reason, if any. */
export type UncertainOf = (v: Value) => string | undefined;

/** True when `v` holds only primitives, plain arrays and plain objects whose contents are all known. */
function isPlain(v: Value, uncertainOf: UncertainOf): boolean {
  if (v === null || typeof v !== 'object') return typeof v !== 'function';
  if (uncertainOf(v) !== undefined) return false;
  if (Array.isArray(v)) return v.every((x) => isPlain(x, uncertainOf));
  if (!isPlainObject(v)) return false;
  for (const k in v) if (!isPlain(v[k], uncertainOf)) return false;
  return true;
}

/** Evaluated value → plain config for the layer table; objects and arrays whose contents are not known become unknown, at any depth. */
export function toConfig(v: Value, uncertainOf: UncertainOf = () => undefined): ConfigValue {
  if (v === null || v === undefined || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  const reason = uncertainOf(v);
  if (reason !== undefined) return new UnknownValue(reason);
  // A copy, as tfjs copies its args: the user may change the literal after creating the layer.
  if (isPlain(v, uncertainOf)) return isPlainObject(v) ? ({ ...v } as ConfigValue) : (v as ConfigValue);
  if (v instanceof UnknownValue || v instanceof LayerInstance) return v;
  if (Array.isArray(v)) return v.map((x) => toConfig(x, uncertainOf));
  if (isPlainObject(v)) {
    const out: LayerConfig = {};
    for (const [k, x] of Object.entries(v)) out[k] = toConfig(x, uncertainOf);
    return out;
  }
  if (v instanceof OpaqueValue) return new UnknownValue(`\`${v.what}\` is an object, not a plain value`);
  if (v instanceof SymTensor) return new UnknownValue('a tensor');
  return new UnknownValue('not a plain value');
}
