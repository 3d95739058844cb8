/**
 * The soundness rule, enforced in one place. Wherever the evaluator cannot decide which way the
 * program goes (a condition, a `switch`, a loop bound, a callback it does not follow, a `catch`
 * that may run), it does not guess: it evaluates none of the undecided code and calls `havoc`
 * on it instead. `havoc` reads that code's syntax and makes everything it could change unknown:
 * variables it assigns become unknown values, objects and arrays it could modify are tainted
 * (every later read of them is unknown), models it could add layers to are marked incomplete
 * (their later shapes and their totals are unknown, the lens says where), and layers it could
 * freeze lose their counts. What the region could do to control flow (return, throw, break,
 * continue) is reported to the statement runner, which makes the function's result or the
 * enclosing loop unknown in turn.
 */
import type * as ts from 'typescript';
import { ModelBuilder } from '../graph/modelBuilder';
import { LayerInstance } from '../graph/layerGraph';
import { NOT_FOUND } from './scope';
import type { Scope } from './scope';
import {
  ClassValue,
  FuncValue,
  InstanceValue,
  NsValue,
  UnknownValue,
  customInstanceOf,
  isPlainObject,
  plainMemberStore,
  unknown,
} from './values';
import type { Value } from './values';
import { ASSIGNMENTS, Kind, tsApi } from './syntaxKinds';
import { NEUTRAL_GLOBALS, NEUTRAL_METHODS } from './neutralCalls';

/** What undecided code could do to the control flow around it. */
export interface RegionEffects {
  /** It may return from (or throw out of) the function that contains it. */
  exits: boolean;
  /** It may `break`/`continue` out of the region to an enclosing loop or switch. */
  escapes: boolean;
  /** It may change a variable, object or model that exists before it. */
  changes: boolean;
}

const MAX_TAINT_DEPTH = 6;

interface Frame {
  node: ts.Node;
  scope: Scope;
  /** Inside a function nested in the region: its returns and breaks stay inside. */
  nested: boolean;
  /** Loops and switches opened inside the region (targets of a plain `break`). */
  breakables: number;
  loops: number;
}

export class Uncertainty {
  private readonly tainted = new WeakMap<object, string>();
  /** Objects spread from something unknown: a key they lack may still be there at run time. */
  private readonly open = new WeakMap<object, string>();
  /** Unknown values that stand for a package's exports or a host global, not user code. */
  private readonly external = new WeakSet<UnknownValue>();

  /** False until something is tainted or opened: most files never are, and skip the lookups. */
  private anyTainted = false;
  private anyOpen = false;

  /** The reason an object or array is tainted, if it is. */
  taintOf(v: Value): string | undefined {
    return this.anyTainted && typeof v === 'object' && v !== null ? this.tainted.get(v) : undefined;
  }

  /** Members assigned on a tainted object since it was tainted: known again (`this.model = …` after a havoc). */
  private readonly rewritten = new WeakMap<object, Set<string>>();

  /** Notes `obj[key] = …` (the value stored as it is): if `obj` is tainted, that member is known from now on. */
  rewrote(obj: object, key: string): void {
    if (this.taintOf(obj as Value) === undefined) return;
    let keys = this.rewritten.get(obj);
    if (keys === undefined) this.rewritten.set(obj, (keys = new Set()));
    keys.add(key);
  }

  /** Why reading `obj[key]` gives unknown: the object's taint, unless that member was assigned since. */
  memberTaint(obj: Value, key: string): string | undefined {
    const taint = this.taintOf(obj);
    if (taint === undefined) return undefined;
    return this.rewritten.get(obj as object)?.has(key) ? undefined : taint;
  }

  /** Tainting an object tainted before: the members assigned since are unknown again, with what they hold. */
  private retaint(obj: object, reason: string, depth: number): void {
    const keys = this.rewritten.get(obj);
    if (keys === undefined) return;
    this.rewritten.delete(obj);
    for (const k of keys) this.taint((obj as Record<string, Value>)[k], reason, depth + 1);
  }

  openOf(v: Value): string | undefined {
    return this.anyOpen && typeof v === 'object' && v !== null ? this.open.get(v) : undefined;
  }

