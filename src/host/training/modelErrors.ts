/**
 * The error diagnostics that stop a model from training, and the refusal that points at them.
 * A model with an error cannot be trained as written (tfjs throws, or cannot run an option), so
 * Train names the error's line instead of failing later on shapes the analysis could not know.
 * Pure: no `vscode`.
 */
import type { Diagnostic, ModelResult } from '../../analysis/types';
import type { LineRange } from './modelPicker';

/** Layer types that are models used as layers: their own layers count as the outer model's. */
const NESTED_TYPES = new Set(['Sequential', 'Functional', 'Model', 'LayersModel']);

/** Lines that belong to the model: its call, its layers' creation and use, nested models' too. */
function modelLines(model: ModelResult, all: readonly ModelResult[], lines = new Set<number>(), depth = 0): Set<number> {
  lines.add(model.line);
  for (const layer of model.layers) {
    lines.add(layer.line);
    lines.add(layer.useLine);
    if (NESTED_TYPES.has(layer.type) && depth < 4) {
      const nested = all.find((m) => m !== model && m.line === layer.line);
      if (nested) modelLines(nested, all, lines, depth + 1);
    }
  }
  return lines;
}

/** The line where the model's shapes stop being known: its first layer whose output is unknown. */
function firstUnknownLayerLines(model: ModelResult): number[] {
  const layer = model.layers.find((l) => l.outputShape === null);
  return layer ? [layer.line, layer.useLine] : [];
}

/**
 * The model's error diagnostics, the one that breaks its shapes first, then by position.
 * Errors on the model's own lines (its call, its layers', its nested models') count; where
 * there are none but the model's shapes are unknown, errors anywhere in its line range (`range`,
 * the builder function around it) do.
 */
export function modelErrors(
  model: ModelResult,
  all: readonly ModelResult[],
  diagnostics: readonly Diagnostic[],
  range?: LineRange,
): Diagnostic[] {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return [];
  const lines = modelLines(model, all);
  let own = errors.filter((d) => lines.has(d.line));
  const shapesUnknown =
    model.inputShapes === null || model.outputShapes === null || model.layers.some((l) => l.outputShape === null);
  if (own.length === 0 && shapesUnknown && range) own = errors.filter((d) => d.line >= range.start && d.line <= range.end);
  const cause = new Set(firstUnknownLayerLines(model));
  return [...own].sort((a, b) => Number(cause.has(b.line)) - Number(cause.has(a.line)) || a.line - b.line || a.column - b.column);
}

/** The refusal: which model, which line, what the error says, and how many more there are. */
export function errorRefusal(model: ModelResult, errors: readonly Diagnostic[]): string {
  const first = errors[0];
  if (!first) return `Model Lens: "${model.name}" cannot be trained.`;
  const more = errors.length - 1;
  const others = more > 0 ? ` (and ${more} more error${more === 1 ? '' : 's'})` : '';
  const message = first.message.length > 300 ? `${first.message.slice(0, 297)}…` : first.message;
  return `Model Lens: fix the error on line ${first.line} to train "${model.name}"${others}: ${message}`;
}

/** The label of the refusal's action that reveals the error's line. */
export function revealLabel(error: Diagnostic): string {
  return `Go to Line ${error.line}`;
}
