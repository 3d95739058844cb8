/**
 * A small, total evaluator for the TypeScript/JavaScript that builds models: constants,
 * arithmetic, arrays and objects, loops over constant ranges, user functions with known
 * arguments. It never runs workspace code; anything it cannot know becomes an UnknownValue
 * with a reason. A step budget bounds the work on any input. Statements are statements.ts,
 * operators and assignment operators.ts; this file is the other expressions, the last link of
 * the chain.
 */
import type * as ts from 'typescript';
import type { Scope } from './scope';
import { NOT_FOUND } from './scope';
import { globalValue, primitiveMember, truthy } from './builtins';
import {
  BudgetExceeded,
  BuiltinValue,
  ClassValue,
  FuncValue,
  InstanceValue,
  NsValue,
  OpaqueValue,
  SuperValue,
  TF_ROOT,
  UnknownValue,
  isPlainObject,
  unknown,
} from './values';
import { NOT_HANDLED } from './tfjsBridge';
import { graphMember } from './graphMembers';
import { LayerInstance } from '../graph/layerGraph';
import { ModelBuilder } from '../graph/modelBuilder';
import { NEUTRAL_METHODS } from './neutralCalls';
import { customInstanceOf } from './values';
import { Operators } from './operators';

/** The page's global objects, whose `tf` is the script-tag tfjs. */
const PAGE_GLOBALS = new Set(['globalThis', 'window', 'self']);
export { BudgetExceeded };
import type { ObjectValue, Value } from './values';
import { propName, Kind, tsApi } from './syntaxKinds';
import { findLayerSpec } from '../layers/layerTable';

/** Array methods that change the array they are called on. */
const ARRAY_MUTATORS = new Set(['push', 'pop', 'shift', 'unshift', 'reverse', 'fill', 'sort']);

/** Deeper than any code written by hand; keeps the evaluator's own recursion far from the stack's end. */
const MAX_EXPR_DEPTH = 400;

export class Interpreter extends Operators {
  /** The name an anonymous function being evaluated is bound to (`const f = () => ...`). */
  private nameHint: string | undefined;

  // ---- expressions ------------------------------------------------------------------------

  /** Evaluate with a name for an anonymous function expression (`const build = () => ...`). */
  protected evalNamed(e: ts.Expression, name: string | undefined, scope: Scope): Value {
    if (name === undefined || !(tsApi.isArrowFunction(e) || tsApi.isFunctionExpression(e))) return this.eval(e, scope);
    this.nameHint = name;
    try {
      return this.eval(e, scope);
    } finally {
      this.nameHint = undefined;
    }
  }

  /** Nesting of expressions being evaluated: bounded so that deeply nested code cannot overflow the stack. */
  private exprDepth = 0;

