/**
 * Which of a file's models the graph shows, found again after an edit moved or renamed it.
 * Pure (no `vscode`).
 */
import type { ModelResult } from '../../analysis/types';

export interface GraphTarget {
  name: string;
  line: number;
}

/**
 * The model asked for: the same name on the same line, else the same name nearest that line,
 * else the last model starting at or above the line (the one the cursor is in), else the first.
 */
export function findModel(models: readonly ModelResult[], target: GraphTarget): ModelResult | undefined {
  const exact = models.find((m) => m.name === target.name && m.line === target.line);
  if (exact) return exact;
  const named = models.filter((m) => m.name === target.name);
  if (named.length > 0) return named.reduce((a, b) => (Math.abs(b.line - target.line) < Math.abs(a.line - target.line) ? b : a));
  return modelAtLine(models, target.line);
}

/** The model whose code the line is in (the last one starting at or above it), else the first. */
export function modelAtLine(models: readonly ModelResult[], line: number): ModelResult | undefined {
  let best: ModelResult | undefined;
  for (const m of models) if (m.line <= line && (!best || m.line > best.line)) best = m;
  return best ?? models[0];
}
