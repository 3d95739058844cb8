/**
 * A small, total evaluator for the TypeScript/JavaScript that builds models: constants,
 * arithmetic, arrays and objects, loops over constant ranges, user functions with known
 * arguments. It never runs workspace code; anything it cannot know becomes an UnknownValue
 * with a reason. A step budget bounds the work on any input.
 */
import type * as ts from 'typescript';
import * as tsNs from 'typescript';

/** The compiler API as plain properties: bundlers expose a CommonJS namespace through getters. */
const tsv: typeof tsNs = { ...tsNs };
import { NOT_FOUND, Scope } from './scope';
import { binaryOp, firstUnknown, globalValue, primitiveMember, truthy } from './builtins';
import { BudgetExceeded, BuiltinValue, ClassValue, FuncValue, NsValue, OpaqueValue, TF_ROOT, UnknownValue, isPlainObject, unknown } from './values';
export { BudgetExceeded };
import type { ObjectValue, Value } from './values';
import type { TfjsBridge } from './tfjsBridge';

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

/**
 * Syntax kinds as a small object of plain numbers: `ts.SyntaxKind` is a huge enum object in
 * dictionary mode, and reading it in every `case` of the evaluator's switches is measurable.
 */
const SK = {
  AmpersandAmpersandToken: tsv.SyntaxKind.AmpersandAmpersandToken,
  ArrayLiteralExpression: tsv.SyntaxKind.ArrayLiteralExpression,
  ArrowFunction: tsv.SyntaxKind.ArrowFunction,
  AsExpression: tsv.SyntaxKind.AsExpression,
  AwaitExpression: tsv.SyntaxKind.AwaitExpression,
  BarBarToken: tsv.SyntaxKind.BarBarToken,
  BinaryExpression: tsv.SyntaxKind.BinaryExpression,
  Block: tsv.SyntaxKind.Block,
  BreakStatement: tsv.SyntaxKind.BreakStatement,
  CallExpression: tsv.SyntaxKind.CallExpression,
  ClassExpression: tsv.SyntaxKind.ClassExpression,
  CommaToken: tsv.SyntaxKind.CommaToken,
  ConditionalExpression: tsv.SyntaxKind.ConditionalExpression,
  ContinueStatement: tsv.SyntaxKind.ContinueStatement,
  DoStatement: tsv.SyntaxKind.DoStatement,
  ElementAccessExpression: tsv.SyntaxKind.ElementAccessExpression,
  EqualsToken: tsv.SyntaxKind.EqualsToken,
  ExclamationToken: tsv.SyntaxKind.ExclamationToken,
  ExpressionStatement: tsv.SyntaxKind.ExpressionStatement,
  FalseKeyword: tsv.SyntaxKind.FalseKeyword,
  ForOfStatement: tsv.SyntaxKind.ForOfStatement,
  ForStatement: tsv.SyntaxKind.ForStatement,
  FunctionExpression: tsv.SyntaxKind.FunctionExpression,
  Identifier: tsv.SyntaxKind.Identifier,
  IfStatement: tsv.SyntaxKind.IfStatement,
  ImportDeclaration: tsv.SyntaxKind.ImportDeclaration,
  InKeyword: tsv.SyntaxKind.InKeyword,
  InstanceOfKeyword: tsv.SyntaxKind.InstanceOfKeyword,
  LabeledStatement: tsv.SyntaxKind.LabeledStatement,
  MinusMinusToken: tsv.SyntaxKind.MinusMinusToken,
  MinusToken: tsv.SyntaxKind.MinusToken,
  NewExpression: tsv.SyntaxKind.NewExpression,
  NoSubstitutionTemplateLiteral: tsv.SyntaxKind.NoSubstitutionTemplateLiteral,
  NonNullExpression: tsv.SyntaxKind.NonNullExpression,
  NullKeyword: tsv.SyntaxKind.NullKeyword,
  NumericLiteral: tsv.SyntaxKind.NumericLiteral,
  ObjectLiteralExpression: tsv.SyntaxKind.ObjectLiteralExpression,
  ParenthesizedExpression: tsv.SyntaxKind.ParenthesizedExpression,
  PlusPlusToken: tsv.SyntaxKind.PlusPlusToken,
  PlusToken: tsv.SyntaxKind.PlusToken,
  PostfixUnaryExpression: tsv.SyntaxKind.PostfixUnaryExpression,
  PrefixUnaryExpression: tsv.SyntaxKind.PrefixUnaryExpression,
  PropertyAccessExpression: tsv.SyntaxKind.PropertyAccessExpression,
  QuestionQuestionToken: tsv.SyntaxKind.QuestionQuestionToken,
  ReturnStatement: tsv.SyntaxKind.ReturnStatement,
  SatisfiesExpression: tsv.SyntaxKind.SatisfiesExpression,
  SpreadElement: tsv.SyntaxKind.SpreadElement,
  StringLiteral: tsv.SyntaxKind.StringLiteral,
  SwitchStatement: tsv.SyntaxKind.SwitchStatement,
  TemplateExpression: tsv.SyntaxKind.TemplateExpression,
  ThrowStatement: tsv.SyntaxKind.ThrowStatement,
  TildeToken: tsv.SyntaxKind.TildeToken,
  TrueKeyword: tsv.SyntaxKind.TrueKeyword,
  TryStatement: tsv.SyntaxKind.TryStatement,
  TypeAssertionExpression: tsv.SyntaxKind.TypeAssertionExpression,
  TypeOfExpression: tsv.SyntaxKind.TypeOfExpression,
  VariableStatement: tsv.SyntaxKind.VariableStatement,
  VoidExpression: tsv.SyntaxKind.VoidExpression,
  WhileStatement: tsv.SyntaxKind.WhileStatement,
} as const;

