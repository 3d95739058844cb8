/** Lexical scopes of the static evaluator. */
import type * as ts from 'typescript';
import type { LineIndex } from '../lineIndex';
import type { Value } from './values';

/**
 * A source file whose code the evaluator runs: the analysed file, or a module it imports.
 * Every scope knows its module, so a function runs with its own file's text and lines.
 */
export interface SourceModule {
  readonly sf: ts.SourceFile;
  readonly lines: LineIndex;
  /** The file's path for an imported module; undefined for the analysed file. */
  readonly file: string | undefined;
  /** `export default <expression>`'s value, once its statement has run. */
  defaultExport?: Value;
}

/** What `lookup` returns for a name declared nowhere (no allocation per lookup). */
export const NOT_FOUND: unique symbol = Symbol('not found');

let nextScopeId = 1;
/** Scopes made before this id keep their values: code evaluated speculatively may not change them. */
let writeBarrier = 0;

/** Runs `f` with writes to every scope that exists now dropped; returns its result. */
export function withWriteBarrier<T>(f: () => T): T {
  const saved = writeBarrier;
  writeBarrier = nextScopeId;
  try {
    return f();
  } finally {
    writeBarrier = saved;
  }
}

export class Scope {
  /** Created on first declaration: most block and loop scopes declare nothing. */
  private vars: Map<string, Value> | undefined;
  private readonly id = nextScopeId++;
  readonly module: SourceModule;
  constructor(
    readonly parent: Scope | null,
    /** Given for a module's top scope; other scopes have their parent's. */
    module?: SourceModule,
  ) {
    this.module = module ?? parent!.module;
  }

  declare(name: string, value: Value): void {
    (this.vars ??= new Map()).set(name, value);
  }

  lookup(name: string): Value | typeof NOT_FOUND {
    for (let s: Scope | null = this; s !== null; s = s.parent) {
      if (s.vars?.has(name)) return s.vars.get(name);
    }
    return NOT_FOUND;
  }

  /**
   * Assign to the nearest declaration; declares at this scope when there is none. Behind a write
   * barrier (a branch evaluated as if taken) a variable declared before it keeps its value and
   * the branch sees the new one: it is declared again in the branch's outermost scope.
   */
  assign(name: string, value: Value): void {
    let branch: Scope | null = null;
    for (let s: Scope | null = this; s !== null; s = s.parent) {
      if (s.vars?.has(name)) {
        if (s.id >= writeBarrier) s.vars.set(name, value);
        else branch?.declare(name, value);
        return;
      }
      if (s.id >= writeBarrier) branch = s;
    }
    this.declare(name, value);
  }
}