  eval(e: ts.Expression, scope: Scope): Value {
    this.tick();
    // The cases run in order: the kinds model files are made of come first.
    switch (e.kind) {
      case Kind.Identifier:
        return this.identifier(e as ts.Identifier, scope);
      case Kind.PropertyAccessExpression: {
        const pa = e as ts.PropertyAccessExpression;
        if (pa.name.text === 'tf' && this.isPageGlobal(pa.expression, scope)) return TF_ROOT;
        return this.member(this.eval(pa.expression, scope), pa.name.text, pa.name);
      }
      case Kind.CallExpression:
      case Kind.ObjectLiteralExpression:
      case Kind.ArrayLiteralExpression:
        return this.nested(e, scope);
      case Kind.NumericLiteral:
        return Number((e as ts.NumericLiteral).text);
      case Kind.StringLiteral:
      case Kind.NoSubstitutionTemplateLiteral:
        return (e as ts.StringLiteral).text;
      case Kind.TrueKeyword:
        return true;
      case Kind.FalseKeyword:
        return false;
      case Kind.NullKeyword:
        return null;
      case Kind.ParenthesizedExpression:
      case Kind.AsExpression:
      case Kind.SatisfiesExpression:
      case Kind.NonNullExpression:
      case Kind.TypeAssertionExpression:
      case Kind.AwaitExpression:
        return this.eval((e as ts.ParenthesizedExpression).expression, scope);
      case Kind.ElementAccessExpression: {
        const ea = e as ts.ElementAccessExpression;
        const obj = this.eval(ea.expression, scope);
        const key = this.eval(ea.argumentExpression, scope);
        if (key instanceof UnknownValue) {
          const taint = this.uncertainty.taintOf(obj);
          return taint !== undefined ? unknown(taint) : key;
        }
        if (Array.isArray(obj) && typeof key === 'number' && key < 0) return undefined;
        return this.member(obj, String(key), ea);
      }
      case Kind.NewExpression:
        return this.newExpression(e as ts.NewExpression, scope);
      case Kind.BinaryExpression:
        return this.binary(e as ts.BinaryExpression, scope);
      case Kind.PrefixUnaryExpression:
        return this.prefix(e as ts.PrefixUnaryExpression, scope);
      case Kind.PostfixUnaryExpression:
        return this.postfix(e as ts.PostfixUnaryExpression, scope);
      case Kind.ConditionalExpression: {
        const ce = e as ts.ConditionalExpression;
        const c = truthy(this.eval(ce.condition, scope));
        if (c instanceof UnknownValue) {
          this.undecided([ce.whenTrue, ce.whenFalse], scope, this.where(ce, `${ce.condition.getText(this.sf)} ? ...`));
          return c;
        }
        return this.eval(c ? ce.whenTrue : ce.whenFalse, scope);
      }
      case Kind.ArrowFunction:
      case Kind.FunctionExpression: {
        const f = e as ts.ArrowFunction | ts.FunctionExpression;
        const name = tsApi.isFunctionExpression(f) && f.name ? f.name.text : (this.nameHint ?? 'anonymous function');
        const fn = new FuncValue(f, scope, name);
        if (scope.module === this.bridge.root) this.functions.push(fn);
        return fn;
      }
      case Kind.TemplateExpression: {
        const te = e as ts.TemplateExpression;
        let s = te.head.text;
        for (const span of te.templateSpans) {
          const v = this.eval(span.expression, scope);
          if (v instanceof UnknownValue) return v;
          if (typeof v === 'object' && v !== null) return unknown('a template string with a non-constant part');
          s += String(v) + span.literal.text;
        }
        return s;
      }
      case Kind.TypeOfExpression: {
        const v = this.eval((e as ts.TypeOfExpression).expression, scope);
        return v instanceof UnknownValue ? v : typeof v;
      }
      case Kind.VoidExpression:
        return undefined;
      case Kind.ClassExpression: {
        const ce = e as ts.ClassExpression;
        const cls = new ClassValue(ce.name?.text ?? this.nameHint ?? 'anonymous class', ce, scope);
        if (scope.module === this.bridge.root) this.classes.push(cls);
        this.defineClass(cls);
        return cls;
      }
      case Kind.ThisKeyword: {
        const self = scope.lookup('this');
        return self === NOT_FOUND ? unknown('`this` is not known here') : self;
      }
      case Kind.SuperKeyword: {
        const sup = scope.lookup('super');
        return sup === NOT_FOUND ? unknown('`super` is not known here') : sup;
      }
      case Kind.DeleteExpression: {
        const target = (e as ts.DeleteExpression).expression;
        if (tsApi.isPropertyAccessExpression(target) || tsApi.isElementAccessExpression(target)) {
          this.uncertainty.taint(
            this.eval(target.expression, scope),
            `a property is deleted on line ${this.bridge.spot(e).line}`,
          );
        }
        return unknown('`delete` is not evaluated');
      }
      case Kind.SpreadElement:
        return this.eval((e as ts.SpreadElement).expression, scope);
      default:
        return unknown(`\`${e.getText(this.sf).slice(0, 40)}\` is not evaluated statically`);
    }
  }

