/**
 * How evaluated code ends other than by running off its end: the completions that statements
 * return (`return`, `throw`, `break`, `continue`, and an exit the evaluator could not follow),
 * and the budget signal a loop that runs too long throws.
 */
import type * as ts from 'typescript';
import type { Value } from './values';

/**
 * How a statement ends other than by running off its end: `return` (or `throw`, which ends the
 * function with an unknown value), `break`, `continue`. Returned by statements, not thrown:
 * every function call would otherwise pay for an exception.
 */
export class ReturnSignal {
  constructor(readonly value: Value) {}
}
/** A `throw`: ends the function like a return of an unknown value, unless a `catch` takes it. */
export class ThrowSignal extends ReturnSignal {}
class BreakSignal {}
class ContinueSignal {}
/** Code that was not evaluated may have left the enclosing loop or switch (`break`/`continue`). */
class UncertainExit {}
export const BREAK = new BreakSignal();
export const CONTINUE = new ContinueSignal();
export const UNCERTAIN_EXIT = new UncertainExit();
export type Completion = ReturnSignal | BreakSignal | ContinueSignal | UncertainExit | undefined;

/** Thrown out of a loop that took more than its share of steps; caught by that same loop. */
export class LoopTooLong {
  constructor(readonly loop: ts.Node) {}
}

/** Per call of a user function: why it may have returned early from code not evaluated. */
export interface CallFrame {
  mayExit?: string;
}
