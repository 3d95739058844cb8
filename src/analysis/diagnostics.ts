/** Collects diagnostics against source positions, deduplicated (a helper evaluated twice reports once). */
import type { Diagnostic, FixHint, Severity } from './types';

/** A 1-based source range. */
export interface SourceSpot {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Set when the range is in a module the analysed file imports, not in the file itself. */
  file?: string;
}

export class DiagnosticSink {
  private readonly seen = new Set<string>();
  readonly items: Diagnostic[] = [];

  add(severity: Severity, spot: SourceSpot, message: string, fix?: FixHint): void {
    // Code of an imported module is reported when that file is analysed, not in its importers.
    if (spot.file !== undefined) return;
    const key = `${spot.line}:${spot.column}:${severity}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const { file: _file, ...range } = spot;
    this.items.push(fix === undefined ? { ...range, severity, message } : { ...range, severity, message, fix });
  }

  sorted(): Diagnostic[] {
    return [...this.items].sort((a, b) => a.line - b.line || a.column - b.column);
  }
}
