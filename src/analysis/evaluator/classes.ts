/**
 * User classes in the evaluator: `class` declarations and expressions, `new`, constructors
 * (with parameter properties and `super(...)`), fields and their initialisers, methods,
 * getters and setters, `this`, `extends` of the user's own classes, static members. A class
 * that extends a tfjs `Layer` is a custom layer (see `customLayers.ts`).
 */
import type * as ts from 'typescript';
import { Scope } from './scope';
import { FunctionRunner } from './functions';
import {
  ClassValue,
  FuncValue,
  InstanceValue,
  NsValue,
  SuperValue,
  UnknownValue,
  isPlainObject,
  isStaticMember,
  customInstanceOf,
  linkCustomLayer,
  unknown,
} from './values';
import { CustomLayer, customLayerConfig } from './customLayers';
import type { Value } from './values';
import type { SourceSpot } from '../diagnostics';
import { LayerInstance } from '../graph/layerGraph';
import { propName, tsApi } from './syntaxKinds';

/** tfjs base classes whose subclasses are layers. */
const TFJS_LAYER_BASES = new Set(['Layer', 'RNN', 'RNNCell', 'Wrapper']);
/** tfjs model classes: a subclass builds a model the analysis does not follow. */
const TFJS_MODEL_BASES = new Set(['Sequential', 'LayersModel', 'Model']);

export abstract class ClassSupport extends FunctionRunner {
  private readonly ctors = new Map<ClassValue, FuncValue>();
  /** Custom layer instances whose constructor is running, until `super(config)` makes their layer. */
  private readonly customPending = new Map<InstanceValue, { custom: CustomLayer; spot: SourceSpot }>();
  private readonly customs = new WeakMap<InstanceValue, CustomLayer>();
  private readonly customHost = {
    callFunction: (fn: FuncValue, args: Value[], self?: Value): Value => this.callFunction(fn, args, self),
    uncertainOf: (v: Value): string | undefined => this.bridge.uncertainOf(v),
    speculating: (): boolean => this.bridge.speculative > 0,
  };

  /** The custom layer an instance is (or is becoming), if it is one. */
  customOf(inst: InstanceValue): CustomLayer | undefined {
    return this.customs.get(inst) ?? this.customPending.get(inst)?.custom;
  }

  /** Reads `extends` and the static members, once (when the class statement runs, or on first use). */
  defineClass(cls: ClassValue): void {
    if (cls.baseResolved) return;
    cls.baseResolved = true;
    this.inModule(cls.closure.module, () => this.readClass(cls));
  }

