/**
 * Where a new training panel opens: in the editor column the training panels already use (the
 * last active one's first), so training one model after another keeps one training column;
 * beside the active editor only when no training panel is open. Pure: no `vscode`.
 */

/** `ViewColumn.Beside` in VS Code's numbering: beside the active editor. */
export const BESIDE = -2;

/**
 * The column for a new panel from the columns of the open training panels (the last active
 * panel's first, then the others, restored panels included); `undefined` entries are panels not
 * in an editor column. `BESIDE` when none is.
 */
export function trainingColumn(columns: readonly (number | undefined)[]): number {
  return columns.find((c): c is number => typeof c === 'number' && Number.isInteger(c) && c > 0) ?? BESIDE;
}