  /** Calls and literals, the expressions that nest: bounded so deep nesting cannot overflow the stack. */
  private nested(e: ts.Expression, scope: Scope): Value {
    if (this.exprDepth >= MAX_EXPR_DEPTH) return unknown(`the expression is nested more than ${MAX_EXPR_DEPTH} levels deep`);
    this.exprDepth++;
    try {
      if (e.kind === Kind.CallExpression) return this.callExpression(e as ts.CallExpression, scope);
      if (e.kind === Kind.ObjectLiteralExpression) return this.objectLiteral(e as ts.ObjectLiteralExpression, scope);
      return this.arrayLiteral(e as ts.ArrayLiteralExpression, scope);
    } finally {
      this.exprDepth--;
    }
  }

  /**
   * `globalThis`, `window` or `self` as the page gives them (not the file's own): their `tf` is the
   * script-tag tfjs, as a bare `tf` is (`const tf = globalThis.tf`).
   */
  private isPageGlobal(e: ts.Expression, scope: Scope): boolean {
    return tsApi.isIdentifier(e) && PAGE_GLOBALS.has(e.text) && scope.lookup(e.text) === NOT_FOUND;
  }

  /** Whether the file was told that its tfjs is not known (once: every later call says the same). */
  private unknownTfjsNoted = false;

  /**
   * `x.sequential()` or `x.layers.dense(…)` on a value not known statically: tfjs code whose
   * models cannot be shown. Said once, so that no model reads as "no model here".
   */
  private noteUnknownTfjs(
    callee: ts.PropertyAccessExpression | ts.ElementAccessExpression,
    name: string,
    target: UnknownValue,
  ): void {
    if (this.unknownTfjsNoted || this.bridge.module !== this.bridge.root) return;
    const owner = callee.expression;
    const layer = tsApi.isPropertyAccessExpression(owner) && owner.name.text === 'layers' && findLayerSpec(name) !== undefined;
    if (name !== 'sequential' && !layer) return;
    this.unknownTfjsNoted = true;
    const root = layer ? (owner as ts.PropertyAccessExpression).expression : owner;
    this.bridge.info(
      callee,
      `\`${root.getText(this.sf)}\` here looks like TensorFlow.js but is not known statically (${target.reason}): the models and layers made with it are not shown.`,
    );
  }

  private identifier(id: ts.Identifier, scope: Scope): Value {
    const r = scope.lookup(id.text);
    if (r !== NOT_FOUND) return r;
    const g = globalValue(id.text);
    if (g !== undefined || id.text === 'undefined') return g;
    if (id.text === 'tf') return TF_ROOT;
    return unknown(`\`${id.text}\` is not defined in this file`);
  }

  private arrayLiteral(e: ts.ArrayLiteralExpression, scope: Scope): Value {
    const out: Value[] = [];
    for (const el of e.elements) {
      if (tsApi.isSpreadElement(el)) {
        const v = this.eval(el.expression, scope);
        const taint = this.uncertainty.taintOf(v);
        if (taint !== undefined) return unknown(taint);
        if (Array.isArray(v)) out.push(...v);
        else return unknown('spread of a non-constant array');
      } else if (tsApi.isOmittedExpression(el)) out.push(undefined);
      else out.push(this.eval(el, scope));
    }
    return out;
  }

