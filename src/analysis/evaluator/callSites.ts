/**
 * Builders analysed at their call sites in other files: when the analysed file calls a
 * function of a module it imports (`createModel(HIDDEN)` in train.js), the call and its
 * arguments are recorded as plain data; the analysis of the builder's own file can then run
 * the builder with those arguments instead of none (`AnalysisOptions.callSites`). Arguments
 * that are not plain data (a layer, a tensor, a function, anything unknown) cross as unknown.
 */
import { UnknownValue, isPlainObject, unknown } from './values';
import type { Value } from './values';
export type { CallSite, OutgoingCall } from '../types';

/** An argument that does not cross as data. */
export interface OpaqueArgument {
  readonly $unknown: string;
}

const MAX_DEPTH = 8;

/** An evaluator value as plain data, or an opaque marker saying why it is not. */
export function toData(v: Value, taintOf: (v: Value) => string | undefined, depth = 0): unknown {
  if (v === undefined || v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  const opaque = (why: string): OpaqueArgument => ({ $unknown: why });
  if (v instanceof UnknownValue) return opaque(v.reason);
  if (depth > MAX_DEPTH) return opaque('the argument is nested too deeply');
  const taint = taintOf(v);
  if (taint !== undefined) return opaque(taint);
  if (Array.isArray(v)) return v.map((x) => toData(x, taintOf, depth + 1));
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toData(x, taintOf, depth + 1);
    return out;
  }
  return opaque('the argument at the call is not plain data (a layer, a tensor, a function...)');
}

/** True for an argument that did not cross as data (anywhere inside it). */
export function isOpaque(v: unknown): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some(isOpaque);
  const record = v as Record<string, unknown>;
  return typeof record['$unknown'] === 'string' || Object.values(record).some(isOpaque);
}

/** Plain data (as `toData` makes it) back into evaluator values; opaque markers become unknown. */
export function fromData(v: unknown, site: string, depth = 0): Value {
  if (v === undefined || v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (depth > MAX_DEPTH + 1 || typeof v !== 'object') return unknown(`an argument at ${site} is not known statically`);
  if (Array.isArray(v)) return v.map((x) => fromData(x, site, depth + 1));
  const record = v as Record<string, unknown>;
  if (typeof record['$unknown'] === 'string') return unknown(`${record['$unknown']} (at ${site})`);
  const out: Record<string, Value> = {};
  for (const [k, x] of Object.entries(record)) out[k] = fromData(x, site, depth + 1);
  return out;
}