  private readClass(cls: ClassValue): void {
    const heritage = cls.node.heritageClauses?.find((h) => h.token === tsApi.SyntaxKind.ExtendsKeyword);
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
      if (tsApi.isPropertyDeclaration(m)) cls.statics[key] = m.initializer ? this.eval(m.initializer, staticScope) : undefined;
      else if (tsApi.isMethodDeclaration(m) && m.body) cls.statics[key] = this.classFunction(m, cls, key);
      else if (tsApi.isGetAccessorDeclaration(m) && m.body)
        cls.statics[key] = this.callFunction(this.classFunction(m, cls, key), [], cls);
    }
  }

  /** The tfjs layer class the class (or a user class it extends) extends, if any. */
  tfjsLayerBase(cls: ClassValue): string | undefined {
    this.defineClass(cls);
    for (let c: ClassValue | null = cls; c !== null; c = c.parent) {
      const name = c.base instanceof NsValue ? c.base.path[c.base.path.length - 1] : undefined;
      if (name !== undefined && TFJS_LAYER_BASES.has(name)) return name;
    }
    return undefined;
  }

  private classFunction(m: ts.FunctionLikeDeclaration, cls: ClassValue, key: string): FuncValue {
    const fn = new FuncValue(m, cls.closure, `${cls.name}.${key}`);
    fn.home = cls;
    return fn;
  }

  /** `new C(args)` of a user class. */
  /** `open`: the file never instantiates the class: its constructor's arguments are all unknown, defaults included. */
  construct(cls: ClassValue, args: Value[], node: ts.NewExpression | ts.ClassLikeDeclaration, open = false): Value {
    const layerBase = this.tfjsLayerBase(cls);
    if (layerBase !== undefined) return this.constructLayer(cls, layerBase, args, node);
    const inst = new InstanceValue(cls);
    for (let c: ClassValue | null = cls; c !== null; c = c.parent) c.instances.push(inst);
    const unknownBase = this.unknownBase(cls);
    if (unknownBase !== undefined) this.uncertainty.markOpen(inst.fields, unknownBase);
    this.initInstance(cls, inst, args, open);
    return inst;
  }

  /**
   * `new X(config)` of a custom layer class: the constructor runs on an instance whose
   * `super(config)` makes the layer; the class's `build` and `computeOutputShape` run when the
   * layer is first applied (see customLayers.ts).
   */
  private constructLayer(
    cls: ClassValue,
    layerBase: string,
    args: Value[],
    node: ts.NewExpression | ts.ClassLikeDeclaration,
  ): Value {
    const spot = tsApi.isNewExpression(node) ? this.bridge.callSpot(node) : this.bridge.spot(node.name ?? node);
    const inst = new InstanceValue(cls);
    // tfjs names and types a layer by `getClassName()`, which returns the static `className` unless overridden.
    const getClassName = cls.findMethod('getClassName');
    const className = getClassName ? this.callFunction(getClassName, [], inst) : this.classMember(cls, 'className', node);
    if (layerBase !== 'Layer') {
      const type = typeof className === 'string' ? className : cls.name;
      return this.bridge.unknownCustomLayer(
        type,
        spot,
        `\`${cls.name}\` extends tfjs's \`${layerBase}\`, whose subclasses the analysis does not evaluate`,
      );
    }
    if (typeof className !== 'string') {
      const why =
        className instanceof UnknownValue
          ? `its class name for tfjs (\`className\`) is not known statically`
          : 'it has no static `className`, which tfjs needs to name the layer';
      return this.bridge.unknownCustomLayer(cls.name, spot, `\`${cls.name}\` is a custom layer class and ${why}`);
    }
    for (let c: ClassValue | null = cls; c !== null; c = c.parent) c.instances.push(inst);
    const custom = new CustomLayer(this.customHost, inst, className);
    this.customPending.set(inst, { custom, spot });
    this.initInstance(cls, inst, args);
    this.customPending.delete(inst);
    return (
      inst.layer ??
      this.bridge.unknownCustomLayer(className, spot, `the constructor of \`${cls.name}\` does not call \`super(config)\``)
    );
  }

  /** What tfjs's Layer constructor does on `super(config)`: the layer gets its name and options. */
  private makeCustomLayer(inst: InstanceValue, config: Value): void {
    const pending = this.customPending.get(inst);
    if (!pending || inst.layer) return;
    const { config: cfg, unsure } = customLayerConfig(config, this.bridge.uncertainOf);
    const layer = this.bridge.customLayer(pending.custom.spec, cfg, pending.spot);
    if (unsure !== undefined) layer.uncertain = unsure;
    pending.custom.attach(layer);
    linkCustomLayer(layer, inst);
    this.customs.set(inst, pending.custom);
  }

  /** Why members inherited from a base the analysis cannot read are unknown, if so. */
  private unknownBase(cls: ClassValue): string | undefined {
    for (let c: ClassValue | null = cls; c !== null; c = c.parent) {
      if (c.base === undefined || c.base instanceof ClassValue) continue;
      const model = c.base instanceof NsValue ? c.base.path[c.base.path.length - 1] : undefined;
      if (model !== undefined && TFJS_MODEL_BASES.has(model)) {
        this.noteModelSubclass(c, model);
        return `\`${c.name}\` extends tfjs's \`${model}\`, whose subclasses the analysis does not build`;
      }
      return `\`${c.name}\` extends a class the analysis cannot read`;
    }
    return undefined;
  }

  private readonly modelSubclasses = new Set<ClassValue>();

  /** Says once per class that its models are not shown: silence would read as "no model here". */
  private noteModelSubclass(cls: ClassValue, base: string): void {
    if (this.modelSubclasses.has(cls) || this.bridge.module !== this.bridge.root) return;
    this.modelSubclasses.add(cls);
    this.bridge.sink.add(
      'info',
      this.bridge.spot(cls.node.name ?? cls.node),
      `\`${cls.name}\` extends tfjs's \`${base}\`: the analysis does not build models made by subclassing tfjs's model classes, so the layers its instances add are not shown.`,
    );
  }

  private initInstance(cls: ClassValue, inst: InstanceValue, args: Value[], open = false): void {
    const decl = cls.constructorDecl();
    if (!decl) {
      if (cls.parent) this.initInstance(cls.parent, inst, args, open);
      else this.makeCustomLayer(inst, args[0]);
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
    if (open) this.callUncalled(ctor, args, inst, true);
    else this.callFunction(ctor, args, inst);
  }

  private initFields(cls: ClassValue, inst: InstanceValue): void {
    this.inModule(cls.closure.module, () => this.runFieldInitialisers(cls, inst));
  }

  private runFieldInitialisers(cls: ClassValue, inst: InstanceValue): void {
    const scope = new Scope(cls.closure);
    scope.declare('this', inst);
    for (const m of cls.node.members) {
      if (!tsApi.isPropertyDeclaration(m) || isStaticMember(m)) continue;
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
    else if (sup.self instanceof InstanceValue && this.customPending.has(sup.self)) this.makeCustomLayer(sup.self, args[0]);
    else this.unfollowed(unknown('the base class is not analysed'), args, node);
    if (sup.self instanceof InstanceValue) this.initFields(sup.child, sup.self);
    return undefined;
  }

  /** Members of instances, classes (statics) and `super`. */
  protected classMember(obj: InstanceValue | ClassValue | SuperValue, name: string, node: ts.Node): Value {
    if (obj instanceof SuperValue) {
      const custom = obj.self instanceof InstanceValue ? this.customOf(obj.self) : undefined;
      if (obj.cls === null)
        return custom ? custom.baseMember(name) : unknown(`\`super.${name}\`: the base class is not analysed`);
      const getter = obj.cls.findGetter(name);
      if (getter) return this.callFunction(getter, [], obj.self);
      return (
        obj.cls.findMethod(name) ?? (custom ? custom.baseMember(name) : unknown(`\`super.${name}\` is not known statically`))
      );
    }
    if (obj instanceof ClassValue) {
      this.defineClass(obj);
      if (Object.prototype.hasOwnProperty.call(obj.statics, name)) return obj.statics[name];
      if (name === 'name') return obj.name;
      if (obj.base instanceof ClassValue) return this.classMember(obj.base, name, node);
      return obj.base === undefined
        ? undefined
        : unknown(`\`${obj.name}.${name}\` may come from a base class the analysis cannot read`);
    }
    if (Object.prototype.hasOwnProperty.call(obj.fields, name)) return obj.fields[name];
    const getter = obj.cls.findGetter(name);
    if (getter) return this.callFunction(getter, [], obj);
    const method = obj.cls.findMethod(name);
    if (method) return method;
    const custom = this.customOf(obj);
    if (custom) return custom.baseMember(name);
    const open = this.uncertainty.openOf(obj.fields);
    return open !== undefined ? unknown(open) : undefined;
  }

  /** `obj.key = value` on an instance (setters run), a class (static), or a plain object. */
  assignMember(obj: Value, key: string, value: Value): void {
    const inst = obj instanceof LayerInstance && key !== 'trainable' ? customInstanceOf(obj) : undefined;
    if (inst) return this.assignMember(inst, key, value);
    if (obj instanceof InstanceValue) {
      const setter = obj.cls.findSetter(key);
      if (setter) this.callFunction(setter, [value], obj);
      else if (obj.layer && key === 'trainable') this.bridge.setMember(obj.layer, key, value);
      else if (obj.layer && key === 'name' && typeof value === 'string') obj.layer.name = value;
      else {
        obj.fields[key] = value;
        this.uncertainty.rewrote(obj.fields, key);
      }
      return;
    }
    if (obj instanceof ClassValue) {
      obj.statics[key] = value;
      return;
    }
    if (isPlainObject(obj)) {
      obj[key] = value;
      this.uncertainty.rewrote(obj, key);
      return;
    }
    if (obj instanceof UnknownValue) {
      if (key === 'trainable')
        this.bridge.trainableUnknown ??= `\`trainable\` is set on a model not known statically (${obj.reason})`;
      return;
    }
    this.bridge.setMember(obj, key, value);
  }

  /**
   * After the file's own code: static methods never called run once (as functions never called
   * do, with their defaults), classes never instantiated are instantiated once with unknown
   * constructor arguments, and methods never called run once on an instance.
   */
  runUncalledMethods(): void {
    for (let i = 0; i < this.classes.length; i++) {
      const cls = this.classes[i]!;
      if (this.tfjsLayerBase(cls) !== undefined) continue;
      for (const v of Object.values(cls.statics))
        if (v instanceof FuncValue && !v.called) this.guarded(() => this.callUncalled(v, [], cls));
      const inst = cls.instances[0] ?? this.construct(cls, [], cls.node, true);
      if (!(inst instanceof InstanceValue)) continue;
      for (const m of cls.methodValues()) if (!m.called) this.guarded(() => this.callUncalled(m, [], inst));
      // Methods written as fields (`generator = () => { … }`): functions the instance holds.
      for (const v of Object.values(inst.fields))
        if (v instanceof FuncValue && !v.called) this.guarded(() => this.callUncalled(v, [], inst));
    }
  }
}