const COMPOUND_ASSIGNMENT = new Set<ts.SyntaxKind>([
  tsv.SyntaxKind.PlusEqualsToken, tsv.SyntaxKind.MinusEqualsToken, tsv.SyntaxKind.AsteriskEqualsToken, tsv.SyntaxKind.SlashEqualsToken,
  tsv.SyntaxKind.PercentEqualsToken, tsv.SyntaxKind.AsteriskAsteriskEqualsToken, tsv.SyntaxKind.AmpersandEqualsToken, tsv.SyntaxKind.BarEqualsToken,
  tsv.SyntaxKind.CaretEqualsToken, tsv.SyntaxKind.LessThanLessThanEqualsToken, tsv.SyntaxKind.GreaterThanGreaterThanEqualsToken,
  tsv.SyntaxKind.GreaterThanGreaterThanGreaterThanEqualsToken,
]);
const MAX_STEPS = 250_000;
const MAX_LOOP = 20_000;
const MAX_DEPTH = 60;

export class Interpreter {
  steps = 0;
  private depth = 0;
  readonly functions: FuncValue[] = [];
  /** Name of the function whose body is running (for naming returned models). */
  private fnNames: string[] = [];
  /** The name an anonymous function being evaluated is bound to (`const f = () => ...`). */
  private nameHint: string | undefined;

  constructor(
    readonly sf: ts.SourceFile,
    readonly bridge: TfjsBridge,
  ) {}

  private tick(): void {
    if (++this.steps > MAX_STEPS) throw new BudgetExceeded(`more than ${MAX_STEPS} evaluation steps`);
  }

  // ---- statements -------------------------------------------------------------------------

  runBlock(statements: readonly ts.Statement[], scope: Scope): Completion {
    this.hoist(statements, scope);
    for (const st of statements) {
      const done = this.exec(st, scope);
      if (done !== undefined) return done;
    }
    return undefined;
  }

