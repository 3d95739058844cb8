/**
 * Values the user states for builder parameters the analysis cannot know (`createModel.h = 9`,
 * kept in the workspace's `modelLens.assumptions` or given to the CLI as `--assume`), and the
 * parameters it met without a value, which the editor offers to set. A function's parameters
 * are named `FUNCTION.PARAM` (a method's `Class.method.PARAM`; a destructured parameter's
 * properties `FUNCTION.PROP`).
 */
import type * as ts from 'typescript';
import type { Value } from './values';

/** JSON values as the user states them. */
export type Assumptions = Readonly<Record<string, unknown>>;

/** A parameter, in the function whose lines are given (1-based, inclusive). */
export interface ParameterSite {
  key: string;
  startLine: number;
  endLine: number;
}

/** What the analysis of one file used and needed. */
export class AssumptionLog {
  /** Parameters given a stated value. */
  readonly used: (ParameterSite & { value: unknown })[] = [];
  /** Parameters met without a value (nor a stated one). */
  readonly open: ParameterSite[] = [];

  constructor(private readonly stated: Assumptions) {}

  /** The stated value of `key` as an evaluator value (a fresh copy), or undefined. */
  valueOf(key: string): Value | undefined {
    if (!Object.prototype.hasOwnProperty.call(this.stated, key)) return undefined;
    return fromJson(this.stated[key]);
  }

  note(list: 'used' | 'open', site: ParameterSite, value?: unknown): void {
    if (list === 'used') {
      if (!this.used.some((u) => u.key === site.key && u.startLine === site.startLine)) this.used.push({ ...site, value });
    } else if (!this.open.some((o) => o.key === site.key && o.startLine === site.startLine)) this.open.push(site);
  }

  statedValue(key: string): unknown {
    return this.stated[key];
  }
}

/** Plain JSON (numbers, strings, booleans, null, arrays, objects) → evaluator values; anything else undefined. */
function fromJson(v: unknown, depth = 0): Value | undefined {
  if (depth > 20) return undefined;
  if (v === null || typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) {
    const out: Value[] = [];
    for (const x of v) {
      const y = fromJson(x, depth + 1);
      if (y === undefined) return undefined;
      out.push(y);
    }
    return out;
  }
  if (typeof v === 'object' && v !== undefined) {
    const out: Record<string, Value> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      const y = fromJson(x, depth + 1);
      if (y === undefined) return undefined;
      out[k] = y;
    }
    return out;
  }
  return undefined;
}

/** The names a parameter binds for assumptions: itself, or a destructured object's properties. */
export function parameterNames(
  p: ts.ParameterDeclaration,
  isIdentifier: (n: ts.Node) => n is ts.Identifier,
  isObjectPattern: (n: ts.Node) => n is ts.ObjectBindingPattern,
): string[] {
  if (isIdentifier(p.name)) return [p.name.text];
  if (!isObjectPattern(p.name)) return [];
  const out: string[] = [];
  for (const el of p.name.elements) {
    const prop =
      el.propertyName && isIdentifier(el.propertyName) ? el.propertyName.text : isIdentifier(el.name) ? el.name.text : undefined;
    if (prop !== undefined && !el.dotDotDotToken) out.push(prop);
  }
  return out;
}

/**
 * The arguments to call a builder with so that it builds what the analysis shows from the
 * values the user stated: each parameter's stated value (a destructured one's stated
 * properties), undefined where its default applies. Undefined when a required parameter has
 * no stated value.
 */
export function statedArguments(
  fnName: string,
  parameters: readonly ts.ParameterDeclaration[],
  log: AssumptionLog,
  isIdentifier: (n: ts.Node) => n is ts.Identifier,
  isObjectPattern: (n: ts.Node) => n is ts.ObjectBindingPattern,
): unknown[] | undefined {
  const args: unknown[] = [];
  for (const p of parameters) {
    if (p.dotDotDotToken) break;
    const optional = p.initializer !== undefined || p.questionToken !== undefined;
    if (isIdentifier(p.name)) {
      const key = `${fnName}.${p.name.text}`;
      if (log.valueOf(key) !== undefined) args.push(log.statedValue(key));
      else if (optional) args.push(undefined);
      else return undefined;
      continue;
    }
    if (!isObjectPattern(p.name)) return undefined;
    const obj: Record<string, unknown> = {};
    for (const el of p.name.elements) {
      const prop =
        el.propertyName && isIdentifier(el.propertyName)
          ? el.propertyName.text
          : isIdentifier(el.name)
            ? el.name.text
            : undefined;
      if (prop === undefined) return undefined;
      const key = `${fnName}.${prop}`;
      if (log.valueOf(key) !== undefined) obj[prop] = log.statedValue(key);
      else if (el.initializer === undefined && !optional) return undefined;
    }
    args.push(obj);
  }
  return args;
}
