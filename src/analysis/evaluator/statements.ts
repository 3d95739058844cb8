/**
 * The statement half of the evaluator and the first link of its chain: blocks, declarations
 * and destructuring, if/switch/try, the step and depth budgets, and the speculative evaluation
 * of undecided branches. How a statement ends is completions.ts. The loops (loops.ts), calls
 * (functions.ts), classes, modules, operators and the other expressions (interpreter.ts) extend
 * this class in turn.
 */
import type * as ts from 'typescript';
import { Scope, withWriteBarrier } from './scope';
import type { SourceModule } from './scope';
import type { ModelBuilder } from '../graph/modelBuilder';
import { newId } from '../graph/layerGraph';
import { truthy } from './builtins';
import { BudgetExceeded, ClassValue, FuncValue, UnknownValue, unknown } from './values';
import type { Uncertainty } from './uncertainty';
import type { Value } from './values';
import type { TfjsBridge } from './tfjsBridge';
import { BREAK, CONTINUE, LoopTooLong, ReturnSignal, ThrowSignal, UNCERTAIN_EXIT } from './completions';
import type { CallFrame, Completion } from './completions';
import { propName, Kind, tsApi, hasModifier } from './syntaxKinds';

/** Code evaluated speculatively by `undecided`: a statement, or a function that runs some in the scope given. */
type Branch = ts.Statement | ((scope: Scope) => void) | undefined;

const MAX_STEPS = 1_000_000;
export const MAX_LOOP = 20_000;
/** Steps one loop statement may take before it is given up on (havoc) rather than the whole file. */
export const MAX_LOOP_STEPS = 100_000;
/** Branches inside branches evaluated speculatively: bounded, as the work doubles with each. */
const MAX_SPECULATION_DEPTH = 3;

export abstract class StatementRunner {
  steps = 0;
  protected depth = 0;
  /** The analysed file's functions and classes (not its imports'): the pass over uncalled ones reads them. */
  readonly functions: FuncValue[] = [];
  readonly classes: ClassValue[] = [];
  /** Name of the function whose body is running (for naming returned models). */
  protected fnNames: string[] = [];
  protected frames: CallFrame[] = [{}];
  private speculationDepth = 0;
  /** The loop whose step share is being counted (only the outermost one counts). */
  protected loopStart: { node: ts.Node; steps: number } | null = null;

  constructor(readonly bridge: TfjsBridge) {}

  /** The source file of the code running now (an imported module's, inside its functions). */
  get sf(): ts.SourceFile {
    return this.bridge.module.sf;
  }

  /** Runs `f` as code of module `m` (positions and text are read from its file). */
  inModule<T>(m: SourceModule, f: () => T): T {
    const saved = this.bridge.module;
    if (saved === m) return f();
    this.bridge.module = m;
    try {
      return f();
    } finally {
      this.bridge.module = saved;
    }
  }

  protected get uncertainty(): Uncertainty {
    return this.bridge.uncertainty;
  }

  /** Runs `f`; an exception other than the budgets' ends only it, and is reported. */
  guarded(f: () => unknown): void {
    try {
      f();
    } catch (e) {
      if (e instanceof BudgetExceeded || e instanceof LoopTooLong) throw e;
      this.internalError(e);
    }
  }

  /** A failure of the analysis itself: no model can be taken as complete after it. */
  internalError(e: unknown): void {
    for (const m of this.bridge.models) m.markIncomplete('the analysis of this file stopped before its end');
    const message = `Model Lens could not finish analysing this file (${e instanceof Error ? e.message : String(e)}); results may be incomplete.`;
    this.bridge.sink.add('info', { line: 1, column: 1, endLine: 1, endColumn: 1 }, message);
  }

  abstract eval(e: ts.Expression, scope: Scope): Value;
  /** Evaluate with a name for an anonymous function expression (`const build = () => ...`). */
  protected abstract evalNamed(e: ts.Expression, name: string | undefined, scope: Scope): Value;
  abstract member(obj: Value, name: string, node: ts.Node): Value;
  abstract assignTo(target: ts.Node, value: Value, scope: Scope): void;
  /** Reads a class's `extends` and static members when its statement runs. */
  abstract defineClass(cls: ClassValue): void;
  /** Binds the names of an `import` declaration (modules.ts). */
  protected abstract importDeclaration(st: ts.ImportDeclaration, scope: Scope): void;

