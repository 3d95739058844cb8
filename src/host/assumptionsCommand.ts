/**
 * `modelLens.setAssumption`: states a value for a builder parameter no call gives (the lens
 * "Set a value for h…", or "Change assumed values…"), kept in the workspace's
 * `modelLens.assumptions` setting, never in the user's source. An empty answer removes it.
 */
import * as vscode from 'vscode';

const SECTION = 'modelLens';
const KEY = 'assumptions';

/** The values stated for the file at `uri` (its folder's settings), as `{ "FUNCTION.PARAM": JSON }`. */
export function statedAssumptions(uri: vscode.Uri | undefined): Record<string, unknown> {
  const value = vscode.workspace.getConfiguration(SECTION, uri).get<unknown>(KEY);
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Lens / hover arguments: `[uri | null, keys]`. */
export async function setAssumption(uriArg: unknown, keysArg: unknown): Promise<void> {
  const uri = typeof uriArg === 'string' ? vscode.Uri.parse(uriArg, true) : vscode.window.activeTextEditor?.document.uri;
  const keys = Array.isArray(keysArg) ? keysArg.filter((k): k is string => typeof k === 'string') : [];
  if (keys.length === 0) return;
  const current = { ...statedAssumptions(uri) };
  const shown = (key: string): string =>
    Object.prototype.hasOwnProperty.call(current, key) ? `= ${JSON.stringify(current[key])}` : 'no value yet';
  let key = keys[0]!;
  if (keys.length > 1) {
    const picked = await vscode.window.showQuickPick(
      keys.map((k) => ({ label: k, description: shown(k) })),
      { title: 'Model Lens: which parameter?', placeHolder: 'The value is used wherever no call gives one' },
    );
    if (!picked) return;
    key = picked.label;
  }
  const answer = await vscode.window.showInputBox({
    title: `Model Lens: a value for ${key}`,
    prompt: 'A JSON value (9, [28, 28, 1], "relu"…), used where no call gives one. Leave empty to remove it.',
    value: Object.prototype.hasOwnProperty.call(current, key) ? JSON.stringify(current[key]) : '',
    validateInput: (text) => (text.trim() === '' || isJson(text) ? undefined : 'Not JSON: a string needs quotes, e.g. "relu"'),
  });
  if (answer === undefined) return;
  if (answer.trim() === '') delete current[key];
  else current[key] = JSON.parse(answer);
  const target =
    uri !== undefined && vscode.workspace.getWorkspaceFolder(uri)
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : vscode.workspace.workspaceFolders
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await vscode.workspace
    .getConfiguration(SECTION, uri)
    .update(KEY, Object.keys(current).length > 0 ? current : undefined, target);
}

/** True when a configuration change touches the stated values. */
export function affectsAssumptions(event: vscode.ConfigurationChangeEvent): boolean {
  return event.affectsConfiguration(`${SECTION}.${KEY}`);
}
