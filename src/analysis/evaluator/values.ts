/**
 * Values of the static evaluator. Numbers, strings, booleans, null/undefined, arrays and plain
 * objects are ordinary JS values; everything else is one of the classes below.
 */
import type * as ts from 'typescript';
import { UnknownValue } from '../layers/layerSpec';
import type { LayerInstance, SymTensor, UnknownLayer } from '../graph/layerGraph';
import type { ModelBuilder } from '../graph/modelBuilder';
import type { Scope } from './scope';

export { UnknownValue };

export type Value =
  | number
  | string
  | boolean
  | null
  | undefined
  | UnknownValue
  | FuncValue
  | NsValue
  | OpaqueValue
  | BuiltinValue
  | ClassValue
  | LayerInstance
  | UnknownLayer
  | SymTensor
  | ModelBuilder
  | Value[]
  | ObjectValue;

export interface ObjectValue {
  [key: string]: Value;
}

/** A user function (declaration, expression or arrow) with its closure. */
export class FuncValue {
  called = false;
  constructor(
    readonly node: ts.FunctionLikeDeclaration,
    readonly closure: Scope,
    readonly name: string,
  ) {}
}

/** A path into the tfjs API, e.g. `['layers', 'dense']` for `tf.layers.dense`. */
export class NsValue {
  private children: Map<string, NsValue> | undefined;
  constructor(readonly path: readonly string[]) {}
  get(name: string): NsValue {
    let child = this.children?.get(name);
    if (child === undefined) {
      child = new NsValue([...this.path, name]);
      (this.children ??= new Map()).set(name, child);
    }
    return child;
  }
}

/** The root of the tfjs API (`tf` in `import * as tf`); shared so its children are cached. */
export const TF_ROOT = new NsValue([]);

/** A known value with no static meaning here (an optimizer, a regularizer, a tensor...). */
export class OpaqueValue {
  constructor(
    readonly what: string,
    /** Arguments of the call that made it, e.g. the learning rate of `tf.train.adam(0.01)`. */
    readonly args: readonly Value[] = [],
  ) {}
}

/** A JS builtin we can evaluate (`Math.floor`, `[].push`...). */
export class BuiltinValue {
  constructor(
    readonly name: string,
    readonly call: (args: Value[]) => Value,
  ) {}
}

/** A user class; instances are unknown (custom layers cannot be analysed statically). */
export class ClassValue {
  constructor(readonly name: string) {}
}

/** Thrown when a file needs more evaluation work than any real model file does. */
export class BudgetExceeded {
  constructor(readonly what: string) {}
}

export function unknown(reason: string): UnknownValue {
  return new UnknownValue(reason);
}

export function isPlainObject(v: Value): v is ObjectValue {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}
