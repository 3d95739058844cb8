/** Collects diagnostics against source positions, deduplicated (a helper evaluated twice reports once). */
import type { Diagnostic, Severity } from './types';

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

  add(severity: Severity, spot: SourceSpot, message: string): void {
    // Code of an imported module is reported when that file is analysed, not in its importers.
    if (spot.file !== undefined) return;
    const key = `${spot.line}:${spot.column}:${severity}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.items.push({ ...spot, severity, message });
  }

  sorted(): Diagnostic[] {
    return [...this.items].sort((a, b) => a.line - b.line || a.column - b.column);
  }
}
