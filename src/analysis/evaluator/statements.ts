/**
 * The statement half of the evaluator: blocks, declarations and destructuring, if/switch, the
 * loops (at most MAX_LOOP iterations), and calls of user functions; the step and depth budgets.
 * The expression half is `Interpreter` (interpreter.ts), which extends this class.
 */
import type * as ts from 'typescript';
import { Scope } from './scope';
import { truthy } from './builtins';
import { BudgetExceeded, BuiltinValue, ClassValue, FuncValue, NsValue, OpaqueValue, UnknownValue, unknown } from './values';
import type { Value } from './values';
import type { TfjsBridge } from './tfjsBridge';
import { propName, SK, tsv } from './syntaxKinds';

/**
 * How a statement ends other than by running off its end: `return` (or `throw`, which ends the
 * function with an unknown value), `break`, `continue`. Returned by statements, not thrown:
 * every function call would otherwise pay for an exception.
 */
class ReturnSignal {
  constructor(readonly value: Value) {}
}
class BreakSignal {}
class ContinueSignal {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();
type Completion = ReturnSignal | BreakSignal | ContinueSignal | undefined;
/** What `loopBody` returns when the loop goes on to its next iteration. */
const NEXT: unique symbol = Symbol('next iteration');

const MAX_STEPS = 250_000;
export const MAX_LOOP = 20_000;
const MAX_DEPTH = 60;

export abstract class StatementRunner {
  steps = 0;
  protected depth = 0;
  readonly functions: FuncValue[] = [];
  /** Name of the function whose body is running (for naming returned models). */
  protected fnNames: string[] = [];

  constructor(
    readonly sf: ts.SourceFile,
    readonly bridge: TfjsBridge,
  ) {}

  abstract eval(e: ts.Expression, scope: Scope): Value;
  /** Evaluate with a name for an anonymous function expression (`const build = () => ...`). */
  protected abstract evalNamed(e: ts.Expression, name: string | undefined, scope: Scope): Value;
  abstract member(obj: Value, name: string, node: ts.Node): Value;
  abstract assignTo(target: ts.Node, value: Value, scope: Scope): void;

  protected tick(): void {
    if (++this.steps > MAX_STEPS) throw new BudgetExceeded(`more than ${MAX_STEPS} evaluation steps`);
  }

  runBlock(statements: readonly ts.Statement[], scope: Scope): Completion {
    this.hoist(statements, scope);
    for (const st of statements) {
      const done = this.exec(st, scope);
      if (done !== undefined) return done;
    }
    return undefined;
  }

  protected hoist(statements: readonly ts.Statement[], scope: Scope): void {
    for (const st of statements) {
      if (tsv.isFunctionDeclaration(st) && st.name && st.body) {
        const fn = new FuncValue(st, scope, st.name.text);
        this.functions.push(fn);
        scope.declare(st.name.text, fn);
      } else if (tsv.isClassDeclaration(st) && st.name) {
        scope.declare(st.name.text, new ClassValue(st.name.text));
      }
    }
  }

  exec(st: ts.Statement, scope: Scope): Completion {
    this.tick();
    switch (st.kind) {
      case SK.VariableStatement:
        this.execDeclarations((st as ts.VariableStatement).declarationList, scope);
        return undefined;
      case SK.ExpressionStatement:
        this.eval((st as ts.ExpressionStatement).expression, scope);
        return undefined;
      case SK.ReturnStatement: {
        const expr = (st as ts.ReturnStatement).expression;
        const v = expr ? this.eval(expr, scope) : undefined;
        this.bridge.nameModel(v, this.fnNames[this.fnNames.length - 1]);
        return new ReturnSignal(v);
      }
      case SK.Block: return this.runBlock((st as ts.Block).statements, new Scope(scope));
      case SK.IfStatement: return this.execIf(st as ts.IfStatement, scope);
      case SK.ForStatement: return this.execFor(st as ts.ForStatement, scope);
      case SK.ForOfStatement: return this.execForOf(st as ts.ForOfStatement, scope);
      case SK.WhileStatement:
      case SK.DoStatement: return this.execWhile(st as ts.WhileStatement | ts.DoStatement, scope);
      case SK.BreakStatement: return BREAK;
      case SK.ContinueStatement: return CONTINUE;
      case SK.TryStatement: {
        const t = st as ts.TryStatement;
        const done = this.runBlock(t.tryBlock.statements, new Scope(scope));
        // A completion of the finally block (a `return` in it) wins, as in JavaScript.
        return (t.finallyBlock ? this.runBlock(t.finallyBlock.statements, new Scope(scope)) : undefined) ?? done;
      }
      case SK.ThrowStatement: return new ReturnSignal(unknown('the code throws here'));
      case SK.ImportDeclaration:
        this.bridge.importDeclaration(st as ts.ImportDeclaration, scope);
        return undefined;
      case SK.LabeledStatement: return this.exec((st as ts.LabeledStatement).statement, scope);
      case SK.SwitchStatement: return this.execSwitch(st as ts.SwitchStatement, scope);
      default:
        // Function and class declarations were hoisted; types, exports lists and the rest carry no values.
        return undefined;
    }
  }