  markOpen(obj: object, reason: string): void {
    this.anyOpen = true;
    this.open.set(obj, reason);
  }

  markExternal(v: UnknownValue): UnknownValue {
    this.external.add(v);
    return v;
  }

  isExternal(v: Value): boolean {
    return v instanceof UnknownValue && this.external.has(v);
  }

  /** Makes `v` (and what it holds) unknown from now on, for `reason`. */
  taint(v: Value, reason: string, depth = 0): void {
    if (depth > MAX_TAINT_DEPTH || typeof v !== 'object' || v === null) return;
    if (v instanceof ModelBuilder) {
      v.markIncomplete(reason);
      return;
    }
    if (v instanceof LayerInstance) {
      v.uncertain ??= reason;
      const inst = customInstanceOf(v);
      if (inst) this.taint(inst, reason, depth);
      return;
    }
    this.anyTainted = true;
    if (v instanceof InstanceValue) {
      if (v.layer) v.layer.uncertain ??= `the weights of \`${v.layer.name}\` are not known statically: ${reason}`;
      if (this.tainted.has(v.fields)) return this.retaint(v.fields, reason, depth);
      this.tainted.set(v.fields, reason);
      for (const k of Object.keys(v.fields)) this.taint(v.fields[k], reason, depth + 1);
      return;
    }
    if (Array.isArray(v) || isPlainObject(v)) {
      if (this.tainted.has(v)) return this.retaint(v, reason, depth);
      this.tainted.set(v, reason);
      const items: Value[] = Array.isArray(v) ? v : Object.values(v);
      for (const item of items) this.taint(item, reason, depth + 1);
    }
  }

  /** Taints every argument that user code it does not follow could modify. */
  taintArgs(callee: Value, args: readonly Value[], reason: string): void {
    if (callee instanceof NsValue || this.isExternal(callee)) return;
    for (const a of args) this.taint(a, reason);
  }