  private hoist(statements: readonly ts.Statement[], scope: Scope): void {
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

  private execDeclarations(list: ts.VariableDeclarationList, scope: Scope): void {
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

  private execIf(st: ts.IfStatement, scope: Scope): Completion {
    const c = truthy(this.eval(st.expression, scope));
    if (c instanceof UnknownValue) {
      this.bridge.info(st.expression, `This condition is not known statically (${c.reason}); layers added under it are not shown.`);
      return undefined;
    }
    if (c) return this.exec(st.thenStatement, scope);
    return st.elseStatement ? this.exec(st.elseStatement, scope) : undefined;
  }

  private execSwitch(st: ts.SwitchStatement, scope: Scope): Completion {
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
  private loopBody(body: ts.Statement, scope: Scope): typeof NEXT | Completion {
    const done = this.exec(body, scope);
    if (done === BREAK) return undefined;
    return done instanceof ReturnSignal ? done : NEXT;
  }

  private loopLimit(node: ts.Node, why: string): undefined {
    this.bridge.info(node, `This loop is not evaluated: ${why}. Layers added in it are not shown.`);
    return undefined;
  }

  private execFor(st: ts.ForStatement, scope: Scope): Completion {
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

  private execForOf(st: ts.ForOfStatement, scope: Scope): Completion {
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

  private execWhile(st: ts.WhileStatement | ts.DoStatement, scope: Scope): Completion {
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

  // ---- expressions ------------------------------------------------------------------------

  /** Evaluate with a name for an anonymous function expression (`const build = () => ...`). */
  private evalNamed(e: ts.Expression, name: string | undefined, scope: Scope): Value {
    if (name === undefined || !(tsv.isArrowFunction(e) || tsv.isFunctionExpression(e))) return this.eval(e, scope);
    this.nameHint = name;
    try {
      return this.eval(e, scope);
    } finally {
      this.nameHint = undefined;
    }
  }

  eval(e: ts.Expression, scope: Scope): Value {
    this.tick();
    // The cases run in order: the kinds model files are made of come first.
    switch (e.kind) {
      case SK.Identifier: return this.identifier(e as ts.Identifier, scope);
      case SK.PropertyAccessExpression: {
        const pa = e as ts.PropertyAccessExpression;
        return this.member(this.eval(pa.expression, scope), pa.name.text, pa.name);
      }
      case SK.CallExpression: return this.callExpression(e as ts.CallExpression, scope);
      case SK.ObjectLiteralExpression: return this.objectLiteral(e as ts.ObjectLiteralExpression, scope);
      case SK.NumericLiteral: return Number((e as ts.NumericLiteral).text);
      case SK.StringLiteral:
      case SK.NoSubstitutionTemplateLiteral: return (e as ts.StringLiteral).text;
      case SK.ArrayLiteralExpression: return this.arrayLiteral(e as ts.ArrayLiteralExpression, scope);
      case SK.TrueKeyword: return true;
      case SK.FalseKeyword: return false;
      case SK.NullKeyword: return null;
      case SK.ParenthesizedExpression:
      case SK.AsExpression:
      case SK.SatisfiesExpression:
      case SK.NonNullExpression:
      case SK.TypeAssertionExpression:
      case SK.AwaitExpression:
        return this.eval((e as ts.ParenthesizedExpression).expression, scope);
      case SK.ElementAccessExpression: {
        const ea = e as ts.ElementAccessExpression;
        const obj = this.eval(ea.expression, scope);
        const key = this.eval(ea.argumentExpression, scope);
        if (key instanceof UnknownValue) return key;
        if (Array.isArray(obj) && typeof key === 'number' && key < 0) return undefined;
        return this.member(obj, String(key), ea);
      }
      case SK.NewExpression: return this.newExpression(e as ts.NewExpression, scope);
      case SK.BinaryExpression: return this.binary(e as ts.BinaryExpression, scope);
      case SK.PrefixUnaryExpression: return this.prefix(e as ts.PrefixUnaryExpression, scope);
      case SK.PostfixUnaryExpression: {
        const pe = e as ts.PostfixUnaryExpression;
        const old = this.eval(pe.operand, scope);
        const next = binaryOp(pe.operator === SK.PlusPlusToken ? '+' : '-', old, 1);
        this.assignTo(pe.operand, next, scope);
        return old;
      }
      case SK.ConditionalExpression: {
        const ce = e as ts.ConditionalExpression;
        const c = truthy(this.eval(ce.condition, scope));
        if (c instanceof UnknownValue) return c;
        return this.eval(c ? ce.whenTrue : ce.whenFalse, scope);
      }
      case SK.ArrowFunction:
      case SK.FunctionExpression: {
        const f = e as ts.ArrowFunction | ts.FunctionExpression;
        const name = tsv.isFunctionExpression(f) && f.name ? f.name.text : this.nameHint ?? 'anonymous function';
        const fn = new FuncValue(f, scope, name);
        this.functions.push(fn);
        return fn;
      }
      case SK.TemplateExpression: {
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
      case SK.TypeOfExpression: {
        const v = this.eval((e as ts.TypeOfExpression).expression, scope);
        return v instanceof UnknownValue ? v : typeof v;
      }
      case SK.VoidExpression: return undefined;
      case SK.ClassExpression: return new ClassValue((e as ts.ClassExpression).name?.text ?? 'anonymous class');
      case SK.SpreadElement: return this.eval((e as ts.SpreadElement).expression, scope);
      default: return unknown(`\`${e.getText(this.sf).slice(0, 40)}\` is not evaluated statically`);
    }
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
      if (tsv.isSpreadElement(el)) {
        const v = this.eval(el.expression, scope);
        if (Array.isArray(v)) out.push(...v);
        else return unknown('spread of a non-constant array');
      } else if (tsv.isOmittedExpression(el)) out.push(undefined);
      else out.push(this.eval(el, scope));
    }
    return out;
  }

  private objectLiteral(e: ts.ObjectLiteralExpression, scope: Scope): Value {
    const out: ObjectValue = {};
    for (const p of e.properties) {
      if (tsv.isPropertyAssignment(p)) {
        const key = this.propertyKey(p.name, scope);
        if (key === undefined) continue;
        const v = this.evalNamed(p.initializer, key, scope);
        this.bridge.nameModel(v, key);
        out[key] = v;
      } else if (tsv.isShorthandPropertyAssignment(p)) {
        out[p.name.text] = this.identifier(p.name, scope);
      } else if (tsv.isSpreadAssignment(p)) {
        const v = this.eval(p.expression, scope);
        if (isPlainObject(v)) Object.assign(out, v);
      } else if (tsv.isMethodDeclaration(p) && p.body) {
        const key = this.propertyKey(p.name, scope);
        if (key === undefined) continue;
        const fn = new FuncValue(p, scope, key);
        this.functions.push(fn);
        out[key] = fn;
      }
    }
    return out;
  }

  private propertyKey(name: ts.PropertyName, scope: Scope): string | undefined {
    if (tsv.isComputedPropertyName(name)) {
      const k = this.eval(name.expression, scope);
      return typeof k === 'string' || typeof k === 'number' ? String(k) : undefined;
    }
    return propName(name);
  }

  member(obj: Value, name: string, node: ts.Node): Value {
    if (obj instanceof UnknownValue) return obj;
    if (obj instanceof NsValue) return obj.get(name);
    if (obj instanceof OpaqueValue) return new OpaqueValue(`${obj.what}.${name}`);
    const prim = primitiveMember(obj, name, (fn, args) => this.call(fn, args, node));
    if (prim !== undefined) return prim;
    if (Array.isArray(obj)) return /^\d+$/.test(name) ? obj[Number(name)] : undefined;
    if (isPlainObject(obj)) return Object.prototype.hasOwnProperty.call(obj, name) ? obj[name] : undefined;
    const tf = this.bridge.member(obj, name, node);
    if (tf !== undefined) return tf;
    if (obj === null || obj === undefined) return unknown(`\`${name}\` of ${String(obj)}`);
    return unknown(`property \`${name}\` is not evaluated statically`);
  }

  private callExpression(e: ts.CallExpression, scope: Scope): Value {
    const callee = e.expression;
    if (this.bridge.isRequireOfTfjs(e)) return TF_ROOT;
    const args = this.args(e.arguments, scope);
    if (tsv.isPropertyAccessExpression(callee) || tsv.isElementAccessExpression(callee)) {
      const target = this.eval(callee.expression, scope);
      const name = tsv.isPropertyAccessExpression(callee) ? callee.name.text : this.eval(callee.argumentExpression, scope);
      if (typeof name !== 'string') return unknown('a computed method name');
      const handled = this.bridge.callMethod(target, name, args, e);
      if (handled !== undefined) return handled;
      return this.call(this.member(target, name, callee), args, e);
    }
    return this.call(this.eval(callee, scope), args, e);
  }

  private args(list: ts.NodeArray<ts.Expression>, scope: Scope): Value[] {
    const out: Value[] = [];
    for (const a of list) {
      if (tsv.isSpreadElement(a)) {
        const v = this.eval(a.expression, scope);
        if (Array.isArray(v)) out.push(...v);
        else out.push(unknown('spread of a non-constant array'));
      } else out.push(this.eval(a, scope));
    }
    return out;
  }

  private newExpression(e: ts.NewExpression, scope: Scope): Value {
    const ctor = this.eval(e.expression, scope);
    const args = e.arguments ? this.args(e.arguments, scope) : [];
    if (ctor instanceof ClassValue) return this.bridge.customLayer(ctor.name, e);
    if (ctor instanceof NsValue) return this.bridge.callTfjs(ctor, args, e);
    if (ctor instanceof UnknownValue) return ctor;
    return unknown(`\`new ${e.expression.getText(this.sf)}\` is not evaluated statically`);
  }

  private binary(e: ts.BinaryExpression, scope: Scope): Value {
    const op = e.operatorToken.kind;
    if (op === SK.EqualsToken) {
      const v = this.eval(e.right, scope);
      if (tsv.isIdentifier(e.left)) this.bridge.nameModel(v, e.left.text);
      this.assignTo(e.left, v, scope);
      return v;
    }
    if (op === SK.AmpersandAmpersandToken || op === SK.BarBarToken || op === SK.QuestionQuestionToken) {
      const l = this.eval(e.left, scope);
      if (l instanceof UnknownValue) return l;
      const pick = op === SK.QuestionQuestionToken ? l === null || l === undefined : op === SK.AmpersandAmpersandToken ? Boolean(l) : !l;
      return pick ? this.eval(e.right, scope) : l;
    }
    if (op === SK.CommaToken) {
      this.eval(e.left, scope);
      return this.eval(e.right, scope);
    }
    const text = tsv.tokenToString(op) ?? '';
    if (COMPOUND_ASSIGNMENT.has(op)) {
      const v = binaryOp(text.slice(0, -1), this.eval(e.left, scope), this.eval(e.right, scope));
      this.assignTo(e.left, v, scope);
      return v;
    }
    if (op === SK.InstanceOfKeyword || op === SK.InKeyword) return unknown(`\`${text}\` is not evaluated`);
    return binaryOp(text, this.eval(e.left, scope), this.eval(e.right, scope));
  }

  private prefix(e: ts.PrefixUnaryExpression, scope: Scope): Value {
    const v = this.eval(e.operand, scope);
    switch (e.operator) {
      case SK.MinusToken: return binaryOp('-', 0, v);
      case SK.PlusToken: return v instanceof UnknownValue ? v : Number(v);
      case SK.ExclamationToken: {
        const t = truthy(v);
        return t instanceof UnknownValue ? t : !t;
      }
      case SK.TildeToken: return v instanceof UnknownValue ? v : ~(v as number);
      case SK.PlusPlusToken:
      case SK.MinusMinusToken: {
        const next = binaryOp(e.operator === SK.PlusPlusToken ? '+' : '-', v, 1);
        this.assignTo(e.operand, next, scope);
        return next;
      }
      default: return unknown('unary operator');
    }
  }

  assignTo(target: ts.Node, value: Value, scope: Scope): void {
    if (tsv.isParenthesizedExpression(target) || tsv.isAsExpression(target) || tsv.isNonNullExpression(target)) return this.assignTo(target.expression, value, scope);
    if (tsv.isIdentifier(target)) return scope.assign(target.text, value);
    if (tsv.isPropertyAccessExpression(target) || tsv.isElementAccessExpression(target)) {
      const obj = this.eval(target.expression, scope);
      const key = tsv.isPropertyAccessExpression(target) ? target.name.text : this.eval(target.argumentExpression, scope);
      if (typeof key !== 'string' && typeof key !== 'number') return;
      if (Array.isArray(obj) && typeof key === 'number' && key >= 0 && key < MAX_LOOP) obj[key] = value;
      else if (isPlainObject(obj)) obj[String(key)] = value;
      else this.bridge.setMember(obj, String(key), value);
      return;
    }
    if (tsv.isArrayLiteralExpression(target)) {
      target.elements.forEach((el, i) => this.assignTo(el, Array.isArray(value) ? value[i] : firstUnknown([value]) ?? unknown('destructuring'), scope));
    }
  }
}

function propName(name: ts.PropertyName): string | undefined {
  if (tsv.isIdentifier(name) || tsv.isStringLiteral(name) || tsv.isNumericLiteral(name) || tsv.isPrivateIdentifier(name)) return name.text;
  return undefined;
}

