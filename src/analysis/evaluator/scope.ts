/** Lexical scopes of the static evaluator. */
import type { Value } from './values';

export class Scope {
  /** Created on first declaration: most block and loop scopes declare nothing. */
  private vars: Map<string, Value> | undefined;
  constructor(readonly parent: Scope | null) {}

  declare(name: string, value: Value): void {
    (this.vars ??= new Map()).set(name, value);
  }

  lookup(name: string): { found: boolean; value: Value } {
    for (let s: Scope | null = this; s !== null; s = s.parent) {
      if (s.vars?.has(name)) return { found: true, value: s.vars.get(name) };
    }
    return { found: false, value: undefined };
  }

  /** Assign to the nearest declaration; declares at this scope when there is none. */
  assign(name: string, value: Value): void {
    for (let s: Scope | null = this; s !== null; s = s.parent) {
      if (s.vars?.has(name)) {
        s.vars.set(name, value);
        return;
      }
    }
    this.declare(name, value);
  }
}