  /**
   * Makes unknown everything the code in `nodes` could change, as if it ran any number of
   * times in any order (it may also not run at all: nothing it does is assumed).
   */
  havoc(nodes: readonly (ts.Node | undefined)[], scope: Scope, what: string): RegionEffects {
    const layersReason = `layers added inside ${what} are not known`;
    const valueReason = `it may be changed inside ${what}`;
    const effects: RegionEffects = { exits: false, escapes: false, changes: false };
    const seenFns = new Set<ts.Node>();
    const stack: Frame[] = [];
    for (const n of nodes) if (n) stack.push({ node: n, scope, nested: false, breakables: 0, loops: 0 });

    /** The value at the root of `a.b[c]` (or of `a.b().c` when `throughCalls`). */
    const rootValue = (e: ts.Expression, s: Scope, throughCalls = true): Value | typeof NOT_FOUND => {
      let cur: ts.Expression = e;
      for (;;) {
        if (
          tsApi.isPropertyAccessExpression(cur) ||
          tsApi.isElementAccessExpression(cur) ||
          (throughCalls && tsApi.isCallExpression(cur))
        )
          cur = cur.expression;
        else if (tsApi.isParenthesizedExpression(cur) || tsApi.isAsExpression(cur) || tsApi.isNonNullExpression(cur))
          cur = cur.expression;
        else break;
      }
      if (cur.kind === Kind.ThisKeyword) return s.lookup('this');
      return tsApi.isIdentifier(cur) ? s.lookup(cur.text) : NOT_FOUND;
    };
    /** The value of `a.b.c` (plain property reads through the file's objects and instance fields), if that is all it is. */
    const receiverValue = (e: ts.Expression, s: Scope): Value | typeof NOT_FOUND => {
      const names: string[] = [];
      let cur: ts.Expression = e;
      while (tsApi.isPropertyAccessExpression(cur)) {
        names.unshift(cur.name.text);
        cur = cur.expression;
      }
      let v: Value | typeof NOT_FOUND =
        cur.kind === Kind.ThisKeyword ? s.lookup('this') : tsApi.isIdentifier(cur) ? s.lookup(cur.text) : NOT_FOUND;
      for (const name of names) {
        if (v === NOT_FOUND) return NOT_FOUND;
        if (isPlainObject(v) && Object.prototype.hasOwnProperty.call(v, name)) v = v[name];
        else if (v instanceof InstanceValue && Object.prototype.hasOwnProperty.call(v.fields, name)) v = v.fields[name];
        else return NOT_FOUND;
      }
      return v;
    };
    const rootName = (e: ts.Expression): string | undefined => {
      let cur: ts.Expression = e;
      while (
        tsApi.isPropertyAccessExpression(cur) ||
        tsApi.isElementAccessExpression(cur) ||
        tsApi.isCallExpression(cur) ||
        tsApi.isParenthesizedExpression(cur)
      )
        cur = cur.expression;
      return tsApi.isIdentifier(cur) ? cur.text : undefined;
    };
    const taintTarget = (target: ts.Expression, s: Scope): void => {
      if (tsApi.isParenthesizedExpression(target) || tsApi.isAsExpression(target) || tsApi.isNonNullExpression(target))
        return taintTarget(target.expression, s);
      if (tsApi.isIdentifier(target)) {
        if (s.lookup(target.text) !== NOT_FOUND) {
          effects.changes = true;
          s.assign(target.text, unknown(`\`${target.text}\`: ${valueReason}`));
        }
        return;
      }
      if (tsApi.isArrayLiteralExpression(target)) {
        for (const el of target.elements) taintTarget(tsApi.isSpreadElement(el) ? el.expression : el, s);
        return;
      }
      if (tsApi.isObjectLiteralExpression(target)) {
        for (const p of target.properties) {
          if (tsApi.isShorthandPropertyAssignment(p)) taintTarget(p.name, s);
          else if (tsApi.isPropertyAssignment(p)) taintTarget(p.initializer, s);
          else if (tsApi.isSpreadAssignment(p)) taintTarget(p.expression, s);
        }
        return;
      }
      // `this.seed = …` / `cfg.units = …` on an object the analysis holds: only that member becomes
      // unknown (an accessor or a custom layer may do more: then, as for any other target, all
      // from its root).
      if (tsApi.isPropertyAccessExpression(target)) {
        const owner = receiverValue(target.expression, s);
        const name = target.name.text;
        const store = owner === NOT_FOUND ? undefined : plainMemberStore(owner, name);
        if (store !== undefined) {
          effects.changes = true;
          store[name] = unknown(`\`${name}\`: ${valueReason}`);
          return;
        }
      }
      const v = rootValue(target, s);
      if (v !== NOT_FOUND) {
        effects.changes = true;
        this.taint(v, layersReason);
      }
    };
    const followFunction = (fn: FuncValue | ClassValue): void => {
      const body: ts.Node | undefined = fn instanceof FuncValue ? fn.node.body : fn.node;
      if (!body || seenFns.has(body)) return;
      seenFns.add(body);
      stack.push({ node: body, scope: fn.closure, nested: true, breakables: 0, loops: 0 });
      if (fn instanceof ClassValue && fn.parent) followFunction(fn.parent);
    };
    const call = (e: ts.CallExpression | ts.NewExpression, s: Scope): void => {
      const callee = e.expression;
      const args = e.arguments ?? [];
      const calleeRoot = rootName(callee);
      const rootVal =
        callee.kind === Kind.ThisKeyword ||
        (tsApi.isPropertyAccessExpression(callee) && callee.expression.kind === Kind.ThisKeyword)
          ? s.lookup('this')
          : calleeRoot === undefined
            ? NOT_FOUND
            : s.lookup(calleeRoot);
      const method = tsApi.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      // The function itself, when it is the user's: its body is followed as part of the region.
      let target: Value | typeof NOT_FOUND = NOT_FOUND;
      if (tsApi.isIdentifier(callee)) target = rootVal;
      else if (tsApi.isPropertyAccessExpression(callee) && rootVal !== NOT_FOUND) target = memberOf(rootVal, callee.name.text);
      if (target instanceof FuncValue || target instanceof ClassValue) followFunction(target);
      if (rootVal instanceof InstanceValue) for (const m of rootVal.cls.methodValues()) followFunction(m);
      const neutral =
        (method !== undefined && NEUTRAL_METHODS.has(method)) ||
        rootVal instanceof NsValue ||
        (calleeRoot !== undefined && rootVal === NOT_FOUND && NEUTRAL_GLOBALS.has(calleeRoot)) ||
        (rootVal !== NOT_FOUND && this.isExternal(rootVal));
      if (!neutral && method !== undefined && tsApi.isPropertyAccessExpression(callee)) {
        // A method of a field the analysis holds as a primitive or as unknown (`this.wordToIndex.set(...)`
        // on a Map) changes nothing the analysis knows; any other receiver may change anything
        // reachable from its root.
        const exact = receiverValue(callee.expression, s);
        const inert = exact !== NOT_FOUND && (exact instanceof UnknownValue || typeof exact !== 'object' || exact === null);
        const recv = rootValue(callee.expression, s);
        if (!inert && recv !== NOT_FOUND) {
          effects.changes = true;
          this.taint(recv, layersReason);
        }
      }
      if (!neutral || target instanceof FuncValue || target instanceof ClassValue) {
        for (const a of args) {
          const v = rootValue(tsApi.isSpreadElement(a) ? a.expression : a, s, false);
          if (v !== NOT_FOUND && typeof v === 'object' && v !== null) {
            effects.changes = true;
            this.taint(v, layersReason);
          }
        }
      }
    };

    while (stack.length > 0) {
      const f = stack.pop()!;
      const n = f.node;
      const s = f.scope;
      const child = (c: ts.Node, extra: Partial<Frame> = {}): void => {
        stack.push({ ...f, node: c, ...extra });
      };
      switch (n.kind) {
        case Kind.ReturnStatement:
        case Kind.ThrowStatement:
          if (!f.nested) effects.exits = true;
          break;
        case Kind.BreakStatement:
        case Kind.ContinueStatement: {
          const label = (n as ts.BreakStatement).label;
          const inside = n.kind === Kind.BreakStatement ? f.breakables > 0 : f.loops > 0;
          if (!f.nested && (label !== undefined || !inside)) effects.escapes = true;
          break;
        }
        case Kind.BinaryExpression: {
          const b = n as ts.BinaryExpression;
          if (ASSIGNMENTS.has(b.operatorToken.kind)) taintTarget(b.left, s);
          break;
        }
        case Kind.PrefixUnaryExpression:
        case Kind.PostfixUnaryExpression: {
          const u = n as ts.PrefixUnaryExpression;
          if (u.operator === Kind.PlusPlusToken || u.operator === Kind.MinusMinusToken) taintTarget(u.operand, s);
          break;
        }
        case Kind.DeleteExpression:
          taintTarget((n as ts.DeleteExpression).expression, s);
          break;
        case Kind.CallExpression:
        case Kind.NewExpression:
          call(n as ts.CallExpression, s);
          break;
        case Kind.ForOfStatement:
          taintTarget((n as ts.ForOfStatement).initializer as ts.Expression, s);
          break;
        default:
          break;
      }
      // Children, with the nesting that decides where `break` and `return` go.
      const isFn = tsApi.isFunctionLike(n) && n !== f.node ? false : tsApi.isFunctionLike(n);
      const isLoop = tsApi.isIterationStatement(n, false);
      const isSwitch = n.kind === Kind.SwitchStatement;
      tsApi.forEachChild(n, (c) => {
        if (isFn) child(c, { nested: true });
        else if (isLoop && c === (n as ts.IterationStatement).statement)
          child(c, { loops: f.loops + 1, breakables: f.breakables + 1 });
        else if (isSwitch && c === (n as ts.SwitchStatement).caseBlock) child(c, { breakables: f.breakables + 1 });
        else child(c);
      });
    }
    return effects;
  }
}

function memberOf(obj: Value, name: string): Value | typeof NOT_FOUND {
  if (isPlainObject(obj)) return Object.prototype.hasOwnProperty.call(obj, name) ? obj[name] : NOT_FOUND;
  if (obj instanceof InstanceValue) return obj.fields[name] ?? obj.cls.findMethod(name) ?? NOT_FOUND;
  if (obj instanceof ClassValue) return obj.statics[name] ?? NOT_FOUND;
  return NOT_FOUND;
}
