/**
 * Values of the static evaluator. Numbers, strings, booleans, null/undefined, arrays and plain
 * objects are ordinary JS values; everything else is one of the classes below.
 */
import type * as tsTypes from 'typescript';
import { propName, tsApi } from './syntaxKinds';
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
  | InstanceValue
  | SuperValue
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
  /** The class whose method (or constructor, accessor) this is: `super` refers to its base. */
  home: ClassValue | undefined;
  constructor(
    readonly node: tsTypes.FunctionLikeDeclaration,
    readonly closure: Scope,
    readonly name: string,
  ) {}
}

/** A path into the tfjs API, e.g. `['layers', 'dense']` for `tf.layers.dense`. */
export class NsValue {
  private children: Map<string, NsValue> | undefined;
  constructor(readonly path: readonly string[]) {}
  get(name: string): NsValue {
    // `import * as tfn from '@tensorflow/tfjs-node'; const tf = tfn.default`: Node's ES module
    // view of a CommonJS package puts the package itself under `default`.
    if (name === 'default' && this.path.length === 0) return this;
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

/**
 * A user class. Its methods, accessors and static members are read from the declaration on
 * first use; `extends` is evaluated then too (a tfjs `Layer` base makes it a custom layer).
 */
export class ClassValue {
  /** Static fields and methods, filled when the class statement runs. */
  readonly statics: ObjectValue = {};
  /** The evaluated `extends` expression; undefined when the class has none. */
  base: Value = undefined;
  baseResolved = false;
  /** Instances created by the code (or by the analysis of a class never instantiated). */
  readonly instances: InstanceValue[] = [];
  private methods: Map<string, FuncValue> | undefined;
  private getters: Map<string, FuncValue> | undefined;
  private setters: Map<string, FuncValue> | undefined;
  constructor(
    readonly name: string,
    readonly node: tsTypes.ClassLikeDeclaration,
    readonly closure: Scope,
  ) {}

  /** The user class this one extends, when it extends one. */
  get parent(): ClassValue | null {
    return this.base instanceof ClassValue ? this.base : null;
  }

  private collect(): void {
    if (this.methods) return;
    this.methods = new Map();
    this.getters = new Map();
    this.setters = new Map();
    for (const m of this.node.members) {
      if (!m.name || isStaticMember(m)) continue;
      const key = propName(m.name);
      if (key === undefined) continue;
      const isMethod = m.kind === tsApi.SyntaxKind.MethodDeclaration;
      const isGet = m.kind === tsApi.SyntaxKind.GetAccessor;
      const isSet = m.kind === tsApi.SyntaxKind.SetAccessor;
      if (!(isMethod || isGet || isSet) || !(m as tsTypes.FunctionLikeDeclaration).body) continue;
      const fn = new FuncValue(m as tsTypes.FunctionLikeDeclaration, this.closure, `${this.name}.${key}`);
      fn.home = this;
      (isMethod ? this.methods : isGet ? this.getters : this.setters).set(key, fn);
    }
  }

  findMethod(name: string): FuncValue | undefined {
    this.collect();
    return this.methods!.get(name) ?? this.parent?.findMethod(name);
  }
  findGetter(name: string): FuncValue | undefined {
    this.collect();
    return this.getters!.get(name) ?? this.parent?.findGetter(name);
  }
  findSetter(name: string): FuncValue | undefined {
    this.collect();
    return this.setters!.get(name) ?? this.parent?.findSetter(name);
  }
  /** Every method and accessor of this class and its user-class ancestors. */
  methodValues(): FuncValue[] {
    this.collect();
    return [
      ...this.methods!.values(),
      ...this.getters!.values(),
      ...this.setters!.values(),
      ...(this.parent?.methodValues() ?? []),
    ];
  }
  constructorDecl(): tsTypes.ConstructorDeclaration | undefined {
    return this.node.members.find(
      (m): m is tsTypes.ConstructorDeclaration =>
        m.kind === tsApi.SyntaxKind.Constructor && (m as tsTypes.ConstructorDeclaration).body !== undefined,
    );
  }
}

/** An instance of a user class: its fields, and its class for methods and accessors. */
export class InstanceValue {
  readonly fields: ObjectValue = {};
  /** The tfjs layer this instance is, for a custom layer class (set by `super(config)`). */
  layer: LayerInstance | undefined;
  constructor(readonly cls: ClassValue) {}
}

/** The instance behind a custom layer, for member reads and method calls on the layer. */
const customInstances = new WeakMap<LayerInstance, InstanceValue>();

export function linkCustomLayer(layer: LayerInstance, inst: InstanceValue): void {
  inst.layer = layer;
  customInstances.set(layer, inst);
}

export function customInstanceOf(v: Value): InstanceValue | undefined {
  return typeof v === 'object' && v !== null ? customInstances.get(v as LayerInstance) : undefined;
}

/** `super` inside a method: the parent class, with the instance it acts on. */
export class SuperValue {
  constructor(
    /** The base class; null when it is not a user class (a package's, or unknown). */
    readonly cls: ClassValue | null,
    readonly self: Value,
    /** The class whose method refers to `super`. */
    readonly child: ClassValue,
  ) {}
}

export function isStaticMember(m: tsTypes.ClassElement): boolean {
  return tsApi.canHaveModifiers(m) && (tsApi.getModifiers(m) ?? []).some((k) => k.kind === tsApi.SyntaxKind.StaticKeyword);
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

/**
 * Where `obj.name = v` stores `v` as it is, so that only that member changes: a plain object, or
 * an instance field no accessor stands for, on an instance that is not a custom layer (whose
 * `trainable` and `name` go to the layer). Undefined for anything else.
 */
export function plainMemberStore(obj: Value, name: string): ObjectValue | undefined {
  if (isPlainObject(obj)) return obj;
  if (obj instanceof InstanceValue && !obj.layer && !obj.cls.findSetter(name) && !obj.cls.findGetter(name)) return obj.fields;
  return undefined;
}