  protected execDeclarations(list: ts.VariableDeclarationList, scope: Scope): void {
    for (const decl of list.declarations) {
      const value = decl.initializer ? this.evalNamed(decl.initializer, tsv.isIdentifier(decl.name) ? decl.name.text : undefined, scope) : undefined;
      if (tsv.isIdentifier(decl.name)) this.bridge.nameModel(value, decl.name.text);
      if (decl.initializer && this.bridge.isRequireOfTfjs(decl.initializer)) {
        this.bridge.bindRequire(decl.name, scope);
        continue;
      }
      this.bind(decl.name, value, scope);
    }
  }

  /** Bind a declaration name or destructuring pattern. */
  bind(name: ts.BindingName, value: Value, scope: Scope): void {
    if (tsv.isIdentifier(name)) {
      scope.declare(name.text, value);
      return;
    }
    if (tsv.isArrayBindingPattern(name)) {
      name.elements.forEach((el, i) => {
        if (tsv.isOmittedExpression(el)) return;
        let v: Value;
        if (el.dotDotDotToken) v = Array.isArray(value) ? value.slice(i) : unknown('rest of a non-array');
        else v = Array.isArray(value) ? value[i] : value instanceof UnknownValue ? value : this.member(value, String(i), el);
        if (v === undefined && el.initializer) v = this.eval(el.initializer, scope);
        this.bind(el.name, v, scope);
      });
      return;
    }
    for (const el of name.elements) {
      const key = el.propertyName ? propName(el.propertyName) : tsv.isIdentifier(el.name) ? el.name.text : undefined;
      let v: Value;
      if (el.dotDotDotToken) v = unknown('object rest is not evaluated');
      else if (key === undefined) v = unknown('computed property');
      else v = value instanceof UnknownValue ? value : this.member(value, key, el);
      if (v === undefined && el.initializer) v = this.eval(el.initializer, scope);
      this.bind(el.name, v, scope);
    }
  }

  protected execIf(st: ts.IfStatement, scope: Scope): Completion {
    const c = truthy(this.eval(st.expression, scope));
    if (c instanceof UnknownValue) {
      this.bridge.info(st.expression, `This condition is not known statically (${c.reason}); layers added under it are not shown.`);
      return undefined;
    }
    if (c) return this.exec(st.thenStatement, scope);
    return st.elseStatement ? this.exec(st.elseStatement, scope) : undefined;
  }

  protected execSwitch(st: ts.SwitchStatement, scope: Scope): Completion {
    const v = this.eval(st.expression, scope);
    if (v instanceof UnknownValue) return undefined;
    let matched = false;
    for (const clause of st.caseBlock.clauses) {
      if (!matched) matched = tsv.isDefaultClause(clause) || this.eval(clause.expression, scope) === v;
      if (!matched) continue;
      const done = this.runBlock(clause.statements, new Scope(scope));
      if (done === BREAK) return undefined;
      if (done !== undefined) return done;
    }
    return undefined;
  }

  /** Runs one iteration: NEXT to go on, else how the loop statement ends (undefined after a `break`, or the function's return). */
  protected loopBody(body: ts.Statement, scope: Scope): typeof NEXT | Completion {
    const done = this.exec(body, scope);
    if (done === BREAK) return undefined;
    return done instanceof ReturnSignal ? done : NEXT;
  }

  protected loopLimit(node: ts.Node, why: string): undefined {
    this.bridge.info(node, `This loop is not evaluated: ${why}. Layers added in it are not shown.`);
    return undefined;
  }

