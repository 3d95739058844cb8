/**
 * User classes in the evaluator: `class` declarations and expressions, `new`, constructors
 * (with parameter properties and `super(...)`), fields and their initialisers, methods,
 * getters and setters, `this`, `extends` of the user's own classes, static members. A class
 * that extends a tfjs `Layer` is a custom layer (see `customLayers.ts`).
 */
import type * as ts from 'typescript';
import { Scope } from './scope';
import { StatementRunner } from './statements';
import { ClassValue, FuncValue, InstanceValue, NsValue, SuperValue, UnknownValue, isPlainObject, isStaticMember, unknown } from './values';
import type { Value } from './values';
import { propName, tsv } from './syntaxKinds';

/** tfjs base classes whose subclasses are layers. */
const TFJS_LAYER_BASES = new Set(['Layer', 'RNN', 'RNNCell', 'Wrapper']);

export abstract class ClassSupport extends StatementRunner {
  private readonly ctors = new Map<ClassValue, FuncValue>();

  /** Reads `extends` and the static members, once (when the class statement runs, or on first use). */
  defineClass(cls: ClassValue): void {
    if (cls.baseResolved) return;
    cls.baseResolved = true;
    const heritage = cls.node.heritageClauses?.find((h) => h.token === tsv.SyntaxKind.ExtendsKeyword);
    const baseExpr = heritage?.types[0]?.expression;
    if (baseExpr) {
      cls.base = this.eval(baseExpr, cls.closure);
      if (cls.base instanceof ClassValue) this.defineClass(cls.base);
      else if (cls.base === undefined) cls.base = unknown(`the base class of \`${cls.name}\` is not known statically`);
    }
    const staticScope = new Scope(cls.closure);
    staticScope.declare('this', cls);
    for (const m of cls.node.members) {
      if (!m.name || !isStaticMember(m)) continue;
      const key = propName(m.name);
      if (key === undefined) continue;
      if (tsv.isPropertyDeclaration(m)) cls.statics[key] = m.initializer ? this.eval(m.initializer, staticScope) : undefined;
      else if (tsv.isMethodDeclaration(m) && m.body) cls.statics[key] = this.classFunction(m, cls, key);
      else if (tsv.isGetAccessorDeclaration(m) && m.body) cls.statics[key] = this.callFunction(this.classFunction(m, cls, key), [], cls);
    }
  }

  /** True when the class (or a user class it extends) extends a tfjs layer class. */
  isLayerClass(cls: ClassValue): boolean {
    this.defineClass(cls);
    for (let c: ClassValue | null = cls; c !== null; c = c.parent) {
      if (c.base instanceof NsValue && TFJS_LAYER_BASES.has(c.base.path[c.base.path.length - 1] ?? '')) return true;
    }
    return false;
  }

  private classFunction(m: ts.FunctionLikeDeclaration, cls: ClassValue, key: string): FuncValue {
    const fn = new FuncValue(m, cls.closure, `${cls.name}.${key}`);
    fn.home = cls;
    return fn;
  }

  /** `new C(args)` of a user class. */
  construct(cls: ClassValue, args: Value[], node: ts.NewExpression | ts.ClassLikeDeclaration): Value {
    if (this.isLayerClass(cls)) return this.bridge.customLayer(cls.name, node);
    const inst = new InstanceValue(cls);
    for (let c: ClassValue | null = cls; c !== null; c = c.parent) c.instances.push(inst);
    const unknownBase = this.unknownBase(cls);
    if (unknownBase !== undefined) this.uncertainty.markOpen(inst.fields, unknownBase);
    this.initInstance(cls, inst, args);
    return inst;
  }

  /** Why members inherited from a base the analysis cannot read are unknown, if so. */
  private unknownBase(cls: ClassValue): string | undefined {
    for (let c: ClassValue | null = cls; c !== null; c = c.parent) {
      if (c.base !== undefined && !(c.base instanceof ClassValue)) return `\`${c.name}\` extends a class the analysis cannot read`;
    }
    return undefined;
  }