  private objectLiteral(e: ts.ObjectLiteralExpression, scope: Scope): Value {
    const out: ObjectValue = {};
    for (const p of e.properties) {
      if (tsApi.isPropertyAssignment(p)) {
        const key = this.propertyKey(p.name, scope);
        if (key === undefined) continue;
        const v = this.evalNamed(p.initializer, key, scope);
        this.bridge.nameModel(v, key);
        out[key] = v;
      } else if (tsApi.isShorthandPropertyAssignment(p)) {
        out[p.name.text] = this.identifier(p.name, scope);
      } else if (tsApi.isSpreadAssignment(p)) {
        const v = this.eval(p.expression, scope);
        const taint = this.uncertainty.taintOf(v) ?? this.uncertainty.openOf(v);
        if (isPlainObject(v) && taint === undefined) Object.assign(out, v);
        else if (v instanceof InstanceValue && taint === undefined) Object.assign(out, v.fields);
        else if (v !== null && v !== undefined && typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') {
          // Any key may come from what is spread: the keys so far are unknown, and so is a missing one.
          const reason = `the object spread on line ${this.bridge.spot(p).line} is not known statically`;
          if (isPlainObject(v)) Object.assign(out, v);
          for (const k of Object.keys(out)) if (!isPlainObject(v) || !(k in v)) out[k] = unknown(reason);
          this.uncertainty.markOpen(out, reason);
        }
      } else if (tsApi.isMethodDeclaration(p) && p.body) {
        const key = this.propertyKey(p.name, scope);
        if (key === undefined) continue;
        const fn = new FuncValue(p, scope, key);
        if (scope.module === this.bridge.root) this.functions.push(fn);
        out[key] = fn;
      }
    }
    return out;
  }

  private propertyKey(name: ts.PropertyName, scope: Scope): string | undefined {
    if (tsApi.isComputedPropertyName(name)) {
      const k = this.eval(name.expression, scope);
      return typeof k === 'string' || typeof k === 'number' ? String(k) : undefined;
    }
    return propName(name);
  }

  member(obj: Value, name: string, node: ts.Node): Value {
    if (obj instanceof UnknownValue) return obj;
    // First the tfjs API (`tf.layers`): a namespace or opaque value is never tainted nor a custom layer.
    if (obj instanceof NsValue) return obj.get(name);
    if (obj instanceof OpaqueValue) return new OpaqueValue(`${obj.what}.${name}`);
    const taint = this.uncertainty.memberTaint(obj instanceof InstanceValue ? obj.fields : obj, name);
    if (taint !== undefined) return unknown(taint);
    if (obj instanceof InstanceValue || obj instanceof ClassValue || obj instanceof SuperValue)
      return this.classMember(obj, name, node);
    // A custom layer's own fields and methods; what tfjs's Layer has comes from the bridge.
    const inst = customInstanceOf(obj);
    if (
      inst &&
      (Object.prototype.hasOwnProperty.call(inst.fields, name) || inst.cls.findGetter(name) || inst.cls.findMethod(name))
    )
      return this.member(inst, name, node);
    const prim = primitiveMember(obj, name, (fn, args) => this.call(fn, args, node));
    if (prim !== undefined) return prim;
    if (Array.isArray(obj)) return /^\d+$/.test(name) ? obj[Number(name)] : undefined;
    if (isPlainObject(obj)) {
      if (Object.prototype.hasOwnProperty.call(obj, name)) return obj[name];
      const open = this.uncertainty.openOf(obj);
      return open !== undefined ? unknown(open) : undefined;
    }
    const tf = graphMember(obj, name);
    if (tf !== undefined) return tf;
    if (obj === null || obj === undefined) return unknown(`\`${name}\` of ${String(obj)}`);
    return unknown(`property \`${name}\` is not evaluated statically`);
  }