  protected tick(): void {
    if (++this.steps > MAX_STEPS) throw new BudgetExceeded(`more than ${MAX_STEPS} evaluation steps`);
    if (this.loopStart !== null && this.steps - this.loopStart.steps > MAX_LOOP_STEPS) throw new LoopTooLong(this.loopStart.node);
  }

  /**
   * `undecided` code: see uncertainty.ts. Returns how the statement ends. The branches in
   * `speculate` are first evaluated as they would run if taken, with nothing outside them
   * changed, to show the models they build.
   */
  protected undecided(
    nodes: readonly (ts.Node | undefined)[],
    scope: Scope,
    what: string,
    speculate: readonly Branch[] = [],
  ): Completion {
    const built = speculate.length > 0 ? this.speculate(speculate, scope, what) : [];
    const effects = this.bridge.uncertainty.havoc(nodes, scope, what);
    if (effects.exits || effects.escapes || effects.changes) {
      // A model made in the branch may leave it (returned, stored) and get more layers there.
      for (const m of built)
        if (m.kind === 'sequential') m.markIncomplete(`it is built inside ${what}, and may be changed after it`);
    }
    if (effects.exits) this.frames[this.frames.length - 1]!.mayExit ??= `it may return inside ${what}`;
    return effects.escapes ? UNCERTAIN_EXIT : undefined;
  }

  /** Evaluates each branch as if taken, keeping none of its effects but the models it builds. */
  private speculate(branches: readonly Branch[], scope: Scope, what: string): ModelBuilder[] {
    if (this.speculationDepth >= MAX_SPECULATION_DEPTH) return [];
    const bridge = this.bridge;
    const first = bridge.models.length;
    const savedFrozen = bridge.frozenBelow;
    const savedWrites = this.speculativeWrites;
    const savedMembers = this.speculativeMembers;
    const writes: object[] = [];
    const members: [Record<string, Value>, string][] = [];
    this.speculativeWrites = writes;
    this.speculativeMembers = members;
    this.speculationDepth++;
    bridge.speculative++;
    bridge.frozenBelow = newId();
    this.frames.push({});
    try {
      for (const b of branches) {
        if (b === undefined) continue;
        withWriteBarrier(() =>
          this.guarded(() => (typeof b === 'function' ? b(new Scope(scope)) : this.exec(b, new Scope(scope)))),
        );
      }
    } finally {
      this.frames.pop();
      bridge.frozenBelow = savedFrozen;
      bridge.speculative--;
      this.speculationDepth--;
      this.speculativeWrites = savedWrites;
      this.speculativeMembers = savedMembers;
    }
    // What the branches wrote into stays written: whatever it was, it is not known now (a member
    // assigned: that member; anything else: all the object holds).
    const reason = `it may be changed inside ${what}`;
    for (const [obj, key] of members) obj[key] = unknown(`\`${key}\`: ${reason}`);
    for (const obj of writes) this.uncertainty.taint(obj as Value, reason);
    return bridge.models.slice(first);
  }

  /** Objects and arrays written to while a branch is evaluated speculatively (null when none is). */
  private speculativeWrites: object[] | null = null;

  /** Records a write into `obj` (a member set, a mutating array method) for the speculation running. */
  protected noteWrite(obj: Value): void {
    if (this.speculativeWrites !== null && typeof obj === 'object' && obj !== null) this.speculativeWrites.push(obj);
  }

  /** Members (`obj.key = …`, stored as they are) assigned while a branch is evaluated speculatively. */
  private speculativeMembers: [Record<string, Value>, string][] | null = null;

  /** Records `obj[key] = …` for the speculation running: after it, that member alone is unknown. */
  protected noteMemberWrite(obj: Record<string, Value>, key: string): void {
    if (this.speculativeMembers !== null) this.speculativeMembers.push([obj, key]);
  }

