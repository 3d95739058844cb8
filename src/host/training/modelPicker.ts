/**
 * Which model the Train command means: the one whose line range contains the cursor (the
 * innermost when ranges nest), the only one, or else a choice for the user with the nearest
 * model above the cursor first. Pure: no `vscode`.
 */
import type { ModelResult } from '../../analysis/types';

export interface LineRange {
  start: number;
  end: number;
}

export type ModelChoice = { kind: 'model'; model: ModelResult } | { kind: 'ask'; candidates: ModelResult[] } | { kind: 'none' };

/** `line` is 1-based; `ranges[i]` belongs to `models[i]`. */
export function modelAtCursor(models: readonly ModelResult[], ranges: readonly LineRange[], line: number): ModelChoice {
  if (models.length === 0) return { kind: 'none' };
  let best: { model: ModelResult; size: number } | undefined;
  models.forEach((model, i) => {
    const range = ranges[i] ?? { start: model.line, end: model.line };
    if (line < range.start || line > range.end) return;
    const size = range.end - range.start;
    // Innermost range wins; on a tie, the model declared closest above the cursor.
    if (!best || size < best.size || (size === best.size && model.line <= line && model.line > best.model.line)) {
      best = { model, size };
    }
  });
  if (best) return { kind: 'model', model: best.model };
  if (models.length === 1) return { kind: 'model', model: models[0] as ModelResult };
  const distance = (m: ModelResult): number => (m.line <= line ? line - m.line : Number.MAX_SAFE_INTEGER / 2 + m.line - line);
  return { kind: 'ask', candidates: [...models].sort((a, b) => distance(a) - distance(b)) };
}

/** The model a lens means: by name and line, else by name, else by line. */
export function modelByNameAndLine(
  models: readonly ModelResult[],
  name: string | undefined,
  line: number | undefined,
): ModelResult | undefined {
  return (
    models.find((m) => m.name === name && m.line === line) ??
    models.find((m) => m.name === name) ??
    models.find((m) => m.line === line)
  );
}