  private callExpression(e: ts.CallExpression, scope: Scope): Value {
    // `a.b!()` and `(a.b)()` call `b` on `a` as `a.b()` does.
    let callee: ts.Expression = e.expression;
    while (tsApi.isNonNullExpression(callee) || tsApi.isParenthesizedExpression(callee)) callee = callee.expression;
    if (this.bridge.imports.isRequireOfTfjs(e)) return TF_ROOT;
    // The syntax first: looking `require` up walks every scope, and almost no call is a `require('...')`.
    const specifier = this.bridge.imports.requireSpecifier(e);
    if (specifier !== undefined && scope.lookup('require') === NOT_FOUND) return this.requireModule(specifier);
    const args = this.args(e.arguments, scope);
    if (tsApi.isPropertyAccessExpression(callee) || tsApi.isElementAccessExpression(callee)) {
      const target = this.eval(callee.expression, scope);
      const name = tsApi.isPropertyAccessExpression(callee) ? callee.name.text : this.eval(callee.argumentExpression, scope);
      if (typeof name !== 'string') {
        if (target instanceof NsValue) {
          // `tf[architecture.type]()`: it may make a model, which then is not shown; say so.
          const what = `\`${callee.getText(this.sf)}(…)\``;
          this.bridge.info(
            callee,
            `${what} calls a TensorFlow.js function whose name is not known statically (${name instanceof UnknownValue ? name.reason : 'not a string'}): a model or layer it makes is not shown.`,
          );
          this.unfollowed(unknown(`${what} is not known statically`), args, e);
        }
        return unknown('a computed method name');
      }
      // `tf.layers.dense(...)`: the bridge handles no method of a namespace, and a namespace's members are namespaces.
      if (target instanceof NsValue) return this.call(target.get(name), args, e, target);
      if (target instanceof UnknownValue) this.noteUnknownTfjs(callee, name, target);
      if (target instanceof SuperValue) return this.call(this.member(target, name, callee), args, e, target.self);
      // `this.init = this.init.bind(this)`: the same function (its calls as methods pass `this` anyway).
      if (target instanceof FuncValue && name === 'bind') return target;
      const handled = this.bridge.callMethod(target, name, args, e);
      if (handled !== NOT_HANDLED) return handled;
      const method = this.member(target, name, callee);
      if (Array.isArray(target) && ARRAY_MUTATORS.has(name)) this.noteWrite(target);
      if (!(
        method instanceof FuncValue ||
        method instanceof BuiltinValue ||
        method instanceof NsValue ||
        method instanceof ClassValue
      )) {
        // A method the analysis does not know may change its receiver (not tfjs's own that only
        // read a layer or model: `layer.countParams()`).
        const readsTfjs = (target instanceof LayerInstance || target instanceof ModelBuilder) && NEUTRAL_METHODS.has(name);
        if (
          !readsTfjs &&
          !(target instanceof UnknownValue && this.uncertainty.isExternal(target)) &&
          !(target instanceof OpaqueValue)
        ) {
          this.uncertainty.taint(target, `layers added by \`.${name}()\` on line ${this.bridge.spot(e).line} are not known`);
        }
      }
      return this.call(method, args, e, customInstanceOf(target) ?? target);
    }
    if (callee.kind === Kind.SuperKeyword) return this.superCall(scope, args, e);
    return this.call(this.eval(callee, scope), args, e);
  }

  private args(list: ts.NodeArray<ts.Expression>, scope: Scope): Value[] {
    const out: Value[] = [];
    for (const a of list) {
      if (tsApi.isSpreadElement(a)) {
        const v = this.eval(a.expression, scope);
        if (Array.isArray(v) && this.uncertainty.taintOf(v) === undefined) out.push(...v);
        else out.push(unknown('spread of a non-constant array'));
      } else out.push(this.eval(a, scope));
    }
    return out;
  }

  private newExpression(e: ts.NewExpression, scope: Scope): Value {
    const ctor = this.eval(e.expression, scope);
    const args = e.arguments ? this.args(e.arguments, scope) : [];
    if (ctor instanceof ClassValue)
      return ctor.closure.module.file !== undefined
        ? this.bridge.fromRoot(e, () => this.construct(ctor, args, e))
        : this.construct(ctor, args, e);
    if (ctor instanceof NsValue) return this.bridge.callTfjs(ctor, args, e);
    if (ctor instanceof UnknownValue) {
      this.unfollowed(ctor, args, e);
      return ctor;
    }
    return unknown(`\`new ${e.expression.getText(this.sf)}\` is not evaluated statically`);
  }
}