  /** `the \`if (x > 1)\` on line 12`: how diagnostics and reasons name a piece of code. */
  protected where(node: ts.Node, head: string): string {
    const line = this.bridge.spot(node).line;
    const text = head.replace(/\s+/g, ' ');
    return `the \`${text.length > 40 ? `${text.slice(0, 37)}...` : text}\` on line ${line}`;
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
      // `export default function () {}` / `export default class {}`: the module's default export.
      if ((tsApi.isFunctionDeclaration(st) || tsApi.isClassDeclaration(st)) && !st.name && hasModifier(st, Kind.DefaultKeyword)) {
        scope.module.defaultExport = tsApi.isFunctionDeclaration(st)
          ? st.body
            ? new FuncValue(st, scope, 'default')
            : undefined
          : new ClassValue('default', st, scope);
        continue;
      }
      if (tsApi.isFunctionDeclaration(st) && st.name && st.body) {
        const fn = new FuncValue(st, scope, st.name.text);
        if (scope.module === this.bridge.root) this.functions.push(fn);
        scope.declare(st.name.text, fn);
      } else if (tsApi.isClassDeclaration(st) && st.name) {
        const cls = new ClassValue(st.name.text, st, scope);
        if (scope.module === this.bridge.root) this.classes.push(cls);
        scope.declare(st.name.text, cls);
      }
    }
  }

  exec(st: ts.Statement, scope: Scope): Completion {
    this.tick();
    switch (st.kind) {
      case Kind.VariableStatement:
        this.execDeclarations((st as ts.VariableStatement).declarationList, scope);
        return undefined;
      case Kind.ExpressionStatement:
        this.eval((st as ts.ExpressionStatement).expression, scope);
        return undefined;
      case Kind.ReturnStatement: {
        const expr = (st as ts.ReturnStatement).expression;
        const v = expr ? this.eval(expr, scope) : undefined;
        this.bridge.nameModel(v, this.fnNames[this.fnNames.length - 1]);
        return new ReturnSignal(v);
      }
      case Kind.Block:
        return this.runBlock((st as ts.Block).statements, new Scope(scope));
      case Kind.IfStatement:
        return this.execIf(st as ts.IfStatement, scope);
      case Kind.ForStatement:
        return this.execFor(st as ts.ForStatement, scope);
      case Kind.ForOfStatement:
        return this.execForOf(st as ts.ForOfStatement, scope);
      case Kind.WhileStatement:
      case Kind.DoStatement:
        return this.execWhile(st as ts.WhileStatement | ts.DoStatement, scope);
      case Kind.BreakStatement:
        return BREAK;
      case Kind.ContinueStatement:
        return CONTINUE;
      case Kind.TryStatement:
        return this.execTry(st as ts.TryStatement, scope);
      case Kind.ThrowStatement:
        return new ThrowSignal(unknown('the code throws here'));
      case Kind.ClassDeclaration: {
        const name = (st as ts.ClassDeclaration).name;
        const cls = name ? scope.lookup(name.text) : undefined;
        if (cls instanceof ClassValue) this.defineClass(cls);
        return undefined;
      }
      case Kind.ImportDeclaration:
        this.importDeclaration(st as ts.ImportDeclaration, scope);
        return undefined;
      case Kind.ExportAssignment: {
        const v = this.eval((st as ts.ExportAssignment).expression, scope);
        scope.module.defaultExport = v;
        return undefined;
      }
      case Kind.LabeledStatement:
        return this.exec((st as ts.LabeledStatement).statement, scope);
      case Kind.SwitchStatement:
        return this.execSwitch(st as ts.SwitchStatement, scope);
      case Kind.ForInStatement:
        return this.execForIn(st as ts.ForInStatement, scope);
      default:
        // Function and class declarations were hoisted; types, exports lists and the rest carry no values.
        return undefined;
    }
  }

  protected execDeclarations(list: ts.VariableDeclarationList, scope: Scope): void {
    for (const decl of list.declarations) {
      const value = decl.initializer
        ? this.evalNamed(decl.initializer, tsApi.isIdentifier(decl.name) ? decl.name.text : undefined, scope)
        : undefined;
      if (tsApi.isIdentifier(decl.name)) this.bridge.nameModel(value, decl.name.text);
      if (decl.initializer && this.bridge.imports.isRequireOfTfjs(decl.initializer)) {
        this.bridge.imports.bindRequire(decl.name, scope);
        continue;
      }
      this.bind(decl.name, value, scope);
    }
  }

  /** Bind a declaration name or destructuring pattern. */
  bind(name: ts.BindingName, value: Value, scope: Scope): void {
    if (tsApi.isIdentifier(name)) {
      scope.declare(name.text, value);
      return;
    }
    if (tsApi.isArrayBindingPattern(name)) {
      const taint = this.uncertainty.taintOf(value);
      if (taint !== undefined) value = unknown(taint);
      name.elements.forEach((el, i) => {
        if (tsApi.isOmittedExpression(el)) return;
        let v: Value;
        if (el.dotDotDotToken) v = Array.isArray(value) ? value.slice(i) : unknown('rest of a non-array');
        else v = Array.isArray(value) ? value[i] : value instanceof UnknownValue ? value : this.member(value, String(i), el);
        if (v === undefined && el.initializer) v = this.eval(el.initializer, scope);
        this.bind(el.name, v, scope);
      });
      return;
    }
    for (const el of name.elements) {
      const key = el.propertyName ? propName(el.propertyName) : tsApi.isIdentifier(el.name) ? el.name.text : undefined;
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
      this.bridge.info(
        st.expression,
        `This condition is not known statically (${c.reason}); models built under it are shown as each branch would build them, and the models and values it changes are unknown after it.`,
      );
      return this.undecided(
        [st.thenStatement, st.elseStatement],
        scope,
        this.where(st, `if (${st.expression.getText(this.sf)})`),
        [st.thenStatement, st.elseStatement],
      );
    }
    if (c) return this.exec(st.thenStatement, scope);
    return st.elseStatement ? this.exec(st.elseStatement, scope) : undefined;
  }

  protected execSwitch(st: ts.SwitchStatement, scope: Scope): Completion {
    const v = this.eval(st.expression, scope);
    const what = (): string => this.where(st, `switch (${st.expression.getText(this.sf)})`);
    if (v instanceof UnknownValue) {
      this.bridge.info(
        st.expression,
        `This \`switch\` is on a value not known statically (${v.reason}); models built in its cases are shown as each case would build them, and the models and values they change are unknown after it.`,
      );
      return this.undecided([st], scope, what(), this.switchBranches(st));
    }
    let matched = false;
    const clauses = st.caseBlock.clauses;
    for (let i = 0; i < clauses.length; i++) {
      const clause = clauses[i]!;
      if (!matched && !tsApi.isDefaultClause(clause)) {
        const c = this.eval(clause.expression, scope);
        if (c instanceof UnknownValue) return this.undecided([st], scope, what(), this.switchBranches(st));
        matched = c === v;
      }
      if (!matched) continue;
      const done = this.runBlock(clause.statements, new Scope(scope));
      if (done === BREAK) return undefined;
      if (done === UNCERTAIN_EXIT) return this.undecided([st], scope, what());
      if (done !== undefined) return done;
    }
    if (!matched) {
      // No case matched: the default clause (wherever it is) runs, falling through from there.
      const d = clauses.findIndex((c) => tsApi.isDefaultClause(c));
      for (let i = d; d >= 0 && i < clauses.length; i++) {
        const done = this.runBlock(clauses[i]!.statements, new Scope(scope));
        if (done === BREAK) return undefined;
        if (done === UNCERTAIN_EXIT) return this.undecided([st], scope, what());
        if (done !== undefined) return done;
      }
    }
    return undefined;
  }

  /** Each case of a `switch` as a branch: its statements and those it falls through to, up to a `break`. */
  private switchBranches(st: ts.SwitchStatement): Branch[] {
    const clauses = st.caseBlock.clauses;
    return clauses.map((_, start) => (s: Scope) => {
      for (let i = start; i < clauses.length; i++) if (this.runBlock(clauses[i]!.statements, s) !== undefined) return;
    });
  }

  protected execTry(t: ts.TryStatement, scope: Scope): Completion {
    let done = this.runBlock(t.tryBlock.statements, new Scope(scope));
    const c = t.catchClause;
    // `try { return require('@tensorflow/tfjs') } catch { return require('./tf.min.js') }`:
    // loading tfjs is taken to succeed, as every import of it is, so a catch that only loads
    // another module never runs (one that does more still may: it is undecided as any).
    const loadsTfjs = t.tryBlock.statements.every((st) => this.onlyLoads(st, true));
    if (c && !(loadsTfjs && c.block.statements.every((st) => this.onlyFallsBack(st)))) {
      if (done instanceof ThrowSignal) {
        const catchScope = new Scope(scope);
        if (c.variableDeclaration) this.bind(c.variableDeclaration.name, unknown('the error caught'), catchScope);
        done = this.runBlock(c.block.statements, catchScope);
      } else {
        // Anything in the try block may throw at run time: the catch block may run.
        const alt = this.undecided([c.block], scope, `the \`catch\` on line ${this.bridge.spot(c).line}`);
        if (done === undefined) done = alt;
      }
    }
    // A completion of the finally block (a `return` in it) wins, as in JavaScript.
    return (t.finallyBlock ? this.runBlock(t.finallyBlock.statements, new Scope(scope)) : undefined) ?? done;
  }

  /**
   * What a fallback for a module that did not load does, and no more: loads another
   * (`tf = require('./tf.min.js')`), sets a plain value (`tf = null`), logs, throws.
   */
  private onlyFallsBack(st: ts.Statement): boolean {
    if (this.onlyLoads(st, false) || tsApi.isThrowStatement(st)) return true;
    if (!tsApi.isExpressionStatement(st)) return false;
    const e = st.expression;
    if (tsApi.isCallExpression(e))
      return tsApi.isPropertyAccessExpression(e.expression) && e.expression.expression.getText(this.sf) === 'console';
    if (!tsApi.isBinaryExpression(e) || e.operatorToken.kind !== tsApi.SyntaxKind.EqualsToken) return false;
    const v = e.right;
    return (
      v.kind === tsApi.SyntaxKind.NullKeyword ||
      v.kind === tsApi.SyntaxKind.TrueKeyword ||
      v.kind === tsApi.SyntaxKind.FalseKeyword ||
      tsApi.isNumericLiteral(v) ||
      tsApi.isStringLiteral(v) ||
      (tsApi.isIdentifier(v) && v.text === 'undefined')
    );
  }

  /**
   * `return require(…)`, `tf = require(…)`, `const tf = require(…)` and nothing else: of tfjs
   * (`tfjs`), or of any module.
   */
  private onlyLoads(st: ts.Statement, tfjs: boolean): boolean {
    const imports = this.bridge.imports;
    const loads = (e: ts.Expression): boolean =>
      tfjs ? imports.isRequireOfTfjs(e) : tsApi.isCallExpression(e) && imports.requireSpecifier(e) !== undefined;
    if (tsApi.isReturnStatement(st)) return st.expression !== undefined && loads(st.expression);
    if (tsApi.isExpressionStatement(st))
      return (
        tsApi.isBinaryExpression(st.expression) &&
        st.expression.operatorToken.kind === tsApi.SyntaxKind.EqualsToken &&
        loads(st.expression.right)
      );
    if (tsApi.isVariableStatement(st))
      return st.declarationList.declarations.every((d) => d.initializer !== undefined && loads(d.initializer));
    return false;
  }

  protected abstract execFor(st: ts.ForStatement, scope: Scope): Completion;
  protected abstract execForOf(st: ts.ForOfStatement, scope: Scope): Completion;
  protected abstract execWhile(st: ts.WhileStatement | ts.DoStatement, scope: Scope): Completion;
  protected abstract execForIn(st: ts.ForInStatement, scope: Scope): Completion;

  /** Sets `obj[key] = value` for an instance or plain object (setters run). */
  abstract assignMember(obj: Value, key: string, value: Value): void;
}