  private initInstance(cls: ClassValue, inst: InstanceValue, args: Value[]): void {
    const decl = cls.constructorDecl();
    if (!decl) {
      if (cls.parent) this.initInstance(cls.parent, inst, args);
      this.initFields(cls, inst);
      return;
    }
    // A derived class's fields are set when `super(...)` returns; a base class's before its body.
    if (cls.base === undefined) this.initFields(cls, inst);
    let ctor = this.ctors.get(cls);
    if (!ctor) {
      ctor = this.classFunction(decl, cls, 'constructor');
      this.ctors.set(cls, ctor);
    }
    this.callFunction(ctor, args, inst);
  }

  private initFields(cls: ClassValue, inst: InstanceValue): void {
    const scope = new Scope(cls.closure);
    scope.declare('this', inst);
    for (const m of cls.node.members) {
      if (!tsv.isPropertyDeclaration(m) || isStaticMember(m)) continue;
      const key = propName(m.name);
      if (key === undefined) continue;
      const v = m.initializer ? this.evalNamed(m.initializer, key, scope) : undefined;
      this.bridge.nameModel(v, key);
      inst.fields[key] = v;
    }
  }

  /** `super(args)` in a constructor. */
  protected superCall(scope: Scope, args: Value[], node: ts.CallExpression): Value {
    const sup = scope.lookup('super');
    if (!(sup instanceof SuperValue)) return unknown('`super` is not known here');
    if (sup.cls !== null && sup.self instanceof InstanceValue) this.initInstance(sup.cls, sup.self, args);
    else this.unfollowed(unknown('the base class is not analysed'), args, node);
    if (sup.self instanceof InstanceValue) this.initFields(sup.child, sup.self);
    return undefined;
  }

  /** Members of instances, classes (statics) and `super`. */
  protected classMember(obj: InstanceValue | ClassValue | SuperValue, name: string, node: ts.Node): Value {
    if (obj instanceof SuperValue) {
      if (obj.cls === null) return unknown(`\`super.${name}\`: the base class is not analysed`);
      const getter = obj.cls.findGetter(name);
      if (getter) return this.callFunction(getter, [], obj.self);
      return obj.cls.findMethod(name) ?? unknown(`\`super.${name}\` is not known statically`);
    }
    if (obj instanceof ClassValue) {
      this.defineClass(obj);
      if (Object.prototype.hasOwnProperty.call(obj.statics, name)) return obj.statics[name];
      if (name === 'name') return obj.name;
      if (obj.base instanceof ClassValue) return this.classMember(obj.base, name, node);
      return obj.base === undefined ? undefined : unknown(`\`${obj.name}.${name}\` may come from a base class the analysis cannot read`);
    }
    if (Object.prototype.hasOwnProperty.call(obj.fields, name)) return obj.fields[name];
    const getter = obj.cls.findGetter(name);
    if (getter) return this.callFunction(getter, [], obj);
    const method = obj.cls.findMethod(name);
    if (method) return method;
    const open = this.uncertainty.openOf(obj.fields);
    return open !== undefined ? unknown(open) : undefined;
  }

  /** `obj.key = value` on an instance (setters run), a class (static), or a plain object. */
  assignMember(obj: Value, key: string, value: Value): void {
    if (obj instanceof InstanceValue) {
      const setter = obj.cls.findSetter(key);
      if (setter) this.callFunction(setter, [value], obj);
      else obj.fields[key] = value;
      return;
    }
    if (obj instanceof ClassValue) {
      obj.statics[key] = value;
      return;
    }
    if (isPlainObject(obj)) {
      obj[key] = value;
      return;
    }
    if (obj instanceof UnknownValue) {
      if (key === 'trainable') this.bridge.trainableUnknown ??= `\`trainable\` is set on a model not known statically (${obj.reason})`;
      return;
    }
    this.bridge.setMember(obj, key, value);
  }

  /**
   * After the file's own code: classes never instantiated are instantiated once with unknown
   * constructor arguments, and methods never called run once on an instance.
   */
  runUncalledMethods(): void {
    for (let i = 0; i < this.classes.length; i++) {
      const cls = this.classes[i]!;
      if (this.isLayerClass(cls)) continue;
      const inst = cls.instances[0] ?? this.construct(cls, [], cls.node);
      if (!(inst instanceof InstanceValue)) continue;
      for (const m of cls.methodValues()) if (!m.called) this.guarded(() => this.callFunction(m, [], inst));
    }
  }

}
