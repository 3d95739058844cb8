/**
 * Loops: `for`, `for...of`, `while` / `do`, each iteration evaluated (at most MAX_LOOP, within
 * a step share per outermost loop). A loop the analysis cannot run (an unknown bound or
 * iterable, too many steps, `for...in`) is undecided code: see uncertainty.ts.
 */
import type * as ts from 'typescript';
import { truthy } from './builtins';
import { Scope } from './scope';
import { MAX_LOOP, MAX_LOOP_STEPS, StatementRunner } from './statements';
import { BREAK, LoopTooLong, ReturnSignal, UNCERTAIN_EXIT } from './completions';
import type { Completion } from './completions';
import { UnknownValue, unknown } from './values';
import type { Value } from './values';
import { tsApi } from './syntaxKinds';

/** What `loopBody` returns when the loop goes on to its next iteration. */
const NEXT: unique symbol = Symbol('next iteration');

export abstract class LoopRunner extends StatementRunner {
  /** Runs a loop statement with its own step share; a loop that exceeds it is not evaluated. */
  protected guardLoop(st: ts.IterationStatement, scope: Scope, run: () => Completion): Completion {
    const outer = this.loopStart === null;
    if (outer) this.loopStart = { node: st, steps: this.steps };
    try {
      return run();
    } catch (e) {
      if (!(e instanceof LoopTooLong) || e.loop !== st) throw e;
      this.loopStart = null;
      this.bridge.info(
        st,
        `This loop is not evaluated: it needs more than ${MAX_LOOP_STEPS} evaluation steps. Values and layers it changes are not known.`,
      );
      return this.undecided([st], scope, `the loop on line ${this.bridge.spot(st).line}`);
    } finally {
      if (outer) this.loopStart = null;
    }
  }

  /** Runs one iteration: NEXT to go on, else how the loop statement ends (undefined after a `break`, or the function's return). */
  protected loopBody(st: ts.IterationStatement, scope: Scope): typeof NEXT | Completion {
    const fn = tsApi.isWhileStatement(st) || tsApi.isDoStatement(st) ? 'while' : 'for';
    const done = this.bridge.inBlock(fn, this.bridge.lineOf(st), () => this.exec(st.statement, scope));
    if (done === BREAK) return undefined;
    if (done === UNCERTAIN_EXIT) return this.undecided([st], scope, `the loop on line ${this.bridge.spot(st).line}`);
    return done instanceof ReturnSignal ? done : NEXT;
  }

  /**
   * A loop the analysis cannot run: what it changes is unknown. Its body is evaluated once
   * speculatively (the loop variable of a `for...of` unknown), to show the models it builds.
   */
  protected loopLimit(st: ts.IterationStatement, at: ts.Node, why: string, scope: Scope): Completion {
    this.bridge.info(
      at,
      `This loop is not evaluated: ${why}. Models built in it are shown as its first pass would build them, and the models and values it changes are unknown after it.`,
    );
    const once = (s: Scope): void => {
      if (tsApi.isForOfStatement(st) && tsApi.isVariableDeclarationList(st.initializer))
        this.bind(st.initializer.declarations[0]!.name, unknown(`an item of the loop on line ${this.bridge.spot(st).line}`), s);
      this.exec(st.statement, s);
    };
    const speculate =
      tsApi.isForInStatement(st) || (tsApi.isForOfStatement(st) && !tsApi.isVariableDeclarationList(st.initializer))
        ? []
        : [once];
    return this.undecided([st], scope, `the loop on line ${this.bridge.spot(st).line}`, speculate);
  }

  protected execFor(st: ts.ForStatement, scope: Scope): Completion {
    return this.guardLoop(st, scope, () => {
      const loopScope = new Scope(scope);
      if (st.initializer) {
        if (tsApi.isVariableDeclarationList(st.initializer)) this.execDeclarations(st.initializer, loopScope);
        else this.eval(st.initializer, loopScope);
      }
      for (let n = 0; ; n++) {
        if (st.condition) {
          const c = truthy(this.eval(st.condition, loopScope));
          if (c instanceof UnknownValue)
            return this.loopLimit(st, st.condition, `its condition is not known statically (${c.reason})`, loopScope);
          if (!c) return undefined;
        }
        if (n >= MAX_LOOP) return this.loopLimit(st, st, `it runs more than ${MAX_LOOP} times`, loopScope);
        const exit = this.loopBody(st, new Scope(loopScope));
        if (exit !== NEXT) return exit;
        if (st.incrementor) this.eval(st.incrementor, loopScope);
      }
    });
  }

  protected execForOf(st: ts.ForOfStatement, scope: Scope): Completion {
    return this.guardLoop(st, scope, () => {
      const it = this.eval(st.expression, scope);
      let items: Value[];
      const taint = this.bridge.uncertainty.taintOf(it);
      if (taint !== undefined)
        return this.loopLimit(st, st.expression, `what it iterates over is not known statically (${taint})`, scope);
      if (Array.isArray(it)) items = [...it];
      else if (typeof it === 'string') items = [...it];
      else
        return this.loopLimit(
          st,
          st.expression,
          it instanceof UnknownValue
            ? `what it iterates over is not known statically (${it.reason})`
            : 'it does not iterate over a constant array',
          scope,
        );
      for (const item of items) {
        this.tick();
        const iterScope = new Scope(scope);
        const init = st.initializer;
        if (tsApi.isVariableDeclarationList(init)) this.bind(init.declarations[0]!.name, item, iterScope);
        else this.assignTo(init, item, iterScope);
        const exit = this.loopBody(st, iterScope);
        if (exit !== NEXT) return exit;
      }
      return undefined;
    });
  }

  protected execWhile(st: ts.WhileStatement | ts.DoStatement, scope: Scope): Completion {
    return this.guardLoop(st, scope, () => {
      let first = tsApi.isDoStatement(st);
      for (let n = 0; ; n++) {
        if (!first) {
          const c = truthy(this.eval(st.expression, scope));
          if (c instanceof UnknownValue)
            return this.loopLimit(st, st.expression, `its condition is not known statically (${c.reason})`, scope);
          if (!c) return undefined;
        }
        first = false;
        if (n >= MAX_LOOP) return this.loopLimit(st, st, `it runs more than ${MAX_LOOP} times`, scope);
        const exit = this.loopBody(st, new Scope(scope));
        if (exit !== NEXT) return exit;
      }
    });
  }

  /** A loop over what the analysis does not iterate (`for...in`): not evaluated. */
  protected execForIn(st: ts.ForInStatement, scope: Scope): Completion {
    return this.loopLimit(st, st.expression, '`for...in` is not evaluated', scope);
  }
}