  protected execFor(st: ts.ForStatement, scope: Scope): Completion {
    const loopScope = new Scope(scope);
    if (st.initializer) {
      if (tsv.isVariableDeclarationList(st.initializer)) this.execDeclarations(st.initializer, loopScope);
      else this.eval(st.initializer, loopScope);
    }
    for (let n = 0; ; n++) {
      if (st.condition) {
        const c = truthy(this.eval(st.condition, loopScope));
        if (c instanceof UnknownValue) return this.loopLimit(st.condition, `its condition is not known statically (${c.reason})`);
        if (!c) return undefined;
      }
      if (n >= MAX_LOOP) return this.loopLimit(st, `it runs more than ${MAX_LOOP} times`);
      const exit = this.loopBody(st.statement, new Scope(loopScope));
      if (exit !== NEXT) return exit;
      if (st.incrementor) this.eval(st.incrementor, loopScope);
    }
  }

  protected execForOf(st: ts.ForOfStatement, scope: Scope): Completion {
    const it = this.eval(st.expression, scope);
    let items: Value[];
    if (Array.isArray(it)) items = [...it];
    else if (typeof it === 'string') items = [...it];
    else return this.loopLimit(st.expression, it instanceof UnknownValue ? `what it iterates over is not known statically (${it.reason})` : 'it does not iterate over a constant array');
    for (const item of items) {
      this.tick();
      const iterScope = new Scope(scope);
      const init = st.initializer;
      if (tsv.isVariableDeclarationList(init)) this.bind(init.declarations[0]!.name, item, iterScope);
      else this.assignTo(init, item, iterScope);
      const exit = this.loopBody(st.statement, iterScope);
      if (exit !== NEXT) return exit;
    }
    return undefined;
  }

  protected execWhile(st: ts.WhileStatement | ts.DoStatement, scope: Scope): Completion {
    let first = tsv.isDoStatement(st);
    for (let n = 0; ; n++) {
      if (!first) {
        const c = truthy(this.eval(st.expression, scope));
        if (c instanceof UnknownValue) return this.loopLimit(st.expression, `its condition is not known statically (${c.reason})`);
        if (!c) return undefined;
      }
      first = false;
      if (n >= MAX_LOOP) return this.loopLimit(st, `it runs more than ${MAX_LOOP} times`);
      const exit = this.loopBody(st.statement, new Scope(scope));
      if (exit !== NEXT) return exit;
    }
  }

  // ---- functions --------------------------------------------------------------------------

  /** Call a user function, a builtin, or a tfjs API value. */
  call(fn: Value, args: Value[], node: ts.Node): Value {
    this.tick();
    if (fn instanceof BuiltinValue) return fn.call(args);
    if (fn instanceof FuncValue) return this.callFunction(fn, args);
    if (fn instanceof NsValue) return this.bridge.callTfjs(fn, args, node as ts.CallExpression);
    if (fn instanceof UnknownValue) return fn;
    if (fn instanceof OpaqueValue) return new OpaqueValue(`${fn.what}()`);
    return unknown('a call to something that is not a known function');
  }

  callFunction(fn: FuncValue, args: Value[]): Value {
    fn.called = true;
    if (this.depth >= MAX_DEPTH) return unknown('recursion too deep to evaluate');
    const scope = new Scope(fn.closure);
    const decl = fn.node;
    decl.parameters.forEach((p, i) => {
      let v: Value = p.dotDotDotToken ? args.slice(i) : args[i];
      if (v === undefined && p.initializer) v = this.eval(p.initializer, scope);
      if (v === undefined && !p.initializer && !p.questionToken && i >= args.length && !p.dotDotDotToken) {
        v = unknown(`it depends on the parameter \`${p.name.getText(this.sf)}\` of \`${fn.name}\`, which has no default value`);
      }
      this.bind(p.name, v, scope);
    });
    this.depth++;
    this.fnNames.push(fn.name);
    try {
      const body = decl.body;
      if (!body) return unknown(`\`${fn.name}\` has no body`);
      if (tsv.isBlock(body)) {
        const done = this.runBlock(body.statements, scope);
        return done instanceof ReturnSignal ? done.value : undefined;
      }
      const v = this.eval(body, scope);
      this.bridge.nameModel(v, fn.name);
      return v;
    } finally {
      this.depth--;
      this.fnNames.pop();
    }
  }
}
